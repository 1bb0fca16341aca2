"""The REST API for goals, under /api/v1/networks/{network_slug}/groups/{group_id}/goals/, and
the caller's own goals across groups at /api/v1/networks/{network_slug}/my-goals/.

The same policy as the pages: a group the caller may not know of is 404; a group they know
of but do not belong to is 403 (goals are for a group's active members), 404 if it is
confidential; a goal they may not see is 404, so nobody learns that a hidden personal goal
exists. T-scores are computed over the goals the caller may see, and say over how many."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, TextChoices
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from sameboat import policy
from sameboat.audit.services import audit_view
from sameboat.goals import gas, selectors, services
from sameboat.goals.history import Event
from sameboat.goals.models import (
    DESCRIPTION_MAX,
    LEVEL_FIELDS,
    Goal,
    GoalCheckIn,
    GoalKind,
    GoalStatus,
    GoalVisibility,
    Level,
)
from sameboat.groups import selectors as group_selectors
from sameboat.groups.api import refusal_inside
from sameboat.groups.models import Group, GroupMember
from sameboat.networks.api import MemberRefSerializer, NetworkScopedViewSet, named_choice_field

GoalKindField = named_choice_field("GoalKind", GoalKind)
GoalVisibilityField = named_choice_field(
    "GoalVisibility",
    GoalVisibility,
    "Who may see a personal goal besides its member (a group goal: always `group`).",
)
GoalStatusField = named_choice_field("GoalStatus", GoalStatus)
LevelField = named_choice_field(
    "GoalLevel", Level, "A Goal Attainment Scaling level; 0 is the expected outcome."
)


class HistoryEvent(TextChoices):
    SET = Event.SET.value, _("The goal was set, at its baseline")
    CHECK_IN = Event.CHECK_IN.value, _("A check-in")


HistoryEventField = named_choice_field("GoalHistoryEvent", HistoryEvent)

LEVEL_ERRORS: dict[str, Any] = {
    "invalid_choice": _("Choose one of the five levels: -2, -1, 0, +1 or +2.")
}

T_SCORE_MEANING = _(
    "A T-score of 50 means that, taken together, the goals came out just as expected when "
    "they were set (level 0). Above 50, better than expected; below 50, not as well. One "
    "goal at +1 scores 60, at +2 scores 70, at -1 scores 40; most scores fall between 40 and "
    "60. Goals with a larger weight count for more; dropped goals do not count."
)


class GoalGroupSerializer(serializers.ModelSerializer[Group]):
    class Meta:
        model = Group
        fields = ["id", "name"]
        read_only_fields = fields


class GoalLevelDescriptionSerializer(serializers.Serializer[Any]):
    level = LevelField(choices=Level.choices, error_messages=LEVEL_ERRORS)
    description = serializers.CharField(max_length=DESCRIPTION_MAX)
    name = serializers.CharField(read_only=True, help_text="What the level stands for.")


class LevelsField(serializers.ListField):
    """The five levels of a goal, each with its description, from -2 to +2."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=GoalLevelDescriptionSerializer(), **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        """Five levels as a dict, level -> description; a 400 unless each is there once."""
        items = super().to_internal_value(data)
        levels = [item["level"] for item in items]
        if len(items) != len(gas.LEVELS) or sorted(levels) != sorted(gas.LEVELS):
            raise serializers.ValidationError(
                _("A goal needs exactly five levels, one each for -2, -1, 0, +1 and +2.")
            )
        return {item["level"]: item["description"] for item in items}

    def to_representation(self, goal: Any) -> list[dict[str, Any]]:
        return [
            {"level": level, "name": name, "description": description}
            for level, name, description in goal.levels()
        ]


class GoalSerializer(serializers.ModelSerializer[Goal]):
    """A goal as the caller may see it, with its level now (its latest check-in, or its
    baseline before any)."""

    group = GoalGroupSerializer(read_only=True)
    kind = GoalKindField(choices=GoalKind.choices, read_only=True)
    owner = MemberRefSerializer(read_only=True, allow_null=True)
    levels = LevelsField(source="*", read_only=True)
    baseline = LevelField(choices=Level.choices, read_only=True)
    visibility = GoalVisibilityField(choices=GoalVisibility.choices, read_only=True)
    status = GoalStatusField(choices=GoalStatus.choices, read_only=True)
    level_now = serializers.SerializerMethodField()
    last_check_in_on = serializers.SerializerMethodField()
    check_in_count = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = [
            "id",
            "group",
            "kind",
            "owner",
            "title",
            "levels",
            "baseline",
            "weight",
            "visibility",
            "status",
            "set_on",
            "level_now",
            "last_check_in_on",
            "check_in_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(LevelField(choices=Level.choices))
    def get_level_now(self, goal: Goal) -> int:
        """The latest check-in's level, or the baseline before any."""
        return selectors.goal_row(goal).level

    def get_last_check_in_on(self, goal: Goal) -> date | None:
        last = selectors.goal_row(goal).last_check_in
        return last.on if last else None

    def get_check_in_count(self, goal: Goal) -> int:
        return len(goal.check_ins.all())  # prefetched


class GoalCreateSerializer(serializers.Serializer[Any]):
    kind = GoalKindField(
        choices=GoalKind.choices,
        help_text="`personal`: the caller's own. `group`: the group's (its facilitators).",
    )
    title = serializers.CharField(max_length=services.TITLE_MAX)
    levels = LevelsField(help_text="Exactly five: one description for each level, -2 to +2.")
    baseline = LevelField(choices=Level.choices, default=Level.LESS, error_messages=LEVEL_ERRORS)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, default=Decimal("1"))
    visibility = GoalVisibilityField(
        choices=GoalVisibility.choices,
        default=GoalVisibility.ONLY_ME,
        help_text="For a personal goal; a group goal is always seen by the whole group.",
    )
    set_on = serializers.DateField(required=False, help_text="Today if left out.")


class GoalUpdateSerializer(serializers.Serializer[Any]):
    """What may change. The levels, baseline and weight only until the first check-in."""

    title = serializers.CharField(max_length=services.TITLE_MAX, required=False)
    levels = LevelsField(required=False)
    baseline = LevelField(choices=Level.choices, required=False, error_messages=LEVEL_ERRORS)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    visibility = GoalVisibilityField(choices=GoalVisibility.choices, required=False)
    status = GoalStatusField(choices=GoalStatus.choices, required=False)


class GoalCheckInSerializer(serializers.ModelSerializer[GoalCheckIn]):
    level = LevelField(choices=Level.choices, error_messages=LEVEL_ERRORS)
    on = serializers.DateField(required=False, help_text="Today if left out.")
    note = serializers.CharField(allow_blank=True, default="", max_length=services.NOTE_MAX)
    by = MemberRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = GoalCheckIn
        fields = ["id", "level", "on", "note", "by", "created_at"]
        read_only_fields = ["id", "by", "created_at"]


class GoalFilterSerializer(serializers.Serializer[Any]):
    kind = GoalKindField(choices=GoalKind.choices, required=False)


# --- T-scores -------------------------------------------------------------------------------


class GoalHistoryPointSerializer(serializers.Serializer[Any]):
    """The T-score just after a goal was set (at its baseline) or checked in."""

    on = serializers.DateField()
    event = HistoryEventField(choices=HistoryEvent.choices)
    goal = serializers.IntegerField(source="goal.pk", help_text="The goal's id.")
    level = LevelField(choices=Level.choices)
    t_score = serializers.FloatField()
    goal_count = serializers.IntegerField(help_text="How many goals the score was over.")


class GoalScoreSerializer(serializers.Serializer[Any]):
    t_score = serializers.FloatField(
        allow_null=True, help_text="Null when no goal counts (none, or all dropped)."
    )
    goal_count = serializers.IntegerField(
        help_text="How many goals the score is over: those the caller may see, not dropped."
    )
    history = GoalHistoryPointSerializer(many=True)


class GoalMemberScoreSerializer(serializers.Serializer[Any]):
    member = MemberRefSerializer()
    t_score = serializers.FloatField(source="scored.t_score", allow_null=True)
    goal_count = serializers.IntegerField(
        source="scored.goal_count",
        help_text="How many of this member's goals the score is over: those the caller may see.",
    )
    history = GoalHistoryPointSerializer(source="scored.history", many=True)


class GoalMeanScoreSerializer(serializers.Serializer[Any]):
    t_score = serializers.FloatField(allow_null=True)
    member_count = serializers.IntegerField()
    goal_count = serializers.IntegerField()


class GoalTScoresSerializer(serializers.Serializer[Any]):
    """The group's T-score over its group goals; each member's over the personal goals of
    theirs the caller may see; and the mean of those members' T-scores. Nothing here is
    computed from a goal the caller may not see."""

    meaning = serializers.CharField(help_text="What a T-score says, in plain words.")
    group = GoalScoreSerializer()
    members = GoalMemberScoreSerializer(many=True)
    members_mean = GoalMeanScoreSerializer()


# --- endpoints ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="The group's goals the caller may see",
        description="Its group goals, the caller's own personal goals, and the personal "
        "goals its members share with the caller. For the group's active members only.",
        parameters=[GoalFilterSerializer],
    ),
    create=extend_schema(
        summary="Set a goal: a personal goal (any active member) or a group goal (its "
        "facilitators)",
        request=GoalCreateSerializer,
        responses={201: GoalSerializer},
    ),
    retrieve=extend_schema(summary="One goal"),
    partial_update=extend_schema(
        summary="Change a goal (a personal goal's member; a group goal's facilitators)",
        request=GoalUpdateSerializer,
        responses={200: GoalSerializer},
    ),
)
class GoalViewSet(NetworkScopedViewSet):
    serializer_class = GoalSerializer
    queryset = Goal.objects.none()
    lookup_value_converter = "int"

    def _group(self, group_id: int) -> tuple[Group, GroupMember | None]:
        group = group_selectors.group_get(network=self.network, pk=group_id)
        if group is None:
            raise exceptions.NotFound
        membership = group_selectors.membership_of(group=group, member=self.member)
        if not policy.can_see_group(self.member, group, membership):
            raise exceptions.NotFound
        if not policy.can_see_goals(self.member, group, membership):
            raise refusal_inside(group)
        return group, membership

    def _goal(self, group_id: int, pk: int) -> tuple[Goal, Group, GroupMember | None]:
        group, membership = self._group(group_id)
        goal = selectors.goal_get(group=group, pk=pk)
        if goal is None or not policy.can_see_goal(
            self.member, group, membership, goal, owner_belongs=selectors.owner_belongs(goal)
        ):
            raise exceptions.NotFound
        return goal, group, membership

    def _changes(self, goal: Goal, group: Group, membership: GroupMember | None) -> None:
        if not policy.can_change_goal(self.member, group, membership, goal):
            raise exceptions.PermissionDenied

    def _render(self, group: Group, pk: int, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.goal_get(group=group, pk=pk)
        return Response(GoalSerializer(fresh).data, status=code)

    def list(self, request: Request, network_slug: str, group_id: int) -> Response:
        group, membership = self._group(group_id)
        filters = self.parse(GoalFilterSerializer, data=request.query_params)
        goals: QuerySet[Goal] = selectors.goals_visible(
            group=group, viewer=self.member, membership=membership
        )
        if filters.get("kind"):
            goals = goals.filter(kind=filters["kind"])
        response = self.paginated(goals)
        results = response.data.get("results", []) if isinstance(response.data, dict) else []
        if any(
            row.get("kind") == GoalKind.PERSONAL
            and (row.get("owner") or {}).get("id") != self.member.pk
            for row in results
        ):
            self._audit(request, f"group:{group.pk}", "personal_goals")
        return response

    def _audit(self, request: Request, target: str, what: str, **ids: int) -> None:
        """Someone else's personal goals were read: the audit log keeps who and when."""
        audit_view(request=request, network=self.network, target=target, what=what, **ids)

    def _audit_goal(self, request: Request, goal: Goal) -> None:
        if goal.kind == GoalKind.PERSONAL and goal.owner_id != self.member.pk:
            self._audit(request, f"goal:{goal.pk}", "personal_goal", group=goal.group_id)

    def create(self, request: Request, network_slug: str, group_id: int) -> Response:
        group, membership = self._group(group_id)
        data = self.parse(GoalCreateSerializer, data=request.data)
        if data["kind"] == GoalKind.GROUP:
            allowed = policy.can_set_group_goal(self.member, group, membership)
        else:
            allowed = policy.can_set_personal_goal(self.member, group, membership)
        if not allowed:
            raise exceptions.PermissionDenied
        goal = services.goal_create(group=group, by=self.member, **data)
        return self._render(group, goal.pk, status.HTTP_201_CREATED)

    def retrieve(self, request: Request, network_slug: str, group_id: int, pk: int) -> Response:
        goal, _group, _membership = self._goal(group_id, pk)
        self._audit_goal(request, goal)
        return Response(GoalSerializer(goal).data)

    def partial_update(
        self, request: Request, network_slug: str, group_id: int, pk: int
    ) -> Response:
        goal, group, membership = self._goal(group_id, pk)
        self._changes(goal, group, membership)
        data = dict(self.parse(GoalUpdateSerializer, data=request.data))
        if "levels" in data:
            levels = data.pop("levels")
            data |= {LEVEL_FIELDS[level]: text for level, text in levels.items()}
        services.goal_update(goal=goal, by=self.member, fields=data)
        return self._render(group, goal.pk)

    @extend_schema(
        methods=["GET"],
        summary="The goal's check-ins, oldest first",
        responses=GoalCheckInSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Check in: the level the goal has reached (a personal goal's member; a group "
        "goal's facilitators)",
        request=GoalCheckInSerializer,
        responses={201: GoalCheckInSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="check-ins",
        url_name="check-ins",
        serializer_class=GoalCheckInSerializer,
    )
    def check_ins(self, request: Request, network_slug: str, group_id: int, pk: int) -> Response:
        goal, group, membership = self._goal(group_id, pk)
        if request.method == "GET":
            self._audit_goal(request, goal)
            return self.paginated(
                GoalCheckIn.objects.filter(goal=goal)
                .select_related("by__user")
                .order_by("on", "created_at", "id")
            )
        self._changes(goal, group, membership)
        data = self.parse(GoalCheckInSerializer, data=request.data)
        row = services.goal_check_in(goal=goal, by=self.member, **data)
        return Response(GoalCheckInSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="T-scores: the group's, each member's and their mean, over the goals the "
        "caller may see",
        responses=GoalTScoresSerializer,
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="t-scores",
        url_name="t-scores",
        serializer_class=GoalTScoresSerializer,
        pagination_class=None,
    )
    def t_scores(self, request: Request, network_slug: str, group_id: int) -> Response:
        group, membership = self._group(group_id)
        goals = list(
            selectors.goals_visible(group=group, viewer=self.member, membership=membership)
        )
        members = selectors.member_scores([g for g in goals if g.kind == GoalKind.PERSONAL])
        if any(g.kind == GoalKind.PERSONAL and g.owner_id != self.member.pk for g in goals):
            self._audit(request, f"group:{group.pk}", "personal_goals")
        data = {
            "meaning": str(T_SCORE_MEANING),
            "group": selectors.score_goals([g for g in goals if g.kind == GoalKind.GROUP]),
            "members": members,
            "members_mean": selectors.mean_score(members),
        }
        return Response(GoalTScoresSerializer(data).data)


@extend_schema_view(
    list=extend_schema(
        summary="The caller's own personal goals in every group of the network",
        description="Including goals in groups the caller has left, which only they see.",
    )
)
class MyGoalViewSet(NetworkScopedViewSet):
    serializer_class = GoalSerializer
    queryset = Goal.objects.none()

    def list(self, request: Request, network_slug: str) -> Response:
        return self.paginated(selectors.goals_of_owner(network=self.network, member=self.member))
