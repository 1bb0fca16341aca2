"""Decisions' objects in the permission-table scenario.

`decision_id` (and the API's "pk" for api-decision-*) is an open proposal to the whole network,
put by the counsellor, so every visitor in the network may see it and none of them wrote it.
Group URLs take the scenario's confidential group, whose proposals are seen by its active
members alone: 404 for every visitor, the coordinator and admin included."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from sameboat.decisions.services import proposal_create

# Kinds (words in API URL names) whose "pk" this part supplies, most specific first.
PK_KINDS: tuple[str, ...] = ("decision",)


def add(base: dict[str, Any]) -> dict[str, object]:
    proposal = proposal_create(
        network=base["network"],
        by=base["counsellor"],
        title="Open the food store on Saturdays",
        text="Volunteers would take turns.",
        process="consent",
        closes_at=timezone.now() + timedelta(days=3),
    )
    return {"decision_id": proposal.pk, "decision": proposal.pk}
