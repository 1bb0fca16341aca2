"""Rotating meeting roles (chair, note-taker, timekeeper, check-in host). Pure: no Django,
so it is tested on its own.

Shared leadership is part of the mutual aid model: members, not staff, lead their meetings
in turn (DESIGN.md, "empowerment through participation"; issue 4, "Rotating roles"). The
rules, from issue 4, in order of precedence:

1. Only a member who is willing to hold a role and available for this meeting gets it.
2. Nobody holds two roles in one meeting if that can be avoided. It can be avoided exactly
   when the roles can each go to a different willing, available member (a matching in the
   bipartite graph roles x members), so a member doubles up only when there are more roles
   than people who could take them. Even then the doubling is spread: a third role for one
   member only when everyone who could take a second already has one.
3. "Nobody holds a role twice before every willing member has held it once": each role
   goes to one of the willing, available members who have held it fewest times (counting
   the history). When rule 2 makes that impossible for every role at once, as few roles as
   possible (then as little over the fewest as possible) go to anyone else.
4. Ties go to the member furthest behind their fair share of roles (see ``_behind_ranks``),
   then to the one who held that role least recently (never counts as longest ago), then
   to the lowest member id.

The "fair share" tie-break is ours, not the issue's, and it comes before recency on
purpose. Choosing by recency and id alone, one meeting at a time, walks into dead ends:
with members x, y, z all willing and roles A and B it gives A->x, B->y, then A->y, B->x,
and then both roles have only z among their fewest, so one of them must break rule 3.
With x willing only for A, y only for B and z for both, it gives A->x, B->y, and then
both roles need z. Serving first whoever is furthest behind (z, in both) avoids these.
With every member willing for every role, the property tests find rule 3 always kept.
With arbitrary willing sets it cannot always be kept (if only x will take notes and x
and y will chair, x always takes notes and never chairs, by rule 2); the fair-share
order keeps it in far more cases than recency-first, though not in every case where some
other sequence of meetings would have kept it: that would need planning meetings ahead,
not choosing one at a time.

Rules 2-4 are one lexicographic objective, minimised exactly over all assignments with the
Hungarian algorithm (Kuhn 1955; Munkres 1957; the O(n^2 m) form with potentials, as in
Jonker and Volgenant 1987). Each lexicographic level is packed into one Python integer, in
a base wide enough that no level's sum can carry into the next, so the arithmetic is exact.
With a handful of roles and a group's members it runs in well under a millisecond.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

STANDARD_ROLES: tuple[str, ...] = ("chair", "note-taker", "timekeeper", "check-in host")
"""The roles issue 4 names; a group may use others, in its own order."""


class _MemberId(Hashable, Protocol):
    """A member id must hash (to count) and sort (to break the last tie the same way)."""

    def __lt__(self, other: Any, /) -> bool: ...


class RotationError(ValueError):
    """A rotation that cannot be made or changed; the message says which role and why."""


@dataclass(frozen=True, slots=True)
class MemberAvailability[M: _MemberId]:
    """One member as the rotation sees them for one meeting."""

    member_id: M
    willing: frozenset[str]
    """The roles this member is willing to hold."""
    available: bool = True
    """Whether they will be at this meeting (someone absent cannot chair it)."""

    def can_hold(self, role: str) -> bool:
        return self.available and role in self.willing


class Assignment[M: _MemberId](dict[str, M]):
    """Role -> member id for one meeting: a plain dict, which also says who doubled up."""

    @property
    def doubled(self) -> dict[M, tuple[str, ...]]:
        """Members holding more than one role, with their roles in meeting order; empty
        unless there were more roles than people who could hold them."""
        held: dict[M, list[str]] = {}
        for role, member in self.items():
            held.setdefault(member, []).append(role)
        return {member: tuple(roles) for member, roles in held.items() if len(roles) > 1}


def assign_roles[M: _MemberId](
    roles: Sequence[str],
    members: Sequence[MemberAvailability[M]],
    history: Sequence[tuple[str, M]],
) -> Assignment[M]:
    """Give each of ``roles`` to a member for the next meeting, by the rules in this module's
    docstring.

    ``history`` lists who held which role at past meetings, oldest first: (role, member id).
    Entries for other roles or for people who are not in ``members`` still count as the
    past, but only towards the people and roles they name.

    The result is deterministic: the same roles, members (in any order) and history always
    give the same assignment.

    Raises ``RotationError`` if a role is listed twice, a member id twice, or a role has
    nobody willing and available (the message names the role)."""
    if len(set(roles)) != len(roles):
        raise RotationError("Each role can be listed only once for a meeting.")
    ids = [m.member_id for m in members]
    if len(set(ids)) != len(ids):
        raise RotationError("Each member can be listed only once for a meeting.")
    if not roles:
        return Assignment()
    # Sorting by id first makes the result independent of the order members come in.
    people = sorted(members, key=lambda m: m.member_id)
    for role in roles:
        if not any(p.can_hold(role) for p in people):
            raise RotationError(
                f'Nobody who is willing to be "{role}" is available for this meeting.'
            )

    held: dict[tuple[str, M], int] = {}  # (role, member) -> times held
    last: dict[tuple[str, M], int] = {}  # (role, member) -> 1 + position of the latest time
    load: dict[M, int] = {}  # member -> roles of any kind held
    for position, (role, member) in enumerate(history):
        held[role, member] = held.get((role, member), 0) + 1
        last[role, member] = position + 1  # 0 is kept for "never", the longest ago
        load[member] = load.get(member, 0) + 1
    fewest = {
        role: min(held.get((role, p.member_id), 0) for p in people if p.can_hold(role))
        for role in roles
    }
    behind = _behind_ranks(roles, people, history, load)

    r, n, h = len(roles), len(people), len(history)
    # Columns are (member, copy): copy c of a member is their (c+1)-th role this meeting.
    # r copies each are always enough for a complete assignment, since every role has
    # at least one candidate.
    columns = [(p, c) for p in people for c in range(r)]

    # Levels of the cost, most important first, with the largest value one entry can take.
    maxima = (1, r - 1, 1, h, n - 1, h, n - 1)
    bases = [r * top + 1 for top in maxima]  # r entries summed never reach the base

    def pack(levels: Sequence[int]) -> int:
        total = 0
        for value, base in zip(levels, bases, strict=True):
            total = total * base + value
        return total

    forbidden = 1
    for base in bases:
        forbidden *= base  # above any sum of r allowed entries: never chosen over them

    cost: list[list[int]] = []
    for role in roles:
        row = []
        for rank, (person, copy) in enumerate(columns):
            if not person.can_hold(role):
                row.append(forbidden)
                continue
            key = (role, person.member_id)
            excess = held.get(key, 0) - fewest[role]
            row.append(
                pack(
                    (
                        1 if copy else 0,  # rule 2: a second role for someone
                        copy,  # rule 2: spread the doubling (third roles last)
                        1 if excess else 0,  # rule 3: roles not given to a fewest-held member
                        excess,  # rule 3: and by how much they miss
                        behind[person.member_id],  # rule 4: furthest behind their share
                        last.get(key, 0),  # rule 4: least recently held first
                        rank // r,  # rule 4: lowest member id
                    )
                )
            )
        cost.append(row)

    chosen = _hungarian(cost)
    return Assignment(
        (role, columns[column][0].member_id) for role, column in zip(roles, chosen, strict=True)
    )


def swap[M: _MemberId](
    assignment: Mapping[str, M],
    role_a: str,
    role_b: str,
    *,
    members: Sequence[MemberAvailability[M]] | None = None,
) -> Assignment[M]:
    """The assignment with the holders of ``role_a`` and ``role_b`` swapped, as when the chair
    and the note-taker agree to trade. The original is left as it was.

    If ``members`` is given, each must be willing and available for the role they take on.
    Raises ``RotationError`` for a role not in the assignment or a member who cannot hold
    their new role."""
    for role in (role_a, role_b):
        if role not in assignment:
            raise RotationError(f'There is no "{role}" in this meeting\'s roles to swap.')
    result = Assignment(assignment)
    result[role_a], result[role_b] = assignment[role_b], assignment[role_a]
    if members is not None:
        _check_can_hold(result, (role_a, role_b), members)
    return result


def hand_over[M: _MemberId](
    assignment: Mapping[str, M],
    role: str,
    to: M,
    *,
    members: Sequence[MemberAvailability[M]],
) -> Assignment[M]:
    """The assignment with ``role`` handed to member ``to``, as when a note-taker asks someone
    without a role to take over. If ``to`` already holds another role, the two swap, so
    nobody ends up with two roles by handing over. The original is left as it was.

    Raises ``RotationError`` for a role not in the assignment or a member who is not willing
    and available for the role they take on."""
    if role not in assignment:
        raise RotationError(f'There is no "{role}" in this meeting\'s roles to hand over.')
    for other, holder in assignment.items():
        if holder == to and other != role:
            return swap(assignment, role, other, members=members)
    result = Assignment(assignment)
    result[role] = to
    _check_can_hold(result, (role,), members)
    return result


def _check_can_hold[M: _MemberId](
    assignment: Mapping[str, M], roles: Sequence[str], members: Sequence[MemberAvailability[M]]
) -> None:
    by_id = {m.member_id: m for m in members}
    for role in roles:
        member = by_id.get(assignment[role])
        if member is None or not member.can_hold(role):
            raise RotationError(
                f'{assignment[role]!r} is not willing and available to be "{role}".'
            )


def _hungarian(cost: Sequence[Sequence[int]]) -> list[int]:
    """For each row, the column of a minimum-cost assignment of rows to distinct columns.

    Needs at least as many columns as rows. The shortest-augmenting-path Hungarian method
    with row and column potentials, O(rows^2 * columns); exact on Python integers."""
    rows, cols = len(cost), len(cost[0])
    inf = float("inf")
    u = [0] * (rows + 1)  # row potentials (1-based; 0 is a sentinel)
    v = [0] * (cols + 1)  # column potentials
    match = [0] * (cols + 1)  # match[j] = row holding column j, 0 for none
    way = [0] * (cols + 1)  # previous column on the augmenting path
    for i in range(1, rows + 1):
        match[0] = i
        j0 = 0
        minv: list[float] = [inf] * (cols + 1)
        used = [False] * (cols + 1)
        while True:
            used[j0] = True
            i0 = match[j0]
            delta: float = inf
            j1 = 0
            for j in range(1, cols + 1):
                if not used[j]:
                    reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if reduced < minv[j]:
                        minv[j] = reduced
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            # delta is finite: there are more columns than rows, so one is always unused,
            # and every entry is an integer, so the potentials stay integers.
            step = int(delta)
            for j in range(cols + 1):
                if used[j]:
                    u[match[j]] += step
                    v[j] -= step
                else:
                    minv[j] -= step
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    chosen = [0] * rows
    for j in range(1, cols + 1):
        if match[j]:
            chosen[match[j] - 1] = j - 1
    return chosen


def _behind_ranks[M: _MemberId](
    roles: Sequence[str],
    people: Sequence[MemberAvailability[M]],
    history: Sequence[tuple[str, M]],
    load: Mapping[M, int],
) -> dict[M, int]:
    """Rank the members by how far behind their fair share of roles they are, 0 furthest.

    A member willing to hold role R, shared among |W_R| willing members, owes one turn in
    |W_R| of R's meetings. Their share after the next meeting is the sum over their roles of
    (times R was held + 1) / |W_R|; being behind is that share minus the roles they did
    hold. Giving roles to whoever is furthest behind first serves the members who are
    willing for many roles (and so needed often) before they become the only choice left
    for two roles at once."""

    willing_count = {role: sum(1 for p in people if p.can_hold(role)) for role in roles}
    times = {role: 0 for role in roles}
    for role, _ in history:
        if role in times:
            times[role] += 1
    behind = {
        p.member_id: sum(
            (Fraction(times[role] + 1, willing_count[role]) for role in roles if p.can_hold(role)),
            Fraction(0),
        )
        - load.get(p.member_id, 0)
        for p in people
    }
    levels = sorted(set(behind.values()), reverse=True)
    rank = {value: i for i, value in enumerate(levels)}
    return {member: rank[value] for member, value in behind.items()}
