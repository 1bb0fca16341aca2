"""The demo's groups have a past and a future: members, a plan, stages, meetings with
agenda, roles and attendance; one of them confidential, and someone waiting to join."""

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoDbBlocker

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
from sameboat.networks.models import Network
from sameboat.privacy.services import not_to_be_named_in_notes


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Network]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", verbosity=0)
        yield Network.objects.get(slug="riverside")
        transaction.set_rollback(True)


def test_demo_groups_have_meetings_behind_and_ahead(demo: Network, db: None) -> None:
    groups = Group.objects.filter(network=demo)
    assert groups.count() == 3
    assert groups.filter(confidential=True).count() == 1
    # The demo's story ends at the last midnight: meetings after it are still ahead in it.
    now = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    for group in groups:
        meetings = Meeting.objects.filter(group=group)
        past, ahead = meetings.filter(starts_at__lt=now), meetings.filter(starts_at__gt=now)
        assert past.exists() and ahead.exists(), group
        assert StageRecord.objects.filter(group=group).count() >= 2
        for meeting in past:
            assert AgendaItem.objects.filter(meeting=meeting).exists()
            assert RoleAssignment.objects.filter(meeting=meeting).count() == 4
            assert Attendance.objects.filter(meeting=meeting, present=True).exists()
    assert groups.filter(memberships__status=GroupMemberStatus.REQUESTED).count() == 2


def test_demo_roles_are_spread_across_the_members(demo: Network, db: None) -> None:
    group = Group.objects.get(network=demo, name="Thursday peer support")
    holders = set(
        RoleAssignment.objects.filter(meeting__group=group).values_list("member_id", flat=True)
    )
    assert len(holders) >= 8


def test_demo_has_session_records_decisions_and_goals(demo: Network, db: None) -> None:
    from sameboat.decisions.models import Proposal, ProposalStatus
    from sameboat.goals.models import Goal, GoalCheckIn
    from sameboat.groups.models import MeetingCheckIn, Participation, SessionRecord

    assert SessionRecord.objects.filter(meeting__group__network=demo).count() >= 15
    assert Participation.objects.filter(record__meeting__group__network=demo).exists()
    assert MeetingCheckIn.objects.filter(meeting__group__network=demo).exists()
    proposals = Proposal.objects.filter(network=demo)
    assert proposals.filter(status=ProposalStatus.DECIDED).count() == 3
    assert proposals.filter(status=ProposalStatus.OPEN).count() == 2
    assert proposals.filter(group__isnull=True).count() == 2
    assert all(p.outcome_statement for p in proposals.filter(status=ProposalStatus.DECIDED))
    goals = Goal.objects.filter(group__network=demo)
    assert goals.count() == 4
    assert GoalCheckIn.objects.filter(goal__in=goals).count() == 9


def test_demo_has_a_directory_of_community_resources_in_its_city(demo: Network, db: None) -> None:
    from sameboat.directory.models import Location, Organization, Service

    assert Organization.objects.filter(network=demo).count() == 3
    assert Service.objects.filter(network=demo).count() >= 5
    for latitude, longitude in Location.objects.filter(
        network=demo, latitude__isnull=False
    ).values_list("latitude", "longitude"):
        assert abs(float(latitude) - 51.4545) < 0.2 and abs(float(longitude) + 2.5879) < 0.3


def test_some_demo_members_have_not_agreed_to_session_notes(demo: Network, db: None) -> None:
    # So that the note-taker's page shows whom to leave out, next to those who agreed.
    for group in Group.objects.filter(network=demo):
        members = GroupMember.objects.filter(group=group).select_related("member__user")
        left_out = not_to_be_named_in_notes(members=members)
        assert 0 < len(left_out) < members.count(), group
