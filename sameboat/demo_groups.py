"""The demo network's groups: their plans, stages and meetings (agenda, roles, attendance).

Written through the services, each step at its own moment of the story (see demo._clock), so
the pages show groups with a past: a weekly open support group, a confidential recovery
circle and a monthly tenants' group, each with meetings behind them and ahead of them.
"""

import random
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sameboat.groups.models import (
    Group,
    GroupMember,
    GroupType,
    Joining,
    Meeting,
    MeetingRole,
    ProcessList,
    Recurrence,
    StageModel,
)
from sameboat.groups.services import (
    agenda_item_propose,
    attendance_record,
    group_create,
    group_member_add,
    group_request_to_join,
    meeting_create,
    meeting_roles_assign,
    plan_update,
    stage_record,
)
from sameboat.networks.models import Member, Network

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
        return [self._group(story) for story in GROUPS]

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
            for member in self.members[story.members]:
                group_member_add(group=group, member=member)
        # Some members hold only the roles they feel ready for.
        memberships = list(GroupMember.objects.filter(group=group, member__in=self.members))
        for membership in memberships[::3]:
            membership.willing_roles = [MeetingRole.TIMEKEEPER, MeetingRole.CHECK_IN_HOST]
            membership.save(update_fields=["willing_roles"])
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
