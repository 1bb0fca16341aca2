"""The REST API for a person: a token to call the API with, and their own profile."""

import hashlib
from collections.abc import Mapping
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import ratelimit
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from sameboat.accounts.authentication import token_expired
from sameboat.accounts.mfa import mfa_enabled, second_factor_valid
from sameboat.accounts.models import User
from sameboat.accounts.services import profile_update
from sameboat.audit.services import audit_record
from sameboat.core.models import Language
from sameboat.networks.api import authenticate_header, current_user
from sameboat.networks.models import Network, Role
from sameboat.networks.selectors import networks_with_role

# --- token --------------------------------------------------------------------------------


def cache_ident(value: str) -> str:
    """Hashed: a cache key must be short and plain, whatever a client sends."""
    return hashlib.sha256(value.encode()).hexdigest()


class TokenLoginThrottle(SimpleRateThrottle):
    """Slows password guessing through the API, as allauth's limits do on the login page.
    Counts attempts to get a token (POST only) per client address."""

    scope = "token-login"
    rate = "20/min"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if request.method != "POST":
            return None
        return self.cache_format % {
            "scope": self.scope,
            # No client address (a server on a unix socket may give none): one shared count.
            "ident": cache_ident(self.get_ident(request) or ""),
        }


class TokenLoginEmailThrottle(SimpleRateThrottle):
    """The same per account: an address that changes cannot guess one person's password."""

    scope = "token-login-email"
    rate = "10/min"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if request.method != "POST" or not isinstance(request.data, Mapping):
            return None
        email = str(request.data.get("email", "")).strip().lower()
        if not email:
            return None
        return self.cache_format % {"scope": self.scope, "ident": cache_ident(email)}


class TooManyLoginAttempts(exceptions.Throttled):
    """allauth's limit on failed logins for this address or account is used up."""

    default_detail = _("Too many failed login attempts. Try again later.")


class TokenRequestSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )
    code = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=_(
            "For a person who uses two-factor authentication: a current code from their "
            "authenticator app, or one of their recovery codes."
        ),
    )


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(read_only=True)


class TokenView(APIView):
    """Exchange an email and password for an API token; revoke it again with DELETE.

    Send the token as `Authorization: Token <token>`. Asking twice returns the same token,
    until it expires (API_TOKEN_MAX_AGE_DAYS after it was issued, 90 unless set); asking
    then returns a new one.
    A person who uses two-factor authentication sends `code` too; turning it on, or a new
    password, revokes the token they had. Wrong passwords and codes count against the same
    limits as the login page's; when they are used up the answer is 429.
    """

    throttle_classes = [TokenLoginThrottle, TokenLoginEmailThrottle]

    def get_permissions(self) -> list[permissions.BasePermission]:
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_authenticate_header(self, request: Request) -> str:
        return authenticate_header(self, request)

    @extend_schema(
        summary="Get an API token",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        http_request = request._request
        try:
            # allauth's authenticate, not Django's: a wrong password counts against the same
            # "login_failed" limits as on the login page (per address and per account), so
            # the API is no side door for guessing; a right one gives its attempt back.
            user = get_account_adapter(http_request).authenticate(
                http_request,
                email=serializer.validated_data["email"].strip().lower(),
                password=serializer.validated_data["password"],
            )
        except DjangoValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            # The adapter has written the lockout to the audit log.
            raise TooManyLoginAttempts() from error
        if not isinstance(user, User) or not user.is_active:
            # One message for an unknown email, a wrong password and a closed account.
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Unable to log in with that email and password.")]}
            )
        if mfa_enabled(user):
            # Wrong codes count against allauth's limit for the person's second factor (the
            # key its own code form uses), so the API cannot guess codes faster than it.
            if not ratelimit.consume(
                http_request, action="login_failed", key=f"mfa-auth-user-{user.pk}"
            ):
                audit_record(
                    action="security.login_locked",
                    target=f"user:{user.pk}",
                    detail={"via": "api"},
                    request=request,
                )
                raise TooManyLoginAttempts()
            if not second_factor_valid(user, serializer.validated_data.get("code", "")):
                # The password was right; the token would stand for a full login, which
                # takes the second factor too.
                raise exceptions.ValidationError(
                    {"code": [_("Give a current code from your authenticator app.")]}
                )
            # As allauth does after a right code: the count starts again.
            ratelimit.clear(http_request, action="login_failed", key=f"mfa-auth-user-{user.pk}")
        token, created = Token.objects.get_or_create(user=user)
        if not created and token_expired(token):
            # The old token is refused now (ExpiringTokenAuthentication): a new key replaces it.
            token.delete()
            token, created = Token.objects.create(user=user), True
        audit_record(
            action="security.api_token_issued",
            actor=user,
            target=f"user:{user.pk}",
            detail={"created": created},
            request=request,
        )
        return Response({"token": token.key})

    @extend_schema(summary="Revoke the caller's API token", request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        Token.objects.filter(user=current_user(request)).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- me -----------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer[Network]):
    network = serializers.CharField(source="slug", read_only=True)
    role = serializers.ChoiceField(source="my_role", choices=Role.choices, read_only=True)

    class Meta:
        model = Network
        fields = ["network", "name", "role"]
        read_only_fields = fields


class LanguageCodesField(serializers.ListField):
    """Languages as a list of codes ("en", "so", "ase"), resolved in one query."""

    child = serializers.CharField(max_length=16)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[Language]:
        codes = list(dict.fromkeys(super().to_internal_value(data)))
        found = {language.code: language for language in Language.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return [found[code] for code in codes]

    def to_representation(self, data: Any) -> list[str]:
        return [language.code for language in data.all()]


class MeSerializer(serializers.ModelSerializer[User]):
    languages = LanguageCodesField(required=False)
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "email",
            "display_name",
            "languages",
            "strengths",
            "accessibility_needs",
            "contact_preference",
            "phone",
            "memberships",
        ]
        read_only_fields = ["email", "memberships"]

    @extend_schema_field(MembershipSerializer(many=True))
    def get_memberships(self, user: User) -> list[dict[str, Any]]:
        return list(MembershipSerializer(networks_with_role(user=user), many=True).data)


class MeView(APIView):
    """The caller's own profile, and the networks they belong to with their role in each."""

    def get_authenticate_header(self, request: Request) -> str:
        return authenticate_header(self, request)

    @extend_schema(summary="The caller's profile", responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(current_user(request)).data)

    @extend_schema(
        summary="Change the caller's profile", request=MeSerializer, responses=MeSerializer
    )
    def patch(self, request: Request) -> Response:
        user = current_user(request)
        serializer = MeSerializer(user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # A PATCH changes what it names; the service takes the whole profile.
        profile_update(
            user=user,
            display_name=data.get("display_name", user.display_name),
            languages=data["languages"] if "languages" in data else list(user.languages.all()),
            strengths=data.get("strengths", user.strengths),
            accessibility_needs=data.get("accessibility_needs", user.accessibility_needs),
            contact_preference=data.get("contact_preference", user.contact_preference),
            phone=data.get("phone", user.phone),
        )
        return Response(MeSerializer(user).data)
