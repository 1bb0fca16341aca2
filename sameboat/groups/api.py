"""The REST API for groups, under /api/v1/networks/{network_slug}/groups/. The same policy as
the pages: a confidential group is 404 to anyone in the network who is neither in it nor a
coordinator, and a coordinator who is not in it sees its name and member count only."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat import policy
from sameboat.groups import selectors, services
from sameboat.groups.models import (
    AgendaItem,
    Attendance,
    Group,
    GroupMember,
    GroupMemberStatus,
    GroupRole,
    GroupType,
    Joining,
    Meeting,
    MeetingRole,
    ProcessList,
    Recurrence,
    RoleAssignment,
    Stage,
    StageModel,
    StageRecord,
)
from sameboat.networks.api import MemberRefSerializer, NetworkScopedViewSet, named_choice_field

GroupTypeField = named_choice_field("GroupType", GroupType)
JoiningField = named_choice_field("GroupJoining", Joining)
StageModelField = named_choice_field("StageModel", StageModel)
ProcessListField = named_choice_field("ProcessList", ProcessList)
StageField = named_choice_field("GroupStage", Stage)
GroupRoleField = named_choice_field("GroupRole", GroupRole)
GroupMemberStatusField = named_choice_field("GroupMemberStatus", GroupMemberStatus)

# What a coordinator outside a confidential group may know of it; the rest reads as null.
SUMMARY_FIELDS = ("id", "name", "confidential", "member_count")


class GroupSerializer(serializers.ModelSerializer[Group]):
    """A group. For a confidential group the caller is not in (a coordinator's view), only
    `id`, `name`, `confidential` and `member_count` are given; every other field is null."""

    type = GroupTypeField(choices=GroupType.choices, allow_null=True)
    joining = JoiningField(choices=Joining.choices, default=Joining.REQUEST, allow_null=True)
    stage_model = StageModelField(
        choices=StageModel.choices, default=StageModel.BOSTON, allow_null=True
    )
    process_list = ProcessListField(
        choices=ProcessList.choices, default=ProcessList.SHULMAN, allow_null=True
    )
    purpose = serializers.CharField(allow_blank=True, allow_null=True, default="")
    confidential = serializers.BooleanField(default=False)
    member_count = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Group
        fields = [
            "id",
            "name",
            "purpose",
            "type",
            "confidential",
            "joining",
            "stage_model",
            "process_list",
            "member_count",
            "created_at",
        ]
        read_only_fields = ["id", "member_count", "created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for key in ("type", "joining", "stage_model", "process_list", "purpose"):
            if key in attrs and attrs[key] is None:
                raise serializers.ValidationError({key: "This field may not be null."})
        return attrs

    def to_representation(self, instance: Group) -> dict[str, Any]:
        data = dict(super().to_representation(instance))
        inside = self.context.get("inside", {})
        if not inside.get(instance.pk, False):
            data = {key: (data[key] if key in SUMMARY_FIELDS else None) for key in data}
        return data


class GroupMemberSerializer(serializers.ModelSerializer[GroupMember]):
    member = MemberRefSerializer(read_only=True)
    role = GroupRoleField(choices=GroupRole.choices, read_only=True)
    status = GroupMemberStatusField(choices=GroupMemberStatus.choices, read_only=True)

    class Meta:
        model = GroupMember
        fields = ["id", "member", "role", "status", "joined_at"]
        read_only_fields = fields


class StageRecordSerializer(serializers.ModelSerializer[StageRecord]):
    model = StageModelField(choices=StageModel.choices, read_only=True)
    stage = StageField(choices=Stage.choices)
    recorded_by = MemberRefSerializer(read_only=True, allow_null=True)
    note = serializers.CharField(allow_blank=True, default="")

    class Meta:
        model = StageRecord
        fields = ["id", "model", "stage", "note", "recorded_at", "recorded_by"]
        read_only_fields = ["id", "model", "recorded_at", "recorded_by"]


@extend_schema_view(
    list=extend_schema(summary="Groups the caller may know of"),
    create=extend_schema(summary="Start a group (facilitators, coordinators, admins)"),
    retrieve=extend_schema(summary="One group"),
)
class GroupViewSet(NetworkScopedViewSet):
    serializer_class = GroupSerializer
    queryset = Group.objects.none()
    lookup_value_converter = "int"

    def _found(self, pk: int) -> tuple[Group, GroupMember | None]:
        group = selectors.group_get(network=self.network, pk=pk)
        if group is None:
            raise exceptions.NotFound
        membership = selectors.membership_of(group=group, member=self.member)
        if not policy.can_see_group(self.member, group, membership):
            raise exceptions.NotFound
        return group, membership

    def _inside(self, group: Group, membership: GroupMember | None) -> Group:
        if not policy.can_see_group_inside(self.member, group, membership):
            raise exceptions.PermissionDenied
        return group

    def _one(self, group: Group, membership: GroupMember | None) -> dict[str, Any]:
        inside = {group.pk: policy.can_see_group_inside(self.member, group, membership)}
        context = {**self.get_serializer_context(), "inside": inside}
        return dict(GroupSerializer(group, context=context).data)

    def list(self, request: Request, network_slug: str) -> Response:
        groups: QuerySet[Group] = selectors.groups_visible(network=self.network, viewer=self.member)
        page = self.paginate_queryset(groups) or []
        mine = selectors.memberships_of_viewer(network=self.network, viewer=self.member)
        inside = {
            group.pk: policy.can_see_group_inside(self.member, group, mine.get(group.pk))
            for group in page
        }
        context = {**self.get_serializer_context(), "inside": inside}
        return self.get_paginated_response(GroupSerializer(page, many=True, context=context).data)

    def create(self, request: Request, network_slug: str) -> Response:
        if not policy.can_create_group(self.member):
            raise exceptions.PermissionDenied
        data = self.parse(GroupSerializer, data=request.data)
        group = services.group_create(network=self.network, by=self.member, fields=data)
        fresh, membership = self._found(group.pk)
        return Response(self._one(fresh, membership), status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, network_slug: str, pk: int) -> Response:
        group, membership = self._found(pk)
        return Response(self._one(group, membership))

    @extend_schema(
        summary="The group's active members (those who may see inside the group)",
        responses=GroupMemberSerializer(many=True),
    )
    @action(detail=True, methods=["get"], serializer_class=GroupMemberSerializer)
    def members(self, request: Request, network_slug: str, pk: int) -> Response:
        group = self._inside(*self._found(pk))
        return self.paginated(selectors.group_members(group=group))

    @extend_schema(
        summary="Ask to join a group that takes requests",
        request=None,
        responses={201: GroupMemberSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=GroupMemberSerializer)
    def join(self, request: Request, network_slug: str, pk: int) -> Response:
        group, membership = self._found(pk)
        self._inside(group, membership)
        if not policy.can_request_to_join(self.member, group, membership):
            raise exceptions.PermissionDenied
        row = services.group_request_to_join(group=group, member=self.member)
        return Response(GroupMemberSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The group's stages over time",
        responses=StageRecordSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Record the group's stage (its facilitators)",
        request=StageRecordSerializer,
        responses={201: StageRecordSerializer},
    )
    @action(detail=True, methods=["get", "post"], serializer_class=StageRecordSerializer)
    def stages(self, request: Request, network_slug: str, pk: int) -> Response:
        group, membership = self._found(pk)
        self._inside(group, membership)
        if request.method == "GET":
            return self.paginated(selectors.group_stages(group=group))
        if not policy.can_manage_group(self.member, group, membership):
            raise exceptions.PermissionDenied
        data = self.parse(StageRecordSerializer, data=request.data)
        record = services.stage_record(
            group=group, by=self.member, stage=data["stage"], note=data.get("note", "")
        )
        return Response(StageRecordSerializer(record).data, status=status.HTTP_201_CREATED)


# --- meetings -------------------------------------------------------------------------------

RecurrenceField = named_choice_field("MeetingRecurrence", Recurrence)
MeetingRoleField = named_choice_field("MeetingRole", MeetingRole)
MEETING_ID = OpenApiParameter("meeting_id", int, OpenApiParameter.PATH)


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    recurrence = RecurrenceField(choices=Recurrence.choices, default=Recurrence.NONE)
    occurrences = serializers.IntegerField(default=1, write_only=True)
    place = serializers.CharField(allow_blank=True, default="", max_length=200)
    link = serializers.URLField(allow_blank=True, default="", max_length=500)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "series",
            "starts_at",
            "duration_minutes",
            "place",
            "link",
            "recurrence",
            "occurrences",
        ]
        read_only_fields = ["id", "series"]
        extra_kwargs = {"duration_minutes": {"min_value": None}}


class AgendaItemSerializer(serializers.ModelSerializer[AgendaItem]):
    proposed_by = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = ["id", "title", "proposed_by", "created_at"]
        read_only_fields = ["id", "proposed_by", "created_at"]

    def get_proposed_by(self, item: AgendaItem) -> int | None:
        """The proposer's group-membership id."""
        return item.proposed_by_id


class RoleAssignmentSerializer(serializers.ModelSerializer[RoleAssignment]):
    role = MeetingRoleField(choices=MeetingRole.choices, read_only=True)

    class Meta:
        model = RoleAssignment
        fields = ["role", "member"]
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    class Meta:
        model = Attendance
        fields = ["member", "present"]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    agenda = AgendaItemSerializer(many=True, read_only=True)
    roles = RoleAssignmentSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "agenda", "roles", "attendance"]


class RoleSwapSerializer(serializers.Serializer[Any]):
    role_a = MeetingRoleField(choices=MeetingRole.choices)
    role_b = MeetingRoleField(choices=MeetingRole.choices)


class MeetingActions:
    """The meeting endpoints of `GroupViewSet`, under /groups/{id}/meetings/."""

    network: Any
    member: Any

    def _meetings_inside(self, pk: int) -> tuple[Group, GroupMember | None]:
        group, membership = self._found(pk)  # type: ignore[attr-defined]
        if not policy.can_see_meetings(self.member, group, membership):
            raise exceptions.PermissionDenied
        return group, membership

    def _the_meeting(self, group: Group, meeting_id: str | int) -> Meeting:
        meeting = selectors.meeting_get(group=group, pk=int(meeting_id))
        if meeting is None:
            raise exceptions.NotFound
        return meeting

    def _manages(self, group: Group, membership: GroupMember | None) -> None:
        if not policy.can_manage_meetings(self.member, group, membership):
            raise exceptions.PermissionDenied

    def _detail(self, meeting: Meeting) -> dict[str, Any]:
        fresh = selectors.meeting_get(group=meeting.group, pk=meeting.pk)
        return dict(MeetingDetailSerializer(fresh).data)


class GroupMeetingViewSet(GroupViewSet, MeetingActions):
    @extend_schema(
        methods=["GET"], summary="The group's meetings", responses=MeetingSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"],
        summary="Plan a meeting or a series (the group's facilitators)",
        request=MeetingSerializer,
        responses={201: MeetingSerializer(many=True)},
    )
    @action(detail=True, methods=["get", "post"], serializer_class=MeetingSerializer)
    def meetings(self, request: Request, network_slug: str, pk: int) -> Response:
        group, membership = self._meetings_inside(pk)
        if request.method == "GET":
            return self.paginated(selectors.meetings_of(group=group))
        self._manages(group, membership)
        data = self.parse(MeetingSerializer, data=request.data)
        rows = services.meeting_create(group=group, by=self.member, **data)
        return Response(MeetingSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="One meeting with its agenda, roles and attendance",
        parameters=[MEETING_ID],
        responses=MeetingDetailSerializer,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="meetings/<int:meeting_id>",
        url_name="meeting",
        serializer_class=MeetingDetailSerializer,
    )
    def meeting(self, request: Request, network_slug: str, pk: int, meeting_id: str) -> Response:
        group, _membership = self._meetings_inside(pk)
        return Response(MeetingDetailSerializer(self._the_meeting(group, meeting_id)).data)

    @extend_schema(
        summary="Propose an agenda item (any active member of the group)",
        parameters=[MEETING_ID],
        request=AgendaItemSerializer,
        responses={201: AgendaItemSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="meetings/<int:meeting_id>/agenda",
        url_name="meeting-agenda",
        serializer_class=AgendaItemSerializer,
    )
    def meeting_agenda(
        self, request: Request, network_slug: str, pk: int, meeting_id: str
    ) -> Response:
        group, membership = self._meetings_inside(pk)
        meeting = self._the_meeting(group, meeting_id)
        if membership is None or not policy.can_propose_agenda_item(self.member, group, membership):
            raise exceptions.PermissionDenied
        data = self.parse(AgendaItemSerializer, data=request.data)
        item = services.agenda_item_propose(meeting=meeting, by=membership, title=data["title"])
        return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Assign the meeting's roles by rotation (the group's facilitators)",
        parameters=[MEETING_ID],
        request=None,
        responses={200: MeetingDetailSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="meetings/<int:meeting_id>/roles/assign",
        url_name="meeting-roles-assign",
        serializer_class=MeetingDetailSerializer,
    )
    def meeting_roles_assign(
        self, request: Request, network_slug: str, pk: int, meeting_id: str
    ) -> Response:
        group, membership = self._meetings_inside(pk)
        meeting = self._the_meeting(group, meeting_id)
        self._manages(group, membership)
        services.meeting_roles_assign(meeting=meeting, by=self.member)
        return Response(self._detail(meeting))

    @extend_schema(
        summary="Swap the holders of two roles (those holders, or a facilitator)",
        parameters=[MEETING_ID],
        request=RoleSwapSerializer,
        responses={200: MeetingDetailSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="meetings/<int:meeting_id>/roles/swap",
        url_name="meeting-roles-swap",
        serializer_class=RoleSwapSerializer,
    )
    def meeting_roles_swap(
        self, request: Request, network_slug: str, pk: int, meeting_id: str
    ) -> Response:
        group, membership = self._meetings_inside(pk)
        meeting = self._the_meeting(group, meeting_id)
        data = self.parse(RoleSwapSerializer, data=request.data)
        held = {row.role: row.member_id for row in meeting.roles.all()}
        holders = (held.get(data["role_a"]), held.get(data["role_b"]))
        if not policy.can_swap_roles(self.member, group, membership, holders):
            raise exceptions.PermissionDenied
        services.meeting_roles_swap(
            meeting=meeting, by=self.member, role_a=data["role_a"], role_b=data["role_b"]
        )
        return Response(self._detail(meeting))
