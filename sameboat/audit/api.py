"""The audit log in the API: a network's admins read it, newest first; to anyone else in the
network it does not exist (404), like the page."""

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat import policy
from sameboat.audit.actions import action_label
from sameboat.audit.models import AuditEvent
from sameboat.audit.selectors import AuditFilters, day_range, events_of
from sameboat.audit.services import ACTION_RE, audit_record
from sameboat.networks.api import NetworkScopedViewSet


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    action_label = serializers.SerializerMethodField(help_text="The action, in words.")
    actor = serializers.IntegerField(
        source="actor_ref",
        read_only=True,
        allow_null=True,
        help_text="The acting account's number (kept after the account is gone); null for "
        "Sameboat itself.",
    )
    detail = serializers.DictField(
        read_only=True, help_text="More ids and codes; never personal data."
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "action",
            "action_label",
            "target",
            "detail",
            "ip",
            "request_id",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_action_label(self, event: AuditEvent) -> str:
        return action_label(event.action)


class AuditQuerySerializer(serializers.Serializer[dict[str, Any]]):
    action = serializers.RegexField(ACTION_RE, max_length=64, required=False)
    actor = serializers.IntegerField(min_value=1, max_value=2**62, required=False)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        since, until = attrs.get("since"), attrs.get("until")
        if since and until and until < since:
            raise serializers.ValidationError(
                {"until": _("The end date comes before the start date.")}
            )
        return attrs


class AuditEventViewSet(NetworkScopedViewSet):
    serializer_class = AuditEventSerializer
    queryset = AuditEvent.objects.none()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not policy.can_read_audit_log(self.member):
            raise exceptions.NotFound

    @extend_schema(
        summary="The network's audit log, newest first (its admins only)",
        parameters=[
            OpenApiParameter("action", str, description="Only this action code."),
            OpenApiParameter("actor", int, description="Only this account's actions."),
            OpenApiParameter("since", datetime.date, description="From this day on."),
            OpenApiParameter("until", datetime.date, description="Up to this day, included."),
        ],
    )
    def list(self, request: Request, network_slug: str) -> Response:
        query = AuditQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        since, before = day_range(data.get("since"), data.get("until"))
        filters = AuditFilters(
            action=data.get("action", ""),
            actor_ref=data.get("actor"),
            since=since,
            before=before,
        )
        response = self.paginated(events_of(network=self.network, filters=filters))
        audit_record(
            action="audit.view",
            network=self.network,
            actor=self.member.user,
            request=request._request,
            detail={"api": True, "action": filters.action, "actor": filters.actor_ref},
        )
        return response
