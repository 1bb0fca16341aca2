"""Reads for groups. Every query starts from the network; which groups a viewer may know of
follows `sameboat.policy` (`can_see_group`), and the tests hold the two together."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from sameboat import policy
from sameboat.groups import equity
from sameboat.groups.models import (
    AgendaItem,
    Attendance,
    Group,
    GroupMember,
    GroupMemberStatus,
    Meeting,
    MeetingCheckIn,
    Participation,
    RoleAssignment,
    SessionRecord,
    StageRecord,
    Unavailability,
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


# --- session records, check-ins and participation equity ------------------------------------


def session_record_of(*, meeting: Meeting) -> SessionRecord | None:
    return (
        SessionRecord.objects.filter(meeting=meeting)
        .select_related("stage_record", "recorded_by__user", "updated_by__user")
        .first()
    )


def session_records_of(*, group: Group) -> QuerySet[SessionRecord]:
    """The group's session records, the latest meeting first."""
    return (
        SessionRecord.objects.filter(meeting__group=group)
        .select_related("meeting", "stage_record", "recorded_by__user", "updated_by__user")
        .order_by("-meeting__starts_at", "-id")
    )


def members_present(*, meeting: Meeting) -> list[GroupMember]:
    """The members recorded as present at the meeting, whose participation may be counted:
    whoever was there then, even if they have left the group since (editing an old record
    must not drop their counts), by name."""
    present = Attendance.objects.filter(meeting=meeting, member=OuterRef("pk"), present=True)
    return list(
        GroupMember.objects.filter(group_id=meeting.group_id)
        .filter(Exists(present))
        .select_related("member__user")
        .order_by("member__user__display_name", "id")
    )


def participation_of(*, record: SessionRecord) -> dict[int, Participation]:
    """The counts of a record by group-membership id, for the members still present by the
    attendance (a count left from before attendance was corrected does not show)."""
    present = Attendance.objects.filter(
        meeting_id=record.meeting_id, member=OuterRef("member_id"), present=True
    )
    rows = Participation.objects.filter(record=record).filter(Exists(present))
    return {row.member_id: row for row in rows}


def role_holders(*, meeting: Meeting) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(meeting=meeting).select_related("member__member__user")


def check_ins_of(*, meeting: Meeting) -> QuerySet[MeetingCheckIn]:
    return (
        MeetingCheckIn.objects.filter(meeting=meeting)
        .select_related("member__member__user")
        .order_by("member__member__user__display_name", "id")
    )


def check_in_of(*, meeting: Meeting, membership: GroupMember | None) -> MeetingCheckIn | None:
    if membership is None:
        return None
    return MeetingCheckIn.objects.filter(meeting=meeting, member=membership).first()


@dataclass(frozen=True, slots=True)
class MeetingEquityRow:
    meeting: Meeting
    figures: equity.MeetingEquity


@dataclass(frozen=True, slots=True)
class MemberEquityRow:
    member: GroupMember
    totals: equity.MemberTotals


@dataclass(frozen=True, slots=True)
class GroupEquity:
    """Participation equity of a group over its recorded meetings."""

    meetings: list[MeetingEquityRow]
    """Oldest first."""
    members: list[MemberEquityRow]
    """The group's active members, by name."""
    participation: equity.EquitySummary[int] | None
    """Over the active members' total taking part; None with no counted meeting."""
    leadership: equity.EquitySummary[int] | None
    """Over the number of meetings at which each active member led; None with no meeting."""

    def _named(self, ids: tuple[int, ...]) -> list[GroupMember]:
        by_id = {row.member.pk: row.member for row in self.members}
        return [by_id[pk] for pk in ids if pk in by_id]

    @property
    def never_led(self) -> list[GroupMember]:
        return self._named(self.leadership.never) if self.leadership else []

    @property
    def never_took_part(self) -> list[GroupMember]:
        return self._named(self.participation.never) if self.participation else []

    @property
    def rarely_take_part(self) -> list[GroupMember]:
        return self._named(self.participation.rarely) if self.participation else []


def group_equity(*, group: Group) -> GroupEquity:
    """Who takes part and who leads at the group's meetings with a session record, meeting by
    meeting and over time. A fixed number of queries, whatever the number of meetings and
    members; the arithmetic is in `equity`."""
    recorded = Meeting.objects.filter(group=group, session_record__isnull=False)
    meetings = list(recorded.order_by("starts_at", "id"))
    attendance = Attendance.objects.filter(meeting__in=recorded).values_list(
        "meeting_id", "member_id", "present"
    )
    counted = Participation.objects.filter(record__meeting__in=recorded).values_list(
        "record__meeting_id", "member_id", "contributions", "led"
    )
    roles = RoleAssignment.objects.filter(meeting__in=recorded).values_list(
        "meeting_id", "member_id"
    )
    members_of: dict[int, set[int]] = {}
    present_at: dict[int, set[int]] = {}
    for meeting_id, member_id, was_there in attendance:
        members_of.setdefault(meeting_id, set()).add(member_id)
        if was_there:
            present_at.setdefault(meeting_id, set()).add(member_id)
    contributions: dict[int, dict[int, int]] = {}
    led: dict[int, set[int]] = {}
    for meeting_id, member_id, count, led_item in counted:
        contributions.setdefault(meeting_id, {})[member_id] = count
        if led_item:
            led.setdefault(meeting_id, set()).add(member_id)
    for meeting_id, member_id in roles:
        # Holding a meeting role is leading; only for someone who was there.
        led.setdefault(meeting_id, set()).add(member_id)
    tallies = []
    for meeting in meetings:
        present = frozenset(present_at.get(meeting.pk, ()))
        counts = contributions.get(meeting.pk)
        tallies.append(
            equity.MeetingTally(
                members=frozenset(members_of.get(meeting.pk, ())),
                present=present,
                # Counts kept from before attendance was corrected are not counted.
                contributions=(
                    {key: value for key, value in counts.items() if key in present}
                    if counts is not None
                    else None
                ),
                led=frozenset(led.get(meeting.pk, ())) & present,
            )
        )
    active = sorted(
        group_members(group=group),
        key=lambda row: (row.member.display_name.casefold(), row.pk),
    )
    totals = equity.member_totals(tallies, [row.pk for row in active])
    participation = leadership = None
    if active and tallies:
        leadership = equity.participation_summary({pk: t.led for pk, t in totals.items()})
        if any(tally.contributions is not None for tally in tallies):
            participation = equity.participation_summary(
                {pk: t.contributions for pk, t in totals.items()}
            )
    return GroupEquity(
        meetings=[
            MeetingEquityRow(meeting=meeting, figures=figures)
            for meeting, figures in zip(meetings, equity.equity_over_time(tallies), strict=True)
        ],
        members=[MemberEquityRow(member=row, totals=totals[row.pk]) for row in active],
        participation=participation,
        leadership=leadership,
    )


# --- meeting-role availability and times away -----------------------------------------------


def times_away_of(*, membership: GroupMember, since: date) -> QuerySet[Unavailability]:
    """A member's times away that have not ended before `since`, soonest first."""
    return Unavailability.objects.filter(member=membership, ends_on__gte=since).order_by(
        "starts_on", "id"
    )


def time_away_get(*, membership: GroupMember, pk: int) -> Unavailability | None:
    """One of this member's own times away (anyone else's is None, as if absent)."""
    return Unavailability.objects.filter(member=membership, pk=pk).first()


def group_availability(*, group: Group, since: date) -> QuerySet[GroupMember]:
    """The group's active members, each with `times_away` (those not ended before `since`):
    two queries, however many members and times away."""
    return group_members(group=group).prefetch_related(
        Prefetch(
            "unavailable_periods",
            queryset=Unavailability.objects.filter(ends_on__gte=since).order_by("starts_on", "id"),
            to_attr="times_away",
        )
    )
