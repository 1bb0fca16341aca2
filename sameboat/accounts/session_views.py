"""The page where a person sees where they are logged in and ends those logins (ASVS 3.3.4).

It takes the place of allauth.usersessions' own page, at the same address, so that one
session, every other one or all of them can be ended, each ending is audited, and the page is
Sameboat's. Ending asks for the password first (ASVS 3.3.4: "having re-entered login
credentials"): allauth keeps the form while it asks, and sends it on afterwards.
"""

import re
from dataclasses import dataclass
from typing import Any

from allauth.account.decorators import reauthentication_required
from allauth.usersessions.models import UserSession
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sameboat.accounts.models import User
from sameboat.accounts.user_sessions import EndScope, sessions_end, sessions_of

# Most specific first: Edge and Opera say "Chrome" too, Chrome says "Safari".
BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def browser_name(user_agent: str) -> str:
    """ "Firefox on Linux" from a browser's User-Agent header; the header itself, shortened,
    when neither part is recognised (a script, an app)."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in SYSTEMS if mark in user_agent), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    if browser or system:
        return browser or system
    cleaned = re.sub(r"\s+", " ", user_agent).strip()
    if not cleaned:
        return _("Unknown browser")
    return cleaned if len(cleaned) <= 60 else cleaned[:59] + "…"


class EndSessionsForm(forms.Form):
    scope = forms.ChoiceField(choices=EndScope.choices)
    session = forms.IntegerField(required=False, min_value=1)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("scope") == EndScope.ONE and not cleaned.get("session"):
            raise forms.ValidationError(gettext_lazy("Choose the session to end."))
        return cleaned


@dataclass(frozen=True)
class SessionRow:
    session: UserSession
    browser: str
    current: bool


@login_required
@reauthentication_required(allow_get=True)
def sessions(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = EndSessionsForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            scope = form.cleaned_data["scope"]
            ended = sessions_end(
                request=request,
                user=user,
                scope=scope,
                session_id=form.cleaned_data.get("session"),
            )
            if not request.user.is_authenticated:
                messages.info(request, _("Every session of yours has ended, this one too."))
                return redirect("account_login")
            if ended:
                messages.success(
                    request,
                    _("The session has ended.")
                    if scope == EndScope.ONE
                    else _("Every other session has ended."),
                )
            else:
                messages.info(request, _("That session had already ended."))
            return redirect("account_sessions")
        status = 400
    current_key = request.session.session_key
    rows = [
        SessionRow(
            session=session,
            browser=browser_name(session.user_agent),
            current=session.session_key == current_key,
        )
        for session in sessions_of(user=user)
    ]
    return render(
        request,
        "accounts/sessions.html",
        {
            "form": form,
            "rows": rows,
            "others": any(not row.current for row in rows),
            "show_last_seen": settings.USERSESSIONS_TRACK_ACTIVITY,
            "absolute_hours": max(1, settings.SESSION_ABSOLUTE_AGE // 3600),
        },
        status=status,
    )
