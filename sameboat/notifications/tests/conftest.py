"""Fixtures for the notification tests: tasks run at once, in the test's own thread, and
mail lands in pytest-django's `mailoutbox` (Django's locmem backend)."""

from collections.abc import Callable

import pytest

from sameboat.accounts.models import NotificationFrequency
from sameboat.networks.models import Member
from sameboat.notifications.services import notification_frequency_set

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings) -> None:
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def choose() -> Callable[[Member, NotificationFrequency], Member]:
    """Set how often a member hears from us, as they would on their profile."""

    def choose(member: Member, frequency: NotificationFrequency) -> Member:
        notification_frequency_set(user=member.user, frequency=frequency)
        return member

    return choose
