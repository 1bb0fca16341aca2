"""This app's objects in the permission-table scenario, and its rows of the table."""

from typing import Any

# Kinds (words in API URL names) whose "pk" this part supplies, most specific first.
PK_KINDS: tuple[str, ...] = ()

# URL name -> statuses for (anonymous, outsider, member, facilitator, coordinator, admin).
ROWS: dict[str, tuple[int, int, int, int, int, int]] = {}


def add(base: dict[str, Any]) -> dict[str, object]:
    return {}
