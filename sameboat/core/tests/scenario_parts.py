"""The permission-table scenario's objects for the later apps, one module each in parts/.

Each part takes the base scenario (network, author, partner, counsellor, the confidential
group with its meeting, the open group, the coordinator) and returns the values its URLs
take, keyed by URL parameter name (e.g. "decision_id"), or by a kind named in PK_KINDS for
API routes whose parameter is "pk" (the first kind found in the URL's name wins).
"""

from collections.abc import Callable
from typing import Any

from sameboat.core.tests.parts import (
    calendars,
    decisions,
    directory_api,
    directory_pages,
    directory_search,
    goals,
    records,
    referrals,
)

PART_MODULES = (
    decisions,
    goals,
    records,
    calendars,
    directory_api,
    directory_pages,
    directory_search,
    referrals,
)

PARTS: tuple[Callable[[dict[str, Any]], dict[str, object]], ...] = tuple(
    part.add for part in PART_MODULES
)
PK_KINDS: tuple[str, ...] = tuple(kind for part in PART_MODULES for kind in part.PK_KINDS)
