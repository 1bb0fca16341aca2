"""Decisions' objects in the permission-table scenario, and their rows of the table.

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

# URL name -> statuses for (anonymous, outsider, member, facilitator, coordinator, admin).
ROWS: dict[str, tuple[int, int, int, int, int, int]] = {
    "decisions:list": (302, 404, 200, 200, 200, 200),
    # Proposals to the whole network are put by facilitators, coordinators and admins.
    "decisions:create": (302, 404, 403, 200, 200, 200),
    "decisions:detail": (302, 404, 200, 200, 200, 200),
    "decisions:stance": (302, 405, 405, 405, 405, 405),
    "decisions:resolve": (302, 405, 405, 405, 405, 405),
    "decisions:close": (302, 405, 405, 405, 405, 405),
    "decisions:withdraw": (302, 405, 405, 405, 405, 405),
    # The confidential group's proposals: none of the visitors is in the group.
    "decisions:group_list": (302, 404, 404, 404, 404, 404),
    "decisions:group_create": (302, 404, 404, 404, 404, 404),
    "api-decision-list": (401, 404, 200, 200, 200, 200),
    "api-decision-detail": (401, 404, 200, 200, 200, 200),
    "api-decision-stance": (401, 404, 405, 405, 405, 405),
    "api-decision-resolve": (401, 404, 405, 405, 405, 405),
    "api-decision-close": (401, 404, 405, 405, 405, 405),
    "api-decision-withdraw": (401, 404, 405, 405, 405, 405),
}


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
