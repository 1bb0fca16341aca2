"""API tokens that expire: a token leaked in a script or a log stops working on its own."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_expired(token: Token) -> bool:
    """Issued more than settings.API_TOKEN_MAX_AGE_DAYS days ago."""
    max_age = timedelta(days=settings.API_TOKEN_MAX_AGE_DAYS)
    return token.created <= timezone.now() - max_age


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than API_TOKEN_MAX_AGE_DAYS with
    401; the token endpoint gives a new one for the email and password."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(_("This token has expired: ask for a new one."))
        return user, token
