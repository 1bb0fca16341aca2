"""Fixtures for the decisions tests: the groups of sameboat/core/tests/fixtures_groups.py (a
confidential recovery group and an open food group), tasks run at once where a test asks for
it (the root conftest's `immediate_tasks`), and a short way to put a proposal."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from sameboat.decisions.models import Proposal
from sameboat.decisions.services import proposal_create
from sameboat.groups.models import Group
from sameboat.groups.services import group_member_add
from sameboat.networks.models import Member, Network

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
