"""The outcome of a proposal from its stances or ballots. Pure: no Django.

``decide(process, votes, eligible=..., quorum=...)`` takes the plain dataclasses below and
returns an ``Outcome``: whether the proposal passed (or which option won), whether quorum was
met, the counts behind it, and a one-sentence explanation a member can read, such as
"Passed by consent: 7 agreed, 1 stood aside, no objection; quorum 6 of 9 met."
The decisions app turns its rows into these dataclasses and stores the outcome it gets back.

Processes
---------
* consent: stances ``agree``, ``stand_aside``, ``object``. Passes when quorum is met, at
  least one person took part, and no objection is unresolved (an objection carries
  ``resolved``). The outcome lists every objection, resolved or not.
* consensus: stances ``agree``, ``stand_aside``, ``block``. Any block stops it; otherwise it
  passes when quorum is met and at least one person agreed.
* majority: stances ``yes``, ``no``, ``abstain``. Passes when quorum is met and yes > no.
  Abstentions count toward quorum but not toward the majority; a tie fails.
* score: each ``ScoreBallot`` scores options from 0 to ``max_score`` (default 5). The
  option with the highest total wins; a tie on total goes to the higher mean (the mean over
  the ballots that scored that option, so an option left blank by some voters is not
  dragged down by their blanks), then to the option listed first. The outcome says when a
  tie-break decided. If no option got a single point there is no winner.
* ranked choice: instant runoff over ``RankedBallot`` rankings (some or all options, each
  at most once). Each round counts every ballot for its highest-ranked option still in the
  count; an option with more than half the ballots still counting wins. Otherwise the option
  with the fewest votes is eliminated and its ballots move on. A ballot with no option left
  is exhausted and no longer counts toward the majority. A tie for last place is broken by
  eliminating the option with fewer first preferences in round one, then, if still tied,
  the one listed later in ``options``. One option is eliminated per round, and each round
  is reported.

Quorum
------
``Quorum(min_count, min_fraction)`` asks for at least ``min_count`` participants, and at
least ``min_fraction`` of the ``eligible`` voters (rounded up); with both set both apply,
with neither any turnout is enough. Everyone with a stance or ballot took part, including
those who stood aside or abstained and those who left a ballot blank. For score and ranked
choice the counts and rounds are reported even when quorum is not met, but no winner is.

Every input is checked before anything is counted: anything malformed raises ``TallyError``
(a ``ValueError``) whose message says which voter and what is wrong.

Determinism: counts are keyed in option (or stance kind) order, objections and blocks are
listed by voter id, and no step depends on the order of the votes, so shuffling them never
changes the outcome.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import TypedDict

__all__ = [
    "Objection",
    "Outcome",
    "Process",
    "Quorum",
    "RankedBallot",
    "Round",
    "ScoreBallot",
    "Stance",
    "StanceKind",
    "TallyError",
    "decide",
]

DEFAULT_MAX_SCORE = 5


class TallyError(ValueError):
    """The votes or settings given to ``decide`` cannot be counted as they stand."""


class Process(StrEnum):
    CONSENT = "consent"
    CONSENSUS = "consensus"
    MAJORITY = "majority"
    SCORE = "score"
    RANKED_CHOICE = "ranked_choice"


class StanceKind(StrEnum):
    AGREE = "agree"
    STAND_ASIDE = "stand_aside"
    OBJECT = "object"
    BLOCK = "block"
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


# Which stances each stance-based process accepts, in the order counts are reported.
_KINDS: dict[Process, tuple[StanceKind, ...]] = {
    Process.CONSENT: (StanceKind.AGREE, StanceKind.STAND_ASIDE, StanceKind.OBJECT),
    Process.CONSENSUS: (StanceKind.AGREE, StanceKind.STAND_ASIDE, StanceKind.BLOCK),
    Process.MAJORITY: (StanceKind.YES, StanceKind.NO, StanceKind.ABSTAIN),
}


@dataclass(frozen=True)
class Stance:
    """One voter's stance under consent, consensus or majority.

    ``voter`` is an opaque id (``str(member.pk)`` will do); it only serves to catch a voter
    who appears twice and to name objectors and blockers. ``resolved`` applies only to an
    objection under consent. ``reason`` is carried through to the outcome's objections.
    """

    voter: str
    kind: StanceKind | str
    resolved: bool = False
    reason: str = ""


@dataclass(frozen=True)
class ScoreBallot:
    """One voter's scores, option -> 0..max_score. An option left out is not scored."""

    voter: str
    scores: Mapping[str, int]


@dataclass(frozen=True)
class RankedBallot:
    """One voter's ranking, most preferred first; it may rank some or all options."""

    voter: str
    ranking: Sequence[str]


Vote = Stance | ScoreBallot | RankedBallot


@dataclass(frozen=True)
class Quorum:
    """How many must take part: a count, a fraction of the eligible, both, or neither."""

    min_count: int | None = None
    min_fraction: float | None = None

    def __post_init__(self) -> None:
        if self.min_count is not None and (
            isinstance(self.min_count, bool)
            or not isinstance(self.min_count, int)
            or self.min_count < 0
        ):
            raise TallyError(f"quorum min_count must be a whole number ≥ 0, not {self.min_count!r}")
        if self.min_fraction is not None and not (0 <= self.min_fraction <= 1):
            raise TallyError(
                f"quorum min_fraction must be between 0 and 1, not {self.min_fraction!r}"
            )

    def required(self, eligible: int) -> int:
        """The number of participants needed out of ``eligible``."""
        needed = self.min_count or 0
        if self.min_fraction is not None:
            # Through the decimal text of the float, so 0.7 of 10 is exactly 7 and not
            # 7.000000000000001 (which would round up to 8).
            share = Fraction(str(self.min_fraction)) * eligible
            needed = max(needed, math.ceil(share))
        return needed


@dataclass(frozen=True)
class Objection:
    """An objection under consent, as the outcome reports it."""

    voter: str
    resolved: bool
    reason: str = ""


@dataclass(frozen=True)
class Round:
    """One round of an instant runoff.

    ``counts`` holds every option still in the count at the start of the round, in option
    order; ``exhausted`` the ballots with no such option left (including blank ones).
    ``eliminated`` is the option dropped at the end of the round, and ``tie_break`` says
    which rule chose it when several shared last place ("first preferences" or "option
    order"); ``winner`` is set on the round that decided.
    """

    number: int
    counts: Mapping[str, int]
    exhausted: int
    continuing: int
    eliminated: str | None = None
    tie_break: str | None = None
    winner: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What a proposal came to, and why.

    ``passed`` is true when a stance-based proposal passed or when score or ranked choice
    chose a ``winner``. ``counts`` holds stance counts (consent, consensus, majority),
    total points per option (score) or first preferences per option (ranked choice).
    """

    process: Process
    passed: bool
    winner: str | None
    quorum_met: bool
    quorum_required: int
    participants: int
    eligible: int
    counts: Mapping[str, int]
    explanation: str
    means: Mapping[str, float] = field(default_factory=dict)
    rounds: tuple[Round, ...] = ()
    objections: tuple[Objection, ...] = ()
    blocks: tuple[str, ...] = ()
    tie_break: str | None = None


def decide(
    process: Process | str,
    votes: Sequence[Vote],
    *,
    eligible: int,
    quorum: Quorum,
    options: Sequence[str] | None = None,
    max_score: int = DEFAULT_MAX_SCORE,
) -> Outcome:
    """Decide a proposal under ``process`` from its votes.

    ``votes`` are ``Stance`` objects for consent, consensus and majority, ``ScoreBallot``
    for score, ``RankedBallot`` for ranked choice. ``options`` (required for score and
    ranked choice, refused otherwise) fixes the order used for reporting and tie-breaks.
    Raises ``TallyError`` on anything that cannot be counted.
    """
    try:
        process = Process(process)
    except ValueError:
        raise TallyError(f"unknown process {process!r}") from None
    votes = tuple(votes)
    if isinstance(eligible, bool) or not isinstance(eligible, int) or eligible < 0:
        raise TallyError(f"eligible must be a whole number ≥ 0, not {eligible!r}")
    _check_voters_unique(votes)
    if len(votes) > eligible:
        # More votes than voters means the caller counted the electorate wrongly; a quorum
        # measured against the wrong electorate would be meaningless.
        raise TallyError(f"{len(votes)} voters took part but only {eligible} are eligible")
    quorum_check = _QuorumCheck(
        participants=len(votes), required=quorum.required(eligible), eligible=eligible
    )

    if process in _KINDS:
        if options:
            raise TallyError(f"{process} takes no options")
        stances = _stances(process, votes)
        if process is Process.CONSENT:
            return _consent(stances, quorum_check)
        if process is Process.CONSENSUS:
            return _consensus(stances, quorum_check)
        return _majority(stances, quorum_check)

    option_list = _options(process, options)
    if process is Process.SCORE:
        if isinstance(max_score, bool) or not isinstance(max_score, int) or max_score < 1:
            raise TallyError(f"max_score must be a whole number ≥ 1, not {max_score!r}")
        return _score(_score_ballots(votes, option_list, max_score), option_list, quorum_check)
    return _ranked(_ranked_ballots(votes, option_list), option_list, quorum_check)


# --- validation ---------------------------------------------------------------------------


def _check_voters_unique(votes: Sequence[Vote]) -> None:
    seen: set[str] = set()
    for vote in votes:
        if vote.voter in seen:
            raise TallyError(f"voter {vote.voter!r} appears more than once")
        seen.add(vote.voter)


def _stances(process: Process, votes: Sequence[Vote]) -> tuple[tuple[Stance, StanceKind], ...]:
    """Each stance with its kind checked against what ``process`` accepts."""
    allowed = _KINDS[process]
    checked = []
    for vote in votes:
        if not isinstance(vote, Stance):
            raise TallyError(f"{process} takes stances, not {type(vote).__name__} ({vote.voter!r})")
        try:
            kind = StanceKind(vote.kind)
        except ValueError:
            kind = None
        if kind not in allowed:
            names = ", ".join(allowed)
            raise TallyError(
                f"unknown stance {vote.kind!r} from voter {vote.voter!r}: {process} takes {names}"
            )
        assert kind is not None  # narrowed by the membership test above
        if vote.resolved and kind is not StanceKind.OBJECT:
            # Only an objection can be resolved; a flag elsewhere means the caller mixed up
            # rows, and silently ignoring it would hide that.
            raise TallyError(f"only an objection can be resolved ({vote.voter!r}: {kind})")
        checked.append((vote, kind))
    return tuple(checked)


def _options(process: Process, options: Sequence[str] | None) -> tuple[str, ...]:
    if not options:
        raise TallyError(f"{process} needs at least one option")
    if isinstance(options, str):
        # A bare string is a sequence of letters; almost certainly a mistake.
        raise TallyError("options must be a sequence of option names, not one string")
    option_list = tuple(options)
    duplicates = sorted(name for name, n in Counter(option_list).items() if n > 1)
    if duplicates:
        raise TallyError(f"options listed more than once: {', '.join(duplicates)}")
    return option_list


def _score_ballots(
    votes: Sequence[Vote], options: tuple[str, ...], max_score: int
) -> tuple[ScoreBallot, ...]:
    known = set(options)
    for vote in votes:
        if not isinstance(vote, ScoreBallot):
            raise TallyError(f"score takes score ballots, not {type(vote).__name__}")
        for option, score in vote.scores.items():
            if option not in known:
                raise TallyError(f"voter {vote.voter!r} scored unknown option {option!r}")
            if isinstance(score, bool) or not isinstance(score, int):
                raise TallyError(
                    f"voter {vote.voter!r} gave {option!r} a score of {score!r}: scores are "
                    "whole numbers"
                )
            if not 0 <= score <= max_score:
                raise TallyError(
                    f"voter {vote.voter!r} gave {option!r} a score of {score}, outside "
                    f"0 to {max_score}"
                )
    return tuple(vote for vote in votes if isinstance(vote, ScoreBallot))


def _ranked_ballots(votes: Sequence[Vote], options: tuple[str, ...]) -> tuple[RankedBallot, ...]:
    known = set(options)
    for vote in votes:
        if not isinstance(vote, RankedBallot):
            raise TallyError(f"ranked choice takes ranked ballots, not {type(vote).__name__}")
        if isinstance(vote.ranking, str):
            raise TallyError(f"voter {vote.voter!r}'s ranking must be a sequence of options")
        seen: set[str] = set()
        for option in vote.ranking:
            if option not in known:
                raise TallyError(f"voter {vote.voter!r} ranked unknown option {option!r}")
            if option in seen:
                raise TallyError(f"voter {vote.voter!r} ranked {option!r} more than once")
            seen.add(option)
    return tuple(vote for vote in votes if isinstance(vote, RankedBallot))


# --- quorum and wording -------------------------------------------------------------------


@dataclass(frozen=True)
class _QuorumCheck:
    participants: int
    required: int
    eligible: int

    @property
    def met(self) -> bool:
        return self.participants >= self.required

    def text(self) -> str:
        if self.required == 0:
            return f"no quorum required; {self.participants} of {self.eligible} took part"
        if self.met:
            return f"quorum {self.required} of {self.eligible} met"
        return f"quorum {self.required} of {self.eligible} not met: {self.participants} took part"

    def fields(self) -> _QuorumFields:
        """The outcome's quorum fields, to splat into ``Outcome``."""
        return {
            "quorum_met": self.met,
            "quorum_required": self.required,
            "participants": self.participants,
            "eligible": self.eligible,
        }


class _QuorumFields(TypedDict):
    quorum_met: bool
    quorum_required: int
    participants: int
    eligible: int


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _sentence(headline: str, detail: str, quorum: _QuorumCheck) -> str:
    return f"{headline}: {detail}; {quorum.text()}."


# --- stance-based processes ---------------------------------------------------------------


def _count(process: Process, stances: Sequence[tuple[Stance, StanceKind]]) -> dict[str, int]:
    counted = Counter(kind for _, kind in stances)
    return {str(kind): counted[kind] for kind in _KINDS[process]}


def _consent(stances: Sequence[tuple[Stance, StanceKind]], quorum: _QuorumCheck) -> Outcome:
    counts = _count(Process.CONSENT, stances)
    objections = tuple(
        sorted(
            (
                Objection(voter=s.voter, resolved=s.resolved, reason=s.reason)
                for s, kind in stances
                if kind is StanceKind.OBJECT
            ),
            key=lambda o: o.voter,
        )
    )
    unresolved = sum(not o.resolved for o in objections)
    resolved = len(objections) - unresolved
    took_part = f"{counts['agree']} agreed, {counts['stand_aside']} stood aside"
    if unresolved:
        objected = _plural(unresolved, "unresolved objection")
    elif resolved:
        objected = f"no unresolved objection ({resolved} resolved)"
    else:
        objected = "no objection"
    # Silence is consent in a meeting, but a proposal nobody responded to has not been
    # consented to: ask for at least one participant whatever the quorum says.
    passed = quorum.met and not unresolved and quorum.participants > 0
    if passed:
        explanation = _sentence("Passed by consent", f"{took_part}, {objected}", quorum)
    elif quorum.participants == 0:
        explanation = _sentence("Not passed", "nobody took part", quorum)
    elif not quorum.met:
        explanation = _sentence("Not passed", f"{took_part}, {objected}", quorum)
    else:
        explanation = _sentence("Not passed", f"{objected} ({took_part})", quorum)
    return Outcome(
        **quorum.fields(),
        process=Process.CONSENT,
        passed=passed,
        winner=None,
        counts=counts,
        explanation=explanation,
        objections=objections,
    )


def _consensus(stances: Sequence[tuple[Stance, StanceKind]], quorum: _QuorumCheck) -> Outcome:
    counts = _count(Process.CONSENSUS, stances)
    blocks = tuple(sorted(s.voter for s, kind in stances if kind is StanceKind.BLOCK))
    took_part = f"{counts['agree']} agreed, {counts['stand_aside']} stood aside"
    passed = quorum.met and not blocks and counts["agree"] > 0
    if blocks:
        # A block stops the proposal whatever the turnout, so it leads the explanation.
        explanation = _sentence(
            "Stopped by consensus", f"{_plural(len(blocks), 'block')} ({took_part})", quorum
        )
    elif passed:
        explanation = _sentence("Passed by consensus", f"{took_part}, no block", quorum)
    elif counts["agree"] == 0 and quorum.met:
        explanation = _sentence("Not passed", f"nobody agreed ({took_part})", quorum)
    else:
        explanation = _sentence("Not passed", f"{took_part}, no block", quorum)
    return Outcome(
        **quorum.fields(),
        process=Process.CONSENSUS,
        passed=passed,
        winner=None,
        counts=counts,
        explanation=explanation,
        blocks=blocks,
    )


def _majority(stances: Sequence[tuple[Stance, StanceKind]], quorum: _QuorumCheck) -> Outcome:
    counts = _count(Process.MAJORITY, stances)
    yes, no, abstain = counts["yes"], counts["no"], counts["abstain"]
    tally = f"{yes} yes, {no} no, {abstain} abstained"
    passed = quorum.met and yes > no
    if passed:
        explanation = _sentence("Passed by majority", tally, quorum)
    elif quorum.met and yes == no:
        explanation = _sentence(
            "Not passed", f"tied {yes} to {no}, and a tie fails ({tally})", quorum
        )
    else:
        explanation = _sentence("Not passed", tally, quorum)
    return Outcome(
        **quorum.fields(),
        process=Process.MAJORITY,
        passed=passed,
        winner=None,
        counts=counts,
        explanation=explanation,
    )


# --- score --------------------------------------------------------------------------------


def _score(
    ballots: Sequence[ScoreBallot], options: tuple[str, ...], quorum: _QuorumCheck
) -> Outcome:
    totals = dict.fromkeys(options, 0)
    scored = dict.fromkeys(options, 0)
    for ballot in ballots:
        for option, score in ballot.scores.items():
            totals[option] += score
            scored[option] += 1
    # Exact fractions for comparing means, so equal means compare equal; floats to report.
    exact_means = {o: Fraction(totals[o], scored[o]) if scored[o] else Fraction(0) for o in options}
    means = {o: float(exact_means[o]) for o in options}

    best_total = max(totals.values())
    leaders = [o for o in options if totals[o] == best_total]
    tie_break: str | None = None
    if best_total == 0:
        # Every option at zero would otherwise "win" by option order with no support at all.
        winner: str | None = None
    elif len(leaders) == 1:
        winner = leaders[0]
    else:
        best_mean = max(exact_means[o] for o in leaders)
        by_mean = [o for o in leaders if exact_means[o] == best_mean]
        winner = by_mean[0]  # options are in their given order, so this is the first listed
        rule = "higher mean" if len(by_mean) == 1 else "option order (equal means)"
        others = ", ".join(o for o in leaders if o != winner)
        tie_break = f"tie on {_plural(best_total, 'point')} with {others} broken by {rule}"

    if winner is None:
        detail = "no option received any points"
        explanation = _sentence("No winner", detail, quorum)
    elif not quorum.met:
        explanation = _sentence(
            "No winner", f"{winner} led with {_plural(best_total, 'point')}", quorum
        )
        tie_break = None  # nothing was decided, so no tie-break was used
    else:
        detail = f"{winner} with {_plural(best_total, 'point')} (mean {means[winner]:.2f})"
        if tie_break:
            detail += f", {tie_break}"
        explanation = _sentence("Chosen by score", detail, quorum)
    chosen = winner if quorum.met else None
    return Outcome(
        **quorum.fields(),
        process=Process.SCORE,
        passed=chosen is not None,
        winner=chosen,
        counts=totals,
        means=means,
        explanation=explanation,
        tie_break=tie_break,
    )


# --- ranked choice (instant runoff) -------------------------------------------------------


def _ranked(
    ballots: Sequence[RankedBallot], options: tuple[str, ...], quorum: _QuorumCheck
) -> Outcome:
    rankings = [tuple(b.ranking) for b in ballots]
    continuing = list(options)
    rounds: list[Round] = []
    first_preferences: dict[str, int] = {}
    winner: str | None = None

    while True:
        still_in = set(continuing)
        counts = dict.fromkeys(continuing, 0)
        exhausted = 0
        for ranking in rankings:
            top = next((o for o in ranking if o in still_in), None)
            if top is None:
                exhausted += 1
            else:
                counts[top] += 1
        if not rounds:
            first_preferences = dict(counts)
        active = len(rankings) - exhausted
        number = len(rounds) + 1
        # max() keeps the first of equals, i.e. the first listed; only matters if it wins.
        leader = max(continuing, key=counts.__getitem__)
        if active and 2 * counts[leader] > active:
            winner = leader
            rounds.append(Round(number, counts, exhausted, active, winner=winner))
            break
        if active == 0:
            # Every ballot is exhausted (or there were none): nobody can reach a majority.
            rounds.append(Round(number, counts, exhausted, active))
            break
        eliminated, tie_break = _last_place(continuing, counts, first_preferences)
        rounds.append(Round(number, counts, exhausted, active, eliminated, tie_break))
        continuing.remove(eliminated)

    final = rounds[-1]
    tie_breaks = sum(r.tie_break is not None for r in rounds)
    if winner is None:
        detail = "no ballots to count" if not rankings else "every ballot was exhausted"
        explanation = _sentence("No winner", detail, quorum)
    else:
        verb = "with" if quorum.met else "led with"
        detail = (
            f"{winner} {verb} {final.counts[winner]} of {final.continuing} continuing ballots "
            f"in round {final.number}"
        )
        if final.exhausted:
            detail += f" ({_plural(final.exhausted, 'ballot')} exhausted)"
        if tie_breaks:
            detail += f", after {_plural(tie_breaks, 'tie-break')} for last place"
        headline = "Chosen by ranked choice" if quorum.met else "No winner"
        explanation = _sentence(headline, detail, quorum)
    chosen = winner if quorum.met else None
    return Outcome(
        **quorum.fields(),
        process=Process.RANKED_CHOICE,
        passed=chosen is not None,
        winner=chosen,
        counts=first_preferences,
        rounds=tuple(rounds),
        explanation=explanation,
        tie_break=(
            "; ".join(
                f"round {r.number}: {r.eliminated} eliminated by {r.tie_break}"
                for r in rounds
                if r.tie_break
            )
            or None
        ),
    )


def _last_place(
    continuing: Sequence[str], counts: Mapping[str, int], first_preferences: Mapping[str, int]
) -> tuple[str, str | None]:
    """The option to eliminate, and the tie-break rule that chose it (None if no tie)."""
    fewest = min(counts[o] for o in continuing)
    tied = [o for o in continuing if counts[o] == fewest]
    if len(tied) == 1:
        return tied[0], None
    # Fewer first preferences in round one marks the weaker option: it was ranked first by
    # fewer people before any transfers.
    fewest_first = min(first_preferences[o] for o in tied)
    still_tied = [o for o in tied if first_preferences[o] == fewest_first]
    if len(still_tied) == 1:
        return still_tied[0], "first preferences"
    # Last resort, fixed in advance so the count is reproducible: the option listed later.
    return still_tied[-1], "option order"
