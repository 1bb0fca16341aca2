"""What every API endpoint shares: errors as 400s with field messages, never a 500."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import Direction
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn the services' Django ValidationError into DRF's 400 with field errors."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail: Any = {
                field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": [str(message) for message in exc.messages]}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    return drf_exception_handler(exc, context)


# --- the schema -----------------------------------------------------------------------------

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "description": "Why the request was refused.",
}
# DRF's validation errors: field name (or `non_field_errors`) to messages, nested as the input
# was (a list's items by index, a nested object's fields by name).
VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {"type": "object", "additionalProperties": True},
        {"type": "array", "items": {"type": "string"}},
    ],
    "description": "What is wrong with the input, by field.",
}
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, with the errors every endpoint can answer written down.

    The views raise DRF's exceptions and the services Django's ValidationError (made a 400 by
    `exception_handler` above), so the same error shapes hold everywhere: 400 with messages
    by field for bad input, 401 without valid credentials, 403 for what the caller's role may
    not do, 404 for anything the caller may not know exists (or that does not), 415 for a
    body in a media type the endpoint does not read, 429 when a throttle holds the caller.
    """

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {
            "401": _("Not authenticated: no credentials, or wrong ones."),
            "403": _("The caller's role does not allow this."),
        }
        if "{" in self.path or self._get_paginator() is not None:
            errors["404"] = _("Not found, or not the caller's to know of.")
        has_query = bool(self._get_filter_parameters()) or self._get_paginator() is not None
        if self.method in UNSAFE_METHODS or has_query or self.get_override_parameters():
            errors["400"] = _("The input was not valid.")
        if self.method in ("POST", "PUT", "PATCH"):
            errors["415"] = _("The body is in a media type this endpoint does not read.")
        if getattr(self.view, "throttle_classes", None):
            errors["429"] = _("Too many requests: wait and try again.")
        for code, description in errors.items():
            if code in responses:
                continue
            schema = VALIDATION_ERROR_SCHEMA if code == "400" else ERROR_SCHEMA
            name = "ValidationError" if code == "400" else "Error"
            component = ResolvedComponent(
                name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
            )
            self.registry.register_on_missing(component)
            responses[code] = {
                "description": str(description),
                "content": {"application/json": {"schema": component.ref}},
            }
        return responses
