"""The REST API for groups, under /api/v1/networks/{network_slug}/groups/. The same policy as
the pages: a confidential group is 404 to anyone in the network who is neither in it nor a
coordinator, and a coordinator who is not in it sees its name and member count only."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat import policy
from sameboat.groups import selectors, services
from sameboat.groups.models import (
    Group,
    GroupMember,
    GroupMemberStatus,
    GroupRole,
    GroupType,
    Joining,
    ProcessList,
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
