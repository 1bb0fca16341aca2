"""The outcome of a proposal as plain structured data, and its statement in words.

`tally.decide` explains its outcome in one English sentence. Members read Sameboat in
several languages, so the decisions app does not keep that sentence: at closing it stores the
outcome as structured data (`stored_outcome`), and `outcome_statement` writes the sentence
from it through gettext, in whatever language is active. Pages and the API render it at
display time, in the reader's language; the proposal also keeps the statement as written at
closing in the site's default language, as the record (`Proposal.outcome_statement`).

In English the statement reads exactly as tally's explanation does (a test holds them
together), so the two cannot drift apart in meaning.

The stored outcome carries counts only, never who took which stance, so it is safe to show
for an anonymous proposal.
"""

from decimal import Decimal
from typing import Any, TypedDict

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sameboat.decisions import tally

# tally's tie-break rules for ranked choice, as stored tokens.
_RANKED_TIE_RULES = {"first preferences": "first_preferences", "option order": "option_order"}


class StoredRound(TypedDict):
    number: int
    counts: dict[str, int]
    exhausted: int
    continuing: int
    eliminated: str | None
    tie_break: str | None
    winner: str | None


class StoredOutcome(TypedDict):
    process: str
    passed: bool
    winner: str | None
    quorum_met: bool
    quorum_required: int
    participants: int
    eligible: int
    counts: dict[str, int]
    means: dict[str, float]
    rounds: list[StoredRound]
    objections_resolved: int
    objections_unresolved: int
    blocks: int
    # Score: the option that led (whether or not quorum let it win), and how a tie on its
    # total was broken ("higher_mean" or "option_order"), with the options it tied with.
    leader: str | None
    tie_rule: str | None
    tied_with: list[str]


def stored_outcome(outcome: tally.Outcome, *, leader: tally.Outcome | None = None) -> StoredOutcome:
    """The outcome as JSON-ready data. For score, `leader` is the same count without quorum
    (tally names no winner when quorum is not met, yet the statement says who led)."""
    tie_rule: str | None = None
    tied_with: list[str] = []
    leading = leader.winner if leader is not None else None
    if outcome.process is tally.Process.SCORE and leader is not None and leader.tie_break:
        tie_rule = "higher_mean" if leader.tie_break.endswith("higher mean") else "option_order"
        best = leader.counts[leader.winner] if leader.winner else 0
        tied_with = [o for o, n in leader.counts.items() if n == best and o != leader.winner]
    return {
        "process": str(outcome.process),
        "passed": outcome.passed,
        "winner": outcome.winner,
        "quorum_met": outcome.quorum_met,
        "quorum_required": outcome.quorum_required,
        "participants": outcome.participants,
        "eligible": outcome.eligible,
        "counts": dict(outcome.counts),
        "means": dict(outcome.means),
        "rounds": [
            {
                "number": r.number,
                "counts": dict(r.counts),
                "exhausted": r.exhausted,
                "continuing": r.continuing,
                "eliminated": r.eliminated,
                "tie_break": _RANKED_TIE_RULES.get(r.tie_break or ""),
                "winner": r.winner,
            }
            for r in outcome.rounds
        ],
        "objections_resolved": sum(o.resolved for o in outcome.objections),
        "objections_unresolved": sum(not o.resolved for o in outcome.objections),
        "blocks": len(outcome.blocks),
        "leader": leading,
        "tie_rule": tie_rule,
        "tied_with": tied_with,
    }


# --- the statement --------------------------------------------------------------------------


def _quorum(o: StoredOutcome) -> str:
    values = {
        "required": o["quorum_required"],
        "eligible": o["eligible"],
        "participants": o["participants"],
    }
    if o["quorum_required"] == 0:
        return _("no quorum required; %(participants)d of %(eligible)d took part") % values
    if o["quorum_met"]:
        return _("quorum %(required)d of %(eligible)d met") % values
    return _("quorum %(required)d of %(eligible)d not met: %(participants)d took part") % values


def _sentence(headline: str, detail: str, o: StoredOutcome) -> str:
    # Translators: an outcome: a headline ("Passed by consent"), then what was counted, then
    # whether quorum was met.
    return _("%(headline)s: %(detail)s; %(quorum)s.") % {
        "headline": headline,
        "detail": detail,
        "quorum": _quorum(o),
    }


def _took_part(counts: dict[str, int]) -> str:
    return _("%(agreed)d agreed, %(aside)d stood aside") % {
        "agreed": counts.get("agree", 0),
        "aside": counts.get("stand_aside", 0),
    }


def _consent(o: StoredOutcome) -> str:
    took_part = _took_part(o["counts"])
    unresolved, resolved = o["objections_unresolved"], o["objections_resolved"]
    if unresolved:
        objected = ngettext(
            "%(count)d unresolved objection", "%(count)d unresolved objections", unresolved
        ) % {"count": unresolved}
    elif resolved:
        objected = _("no unresolved objection (%(count)d resolved)") % {"count": resolved}
    else:
        objected = _("no objection")
    both = {"took_part": took_part, "objected": objected}
    if o["passed"]:
        return _sentence(_("Passed by consent"), _("%(took_part)s, %(objected)s") % both, o)
    if o["participants"] == 0:
        return _sentence(_("Not passed"), _("nobody took part"), o)
    if not o["quorum_met"]:
        return _sentence(_("Not passed"), _("%(took_part)s, %(objected)s") % both, o)
    return _sentence(_("Not passed"), _("%(objected)s (%(took_part)s)") % both, o)


def _consensus(o: StoredOutcome) -> str:
    took_part = _took_part(o["counts"])
    if o["blocks"]:
        blocks = ngettext("%(count)d block", "%(count)d blocks", o["blocks"]) % {
            "count": o["blocks"]
        }
        detail = _("%(blocks)s (%(took_part)s)") % {"blocks": blocks, "took_part": took_part}
        return _sentence(_("Stopped by consensus"), detail, o)
    if o["passed"]:
        detail = _("%(took_part)s, no block") % {"took_part": took_part}
        return _sentence(_("Passed by consensus"), detail, o)
    if o["counts"].get("agree", 0) == 0 and o["quorum_met"]:
        detail = _("nobody agreed (%(took_part)s)") % {"took_part": took_part}
        return _sentence(_("Not passed"), detail, o)
    return _sentence(_("Not passed"), _("%(took_part)s, no block") % {"took_part": took_part}, o)


def _majority(o: StoredOutcome) -> str:
    yes, no = o["counts"].get("yes", 0), o["counts"].get("no", 0)
    counted = _("%(yes)d yes, %(no)d no, %(abstain)d abstained") % {
        "yes": yes,
        "no": no,
        "abstain": o["counts"].get("abstain", 0),
    }
    if o["passed"]:
        return _sentence(_("Passed by majority"), counted, o)
    if o["quorum_met"] and yes == no:
        detail = _("tied %(yes)d to %(no)d, and a tie fails (%(counted)s)") % {
            "yes": yes,
            "no": no,
            "counted": counted,
        }
        return _sentence(_("Not passed"), detail, o)
    return _sentence(_("Not passed"), counted, o)


def _points(n: int) -> str:
    return ngettext("%(count)d point", "%(count)d points", n) % {"count": n}


def _score(o: StoredOutcome) -> str:
    leader = o["leader"]
    if leader is None:
        return _sentence(_("No winner"), _("no option received any points"), o)
    points = _points(o["counts"][leader])
    if not o["quorum_met"]:
        detail = _("%(option)s led with %(points)s") % {"option": leader, "points": points}
        return _sentence(_("No winner"), detail, o)
    detail = _("%(option)s with %(points)s (mean %(mean)s)") % {
        "option": leader,
        "points": points,
        # Rounded as tally rounds it (number_format alone would truncate), then localised.
        "mean": number_format(Decimal(f"{o['means'][leader]:.2f}"), 2),
    }
    if o["tie_rule"]:
        values = {"points": points, "others": ", ".join(o["tied_with"])}
        if o["tie_rule"] == "higher_mean":
            tie = _("tie on %(points)s with %(others)s broken by higher mean") % values
        else:
            tie = _("tie on %(points)s with %(others)s broken by option order (equal means)") % (
                values
            )
        detail = _("%(detail)s, %(tie)s") % {"detail": detail, "tie": tie}
    return _sentence(_("Chosen by score"), detail, o)


def _ranked(o: StoredOutcome) -> str:
    final = o["rounds"][-1] if o["rounds"] else None
    winner = final["winner"] if final else None
    if final is None or winner is None:
        if o["participants"] == 0:
            return _sentence(_("No winner"), _("no ballots to count"), o)
        return _sentence(_("No winner"), _("every ballot was exhausted"), o)
    values: dict[str, Any] = {
        "option": winner,
        "votes": final["counts"][winner],
        "continuing": final["continuing"],
        "round": final["number"],
    }
    if o["quorum_met"]:
        detail = (
            _("%(option)s with %(votes)d of %(continuing)d continuing ballots in round %(round)d")
            % values
        )
    else:
        detail = (
            _(
                "%(option)s led with %(votes)d of %(continuing)d continuing ballots in round "
                "%(round)d"
            )
            % values
        )
    if final["exhausted"]:
        exhausted = ngettext("%(count)d ballot", "%(count)d ballots", final["exhausted"]) % {
            "count": final["exhausted"]
        }
        detail = _("%(detail)s (%(exhausted)s exhausted)") % {
            "detail": detail,
            "exhausted": exhausted,
        }
    tie_breaks = sum(r["tie_break"] is not None for r in o["rounds"])
    if tie_breaks:
        counted = ngettext("%(count)d tie-break", "%(count)d tie-breaks", tie_breaks) % {
            "count": tie_breaks
        }
        detail = _("%(detail)s, after %(tie_breaks)s for last place") % {
            "detail": detail,
            "tie_breaks": counted,
        }
    headline = _("Chosen by ranked choice") if o["quorum_met"] else _("No winner")
    return _sentence(headline, detail, o)


_STATEMENTS = {
    tally.Process.CONSENT: _consent,
    tally.Process.CONSENSUS: _consensus,
    tally.Process.MAJORITY: _majority,
    tally.Process.SCORE: _score,
    tally.Process.RANKED_CHOICE: _ranked,
}


def outcome_statement(outcome: StoredOutcome) -> str:
    """One sentence a member can read, in the active language."""
    return _STATEMENTS[tally.Process(outcome["process"])](outcome)


def tie_rule_label(rule: str | None) -> str:
    """How a tie for last place in a round of ranked choice was broken, in words."""
    if rule == "first_preferences":
        return _("fewer first preferences")
    if rule == "option_order":
        return _("listed later")
    return ""
