"""The permission-table scenario's objects for the later apps, one module each in parts/.

Each part takes the base scenario (network, author, partner, counsellor, the confidential
group with its meeting, the open group, the coordinator) and returns the values its URLs
take, keyed by URL parameter name (e.g. "decision_id"), or by a kind named in PK_KINDS for
API routes whose parameter is "pk" (the first kind found in the URL's name wins).
"""

from collections.abc import Callable
from typing import Any

from sameboat.core.tests.parts import calendars, decisions, goals, records

PARTS: tuple[Callable[[dict[str, Any]], dict[str, object]], ...] = (
    decisions.add,
    goals.add,
    records.add,
    calendars.add,
)
PK_KINDS: tuple[str, ...] = (
    *decisions.PK_KINDS,
    *goals.PK_KINDS,
    *records.PK_KINDS,
    *calendars.PK_KINDS,
)
