"""What one viewer is shown of one proposal, put together once for the page and the API.

Everything here asks `sameboat.policy` first: the running count only where the process
allows it, names beside stances only when the proposal is not anonymous, objections under
consent (without names when anonymous). The rows it builds carry a name only where one may
be shown, so a template cannot show what it was never given.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sameboat import policy
from sameboat.decisions import selectors
from sameboat.decisions.models import (
    STANCE_KINDS,
    Process,
    Proposal,
    ProposalStatus,
    Stance,
    StanceKind,
)
from sameboat.decisions.statements import StoredOutcome, outcome_statement, tie_rule_label
from sameboat.groups.models import GroupMember
from sameboat.networks.models import Member


@dataclass(frozen=True, slots=True)
class CountRow:
    key: str  # the stance kind or the option, as the API names it
    label: str
    count: int
    mean: str = ""


@dataclass(frozen=True, slots=True)
class RoundRow:
    option: str
    counts: list[int | None]  # None once the option is out of the count


@dataclass(frozen=True, slots=True)
class RoundsTable:
    numbers: list[int]
    rows: list[RoundRow]
    exhausted: list[int]
    notes: list[str]


@dataclass(frozen=True, slots=True)
class StanceRow:
    ref: str
    name: str | None  # None when the proposal is anonymous
    summary: str
    reason: str


@dataclass(frozen=True, slots=True)
class ObjectionRow:
    ref: str
    name: str | None
    reason: str
    resolved: bool
    resolution_note: str
    resolved_by: str
    can_resolve: bool


@dataclass(slots=True)
class ProposalView:
    eligible: int
    participants: int
    quorum_text: str
    my_stance: Stance | None
    my_summary: str
    can_take_part: bool
    can_take_stance: bool
    can_close: bool
    can_withdraw: bool
    show_counts: bool
    show_names: bool
    show_objections: bool
    counts: list[CountRow] = field(default_factory=list)
    rounds: RoundsTable | None = None
    stances: list[StanceRow] = field(default_factory=list)
    objections: list[ObjectionRow] = field(default_factory=list)
    statement: str = ""
    winner: str = ""


def _mean(value: float) -> str:
    return number_format(Decimal(f"{value:.2f}"), 2)


def summary(proposal: Proposal, stance: Stance) -> str:
    """A stance in words: the stance, the scores, or the ranking."""
    if proposal.process == Process.SCORE:
        # In the proposal's option order: PostgreSQL's jsonb does not keep a dict's order.
        return ", ".join(
            _("%(option)s: %(score)d") % {"option": option, "score": stance.scores[option]}
            for option in proposal.options
            if option in stance.scores
        )
    if proposal.process == Process.RANKED_CHOICE:
        return ", ".join(
            _("%(rank)d. %(option)s") % {"rank": rank, "option": option}
            for rank, option in enumerate(stance.ranking, start=1)
        )
    return str(StanceKind(stance.kind).label)


def quorum_text(proposal: Proposal) -> str:
    count, percent = proposal.quorum_count, proposal.quorum_percent
    if count is None and percent is None:
        return _("No quorum: any turnout is enough.")
    if percent is None:
        assert count is not None
        return ngettext(
            "Quorum: at least %(count)d person must take part.",
            "Quorum: at least %(count)d people must take part.",
            count,
        ) % {"count": count}
    if count is None:
        return _("Quorum: at least %(percent)d%% of those who may take part must take part.") % {
            "percent": percent
        }
    return ngettext(
        "Quorum: at least %(count)d person, and at least %(percent)d%% of those who may take "
        "part, must take part.",
        "Quorum: at least %(count)d people, and at least %(percent)d%% of those who may take "
        "part, must take part.",
        count,
    ) % {"count": count, "percent": percent}


def _stance_counts(proposal: Proposal, counts: dict[str, int]) -> list[CountRow]:
    return [
        CountRow(key=kind.value, label=str(kind.label), count=counts.get(kind.value, 0))
        for kind in STANCE_KINDS[proposal.process]
    ]


def _rounds(proposal: Proposal, outcome: StoredOutcome) -> RoundsTable:
    rounds = outcome["rounds"]
    notes = []
    for r in rounds:
        if r["eliminated"]:
            if r["tie_break"]:
                notes.append(
                    _(
                        "Round %(number)d: %(option)s dropped out (a tie for last place, "
                        "broken by %(rule)s)."
                    )
                    % {
                        "number": r["number"],
                        "option": r["eliminated"],
                        "rule": tie_rule_label(r["tie_break"]),
                    }
                )
            else:
                notes.append(
                    _("Round %(number)d: %(option)s dropped out.")
                    % {"number": r["number"], "option": r["eliminated"]}
                )
        if r["winner"]:
            notes.append(
                _("Round %(number)d: %(option)s has more than half of the continuing ballots.")
                % {"number": r["number"], "option": r["winner"]}
            )
    return RoundsTable(
        numbers=[r["number"] for r in rounds],
        rows=[
            RoundRow(option=option, counts=[r["counts"].get(option) for r in rounds])
            for option in proposal.options
        ],
        exhausted=[r["exhausted"] for r in rounds],
        notes=notes,
    )


def _outcome_counts(proposal: Proposal, outcome: StoredOutcome) -> list[CountRow]:
    if proposal.process == Process.SCORE:
        return [
            CountRow(
                key=option,
                label=option,
                count=outcome["counts"].get(option, 0),
                mean=_mean(outcome["means"].get(option, 0.0)),
            )
            for option in proposal.options
        ]
    if proposal.process == Process.RANKED_CHOICE:
        return [
            CountRow(key=option, label=option, count=outcome["counts"].get(option, 0))
            for option in proposal.options
        ]
    return _stance_counts(proposal, outcome["counts"])


def _stance_count(proposal: Proposal) -> int:
    counted = getattr(proposal, "stance_count", None)  # selectors.proposal_get annotates it
    return int(counted) if counted is not None else proposal.stances.count()


def _resolved_by(stance: Stance, named: bool) -> str:
    if not stance.is_resolved:
        return ""
    if not stance.resolved_by_facilitator:
        return _("the objector")
    if named and stance.resolved_by is not None:
        return _("%(name)s, as facilitator") % {"name": stance.resolved_by.display_name}
    return _("a facilitator")


def proposal_view(
    *, proposal: Proposal, viewer: Member, membership: GroupMember | None
) -> ProposalView:
    """What `viewer` is shown of `proposal` (read with `selectors.proposal_get`)."""
    mine = selectors.stance_of(proposal=proposal, member=viewer)
    is_open = proposal.status == ProposalStatus.OPEN
    can_take_part = policy.can_take_part(viewer, proposal, membership)
    outcome: StoredOutcome | None = proposal.outcome
    view = ProposalView(
        eligible=(
            outcome["eligible"]
            if outcome
            else selectors.eligible_members(proposal=proposal).count()
        ),
        participants=outcome["participants"] if outcome else _stance_count(proposal),
        quorum_text=quorum_text(proposal),
        my_stance=mine,
        my_summary=summary(proposal, mine) if mine else "",
        can_take_part=can_take_part,
        can_take_stance=can_take_part and proposal.accepts_stances() and mine is None,
        can_close=is_open and policy.can_close_proposal(viewer, proposal, membership),
        can_withdraw=is_open and policy.can_withdraw_proposal(viewer, proposal, membership),
        show_counts=policy.can_see_counts(viewer, proposal, membership),
        show_names=policy.can_see_who_took_which_stance(viewer, proposal, membership),
        show_objections=policy.can_see_objections(viewer, proposal, membership),
    )
    if outcome:
        view.statement = outcome_statement(outcome)
        view.winner = proposal.outcome_winner
        view.counts = _outcome_counts(proposal, outcome)
        if proposal.process == Process.RANKED_CHOICE:
            view.rounds = _rounds(proposal, outcome)
    elif view.show_counts and proposal.process in STANCE_KINDS:
        view.counts = _stance_counts(proposal, selectors.running_counts(proposal=proposal))

    if not (view.show_counts or view.show_objections):
        return view
    rows = list(
        selectors.stances_named(proposal=proposal)
        if view.show_names
        else selectors.stances_unnamed(proposal=proposal)
    )
    if view.show_counts:
        view.stances = [
            StanceRow(
                ref=str(row.ref),
                name=row.member.display_name if view.show_names else None,
                summary=summary(proposal, row),
                reason=row.reason,
            )
            for row in rows
        ]
    if view.show_objections:
        view.objections = [
            ObjectionRow(
                ref=str(row.ref),
                name=row.member.display_name if view.show_names else None,
                reason=row.reason,
                resolved=row.is_resolved,
                resolution_note=row.resolution_note,
                resolved_by=_resolved_by(row, view.show_names),
                can_resolve=(
                    proposal.accepts_stances()
                    and not row.is_resolved
                    and policy.can_resolve_objection(viewer, proposal, membership, row)
                ),
            )
            for row in rows
            if row.is_objection
        ]
    return view
