"""The REST API for referrals and partnerships, under /api/v1/networks/{network_slug}/.

The same policy as the pages: a referral is seen (and followed up) by the member referred,
whoever referred them and the coordinators; to anyone else it is 404. A member refers
themselves; facilitators and coordinators refer any active member. Partnerships: every
member lists them, without the contact person's details or the notes, which only
coordinators see; coordinators alone add and change them.
"""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat import policy
from sameboat.audit.services import audit_view
from sameboat.directory import referral_selectors as selectors
from sameboat.directory import referrals as services
from sameboat.directory.models import (
    Organization,
    Partnership,
    Referral,
    ReferralEvent,
    ReferralReason,
    ReferralStatus,
    Service,
)
from sameboat.networks.api import (
    MemberRefSerializer,
    NetworkScopedViewSet,
    ScopedPrimaryKeyField,
    named_choice_field,
)
from sameboat.networks.models import Member, Network

ReferralStatusField = named_choice_field("ReferralStatus", ReferralStatus)
ReferralReasonField = named_choice_field(
    "ReferralReason", ReferralReason, "Why the member did not get help.", blank=True
)


class ReferralEventSerializer(serializers.ModelSerializer[ReferralEvent]):
    status = ReferralStatusField(choices=ReferralStatus.choices, read_only=True)
    reason = ReferralReasonField(choices=ReferralReason.choices, read_only=True, allow_blank=True)
    by = MemberRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ReferralEvent
        fields = ["status", "reason", "reason_note", "by", "at"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    member = MemberRefSerializer(read_only=True)
    referred_by = MemberRefSerializer(read_only=True, allow_null=True)
    service_id = serializers.UUIDField(
        source="service.id",
        read_only=True,
        allow_null=True,
        help_text="The service's HSDS id; null once it left the directory.",
    )
    status = ReferralStatusField(choices=ReferralStatus.choices, read_only=True)
    reason = ReferralReasonField(choices=ReferralReason.choices, read_only=True, allow_blank=True)
    events = ReferralEventSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "member",
            "referred_by",
            "service_id",
            "service_name",
            "note",
            "status",
            "reason",
            "reason_note",
            "follow_up_on",
            "status_changed_at",
            "created_at",
            "events",
        ]
        read_only_fields = fields


def _members(network: Network, viewer: Member) -> QuerySet[Member]:
    return selectors.members_to_refer(network=network, viewer=viewer)


class UuidSlugField(serializers.SlugRelatedField[Any]):
    """A directory record by its HSDS id: a malformed id is a 400 like an unknown one."""

    def to_internal_value(self, data: Any) -> Any:
        try:
            UUID(str(data))
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)


class ServiceUuidField(UuidSlugField):
    """A service of the caller's network by its HSDS id; another network's is "not found"."""

    def get_queryset(self) -> QuerySet[Service]:
        network = self.context.get("network")
        if network is None:
            return Service.objects.none()
        return selectors.services_to_refer_to(network=network)


class ReferralCreateSerializer(serializers.Serializer[Any]):
    member = ScopedPrimaryKeyField(
        scope=_members,
        queryset=Member.objects.all(),
        required=False,
        help_text="Whom to refer (the caller if left out). Members refer only themselves.",
    )
    service_id = ServiceUuidField(
        slug_field="id",
        queryset=Service.objects.none(),
        help_text="The service's HSDS id, in this network's directory.",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.NOTE_MAX
    )
    follow_up_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReferralStatusSerializer(serializers.Serializer[Any]):
    status = ReferralStatusField(
        choices=[c for c in ReferralStatus.choices if c[0] != ReferralStatus.MADE]
    )
    reason = ReferralReasonField(
        choices=ReferralReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required with `did_not_get_help`, and only then.",
    )
    reason_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.REASON_NOTE_MAX
    )


class ReportRowSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="The service's name, or the reason.")
    count = serializers.IntegerField()


class ReferralReportSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField()
    went_nowhere = serializers.IntegerField(
        help_text="Did not get help, or still open with no news for `no_news_days` days."
    )
    no_news_days = serializers.IntegerField()
    by_service = ReportRowSerializer(many=True)
    by_reason = ReportRowSerializer(many=True)


@extend_schema_view(
    list=extend_schema(
        summary="The referrals the caller may see",
        description="Their own, those they made, and (coordinators) all of the network's.",
    ),
    retrieve=extend_schema(summary="One referral, with its history"),
    create=extend_schema(
        summary="Refer a member (or oneself) to a service",
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer},
    ),
)
class ReferralViewSet(NetworkScopedViewSet):
    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()
    lookup_value_converter = "int"

    def _referral(self, pk: int) -> Referral:
        referral = selectors.referral_get(network=self.network, pk=pk)
        if referral is None or not policy.can_see_referral(self.member, referral):
            raise exceptions.NotFound
        return referral

    def _render(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(ReferralSerializer(self._referral(pk)).data, status=code)

    def list(self, request: Request, network_slug: str) -> Response:
        response = self.paginated(
            selectors.referrals_visible(network=self.network, viewer=self.member).prefetch_related(
                "events__by__user"
            )
        )
        results = response.data.get("results", []) if isinstance(response.data, dict) else []
        if any((row.get("member") or {}).get("id") != self.member.pk for row in results):
            # Other members' referrals say something of their needs: reading them is audited.
            audit_view(
                request=request,
                network=self.network,
                target=f"network:{self.network.pk}",
                what="referrals",
            )
        return response

    def retrieve(self, request: Request, network_slug: str, pk: int) -> Response:
        referral = self._referral(pk)
        if referral.member_id != self.member.pk:
            audit_view(
                request=request,
                network=self.network,
                target=f"referral:{referral.pk}",
                what="referral",
            )
        return Response(ReferralSerializer(referral).data)

    def create(self, request: Request, network_slug: str) -> Response:
        data = self.parse(ReferralCreateSerializer, data=request.data)
        referral = services.referral_create(
            network=self.network,
            by=self.member,
            member=data.get("member") or self.member,
            service=data["service_id"],
            note=data["note"],
            follow_up_on=data["follow_up_on"],
        )
        return self._render(referral.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Follow up: how it went (the member, the referrer, a coordinator)",
        request=ReferralStatusSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def set_status(self, request: Request, network_slug: str, pk: int) -> Response:
        referral = self._referral(pk)
        if not policy.can_update_referral(self.member, referral):
            raise exceptions.PermissionDenied
        data = self.parse(ReferralStatusSerializer, data=request.data)
        services.referral_status_set(referral=referral, by=self.member, **data)
        return self._render(referral.pk)

    @extend_schema(
        summary="Referrals that went nowhere, by service and by reason (coordinators)",
        responses=ReferralReportSerializer,
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="report",
        url_name="report",
        serializer_class=ReferralReportSerializer,
        pagination_class=None,
    )
    def report(self, request: Request, network_slug: str) -> Response:
        if not policy.can_see_referral_report(self.member):
            raise exceptions.NotFound
        report = selectors.referral_report(network=self.network)
        return Response(ReferralReportSerializer(report).data)


# --- partnerships ---------------------------------------------------------------------------


class PartnershipSerializer(serializers.ModelSerializer[Partnership]):
    """A partnership as a member sees it: the contact details and notes are left out (null)
    unless the caller coordinates."""

    organization_id = serializers.UUIDField(
        source="organization.id",
        read_only=True,
        allow_null=True,
        help_text="The organisation's HSDS id; null once it left the directory.",
    )
    contact_name = serializers.SerializerMethodField()
    contact_email = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()

    class Meta:
        model = Partnership
        fields = [
            "id",
            "organization_id",
            "organization_name",
            "starts_on",
            "ends_on",
            "network_brings",
            "partner_brings",
            "contact_name",
            "contact_email",
            "contact_phone",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _private(self, partnership: Partnership, name: str) -> str | None:
        if policy.can_see_partnership_contacts(self.context.get("viewer")):
            return str(getattr(partnership, name))
        return None

    def get_contact_name(self, partnership: Partnership) -> str | None:
        return self._private(partnership, "contact_name")

    def get_contact_email(self, partnership: Partnership) -> str | None:
        return self._private(partnership, "contact_email")

    def get_contact_phone(self, partnership: Partnership) -> str | None:
        return self._private(partnership, "contact_phone")

    def get_notes(self, partnership: Partnership) -> str | None:
        return self._private(partnership, "notes")


class OrganizationUuidField(UuidSlugField):
    def get_queryset(self) -> QuerySet[Organization]:
        network = self.context.get("network")
        if network is None:
            return Organization.objects.none()
        return selectors.organizations_to_partner_with(network=network)


class PartnershipWriteSerializer(serializers.Serializer[Any]):
    organization_id = OrganizationUuidField(
        slug_field="id",
        queryset=Organization.objects.none(),
        source="organization",
        help_text="The organisation's HSDS id, in this network's directory.",
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    contact_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=50
    )
    network_brings = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.TEXT_MAX
    )
    partner_brings = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.TEXT_MAX
    )
    notes = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.TEXT_MAX
    )


@extend_schema_view(
    list=extend_schema(summary="The network's partnerships (contacts for coordinators only)"),
    retrieve=extend_schema(summary="One partnership"),
    create=extend_schema(
        summary="Add a partnership (coordinators)",
        request=PartnershipWriteSerializer,
        responses={201: PartnershipSerializer},
    ),
    update=extend_schema(
        summary="Replace a partnership's details (coordinators)",
        request=PartnershipWriteSerializer,
        responses={200: PartnershipSerializer},
    ),
)
class PartnershipViewSet(NetworkScopedViewSet):
    serializer_class = PartnershipSerializer
    queryset = Partnership.objects.none()
    lookup_value_converter = "int"

    def _partnership(self, pk: int) -> Partnership:
        partnership = selectors.partnership_get(network=self.network, pk=pk)
        if partnership is None or not policy.can_see_partnerships(self.member):
            raise exceptions.NotFound
        return partnership

    def _manages(self) -> None:
        if not policy.can_manage_partnerships(self.member):
            raise exceptions.PermissionDenied

    def _render(self, partnership: Partnership, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            PartnershipSerializer(partnership, context=self.get_serializer_context()).data,
            status=code,
        )

    def list(self, request: Request, network_slug: str) -> Response:
        if not policy.can_see_partnerships(self.member):
            raise exceptions.NotFound
        return self.paginated(
            selectors.partnerships_of(network=self.network).select_related("organization")
        )

    def retrieve(self, request: Request, network_slug: str, pk: int) -> Response:
        return self._render(self._partnership(pk))

    def create(self, request: Request, network_slug: str) -> Response:
        self._manages()
        data = self.parse(PartnershipWriteSerializer, data=request.data)
        partnership = services.partnership_create(
            network=self.network, by=self.member, fields=services.PartnershipFields(**data)
        )
        return self._render(partnership, status.HTTP_201_CREATED)

    def update(self, request: Request, network_slug: str, pk: int) -> Response:
        partnership = self._partnership(pk)
        self._manages()
        data = self.parse(PartnershipWriteSerializer, data=request.data)
        services.partnership_update(
            partnership=partnership, by=self.member, fields=services.PartnershipFields(**data)
        )
        return self._render(partnership)
