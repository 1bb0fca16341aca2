"""This app's objects in the permission-table scenario."""

from typing import Any

# Kinds (words in API URL names) whose "pk" this part supplies, most specific first.
PK_KINDS: tuple[str, ...] = ()


def add(base: dict[str, Any]) -> dict[str, object]:
    # The search page takes only the network: an empty directory answers as a full one.
    return {}
