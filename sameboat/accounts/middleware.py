"""Sessions: a hard limit on a login's age.

Django moves a session's expiry on every time the session is saved, so a session in use could
live for ever; ASVS 3.3.2 wants the password proved again at least every 12 hours, busy or not.
The login's time is kept in the session (sameboat.accounts.signals) and checked here on every
request. A session without that time (opened before this rule) ends at once, so every live
session has been opened by a login since, and is in its person's session list (allauth adds
it there at login).
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

# Seconds since the epoch at which the session's login happened.
LOGIN_AT_KEY = "sameboat_login_at"

Handler = Callable[[HttpRequest], HttpResponseBase]


def session_too_old(request: HttpRequest) -> bool:
    started = request.session.get(LOGIN_AT_KEY)
    # A login without a recorded time predates this rule: its age is unknown, so it ends.
    if not isinstance(started, int | float):
        return True
    return time.time() - started > settings.SESSION_ABSOLUTE_AGE


class AbsoluteSessionAgeMiddleware:
    """Logs out a session whose login is older than settings.SESSION_ABSOLUTE_AGE. A page is
    sent to the login form (and back afterwards); the API goes on unauthenticated, so DRF
    answers 401 (or takes the caller's token, which has its own limit)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # The session says whether someone is logged in: no query for the user here.
        if SESSION_KEY in request.session and session_too_old(request):
            logout(request)
            if not request.path_info.startswith("/api/"):
                messages.info(request, _("Your login has ended: please log in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
