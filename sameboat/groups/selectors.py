"""Reads for groups. Every query starts from the network; which groups a viewer may know of
follows `sameboat.policy` (`can_see_group`), and the tests hold the two together."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from sameboat import policy
from sameboat.groups.models import (
    AgendaItem,
    Attendance,
    Group,
    GroupMember,
    GroupMemberStatus,
    Meeting,
    RoleAssignment,
    StageRecord,
)
from sameboat.networks.models import Member, Network

ACTIVE = GroupMemberStatus.ACTIVE


def _with_counts(queryset: QuerySet[Group]) -> QuerySet[Group]:
    return queryset.annotate(
        member_count=Count("memberships", filter=Q(memberships__status=ACTIVE))
    )


def groups_visible(*, network: Network, viewer: Member) -> QuerySet[Group]:
    """The groups the viewer may know exist, each with `member_count` (active members):
    open groups, confidential groups the viewer belongs to, and for coordinators every
    confidential group (which they see as a name and a count)."""
    groups = Group.objects.filter(network=network)
    if not policy.is_coordinator(viewer):
        belongs = GroupMember.objects.filter(group=OuterRef("pk"), member=viewer, status=ACTIVE)
        groups = groups.filter(Q(confidential=False) | Exists(belongs))
    return _with_counts(groups).order_by("name", "id")


def group_get(*, network: Network, pk: int) -> Group | None:
    """A group of this network with its `member_count`; the caller asks the policy next."""
    return _with_counts(Group.objects.filter(network=network, pk=pk)).first()


def membership_of(*, group: Group, member: Member) -> GroupMember | None:
    return GroupMember.objects.filter(group=group, member=member).first()


def memberships_of_viewer(*, network: Network, viewer: Member) -> dict[int, GroupMember]:
    """The viewer's own rows in this network's groups, by group id: one query for a list."""
    rows = GroupMember.objects.filter(group__network=network, member=viewer)
    return {row.group_id: row for row in rows}


def group_members(*, group: Group, status: str = ACTIVE) -> QuerySet[GroupMember]:
    return (
        GroupMember.objects.filter(group=group, status=status)
        .select_related("member__user")
        .order_by("-role", "joined_at", "id")
    )


def group_stages(*, group: Group) -> QuerySet[StageRecord]:
    return StageRecord.objects.filter(group=group).select_related("recorded_by__user")


def members_to_add(*, group: Group) -> QuerySet[Member]:
    """Network members a facilitator may add: active, and not already in the group."""
    inside = GroupMember.objects.filter(
        group=group, member=OuterRef("pk"), status__in=[ACTIVE, GroupMemberStatus.REQUESTED]
    )
    return (
        Member.objects.filter(network_id=group.network_id, is_active=True)
        .exclude(Exists(inside))
        .select_related("user")
        .order_by("user__display_name", "id")
    )


# --- meetings -------------------------------------------------------------------------------


def meetings_upcoming(*, group: Group) -> QuerySet[Meeting]:
    """The group's meetings that have not ended a day ago, soonest first."""
    since = timezone.now() - timedelta(days=1)
    return Meeting.objects.filter(group=group, starts_at__gte=since).order_by("starts_at", "id")


def meetings_of(*, group: Group) -> QuerySet[Meeting]:
    return Meeting.objects.filter(group=group).order_by("starts_at", "id")


def meeting_get(*, group: Group, pk: int) -> Meeting | None:
    """A meeting of this group, with its agenda, roles and attendance fetched in one go each."""
    return (
        Meeting.objects.filter(group=group, pk=pk)
        .prefetch_related(
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.select_related("proposed_by__member__user"),
            ),
            Prefetch(
                "roles",
                queryset=RoleAssignment.objects.select_related("member__member__user"),
            ),
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("member__member__user"),
            ),
        )
        .first()
    )
