"""A person's logins (sessions): listing them and ending some or all of them (ASVS 3.3.4).

allauth.usersessions keeps one line per session (when, from which address and browser it
began); a line whose session has expired or been logged out is dropped when the list is read.
Ending a session deletes it from the session store, so its cookie opens nothing any more.
"""

from datetime import datetime, timedelta

from allauth.usersessions.adapter import get_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import logout
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sameboat.accounts.models import User
from sameboat.audit.services import audit_record


class EndScope(models.TextChoices):
    ONE = "one", _("This session")
    OTHERS = "others", _("Every session but this one")
    ALL = "all", _("Every session, this one too")


def sessions_of(*, user: User) -> list[UserSession]:
    """The person's live sessions, newest first."""
    live = UserSession.objects.purge_and_list(user)
    return sorted(live, key=lambda session: session.created_at, reverse=True)


def sessions_end(
    *, request: HttpRequest, user: User, scope: str, session_id: int | None = None
) -> list[UserSession]:
    """End the person's sessions: one of them (by id), all but the one making the request, or
    all. Only the person's own sessions are ever found. When the request's own session is
    among them, the request is logged out too. Returns the sessions ended."""
    own = UserSession.objects.filter(user_id=user.pk)
    current_key = request.session.session_key
    if scope == EndScope.ONE:
        chosen = own.filter(pk=session_id)
    elif scope == EndScope.OTHERS:
        chosen = own.exclude(session_key=current_key)
    elif scope == EndScope.ALL:
        chosen = own.all()
    else:
        raise ValueError(f"unknown scope {scope!r}")
    ended = list(chosen)
    ends_current = any(session.session_key == current_key for session in ended)
    if scope == EndScope.ALL and not ends_current:
        # A session opened before the list existed has no line yet: it ends all the same.
        ends_current = True
    if ended or ends_current:
        # Before the logout, while the request still says who did it; ids only.
        audit_record(
            action="security.sessions_ended",
            actor=user,
            target=f"user:{user.pk}",
            detail={
                "scope": str(scope),
                "sessions": [session.pk for session in ended],
                "current": ends_current,
            },
            request=request,
        )
    get_adapter().end_sessions(ended)
    if ends_current:
        logout(request)
    return ended


def outlived_sessions_purge(*, now: datetime) -> int:
    """End the sessions begun longer than SESSION_ABSOLUTE_AGE ago and drop their lines: each
    holds a network address and a browser, and no such session is let in any more (a line is
    never older than its login). Lines are otherwise dropped only when their person next
    logs in or reads the list. Returns how many went."""
    cutoff = now - timedelta(seconds=settings.SESSION_ABSOLUTE_AGE)
    outlived = list(UserSession.objects.filter(created_at__lt=cutoff))
    get_adapter().end_sessions(outlived)
    return len(outlived)
