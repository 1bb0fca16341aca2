"""What happens around a person's credentials, beyond allauth's own work.

- A new password (changed, or reset by email) revokes the person's API token: whoever had
  the old password may have made one. Django already ends every other browser session, as
  each session holds a hash of the password it was opened with.
- Turning two-factor authentication on revokes the API token too: it was made with the
  password alone, and the token endpoint now asks for a code as well.
- Two-factor turned on or off, and new recovery codes, go to the audit log (ids and codes
  only: the person is the target, by id).
- Logins and failed logins go to the audit log too (ASVS 7.2.1). A failed login names the
  account by id when the address belongs to one, and nothing at all when it does not: the
  address someone typed is personal data, perhaps a stranger's. (allauth sends no signal
  when its login limit locks an account; the API token endpoint records that itself.)
- A login notes its time in the session: sameboat.accounts.middleware ends the session
  SESSION_ABSOLUTE_AGE after it, however busy it was.
"""

import time
from typing import Any

from allauth.account.signals import password_changed, password_reset
from allauth.account.utils import filter_users_by_email
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from rest_framework.authtoken.models import Token

from sameboat.accounts.middleware import LOGIN_AT_KEY
from sameboat.accounts.models import User
from sameboat.audit.services import audit_record


def _revoke_api_token(user: Any) -> None:
    Token.objects.filter(user_id=user.pk).delete()


@receiver(password_changed, dispatch_uid="sameboat-password-changed")
@receiver(password_reset, dispatch_uid="sameboat-password-reset")
def on_new_password(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _revoke_api_token(user)
    audit_record(
        action="security.password_changed",
        actor=user if isinstance(user, User) else None,
        target=f"user:{user.pk}",
        request=request,
    )


def _authenticator_event(action: str, request: Any, user: Any, authenticator: Any) -> None:
    kind = authenticator.type if isinstance(authenticator, Authenticator) else ""
    audit_record(
        action=action,
        actor=user if isinstance(user, User) else None,
        target=f"user:{user.pk}",
        detail={"authenticator": str(kind)},
        request=request,
    )


@receiver(authenticator_added, dispatch_uid="sameboat-mfa-added")
def on_authenticator_added(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    if getattr(authenticator, "type", None) == Authenticator.Type.TOTP:
        _revoke_api_token(user)
        _authenticator_event("security.mfa_enabled", request, user, authenticator)


@receiver(authenticator_removed, dispatch_uid="sameboat-mfa-removed")
def on_authenticator_removed(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    if getattr(authenticator, "type", None) == Authenticator.Type.TOTP:
        _authenticator_event("security.mfa_disabled", request, user, authenticator)


@receiver(authenticator_reset, dispatch_uid="sameboat-mfa-reset")
def on_authenticator_reset(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    _authenticator_event("security.mfa_recovery_codes_reset", request, user, authenticator)


@receiver(user_logged_in, dispatch_uid="sameboat-audit-login")
def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_KEY] = int(time.time())
    audit_record(
        action="security.login",
        actor=user if isinstance(user, User) else None,
        target=f"user:{user.pk}",
        request=request,
    )


@receiver(user_login_failed, dispatch_uid="sameboat-audit-login-failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # Django has already masked the password in `credentials`; only the address is used,
    # to find the account, and is not recorded.
    address = str(credentials.get("email") or credentials.get("username") or "").strip()
    users = filter_users_by_email(address) if "@" in address else []
    audit_record(
        action="security.login_failed",
        # Nobody is logged in: the actor is unknown, whoever the account is.
        actor=None,
        target=f"user:{users[0].pk}" if len(users) == 1 else "",
        request=request,
    )
