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
from sameboat.audit.services import audit_view
from sameboat.groups import selectors, services
from sameboat.groups.models import (
    CHECK_IN_WORDS_MAX,
    MAX_CONTRIBUTIONS,
    AgendaItem,
    Attendance,
    Group,
    GroupMember,
    GroupMemberStatus,
    GroupRole,
    GroupType,
    Joining,
    Meeting,
    MeetingCheckIn,
    MeetingRole,
    MutualAidProcess,
    ProcessList,
    Recurrence,
    RoleAssignment,
    SessionRecord,
    Stage,
    StageModel,
    StageRecord,
    Wellbeing,
)
from sameboat.networks.api import MemberRefSerializer, NetworkScopedViewSet, named_choice_field
from sameboat.networks.models import Network
from sameboat.privacy.services import not_to_be_named_in_notes

GroupTypeField = named_choice_field("GroupType", GroupType)
JoiningField = named_choice_field("GroupJoining", Joining)
StageModelField = named_choice_field("StageModel", StageModel)
ProcessListField = named_choice_field("ProcessList", ProcessList)
StageField = named_choice_field("GroupStage", Stage)
GroupRoleField = named_choice_field("GroupRole", GroupRole)
GroupMemberStatusField = named_choice_field("GroupMemberStatus", GroupMemberStatus)


def refusal_inside(group: Group) -> exceptions.APIException:
    """What someone who may know a group exists, but not see inside it, is told: for an open
    group a plain 403; for a confidential one 404, as for everything inside a group one is not
    in, so no id inside it (meeting, record, goal) is confirmed to exist (issue 6)."""
    if group.confidential:
        return exceptions.NotFound()
    return exceptions.PermissionDenied()


def _audit(request: Request, network: Network, group: Group, what: str, **ids: int) -> None:
    """Record, in the audit log, that the caller read something confidential of the group."""
    audit_view(request=request, network=network, target=f"group:{group.pk}", what=what, **ids)


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
            raise refusal_inside(group)
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
        if group.confidential and policy.can_see_group_inside(self.member, group, membership):
            _audit(request, self.network, group, "group")
        return Response(self._one(group, membership))

    @extend_schema(
        summary="The group's active members (those who may see inside the group)",
        responses=GroupMemberSerializer(many=True),
    )
    @action(detail=True, methods=["get"], serializer_class=GroupMemberSerializer)
    def members(self, request: Request, network_slug: str, pk: int) -> Response:
        group = self._inside(*self._found(pk))
        if group.confidential:
            _audit(request, self.network, group, "members")
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
            if group.confidential:
                _audit(request, self.network, group, "stages")
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
            raise refusal_inside(group)
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
            if group.confidential:
                _audit(request, self.network, group, "meetings")
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
        meeting = self._the_meeting(group, meeting_id)
        if group.confidential:
            _audit(request, self.network, group, "meeting", meeting=meeting.pk)
        return Response(MeetingDetailSerializer(meeting).data)

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


# --- session records, check-ins and participation equity ------------------------------------

MutualAidProcessField = named_choice_field(
    "MutualAidProcess",
    MutualAidProcess,
    "A practice tool for noticing mutual aid, not a validated measure. A group records the "
    "processes of its own list (Steinberg's nine leave out `universal_perspective`).",
)
WellbeingField = named_choice_field("Wellbeing", Wellbeing)


class ParticipationSerializer(serializers.Serializer[Any]):
    """One member present, counted coarsely: never what they said."""

    member = serializers.IntegerField(help_text="The member's group-membership id.")
    contributions = serializers.IntegerField(
        min_value=0,
        max_value=MAX_CONTRIBUTIONS,
        help_text=f"Times they took part, 0 to {MAX_CONTRIBUTIONS} ({MAX_CONTRIBUTIONS} or more).",
    )
    led = serializers.BooleanField(
        default=False,
        help_text="Led an agenda item or part of the meeting (a meeting role counts anyway).",
    )


class SessionRecordSerializer(serializers.Serializer[SessionRecord]):
    """A meeting's session record. `participation` is given only to the meeting's note-taker
    and the group's facilitators; to other members of the group it is null."""

    meeting = serializers.IntegerField(source="meeting_id", read_only=True)
    notes = serializers.CharField(allow_blank=True, default="", max_length=10_000)
    processes = serializers.ListField(
        child=MutualAidProcessField(choices=MutualAidProcess.choices), default=list
    )
    stage = StageField(
        choices=Stage.choices,
        allow_null=True,
        default=None,
        source="stage_record.stage",
        help_text="A stage of the group's own model, or null; it joins the group's stages.",
    )
    participation = ParticipationSerializer(
        many=True,
        required=False,
        allow_null=True,
        help_text="On writing, omit it to leave the counts as they are; members recorded as "
        "present only. On reading, null unless you may see the counts.",
    )
    recorded_by = MemberRefSerializer(read_only=True, allow_null=True)
    recorded_at = serializers.DateTimeField(read_only=True)
    updated_by = MemberRefSerializer(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True)
    not_to_be_named = MemberRefSerializer(
        many=True,
        read_only=True,
        help_text="For whoever may write the record: the group's members who have not agreed "
        "that the notes say anything about them. Empty for other readers.",
    )

    def to_representation(self, instance: SessionRecord) -> dict[str, Any]:
        counts = self.context.get("participation")
        not_named: list[GroupMember] = self.context.get("not_to_be_named", [])
        data = {
            "meeting": instance.meeting_id,
            "notes": instance.notes,
            "processes": list(instance.processes),
            "stage": instance.stage_record.stage if instance.stage_record else None,
            "participation": (
                [
                    {"member": row.member_id, "contributions": row.contributions, "led": row.led}
                    for row in counts.values()
                ]
                if counts is not None
                else None
            ),
            "recorded_by": (
                MemberRefSerializer(instance.recorded_by).data if instance.recorded_by else None
            ),
            "recorded_at": serializers.DateTimeField().to_representation(instance.recorded_at),
            "updated_by": (
                MemberRefSerializer(instance.updated_by).data if instance.updated_by else None
            ),
            "updated_at": serializers.DateTimeField().to_representation(instance.updated_at),
            "not_to_be_named": [MemberRefSerializer(row.member).data for row in not_named],
        }
        return data


class CheckInSerializer(serializers.ModelSerializer[MeetingCheckIn]):
    """A member's own check-in: seen by that member and the group's facilitators only."""

    wellbeing = WellbeingField(choices=Wellbeing.choices)
    words = serializers.CharField(allow_blank=True, default="", max_length=CHECK_IN_WORDS_MAX)
    member = serializers.IntegerField(source="member_id", read_only=True)

    class Meta:
        model = MeetingCheckIn
        fields = ["member", "wellbeing", "words", "updated_at"]
        read_only_fields = ["member", "updated_at"]


class MeetingEquitySerializer(serializers.Serializer[Any]):
    meeting = serializers.IntegerField(source="meeting.pk")
    starts_at = serializers.DateTimeField(source="meeting.starts_at")
    members = serializers.IntegerField(source="figures.members")
    present = serializers.IntegerField(source="figures.present")
    attendance_rate = serializers.FloatField(source="figures.attendance_rate", allow_null=True)
    participation_gini = serializers.FloatField(
        source="figures.participation_gini", allow_null=True
    )
    leadership_gini = serializers.FloatField(source="figures.leadership_gini", allow_null=True)
    cumulative_participation_gini = serializers.FloatField(
        source="figures.cumulative_participation_gini", allow_null=True
    )
    cumulative_leadership_gini = serializers.FloatField(
        source="figures.cumulative_leadership_gini", allow_null=True
    )


class MemberEquitySerializer(serializers.Serializer[Any]):
    membership = serializers.IntegerField(source="member.pk", help_text="Group-membership id.")
    member = MemberRefSerializer(source="member.member")
    meetings = serializers.IntegerField(source="totals.meetings")
    present = serializers.IntegerField(source="totals.present")
    attendance_rate = serializers.FloatField(source="totals.attendance_rate", allow_null=True)
    contributions = serializers.IntegerField(source="totals.contributions")
    led = serializers.IntegerField(source="totals.led")


class EquitySummarySerializer(serializers.Serializer[Any]):
    gini = serializers.FloatField()
    mean = serializers.FloatField()
    never = serializers.ListField(child=serializers.IntegerField(), help_text="Membership ids.")
    rarely = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Membership ids of members who took part, but less than half the mean.",
    )


class GroupEquitySerializer(serializers.Serializer[Any]):
    """Participation equity over the group's meetings with a session record, oldest first."""

    meetings = MeetingEquitySerializer(many=True)
    members = MemberEquitySerializer(many=True)
    participation = EquitySummarySerializer(allow_null=True)
    leadership = EquitySummarySerializer(allow_null=True)


class GroupSessionViewSet(NetworkScopedViewSet):
    """Session records, check-ins and participation equity, under /groups/{id}/. The same
    policy as the pages: the group's members read records; the meeting's note-taker and the
    group's facilitators write them; equity and everyone's check-ins are for facilitators."""

    queryset = Group.objects.none()
    serializer_class = SessionRecordSerializer
    lookup_value_converter = "int"

    def _found(self, pk: int) -> tuple[Group, GroupMember | None]:
        group = selectors.group_get(network=self.network, pk=pk)
        if group is None:
            raise exceptions.NotFound
        membership = selectors.membership_of(group=group, member=self.member)
        if not policy.can_see_group(self.member, group, membership):
            raise exceptions.NotFound
        if not policy.can_see_meetings(self.member, group, membership):
            raise refusal_inside(group)
        return group, membership

    def _recorded(self, pk: int) -> tuple[Group, GroupMember | None]:
        group, membership = self._found(pk)
        if not policy.can_see_session_record(self.member, group, membership):
            raise exceptions.PermissionDenied
        return group, membership

    def _meeting(self, group: Group, meeting_id: str | int) -> Meeting:
        meeting = selectors.meeting_get(group=group, pk=int(meeting_id))
        if meeting is None:
            raise exceptions.NotFound
        return meeting

    def _note_takers(self, meeting: Meeting) -> tuple[int, ...]:
        return tuple(
            row.member_id for row in meeting.roles.all() if row.role == MeetingRole.NOTE_TAKER
        )

    def _record_data(
        self, group: Group, membership: GroupMember | None, meeting: Meeting
    ) -> dict[str, Any]:
        record = selectors.session_record_of(meeting=meeting)
        if record is None:
            raise exceptions.NotFound("This meeting has no session record yet.")
        counts = None
        note_takers = self._note_takers(meeting)
        if policy.can_see_participation(self.member, group, membership, note_takers):
            counts = selectors.participation_of(record=record)
        not_named: list[GroupMember] = []
        if policy.can_write_session_record(self.member, group, membership, note_takers):
            not_named = not_to_be_named_in_notes(members=selectors.group_members(group=group))
        context = {"participation": counts, "not_to_be_named": not_named}
        return dict(SessionRecordSerializer(record, context=context).data)

    @extend_schema(
        methods=["GET"],
        summary="A meeting's session record (the group's members)",
        parameters=[MEETING_ID],
        responses=SessionRecordSerializer,
    )
    @extend_schema(
        methods=["PUT"],
        summary="Write or edit a meeting's session record (its note-taker, the facilitators)",
        parameters=[MEETING_ID],
        request=SessionRecordSerializer,
        responses=SessionRecordSerializer,
    )
    @action(
        detail=True,
        methods=["get", "put"],
        url_path="meetings/<int:meeting_id>/record",
        url_name="record",
    )
    def record(self, request: Request, network_slug: str, pk: int, meeting_id: str) -> Response:
        group, membership = self._recorded(pk)
        meeting = self._meeting(group, meeting_id)
        if request.method == "GET":
            data = self._record_data(group, membership, meeting)
            # A session record is confidential in any group.
            _audit(request, self.network, group, "session_record", meeting=meeting.pk)
            return Response(data)
        if not policy.can_write_session_record(
            self.member, group, membership, self._note_takers(meeting)
        ):
            raise exceptions.PermissionDenied
        data = self.parse(SessionRecordSerializer, data=request.data)
        rows = data.get("participation")
        participation = None
        if rows is not None:
            members = [row["member"] for row in rows]
            if len(set(members)) != len(members):
                raise exceptions.ValidationError(
                    {"participation": ["Count each member only once."]}
                )
            participation = {
                row["member"]: services.Counts(row["contributions"], row["led"]) for row in rows
            }
        services.session_record_save(
            meeting=meeting,
            by=self.member,
            notes=data["notes"],
            processes=data["processes"],
            stage=(data.get("stage_record") or {}).get("stage") or "",
            participation=participation,
        )
        return Response(self._record_data(group, membership, meeting))

    @extend_schema(
        summary="The group's session records, the latest meeting first (the group's members)",
        responses=SessionRecordSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="records", url_name="records")
    def records(self, request: Request, network_slug: str, pk: int) -> Response:
        group, _membership = self._recorded(pk)
        _audit(request, self.network, group, "session_records")
        # Counts stay on each meeting's own record: the history never carries them (the
        # serializer gives them only when its context holds them).
        return self.paginated(selectors.session_records_of(group=group))

    @extend_schema(
        methods=["GET"],
        summary="Your own check-in for a meeting",
        parameters=[MEETING_ID],
        responses=CheckInSerializer,
    )
    @extend_schema(
        methods=["PUT"],
        summary="Add or change your own check-in (seen by you and the facilitators only)",
        parameters=[MEETING_ID],
        request=CheckInSerializer,
        responses=CheckInSerializer,
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Withdraw your own check-in",
        parameters=[MEETING_ID],
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["get", "put", "delete"],
        url_path="meetings/<int:meeting_id>/check-in",
        url_name="check-in",
        serializer_class=CheckInSerializer,
    )
    def check_in(self, request: Request, network_slug: str, pk: int, meeting_id: str) -> Response:
        group, membership = self._recorded(pk)
        meeting = self._meeting(group, meeting_id)
        if membership is None or not policy.can_check_in(self.member, group, membership):
            raise exceptions.PermissionDenied
        if request.method == "GET":
            mine = selectors.check_in_of(meeting=meeting, membership=membership)
            if mine is None:
                raise exceptions.NotFound("You have not checked in for this meeting.")
            return Response(CheckInSerializer(mine).data)
        if request.method == "DELETE":
            if not services.check_in_withdraw(meeting=meeting, by=membership):
                raise exceptions.NotFound("You have not checked in for this meeting.")
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = self.parse(CheckInSerializer, data=request.data)
        row = services.check_in_save(
            meeting=meeting, by=membership, wellbeing=data["wellbeing"], words=data["words"]
        )
        return Response(CheckInSerializer(row).data)

    @extend_schema(
        summary="Every member's check-in for a meeting (the group's facilitators)",
        parameters=[MEETING_ID],
        responses=CheckInSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="meetings/<int:meeting_id>/check-ins",
        url_name="check-ins",
        serializer_class=CheckInSerializer,
    )
    def check_ins(self, request: Request, network_slug: str, pk: int, meeting_id: str) -> Response:
        group, membership = self._recorded(pk)
        meeting = self._meeting(group, meeting_id)
        if not policy.can_see_check_ins(self.member, group, membership):
            raise exceptions.PermissionDenied
        _audit(request, self.network, group, "check_ins", meeting=meeting.pk)
        return self.paginated(selectors.check_ins_of(meeting=meeting))

    @extend_schema(
        summary="Participation equity over time (the group's facilitators)",
        responses=GroupEquitySerializer,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="equity",
        url_name="equity",
        serializer_class=GroupEquitySerializer,
    )
    def equity(self, request: Request, network_slug: str, pk: int) -> Response:
        group, membership = self._found(pk)
        if not policy.can_see_equity(self.member, group, membership):
            raise exceptions.PermissionDenied
        if group.confidential:
            _audit(request, self.network, group, "equity")
        return Response(GroupEquitySerializer(selectors.group_equity(group=group)).data)


# --- meeting-role availability and times away -----------------------------------------------

# Imported here so this section stays together.
from django.utils import timezone  # noqa: E402

from sameboat.groups.models import Unavailability  # noqa: E402

TIME_AWAY_ID = OpenApiParameter("time_away_id", int, OpenApiParameter.PATH)


class TimeAwaySerializer(serializers.Serializer[Unavailability]):
    """Days on which a member cannot hold a meeting role, both included. No reason is kept."""

    id = serializers.IntegerField(read_only=True)
    starts_on = serializers.DateField(help_text="The first day away.")
    ends_on = serializers.DateField(help_text="The last day away (included).")


class AvailabilitySerializer(serializers.Serializer[GroupMember]):
    """A member's say about the rotating meeting roles: which they are willing to hold,
    whether they are available at all, and their times away still to come."""

    id = serializers.IntegerField(
        read_only=True, help_text="The group-membership id, as in a meeting's roles."
    )
    member = MemberRefSerializer(read_only=True)
    willing_roles = serializers.ListField(
        child=MeetingRoleField(choices=MeetingRole.choices), allow_empty=True
    )
    available = serializers.BooleanField()
    times_away = TimeAwaySerializer(many=True, read_only=True)


@extend_schema_view(
    availability=extend_schema(
        summary="Willingness and times away: everyone's for the group's facilitators, "
        "one's own for any other member",
        responses=AvailabilitySerializer(many=True),
    ),
)
class GroupAvailabilityViewSet(NetworkScopedViewSet):
    """Meeting-role availability under /groups/{id}/availability/. Each active member of the
    group says their own (willing roles, available, times away); the group's facilitators see
    everyone's, to plan, and change nobody's. The rotation (`meetings/{id}/roles/assign/`)
    passes over whoever is unwilling, unavailable, or away on the meeting's date."""

    serializer_class = AvailabilitySerializer
    queryset = Group.objects.none()
    lookup_value_converter = "int"

    def _own(self, pk: int) -> tuple[Group, GroupMember]:
        group = selectors.group_get(network=self.network, pk=pk)
        if group is None:
            raise exceptions.NotFound
        membership = selectors.membership_of(group=group, member=self.member)
        if not policy.can_see_group(self.member, group, membership):
            raise exceptions.NotFound
        if membership is None or not policy.can_set_own_availability(
            self.member, group, membership
        ):
            raise exceptions.PermissionDenied
        return group, membership

    def _mine(self, group: Group, membership: GroupMember) -> dict[str, Any]:
        row = selectors.group_availability(group=group, since=timezone.localdate()).get(
            pk=membership.pk
        )
        return dict(AvailabilitySerializer(row).data)

    @action(detail=True, methods=["get"], url_path="availability", url_name="list")
    def availability(self, request: Request, network_slug: str, pk: int) -> Response:
        group, membership = self._own(pk)
        rows = selectors.group_availability(group=group, since=timezone.localdate())
        if not policy.can_see_everyones_availability(self.member, group, membership):
            rows = rows.filter(pk=membership.pk)
        return self.paginated(rows)

    @extend_schema(methods=["GET"], summary="One's own willingness, availability and times away")
    @extend_schema(
        methods=["PATCH"],
        summary="Say which roles one is willing to hold and whether one is available",
        request=AvailabilitySerializer,
        responses={200: AvailabilitySerializer},
    )
    @action(
        detail=True,
        methods=["get", "patch"],
        url_path="availability/mine",
        url_name="mine",
    )
    def mine(self, request: Request, network_slug: str, pk: int) -> Response:
        group, membership = self._own(pk)
        if request.method == "PATCH":
            data = self.parse(AvailabilitySerializer, data=request.data, partial=True)
            services.availability_update(
                membership=membership,
                willing_roles=data.get("willing_roles", membership.willing_roles or []),
                available=data.get("available", membership.available),
            )
        return Response(self._mine(group, membership))

    @extend_schema(
        methods=["GET"],
        summary="One's own times away still to come",
        responses=TimeAwaySerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a time away: the rotation passes over one for meetings on those days",
        request=TimeAwaySerializer,
        responses={201: TimeAwaySerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="availability/mine/away",
        url_name="away",
        serializer_class=TimeAwaySerializer,
    )
    def away(self, request: Request, network_slug: str, pk: int) -> Response:
        _group, membership = self._own(pk)
        if request.method == "GET":
            return self.paginated(
                selectors.times_away_of(membership=membership, since=timezone.localdate())
            )
        data = self.parse(TimeAwaySerializer, data=request.data)
        row = services.time_away_add(
            membership=membership, starts_on=data["starts_on"], ends_on=data["ends_on"]
        )
        return Response(TimeAwaySerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove one of one's own times away",
        parameters=[TIME_AWAY_ID],
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path="availability/mine/away/<int:time_away_id>",
        url_name="away-detail",
        serializer_class=TimeAwaySerializer,
    )
    def away_detail(
        self, request: Request, network_slug: str, pk: int, time_away_id: str
    ) -> Response:
        _group, membership = self._own(pk)
        row = selectors.time_away_get(membership=membership, pk=int(time_away_id))
        if row is None:
            raise exceptions.NotFound
        services.time_away_remove(time_away=row)
        return Response(status=status.HTTP_204_NO_CONTENT)
