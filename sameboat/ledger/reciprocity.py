"""Reciprocity in plain numbers. Pure: no Django, so it is tested and benchmarked alone.

Amounts are integer hundredths of the network's unit, as in the ledger.
"""

from dataclasses import dataclass
from enum import StrEnum


class Balance(StrEnum):
    """How a member's giving and receiving compare, in words a person would use."""

    NOT_YET = "not_yet"  # nothing exchanged yet
    GIVES_MORE = "gives_more"
    RECEIVES_MORE = "receives_more"
    EVEN = "even"


@dataclass(frozen=True, slots=True)
class Reciprocity:
    given: int
    received: int

    @property
    def net(self) -> int:
        return self.given - self.received

    @property
    def total(self) -> int:
        return self.given + self.received

    @property
    def given_percent(self) -> int:
        """Share of this member's exchanges in which they gave, 0 to 100, rounded."""
        if self.total == 0:
            return 0
        return round(100 * self.given / self.total)

    @property
    def received_percent(self) -> int:
        return 100 - self.given_percent if self.total else 0

    @property
    def balance(self) -> Balance:
        if self.total == 0:
            return Balance.NOT_YET
        # Within a tenth of the total counts as even: nobody should feel in debt for an hour.
        if abs(self.net) * 10 <= self.total:
            return Balance.EVEN
        return Balance.GIVES_MORE if self.net > 0 else Balance.RECEIVES_MORE


@dataclass(frozen=True, slots=True)
class Counterpart:
    """Someone a member exchanged with, and how much went each way."""

    name: str
    given_to: int
    received_from: int


def counterparts(rows: list[tuple[int, str, int, int]]) -> list[Counterpart]:
    """Merge (member id, name, given_to, received_from) rows by member; largest first.

    Keyed by id, not name: two people may choose the same display name."""
    names: dict[int, str] = {}
    merged: dict[int, list[int]] = {}
    for key, name, given_to, received_from in rows:
        names[key] = name
        totals = merged.setdefault(key, [0, 0])
        totals[0] += given_to
        totals[1] += received_from
    people = [Counterpart(names[key], given, received) for key, (given, received) in merged.items()]
    people.sort(key=lambda person: (-(person.given_to + person.received_from), person.name))
    return people


def hundredths_to_units(amount: int) -> str:
    """150 -> '1.5', 200 -> '2', -25 -> '-0.25'."""
    sign = "-" if amount < 0 else ""
    whole, part = divmod(abs(amount), 100)
    if part == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{part:02d}".rstrip("0")
