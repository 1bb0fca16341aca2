"""Two-factor authentication (allauth.mfa: an authenticator app, with recovery codes).

Any member may turn it on from their profile. A network may require it of the people who hold
the most (Network.mfa_required_for_leaders): its coordinators and admins then reach none of
the network's pages or API endpoints until they have an authenticator app, and cannot turn it
off while the rule holds. The check sits where every network page and endpoint starts
(`sameboat.core.access.network_access`, asking `policy.must_use_mfa`): a page sends them to
set it up (MfaRequiredMiddleware), the API answers 403 with the reason.

An API token stands for a password login, so one made with a password alone must not bypass
the second factor: the token endpoint asks for a current code from anyone who has turned two-
factor on, and turning it on revokes the token they had.

Turning it on or off, and new recovery codes, go to the audit log.

An authenticator-app code is good once (ASVS 2.8.4): allauth remembers a used code for one
30-second step only, yet accepts a code for a step either side (MFA_TOTP_TOLERANCE), so we
remember it for the whole time it would be accepted. A used code offered again, on the login
page, the re-authentication page or the token endpoint, is refused, written to the audit log
and told to the owner by email (ASVS 2.8.5): whoever offers it saw the code, and has the
password too unless it is the owner.

The authenticator-app secret and the recovery-codes seed are stored encrypted under the field
keys (MfaAdapter.encrypt/decrypt; sameboat.accounts.mfa_secrets finds them for the migration
and for key rotation).
"""

import logging
from collections.abc import Callable
from typing import Any

from allauth.core.internal.cryptokit import normalize_user_code
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import DefaultMFAAdapter, get_adapter
from allauth.mfa.base import forms as allauth_forms
from allauth.mfa.base.internal.flows import check_rate_limit
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sameboat import policy
from sameboat.audit.services import audit_record
from sameboat.core import crypto
from sameboat.networks.models import Member

logger = logging.getLogger(__name__)


class MfaSetupRequired(PermissionDenied):
    """The network requires two-factor authentication of this person, who has not set it up."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This network requires coordinators and admins to use two-factor "
                "authentication. Set up an authenticator app first."
            )
        )


def mfa_enabled(user: Any) -> bool:
    """Whether the person has an authenticator (an app; recovery codes come with one)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Authenticator.objects.filter(user_id=user.pk).exists()


def second_factor_valid(user: Any, code: str) -> bool:
    """Whether `code` is a current authenticator-app code (each is good once) or an unused
    recovery code (used up by this) of the person. For the API token endpoint."""
    code = code.strip()
    if not code:
        return False
    if totp_code_used(user, code):
        report_reused_code(user, code, via="api")
        return False
    for authenticator in Authenticator.objects.filter(
        user_id=user.pk,
        type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES],
    ):
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            if authenticator.type == Authenticator.Type.TOTP:
                mark_totp_code_used(user, code)
            return True
    return False


REUSED_CODE_MAIL = "mfa/email/totp_code_reused"


def _used_code_key(user: Any, code: str) -> str:
    return f"sameboat.mfa.totp.used:{user.pk}:{normalize_user_code(code)}"


def _acceptance_window() -> int:
    """Seconds an authenticator-app code can be accepted: from the start of the step before
    its own to the end of the step after (with the tolerance of one step)."""
    return int(mfa_settings.TOTP_PERIOD * (2 * mfa_settings.TOTP_TOLERANCE + 1))


def mark_totp_code_used(user: Any, code: str) -> None:
    """Remember an accepted authenticator-app code for as long as it could be accepted."""
    cache.set(_used_code_key(user, code), "y", timeout=_acceptance_window())


def totp_code_used(user: Any, code: str) -> bool:
    """Whether this authenticator-app code of the person's was accepted before (and so must
    not be again)."""
    code = code.strip()
    return bool(code) and cache.get(_used_code_key(user, code)) is not None


def report_reused_code(user: Any, code: str, *, via: str) -> None:
    """Audit a used code offered again (with the address and request id of the request being
    served) and tell the owner, once per code: someone repeating it cannot fill their inbox."""
    if not cache.add(_used_code_key(user, code) + ":reported", "y", timeout=_acceptance_window()):
        return
    audit_record(
        action="security.mfa_code_reused",
        actor=user,
        target=f"user:{user.pk}",
        detail={"via": via},
    )
    # allauth's notice mail: to the primary address, in the site's words, with the time.
    try:
        get_adapter().send_notification_mail(REUSED_CODE_MAIL, user)
    except Exception:
        # The code is refused and audited either way; a mail server being down must not turn
        # the refusal into a server error.
        logger.exception("could not tell user %s that a used code was offered again", user.pk)


def require_mfa_if_needed(member: Member) -> None:
    """Refuse a network's pages and API to a leader the network requires MFA of, until they
    have it. Costs no query unless the rule applies to them."""
    if policy.must_use_mfa(member) and not mfa_enabled(member.user):
        raise MfaSetupRequired


def leads_a_network_requiring_mfa(user: Any) -> bool:
    return any(
        policy.must_use_mfa(member)
        for member in Member.objects.select_related("network").filter(
            user_id=user.pk, is_active=True
        )
    )


class MfaAdapter(DefaultMFAAdapter):
    # allauth passes every secret it stores through these (the TOTP secret, the recovery-codes
    # seed, imported recovery codes): a stolen database or backup cannot make anyone's codes.
    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        # Strict: a plaintext value here means the data migration did not run; a failure says
        # so rather than quietly using a secret stored in the clear.
        return crypto.decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """A coordinator or admin of a network that requires two-factor keeps it on."""
        return not leads_a_network_requiring_mfa(authenticator.user)


class _RefusesReusedCodes(allauth_forms.BaseAuthenticateForm):
    """allauth's code form on the login and re-authentication pages (settings.MFA_FORMS),
    refusing an authenticator-app code used before within the time it is accepted."""

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if totp_code_used(self.user, code):
            # Counted as a wrong code, against the same limit (which raises when used up).
            check_rate_limit(self.user)
            report_reused_code(self.user, code, via="web")
            raise get_adapter().validation_error("incorrect_code")
        code = super().clean_code()
        if self.authenticator.type == Authenticator.Type.TOTP:
            mark_totp_code_used(self.user, code)
        return code


class AuthenticateForm(_RefusesReusedCodes, allauth_forms.AuthenticateForm):
    pass


class ReauthenticateForm(_RefusesReusedCodes, allauth_forms.ReauthenticateForm):
    pass


class MfaRequiredMiddleware:
    """Sends a leader who must set up two-factor authentication to the page that does it,
    instead of the network page they asked for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, MfaSetupRequired):
            return None
        messages.warning(request, str(exception.args[0]))
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
