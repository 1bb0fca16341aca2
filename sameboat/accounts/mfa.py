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

The authenticator-app secret and the recovery-codes seed are stored encrypted under the field
keys (MfaAdapter.encrypt/decrypt; sameboat.accounts.mfa_secrets finds them for the migration
and for key rotation).
"""

from collections.abc import Callable
from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sameboat import policy
from sameboat.core import crypto
from sameboat.networks.models import Member


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
    recovery code (used up by this) of the person."""
    code = code.strip()
    if not code:
        return False
    for authenticator in Authenticator.objects.filter(
        user_id=user.pk,
        type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES],
    ):
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            return True
    return False


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
