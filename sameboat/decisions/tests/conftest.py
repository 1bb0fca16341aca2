"""Fixtures for the decisions tests: the groups of sameboat/groups/tests (a confidential
recovery group and an open food group), tasks run at once where a test asks for it, and a
short way to put a proposal."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from sameboat.decisions.models import Proposal
from sameboat.decisions.services import proposal_create
from sameboat.groups.models import Group, GroupType, Joining
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
def open_group(network: Network, counsellor: Member, make_member) -> Group:
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
    group_member_add(group=group, member=make_member(display_name="Open Olu"))
    return group


Propose = Callable[..., Proposal]


@pytest.fixture
def propose(network: Network) -> Propose:
    """Put a proposal: `propose(by, group=None, process="consent", **anything else)`."""

    def make(by: Member, group: Group | None = None, **fields: Any) -> Proposal:
        values: dict[str, Any] = {
            "title": "Meet on Thursdays instead",
            "text": "Thursday suits more of us.",
            "process": "consent",
            "closes_at": timezone.now() + timedelta(days=3),
        }
        values.update(fields)
        return proposal_create(network=network, by=by, group=group, **values)

    return make


@pytest.fixture
def circle(confidential: Group, insider: Member, make_member) -> dict[str, Member]:
    """The confidential group with five members in all: the counsellor (its facilitator),
    Ines, and three more."""
    members = {"ines": insider}
    for name in ("Ana", "Bo", "Cy"):
        member = make_member(display_name=name)
        group_member_add(group=confidential, member=member)
        members[name.lower()] = member
    return members
