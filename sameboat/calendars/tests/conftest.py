"""Fixtures for the calendar tests: the groups of sameboat/core/tests/fixtures_groups.py (a
confidential recovery group and an open food group), meetings, and tasks that run at once in
the test's own thread (the root conftest's `immediate_tasks`)."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from sameboat.core.tests.fixtures_groups import FOOD_CIRCLE, group_of
from sameboat.groups.models import Group, Meeting
from sameboat.networks.models import Member, Network


@pytest.fixture
def open_group(network: Network, counsellor: Member, insider: Member) -> Group:
    """The open food group with Insider Ines in it: here she belongs to both groups."""
    return group_of(network, counsellor, FOOD_CIRCLE, insider)


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
