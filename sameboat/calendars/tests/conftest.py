"""Fixtures for the calendar tests: the groups of sameboat/groups/tests/conftest.py (a
confidential recovery group and an open food group, each with a member), meetings, and tasks
that run at once in the test's own thread."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from sameboat.groups.models import Group, GroupType, Joining, Meeting
from sameboat.groups.services import group_create, group_member_add
from sameboat.networks.models import Member, Network, Role

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings) -> None:
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def counsellor(make_member) -> Member:
    return make_member(Role.FACILITATOR, display_name="Counsellor Kim")


@pytest.fixture
def insider(make_member) -> Member:
    return make_member(Role.MEMBER, display_name="Insider Ines")


@pytest.fixture
def confidential(network: Network, counsellor: Member, insider: Member) -> Group:
    group = group_create(
        network=network,
        by=counsellor,
        fields={
            "name": "Recovery circle",
            "purpose": "Staying sober together",
            "type": GroupType.RECOVERY,
            "confidential": True,
            "joining": Joining.INVITATION,
        },
    )
    group_member_add(group=group, member=insider)
    return group


@pytest.fixture
def open_group(network: Network, counsellor: Member, insider: Member) -> Group:
    group = group_create(
        network=network,
        by=counsellor,
        fields={
            "name": "Food circle",
            "purpose": "Cooking for each other",
            "type": GroupType.FOOD,
            "joining": Joining.REQUEST,
        },
    )
    group_member_add(group=group, member=insider)
    return group


MakeMeeting = Callable[..., Meeting]


@pytest.fixture
def make_meeting() -> MakeMeeting:
    """A meeting of `group` starting `in_hours` from now (negative: in the past, which the
    planning service refuses, so the row is written directly)."""

    def make(
        group: Group,
        *,
        in_hours: float = 48,
        place: str = "Back room",
        link: str = "",
        minutes: int = 90,
    ) -> Meeting:
        starts_at: datetime = timezone.now() + timedelta(hours=in_hours)
        return Meeting.objects.create(
            group=group,
            starts_at=starts_at.replace(microsecond=0),
            duration_minutes=minutes,
            place=place,
            link=link,
        )

    return make
