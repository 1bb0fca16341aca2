"""A member's life in a network, for the privacy tests: a profile with health notes, an ask
met by a helper (an exchange posted), an offer, a confidential group with a check-in, a
personal goal, a referral, a notification."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from sameboat.aid.models import Ask, Match, Offer
from sameboat.aid.services import (
    PostFields,
    ask_create,
    match_accept,
    match_complete,
    match_offer_help,
    offer_create,
)
from sameboat.directory.models import Referral
from sameboat.goals.models import Goal, GoalCheckIn, GoalKind
from sameboat.groups.models import (
    Group,
    GroupMember,
    GroupMemberStatus,
    GroupType,
    Meeting,
    MeetingCheckIn,
)
from sameboat.ledger.models import Exchange
from sameboat.networks.models import Category, Member
from sameboat.notifications.models import Notification, NotificationKind

NEEDS = "Type 1 diabetes; no stairs"
WORDS = "hard week, thinking of using"
GOAL = "Ninety days clean"
REFERRAL_NOTE = "Needs an immigration lawyer before the hearing"


@dataclass
class Life:
    ask: Ask
    offer: Offer
    match: Match
    exchange: Exchange
    group: Group
    check_in: MeetingCheckIn
    goal: Goal
    referral: Referral


def a_life(member: Member, helper: Member, food: Category) -> Life:
    user = member.user
    user.accessibility_needs = NEEDS
    user.strengths = "Cooking for many"
    user.phone = "+1 555 0100"
    user.save(update_fields=["accessibility_needs", "strengths", "phone"])
    helper.user.phone = "+1 555 0199"
    helper.user.save(update_fields=["phone"])
    ask = ask_create(member=member, fields=PostFields(category=food, title="Insulin pick-up"))
    offer = offer_create(member=member, fields=PostFields(category=food, title="Soup on Sundays"))
    match = match_offer_help(ask=ask, helper=helper, message="I can go on Friday")
    match = match_accept(match=match, by=member)
    exchange = match_complete(match=match, by=member, hours=Decimal("1.5"), key="done-1")
    group = Group.objects.create(
        network=member.network, name="Thursday recovery", type=GroupType.RECOVERY, confidential=True
    )
    place = GroupMember.objects.create(group=group, member=member, status=GroupMemberStatus.ACTIVE)
    meeting = Meeting.objects.create(
        group=group, starts_at=timezone.now() - timedelta(days=1), duration_minutes=60
    )
    check_in = MeetingCheckIn.objects.create(
        meeting=meeting, member=place, wellbeing=2, words=WORDS
    )
    goal = Goal.objects.create(
        group=group,
        kind=GoalKind.PERSONAL,
        owner=member,
        title=GOAL,
        level_minus_2="Using daily",
        level_minus_1="Using weekly",
        level_0="Thirty days",
        level_plus_1="Sixty days",
        level_plus_2="Ninety days",
    )
    GoalCheckIn.objects.create(goal=goal, level=0, note="Made it through the wedding")
    referral = Referral.objects.create(
        network=member.network,
        member=member,
        service_name="Legal clinic",
        note=REFERRAL_NOTE,
        status_changed_at=timezone.now(),
    )
    Notification.objects.create(
        user=user,
        network=member.network,
        topic="meeting:1",
        path="/",
        kind=NotificationKind.MEETING_REMINDER,
        delivery="immediately",
    )
    return Life(ask, offer, match, exchange, group, check_in, goal, referral)
