"""Reads for goals, and their T-scores. Every query starts from a group of the viewer's network;
which goals a viewer may see follows `sameboat.policy.can_see_goal`, and the tests hold the
two together. The scores are computed from goals already fetched (with their check-ins), so a
page's number of queries does not grow with its goals."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from sameboat import policy
from sameboat.goals import history as hist
from sameboat.goals.models import Goal, GoalCheckIn, GoalKind, GoalVisibility, Level
from sameboat.groups.models import Group, GroupMember, GroupMemberStatus
from sameboat.networks.models import Member, Network


def _check_ins() -> Prefetch[Any, Any, Any]:
    return Prefetch(
        "check_ins",
        queryset=GoalCheckIn.objects.select_related("by__user").order_by("on", "created_at", "id"),
    )


def _goals() -> QuerySet[Goal]:
    """Goals with what every page shows of them, and `owner_belongs`: whether a personal
    goal's member is still an active member of its group (the policy needs it)."""
    belongs = GroupMember.objects.filter(
        group=OuterRef("group"), member=OuterRef("owner"), status=GroupMemberStatus.ACTIVE
    )
    return (
        Goal.objects.select_related("owner__user", "group")
        .prefetch_related(_check_ins())
        .annotate(owner_belongs=Exists(belongs))
    )


def owner_belongs(goal: Goal) -> bool:
    """The `owner_belongs` annotation of a goal fetched here (False if it was not)."""
    return bool(getattr(goal, "owner_belongs", False))


def goal_get(*, group: Group, pk: int) -> Goal | None:
    """A goal of this group with its check-ins; the caller asks the policy next."""
    return _goals().filter(group=group, pk=pk).first()


def goals_visible(
    *, group: Group, viewer: Member, membership: GroupMember | None
) -> QuerySet[Goal]:
    """The goals of `group` the viewer may see (`policy.can_see_goal`): their own personal
    goals; and, while they belong to the group, its group goals and the personal goals of its
    active members shared with the group, or with its facilitators if the viewer is one."""
    visible = Q(kind=GoalKind.PERSONAL, owner=viewer)
    if policy.can_see_goals(viewer, group, membership):
        shared = [GoalVisibility.GROUP]
        if policy.can_manage_group(viewer, group, membership):
            shared.append(GoalVisibility.FACILITATORS)
        visible |= Q(kind=GoalKind.GROUP) | Q(
            kind=GoalKind.PERSONAL, visibility__in=shared, owner_belongs=True
        )
    return _goals().filter(visible, group=group).order_by("set_on", "id")


def goals_of_owner(*, network: Network, member: Member) -> QuerySet[Goal]:
    """A member's own personal goals in every group of the network, group by group."""
    return (
        _goals()
        .filter(group__network=network, kind=GoalKind.PERSONAL, owner=member)
        .order_by("group__name", "group_id", "set_on", "id")
    )


def active_memberships_of(*, network: Network, member: Member) -> QuerySet[GroupMember]:
    """The groups of the network a member actively belongs to, with each group."""
    return (
        GroupMember.objects.filter(
            group__network=network, member=member, status=GroupMemberStatus.ACTIVE
        )
        .select_related("group")
        .order_by("group__name", "group_id")
    )


def group_member_get(*, group: Group, member_id: int) -> GroupMember | None:
    """A member's row in the group (any status), with their name."""
    return (
        GroupMember.objects.filter(group=group, member_id=member_id)
        .select_related("member__user")
        .first()
    )


# --- what the pages and the API show ------------------------------------------------------


LEVEL_NAMES = dict(Level.choices)


@dataclass(frozen=True, slots=True)
class GoalRow:
    """A goal with its level now (latest check-in, or baseline) and its last check-in."""

    goal: Goal
    level: int
    last_check_in: GoalCheckIn | None

    @property
    def level_name(self) -> str:
        return str(LEVEL_NAMES[self.level])

    @property
    def level_description(self) -> str:
        return self.goal.description_of(self.level)


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """A point of a T-score's history, with the goal it was about."""

    on: date
    event: hist.Event
    goal: Goal
    level: int
    t_score: float
    goal_count: int

    @property
    def level_name(self) -> str:
        return str(LEVEL_NAMES[self.level])

    @property
    def is_check_in(self) -> bool:
        return self.event == hist.Event.CHECK_IN


@dataclass(frozen=True, slots=True)
class Scored:
    """A set of goals (a member's, or the group's), their T-score now and its history."""

    rows: list[GoalRow]
    score: hist.Score
    history: list[HistoryRow]
    chart: hist.Chart | None

    @property
    def t_score(self) -> float | None:
        return self.score.t_score

    @property
    def goal_count(self) -> int:
        """How many goals the score is over: those that count (not dropped)."""
        return self.score.goal_count


@dataclass(frozen=True, slots=True)
class MemberScore:
    member: Member
    scored: Scored


@dataclass(frozen=True, slots=True)
class MeanScore:
    """The mean of members' T-scores, each over the goals the viewer may see."""

    t_score: float | None
    member_count: int
    goal_count: int


def goal_row(goal: Goal) -> GoalRow:
    check_ins = list(goal.check_ins.all())  # prefetched, oldest first
    last = check_ins[-1] if check_ins else None
    return GoalRow(goal=goal, level=last.level if last else goal.baseline, last_check_in=last)


def _scaled(goal: Goal) -> hist.ScaledGoal:
    return hist.ScaledGoal(
        id=goal.pk, set_on=goal.set_on, baseline=goal.baseline, weight=float(goal.weight)
    )


def score_goals(goals: Sequence[Goal]) -> Scored:
    """The T-score of `goals` (fetched here, with their check-ins) and its history. Dropped
    goals are listed but do not count."""
    counted = [goal for goal in goals if goal.counts]
    scaled = [_scaled(goal) for goal in counted]
    # Check-ins of different goals in the order they were made: by date, then by when they
    # were recorded, as the model orders them.
    keyed = [
        (
            (check_in.on, check_in.created_at, check_in.pk),
            hist.Step(goal_id=goal.pk, on=check_in.on, level=check_in.level),
        )
        for goal in counted
        for check_in in goal.check_ins.all()
    ]
    keyed.sort(key=lambda pair: pair[0])
    steps = [step for _key, step in keyed]
    points = hist.timeline(scaled, steps)
    by_goal = {goal.pk: goal for goal in counted}
    rows = [
        HistoryRow(
            on=point.on,
            event=point.event,
            goal=by_goal[point.goal_id],
            level=point.level,
            t_score=point.t_score,
            goal_count=point.goal_count,
        )
        for point in points
    ]
    return Scored(
        rows=[goal_row(goal) for goal in goals],
        score=hist.score(scaled, steps),
        history=rows,
        chart=hist.chart([point.t_score for point in points]),
    )


def member_scores(goals: Iterable[Goal]) -> list[MemberScore]:
    """Each member's personal goals among `goals`, scored, in order of their names."""
    owners: dict[int, Member] = {}
    theirs: dict[int, list[Goal]] = {}
    for goal in goals:
        if goal.kind != GoalKind.PERSONAL or goal.owner is None:
            continue
        owners[goal.owner.pk] = goal.owner
        theirs.setdefault(goal.owner.pk, []).append(goal)
    ordered = sorted(owners.values(), key=lambda m: (m.display_name.casefold(), m.pk))
    return [MemberScore(member=m, scored=score_goals(theirs[m.pk])) for m in ordered]


def mean_score(scores: Sequence[MemberScore]) -> MeanScore:
    """The mean of the members' T-scores (members with a goal that counts)."""
    values = [row.scored.t_score for row in scores if row.scored.t_score is not None]
    return MeanScore(
        t_score=fmean(values) if values else None,
        member_count=len(values),
        goal_count=sum(row.scored.goal_count for row in scores),
    )
