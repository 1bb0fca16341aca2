"""The demo network's groups: their plans, stages, meetings (agenda, roles, attendance,
session records, check-ins), decisions and goals.

Written through the services, each step at its own moment of the story (see demo._clock), so
the pages show groups with a past: a weekly open support group, a confidential recovery
circle and a monthly tenants' group, each with meetings behind them and ahead of them, and
the network's own proposals.
"""

import random
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sameboat.decisions.models import Process, Proposal, StanceKind
from sameboat.decisions.services import (
    objection_resolve,
    proposal_close_due,
    proposal_create,
    stance_take,
)
from sameboat.goals.models import GoalKind, GoalVisibility
from sameboat.goals.services import goal_check_in, goal_create
from sameboat.groups.models import (
    PROCESSES,
    Group,
    GroupMember,
    GroupType,
    Joining,
    Meeting,
    MeetingRole,
    ProcessList,
    Recurrence,
    RoleAssignment,
    StageModel,
    Wellbeing,
)
from sameboat.groups.services import (
    Counts,
    agenda_item_propose,
    attendance_record,
    availability_update,
    check_in_save,
    group_create,
    group_member_add,
    group_request_to_join,
    meeting_create,
    meeting_roles_assign,
    plan_update,
    session_record_save,
    stage_record,
    time_away_add,
)
from sameboat.networks.models import Member, Network
from sameboat.privacy.models import ConsentSource, Purpose
from sameboat.privacy.services import consent_set

Clock = Callable[[datetime], AbstractContextManager[None]]


@dataclass(frozen=True, slots=True)
class GroupStory:
    name: str
    purpose: str
    type: GroupType
    confidential: bool
    joining: Joining
    stage_model: StageModel
    process_list: ProcessList
    members: slice  # which demo members (by position in MEMBERS) belong
    facilitated_by: int  # position in STAFF
    recurrence: Recurrence
    first_meeting_days_ago: int
    meetings: int
    place: str
    link: str
    plan: dict[str, str]
    stages: tuple[tuple[int, str, str], ...]  # days ago, stage, note
    topics: tuple[str, ...]


GROUPS = (
    GroupStory(
        name="Thursday peer support",
        purpose="A weekly circle where we share what is hard and what has helped.",
        type=GroupType.SUPPORT,
        confidential=False,
        joining=Joining.REQUEST,
        stage_model=StageModel.BOSTON,
        process_list=ProcessList.SHULMAN,
        members=slice(0, 9),
        facilitated_by=1,
        recurrence=Recurrence.WEEKLY,
        first_meeting_days_ago=70,
        meetings=14,
        place="Community centre, room 2 (step-free)",
        link="",
        plan={
            "need": "Many neighbours who came through the floods say they feel alone with it.",
            "purpose": "Meet weekly to share what is hard, what has helped, and to help each "
            "other with the next step.",
            "composition": "Eight to twelve adults from the network; mixed ages; any language "
            "with an interpreter from the network when asked.",
            "structure": "Thursdays 18:30 to 20:00, open to newcomers each month.",
            "content": "Check-in round, one or two topics chosen by members, closing round.",
            "pre_group_contact": "A short call with the facilitator before the first meeting.",
            "agency_context": "Hosted by the community centre; the network keeps no notes "
            "beyond the session record.",
        },
        stages=(
            (68, "preaffiliation", "People testing whether it is safe to speak."),
            (45, "power_and_control", "Disagreement about who speaks first and how long."),
            (18, "intimacy", "Members bring their own topics and follow up with each other."),
        ),
        topics=(
            "Sleeping badly since the move",
            "Dealing with the housing office",
            "How to ask family for help",
            "Looking after ourselves over the holidays",
            "Saying no without guilt",
        ),
    ),
    GroupStory(
        name="Riverside recovery circle",
        purpose="Peer support for people in recovery and those who love them.",
        type=GroupType.RECOVERY,
        confidential=True,
        joining=Joining.INVITATION,
        stage_model=StageModel.TUCKMAN,
        process_list=ProcessList.STEINBERG,
        members=slice(9, 15),
        facilitated_by=1,
        recurrence=Recurrence.FORTNIGHTLY,
        first_meeting_days_ago=56,
        meetings=8,
        place="",
        link="https://meet.example.org/riverside-circle",
        plan={
            "need": "No recovery meeting in the neighbourhood runs in the evening.",
            "purpose": "A confidential circle to support each other's recovery.",
            "composition": "Up to eight people, by invitation after a conversation.",
        },
        stages=(
            (54, "forming", ""),
            (26, "storming", "Tension about lateness; the group agreed its own rules."),
            (6, "norming", ""),
        ),
        topics=("Cravings at weekends", "Telling an employer", "Rebuilding trust at home"),
    ),
    GroupStory(
        name="Mill Street tenants",
        purpose="Tenants of Mill Street organising for repairs and fair rents.",
        type=GroupType.TENANTS_ADVOCACY,
        confidential=False,
        joining=Joining.REQUEST,
        stage_model=StageModel.TUCKMAN,
        process_list=ProcessList.SHULMAN,
        members=slice(15, 25),
        facilitated_by=0,
        recurrence=Recurrence.MONTHLY,
        first_meeting_days_ago=88,
        meetings=5,
        place="Mill Street 14, courtyard (ground floor)",
        link="",
        plan={
            "need": "Repairs go unanswered for months; rents rose twice this year.",
            "purpose": "Organise together so every tenant is heard by the landlord.",
        },
        stages=((85, "forming", ""), (30, "storming", "")),
        topics=("Mould in the stairwell", "Letter to the landlord", "Rent rise meeting"),
    ),
)


class GroupsBuilder:
    """Writes the demo's groups for members[i] (by position in MEMBERS) and staff[j]."""

    def __init__(
        self,
        *,
        network: Network,
        staff: Sequence[Member],
        members: Sequence[Member],
        now: datetime,
        rng: random.Random,
        clock: Clock,
    ) -> None:
        self.network = network
        self.staff = staff
        self.members = members
        self.now = now
        self.rng = rng
        self.clock = clock

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days)

    def build(self) -> list[Group]:
        groups = [self._group(story) for story in GROUPS]
        self._decisions(groups)
        self._goals(groups[0])
        return groups

    def _group(self, story: GroupStory) -> Group:
        facilitator = self.staff[story.facilitated_by]
        start = story.first_meeting_days_ago + 7
        with self.clock(self.days_ago(start)):
            group = group_create(
                network=self.network,
                by=facilitator,
                fields={
                    "name": story.name,
                    "purpose": story.purpose,
                    "type": story.type,
                    "confidential": story.confidential,
                    "joining": story.joining,
                    "stage_model": story.stage_model,
                    "process_list": story.process_list,
                },
            )
            plan_update(group=group, fields=story.plan)
            for index, member in enumerate(self.members[story.members]):
                group_member_add(group=group, member=member)
                # Most agreed that session notes may mention them; a few did not, so the
                # note-taker's page shows whom to leave out.
                if index % 4 != 3:
                    consent_set(
                        user=member.user,
                        purpose=Purpose.SESSION_NOTES,
                        given=True,
                        source=ConsentSource.SIGNUP,
                    )
        # Some members hold only the roles they feel ready for; two will be away soon.
        memberships = list(GroupMember.objects.filter(group=group, member__in=self.members))
        for membership in memberships[::3]:
            availability_update(
                membership=membership,
                willing_roles=[MeetingRole.TIMEKEEPER, MeetingRole.CHECK_IN_HOST],
                available=True,
            )
        with self.clock(self.now):
            today = self.now.date()
            for offset, membership in enumerate(memberships[1:3]):
                away = today + timedelta(days=3 + 10 * offset)
                time_away_add(
                    membership=membership, starts_on=away, ends_on=away + timedelta(days=9)
                )
        for days, stage, note in story.stages:
            with self.clock(self.days_ago(days)):
                stage_record(group=group, by=facilitator, stage=stage, note=note)
        with self.clock(self.days_ago(start)):
            meetings = meeting_create(
                group=group,
                by=facilitator,
                starts_at=self.days_ago(story.first_meeting_days_ago).replace(hour=17, minute=30),
                duration_minutes=90,
                place=story.place,
                link=story.link,
                recurrence=story.recurrence,
                occurrences=story.meetings,
            )
        for number, meeting in enumerate(meetings):
            self._meeting(group, meeting, memberships, facilitator, story, number)
        if not story.confidential:
            # Someone waiting for the facilitator's answer.
            newcomer = self.members[story.members.stop + 20]
            with self.clock(self.days_ago(2)):
                group_request_to_join(group=group, member=newcomer)
        return group

    def _meeting(
        self,
        group: Group,
        meeting: Meeting,
        memberships: list[GroupMember],
        facilitator: Member,
        story: GroupStory,
        number: int,
    ) -> None:
        ahead = meeting.starts_at > self.now
        if ahead and meeting.starts_at > self.now + timedelta(days=21):
            return  # far ahead: nothing planned yet
        with self.clock(min(meeting.starts_at - timedelta(days=3), self.now)):
            proposer = self.rng.choice(memberships)
            agenda_item_propose(
                meeting=meeting, by=proposer, title=story.topics[number % len(story.topics)]
            )
            meeting_roles_assign(meeting=meeting, by=facilitator)
        if ahead:
            return
        with self.clock(meeting.starts_at + timedelta(hours=2)):
            present = {row.pk for row in memberships if self.rng.random() < 0.8}
            present |= set(
                GroupMember.objects.filter(group=group, member=facilitator).values_list(
                    "pk", flat=True
                )
            )
            attendance_record(meeting=meeting, present=present)
            self._record(group, meeting, present, facilitator, number)
        if number >= story.meetings // 2:
            self._check_ins(meeting, memberships, present)

    def _record(
        self, group: Group, meeting: Meeting, present: set[int], facilitator: Member, number: int
    ) -> None:
        """The note-taker's record: a line of notes, the processes seen, and coarse counts.
        Members take part more as the group matures, as such groups often do; the newest
        member stays quiet, so the equity page has someone to point out."""
        note_taker = (
            RoleAssignment.objects.filter(meeting=meeting, role=MeetingRole.NOTE_TAKER)
            .select_related("member__member")
            .first()
        )
        writer = note_taker.member.member if note_taker else facilitator
        processes = self.rng.sample(list(PROCESSES[group.process_list]), k=3)
        warmth = min(1.0, 0.4 + number * 0.06)
        quiet = GroupMember.objects.filter(group=group).order_by("-joined_at", "-id").first()
        participation = {}
        for membership_id in sorted(present):
            if quiet is not None and membership_id == quiet.pk:
                participation[membership_id] = Counts(contributions=int(number % 4 == 3))
                continue
            participation[membership_id] = Counts(
                contributions=min(3, sum(self.rng.random() < warmth for _ in range(4))),
                led=self.rng.random() < warmth / 4,
            )
        session_record_save(
            meeting=meeting,
            by=writer,
            notes="Check-in round, then the agenda; agreed to follow up next week.",
            processes=processes,
            participation=participation,
        )

    def _check_ins(
        self, meeting: Meeting, memberships: list[GroupMember], present: set[int]
    ) -> None:
        with self.clock(meeting.starts_at + timedelta(minutes=10)):
            for membership in memberships:
                if membership.pk in present and self.rng.random() < 0.5:
                    check_in_save(
                        meeting=meeting,
                        by=membership,
                        wellbeing=self.rng.choice(Wellbeing.values[1:]),
                    )

    # Decisions -----------------------------------------------------------------------------

    def _decisions(self, groups: list[Group]) -> None:
        support, _recovery, tenants = groups
        coordinator, facilitator = self.staff[0], self.staff[1]
        consent = self._decided(
            group=support,
            by=facilitator,
            title="Start each meeting with two minutes of quiet",
            process=Process.CONSENT,
            days_ago=30,
            kinds=[StanceKind.AGREE] * 5 + [StanceKind.STAND_ASIDE, StanceKind.OBJECT],
        )
        objection = consent.stances.filter(kind=StanceKind.OBJECT).first()
        if objection is not None:
            with self.clock(self.days_ago(29)):
                objection_resolve(
                    stance=objection,
                    by=objection.member,
                    note="We agreed anyone may arrive during the quiet.",
                )
        self._close(consent)
        self._close(
            self._decided(
                group=tenants,
                by=coordinator,
                title="Send the joint repair letter to the landlord",
                process=Process.CONSENSUS,
                days_ago=40,
                kinds=[StanceKind.AGREE] * 7 + [StanceKind.STAND_ASIDE],
            )
        )
        self._close(
            self._decided(
                group=None,
                by=coordinator,
                title="Open the tool library on Saturday mornings",
                process=Process.MAJORITY,
                days_ago=20,
                kinds=[StanceKind.YES] * 14 + [StanceKind.NO] * 4 + [StanceKind.ABSTAIN] * 2,
            )
        )
        with self.clock(self.days_ago(2)):
            picnic = proposal_create(
                network=self.network,
                group=support,
                by=self.members[0],
                title="Where shall we hold the end-of-year gathering?",
                text="Somewhere step-free, where children are welcome.",
                process=Process.RANKED_CHOICE,
                options=["Community centre hall", "Riverside park shelter", "Mosque courtyard"],
                closes_at=self.now + timedelta(days=5),
            )
            voters = GroupMember.objects.filter(group=support, member__in=self.members[1:6])
            for membership in voters.select_related("member"):
                ranking = list(picnic.options)
                self.rng.shuffle(ranking)
                stance_take(proposal=picnic, member=membership.member, ranking=ranking)
        with self.clock(self.days_ago(1)):
            fund = proposal_create(
                network=self.network,
                by=coordinator,
                title="Which project should the small fund support first?",
                text="Score each from 0 to 5. The fund holds enough for one project this winter.",
                process=Process.SCORE,
                options=["Winter coats", "Bus passes for appointments", "Kitchen equipment"],
                closes_at=self.now + timedelta(days=10),
                anonymous=True,
            )
            for member in self.members[10:22]:
                stance_take(
                    proposal=fund,
                    member=member,
                    scores={option: self.rng.randint(0, 5) for option in fund.options},
                )

    def _decided(
        self,
        *,
        group: Group | None,
        by: Member,
        title: str,
        process: str,
        days_ago: int,
        kinds: Sequence[str],
    ) -> Proposal:
        """A proposal put `days_ago` days ago, open for three days, with these stances from
        the first members who may take part."""
        with self.clock(self.days_ago(days_ago)):
            proposal = proposal_create(
                network=self.network,
                group=group,
                by=by,
                title=title,
                process=process,
                closes_at=self.days_ago(days_ago - 3),
            )
        if group is None:
            voters = list(self.members[: len(kinds)])
        else:
            voters = [
                row.member
                for row in GroupMember.objects.filter(group=group)
                .select_related("member")
                .order_by("id")
            ][: len(kinds)]
        for n, (member, kind) in enumerate(zip(voters, kinds, strict=False)):
            with self.clock(self.days_ago(days_ago - 0.5 - n * 0.1)):
                reason = "It matters to me." if kind in (StanceKind.OBJECT, StanceKind.NO) else ""
                if kind == StanceKind.OBJECT:
                    reason = "Some of us come straight from work and arrive late."
                stance_take(proposal=proposal, member=member, kind=kind, reason=reason)
        return proposal

    def _close(self, proposal: Proposal) -> None:
        moment = proposal.closes_at + timedelta(minutes=5)
        with self.clock(moment):
            proposal_close_due(proposal_id=proposal.pk, now=moment)

    # Goals ---------------------------------------------------------------------------------

    def _goals(self, group: Group) -> None:
        facilitator = self.staff[1]
        set_on = self.days_ago(60)
        with self.clock(set_on):
            shared = goal_create(
                group=group,
                by=facilitator,
                kind=GoalKind.GROUP,
                title="Every member leads part of a meeting by the spring",
                levels={
                    -2: "Only the facilitator leads.",
                    -1: "Two or three members have led something.",
                    0: "Half of the members have led something.",
                    1: "All but one or two have led something.",
                    2: "Every member has led, and some more than once.",
                },
                baseline=-1,
                weight=2,
                set_on=set_on.date(),
            )
        for days, level in ((40, -1), (20, 0), (5, 1)):
            with self.clock(self.days_ago(days)):
                goal_check_in(goal=shared, by=facilitator, level=level)
        personal = (
            (
                0,
                "Walk to the market on my own twice a week",
                GoalVisibility.GROUP,
                ((45, -1), (25, 0), (6, 1)),
            ),
            (1, "Sleep through the night more often", GoalVisibility.FACILITATORS, ((30, 0),)),
            (2, "Finish the evening English course", GoalVisibility.ONLY_ME, ((35, 0), (10, 0))),
        )
        for index, title, visibility, check_ins in personal:
            member = self.members[index]
            with self.clock(set_on):
                goal = goal_create(
                    group=group,
                    by=member,
                    kind=GoalKind.PERSONAL,
                    title=title,
                    levels={
                        -2: "Much less than I hope: I have stopped trying.",
                        -1: "Somewhat less: now and then.",
                        0: "What I expect: most weeks.",
                        1: "Somewhat more: nearly every week.",
                        2: "Much more: every week, and I help someone else do it.",
                    },
                    baseline=-1,
                    visibility=visibility,
                    set_on=set_on.date(),
                )
            for days, level in check_ins:
                with self.clock(self.days_ago(days)):
                    goal_check_in(goal=goal, by=member, level=level)
