"""Writes for decisions: putting a proposal, taking a stance, resolving an objection, closing
and withdrawing. Each checks the rule it enforces and raises ValidationError with a message a
person can act on; nothing is written when it does.

Every write that depends on the proposal's state locks its row first, so a stance and the
closing cannot cross: a stance either lands before the count or is refused as too late.

Closing, and the notices around it:

- `proposal_create` tells those who may take part (not the author) that it is open, and once
  it commits, enqueues two deferred tasks: the "closes soon" notice at
  `closing_notice_at` and the closing itself at `closes_at` (see tasks.py).
- `proposal_close_due` is what the closing task runs: idempotent, and a no-op for a
  proposal already decided or withdrawn (closed early, closed by the sweep, run twice); a
  task that runs late closes it late, with the same outcome.
- `proposals_close_due` and `proposals_notify_closing_due` are the sweep, so nothing stays
  open if a task was lost.
- Deciding stores the outcome, withdraws the "open" and "closes soon" notices not yet sent,
  and tells everyone who may take part that it is decided.
"""

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sameboat import policy
from sameboat.decisions import selectors, tally
from sameboat.decisions.models import (
    OPTION_PROCESSES,
    STANCE_KINDS,
    Process,
    Proposal,
    ProposalStatus,
    Stance,
    closing_notice_time,
)
from sameboat.decisions.statements import outcome_statement, stored_outcome
from sameboat.groups.models import Group, GroupMember
from sameboat.groups.selectors import membership_of
from sameboat.networks.models import Member, Network
from sameboat.notifications.models import NotificationKind
from sameboat.notifications.services import notifications_withdraw, notify_members

logger = logging.getLogger(__name__)

MIN_OPEN = timedelta(minutes=10)
MAX_OPEN = timedelta(days=90)
MIN_OPTIONS = 2
MAX_OPTIONS = 20
OPTION_MAX_LENGTH = 200
MAX_SCORE_LIMIT = 10
MAX_TEXT = 10_000
MAX_REASON = 2_000
QUORUM_COUNT_LIMIT = 100_000


def _membership(proposal_or_group: Proposal | Group | None, member: Member) -> GroupMember | None:
    if isinstance(proposal_or_group, Proposal):
        return selectors.membership_for(proposal=proposal_or_group, member=member)
    if proposal_or_group is None:
        return None
    return membership_of(group=proposal_or_group, member=member)


def _locked(proposal: Proposal) -> Proposal:
    """The proposal read again under a row lock, with what the policy and notices read."""
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("network", "group")
        .get(pk=proposal.pk)
    )


def _path(proposal: Proposal) -> str:
    return reverse(
        "decisions:detail",
        kwargs={"network": proposal.network.slug, "decision_id": proposal.pk},
    )


def _not_open_message(proposal: Proposal) -> str:
    if proposal.status == ProposalStatus.DECIDED:
        return _("This proposal has been decided; it takes no more stances.")
    if proposal.status == ProposalStatus.WITHDRAWN:
        return _("This proposal was withdrawn by its author.")
    return _("This proposal closed at its closing time; it takes no more stances.")


# --- putting a proposal ---------------------------------------------------------------------


def _clean_options(process: str, options: list[str] | tuple[str, ...]) -> list[str]:
    cleaned = [str(option).strip() for option in options if str(option).strip()]
    if process not in OPTION_PROCESSES:
        if cleaned:
            raise ValidationError(
                {"options": _("Only score and ranked choice choose between options.")}
            )
        return []
    if not MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS:
        raise ValidationError(
            {
                "options": _("Give from %(min)d to %(max)d options, one a line.")
                % {"min": MIN_OPTIONS, "max": MAX_OPTIONS}
            }
        )
    if any(len(option) > OPTION_MAX_LENGTH for option in cleaned):
        raise ValidationError(
            {"options": _("Keep each option to %(max)d characters.") % {"max": OPTION_MAX_LENGTH}}
        )
    if len({option.casefold() for option in cleaned}) != len(cleaned):
        raise ValidationError({"options": _("Give each option once.")})
    return cleaned


@transaction.atomic
def proposal_create(
    *,
    network: Network,
    by: Member,
    title: str,
    process: str,
    closes_at: datetime,
    group: Group | None = None,
    text: str = "",
    options: list[str] | tuple[str, ...] = (),
    max_score: int = tally.DEFAULT_MAX_SCORE,
    quorum_count: int | None = None,
    quorum_percent: int | None = None,
    anonymous: bool = False,
    now: datetime | None = None,
) -> Proposal:
    """Put a proposal to a group (or, with no group, to the whole network). It opens at once:
    those who may take part are told, and its closing is queued for `closes_at`."""
    now = now or timezone.now()
    if by.network_id != network.pk or (group is not None and group.network_id != network.pk):
        raise ValidationError(_("You are not a member of this network."))
    if not policy.can_propose(by, group, _membership(group, by)):
        if group is None:
            raise ValidationError(
                _("Only facilitators, coordinators and admins put proposals to the whole network.")
            )
        raise ValidationError(_("Only the group's members put proposals to it."))
    errors: dict[str, str] = {}
    title = title.strip()
    if not title:
        errors["title"] = _("Give the proposal a short title.")
    elif len(title) > 200:
        errors["title"] = _("Keep the title to 200 characters.")
    if len(text) > MAX_TEXT:
        errors["text"] = _("Keep the proposal to %(max)d characters.") % {"max": MAX_TEXT}
    if process not in Process.values:
        errors["process"] = _("Choose how the proposal is decided.")
    if closes_at < now + MIN_OPEN:
        errors["closes_at"] = _("Give people at least ten minutes: close it later.")
    elif closes_at > now + MAX_OPEN:
        errors["closes_at"] = _("A proposal stays open for at most 90 days.")
    if process == Process.SCORE and not 1 <= max_score <= MAX_SCORE_LIMIT:
        errors["max_score"] = _("The highest score is from 1 to %(max)d.") % {
            "max": MAX_SCORE_LIMIT
        }
    if quorum_count is not None and not 1 <= quorum_count <= QUORUM_COUNT_LIMIT:
        errors["quorum_count"] = _("Leave it empty, or give a number of people from 1 up.")
    if quorum_percent is not None and not 1 <= quorum_percent <= 100:
        errors["quorum_percent"] = _("Leave it empty, or give a percentage from 1 to 100.")
    if errors:
        raise ValidationError(errors)
    cleaned_options = _clean_options(process, options)
    proposal = Proposal.objects.create(
        network=network,
        group=group,
        title=title,
        text=text.strip(),
        process=process,
        options=cleaned_options,
        max_score=max_score if process == Process.SCORE else tally.DEFAULT_MAX_SCORE,
        quorum_count=quorum_count,
        quorum_percent=quorum_percent,
        anonymous=anonymous,
        opens_at=now,
        closes_at=closes_at,
        closing_notice_at=closing_notice_time(now, closes_at),
        created_by=by,
    )
    notify_members(
        network_id=network.pk,
        members=[m for m in selectors.eligible_members(proposal=proposal) if m.pk != by.pk],
        kind=NotificationKind.PROPOSAL_OPENED,
        topic=proposal.topic,
        path=_path(proposal),
    )
    transaction.on_commit(partial(_schedule, proposal.pk), robust=True)
    return proposal


def _schedule(proposal_id: int) -> None:
    # Imported here: the tasks module imports this one.
    from sameboat.decisions.tasks import schedule_proposal

    schedule_proposal(proposal_id)


# --- stances --------------------------------------------------------------------------------


def _check_kind(proposal: Proposal, kind: str) -> str:
    allowed = STANCE_KINDS[proposal.process]
    if kind not in allowed:
        names = ", ".join(str(choice.label) for choice in allowed)
        raise ValidationError({"kind": _("Choose one of: %(names)s.") % {"names": names}})
    return kind


def _check_scores(proposal: Proposal, scores: dict[str, Any]) -> dict[str, int]:
    if not isinstance(scores, dict):
        raise ValidationError({"scores": _("Give a score for each option you score.")})
    known = set(proposal.options)
    cleaned: dict[str, int] = {}
    for option, score in scores.items():
        if option not in known:
            raise ValidationError(
                {"scores": _("“%(option)s” is not one of the options.") % {"option": option}}
            )
        if isinstance(score, bool) or not isinstance(score, int):
            raise ValidationError({"scores": _("Scores are whole numbers.")})
        if not 0 <= score <= proposal.max_score:
            raise ValidationError(
                {
                    "scores": _("Give each option a score from 0 to %(max)d.")
                    % {"max": proposal.max_score}
                }
            )
        cleaned[option] = score
    if not cleaned:
        raise ValidationError(
            {"scores": _("Score at least one option (0 is a score, if you like none).")}
        )
    # In option order, so a stored ballot reads the way the proposal lists the options.
    return {option: cleaned[option] for option in proposal.options if option in cleaned}


def _check_ranking(proposal: Proposal, ranking: list[Any]) -> list[str]:
    if not isinstance(ranking, list):
        raise ValidationError({"ranking": _("Rank the options, most preferred first.")})
    known = set(proposal.options)
    for option in ranking:
        if option not in known:
            raise ValidationError(
                {"ranking": _("“%(option)s” is not one of the options.") % {"option": option}}
            )
    if len(set(ranking)) != len(ranking):
        raise ValidationError({"ranking": _("Rank each option at most once.")})
    if not ranking:
        raise ValidationError({"ranking": _("Rank at least one option.")})
    return [str(option) for option in ranking]


@transaction.atomic
def stance_take(
    *,
    proposal: Proposal,
    member: Member,
    kind: str = "",
    scores: dict[str, Any] | None = None,
    ranking: list[Any] | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Stance:
    """Take one's stance (consent, consensus, majority), score the options (score) or rank
    them (ranked choice), with an optional reason. Once: it cannot be changed or repeated."""
    proposal = _locked(proposal)
    now = now or timezone.now()
    if not proposal.accepts_stances(now):
        raise ValidationError(_not_open_message(proposal))
    if not policy.can_take_part(member, proposal, _membership(proposal, member)):
        if proposal.group_id is None:
            raise ValidationError(_("Only the network's active members take part."))
        raise ValidationError(_("Only the group's members take part in its decisions."))
    if Stance.objects.filter(proposal=proposal, member=member).exists():
        raise ValidationError(
            _("You have already taken your stance on this proposal; it cannot be changed.")
        )
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("Keep your reason to %(max)d characters.") % {"max": MAX_REASON}}
        )
    values: dict[str, Any] = {"kind": "", "scores": {}, "ranking": []}
    if proposal.process == Process.SCORE:
        values["scores"] = _check_scores(proposal, scores if scores is not None else {})
    elif proposal.process == Process.RANKED_CHOICE:
        values["ranking"] = _check_ranking(proposal, ranking if ranking is not None else [])
    else:
        values["kind"] = _check_kind(proposal, kind)
    try:
        # A savepoint: two requests racing past the check above meet the constraint, and the
        # loser gets the same message, with the caller's transaction still usable.
        with transaction.atomic():
            return Stance.objects.create(proposal=proposal, member=member, reason=reason, **values)
    except IntegrityError:
        raise ValidationError(
            _("You have already taken your stance on this proposal; it cannot be changed.")
        ) from None


@transaction.atomic
def objection_resolve(
    *, stance: Stance, by: Member, note: str, now: datetime | None = None
) -> Stance:
    """Mark an objection resolved, with a note saying how: by the objector, or by a
    facilitator (recorded as such). Not a second stance: the objection stays, resolved."""
    proposal = _locked(stance.proposal)
    stance = Stance.objects.select_for_update().get(pk=stance.pk)
    now = now or timezone.now()
    if proposal.process != Process.CONSENT:
        raise ValidationError(_("Only an objection under consent can be resolved."))
    if not stance.is_objection:
        raise ValidationError(_("That stance is not an objection."))
    if stance.is_resolved:
        raise ValidationError(_("This objection has already been resolved."))
    if not proposal.accepts_stances(now):
        raise ValidationError(_not_open_message(proposal))
    membership = _membership(proposal, by)
    if not policy.can_resolve_objection(by, proposal, membership, stance):
        raise ValidationError(_("Only the objector or a facilitator can resolve an objection."))
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say how the objection was resolved.")})
    if len(note) > MAX_REASON:
        raise ValidationError(
            {"note": _("Keep the note to %(max)d characters.") % {"max": MAX_REASON}}
        )
    stance.resolved_at = now
    stance.resolved_by = by
    stance.resolved_by_facilitator = by.pk != stance.member_id
    stance.resolution_note = note
    stance.save(
        update_fields=["resolved_at", "resolved_by", "resolved_by_facilitator", "resolution_note"]
    )
    return stance


# --- deciding -------------------------------------------------------------------------------


def _votes(proposal: Proposal) -> list[tally.Vote]:
    votes: list[tally.Vote] = []
    for stance in Stance.objects.filter(proposal=proposal).order_by("id"):
        # The voter id only lets tally catch a duplicate; it is never stored with the outcome.
        voter = str(stance.member_id)
        if proposal.process == Process.SCORE:
            votes.append(tally.ScoreBallot(voter, dict(stance.scores)))
        elif proposal.process == Process.RANKED_CHOICE:
            votes.append(tally.RankedBallot(voter, list(stance.ranking)))
        else:
            votes.append(
                tally.Stance(
                    voter,
                    stance.kind,
                    resolved=stance.is_resolved,
                    reason=stance.reason,
                )
            )
    return votes


def _decide(proposal: Proposal, *, now: datetime, closed_by: Member | None) -> Proposal:
    """Count the stances, store the outcome and tell everyone. The caller holds the lock."""
    votes = _votes(proposal)
    eligible = selectors.electorate_size(proposal=proposal)
    options = proposal.options if proposal.uses_options else None
    outcome = tally.decide(
        proposal.process,
        votes,
        eligible=eligible,
        quorum=proposal.quorum(),
        options=options,
        max_score=proposal.max_score,
    )
    # Score names who led even without quorum: the same count, quorum aside.
    leader = (
        tally.decide(
            proposal.process,
            votes,
            eligible=eligible,
            quorum=tally.Quorum(),
            options=options,
            max_score=proposal.max_score,
        )
        if proposal.process == Process.SCORE
        else None
    )
    stored = stored_outcome(outcome, leader=leader)
    with translation.override(settings.LANGUAGE_CODE):
        statement = outcome_statement(stored)
    proposal.status = ProposalStatus.DECIDED
    proposal.decided_at = now
    proposal.closed_early_by = closed_by if now < proposal.closes_at else None
    proposal.outcome = stored
    proposal.outcome_passed = outcome.passed
    proposal.outcome_winner = outcome.winner or ""
    proposal.outcome_statement = statement
    proposal.save(
        update_fields=[
            "status",
            "decided_at",
            "closed_early_by",
            "outcome",
            "outcome_passed",
            "outcome_winner",
            "outcome_statement",
        ]
    )
    notifications_withdraw(
        topic=proposal.topic,
        kinds=[NotificationKind.PROPOSAL_OPENED, NotificationKind.PROPOSAL_CLOSING],
    )
    notify_members(
        network_id=proposal.network_id,
        members=list(selectors.eligible_members(proposal=proposal)),
        kind=NotificationKind.PROPOSAL_DECIDED,
        topic=proposal.topic,
        path=_path(proposal),
    )
    return proposal


@transaction.atomic
def proposal_close(*, proposal: Proposal, by: Member, now: datetime | None = None) -> Proposal:
    """Close the proposal now and record its outcome: its author or a facilitator, before
    its time (recorded as an early close) or once its time has passed."""
    proposal = _locked(proposal)
    now = now or timezone.now()
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError(_not_open_message(proposal))
    if not policy.can_close_proposal(by, proposal, _membership(proposal, by)):
        raise ValidationError(_("Only the author or a facilitator can close a proposal early."))
    return _decide(proposal, now=now, closed_by=by)


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, by: Member, now: datetime | None = None) -> Proposal:
    """Withdraw the proposal undecided: its author, while it is open. Notices about it that
    have not gone out are withdrawn too."""
    proposal = _locked(proposal)
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError(_not_open_message(proposal))
    if not policy.can_withdraw_proposal(by, proposal, _membership(proposal, by)):
        raise ValidationError(_("Only its author can withdraw a proposal."))
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.withdrawn_at = now or timezone.now()
    proposal.save(update_fields=["status", "withdrawn_at"])
    notifications_withdraw(
        topic=proposal.topic,
        kinds=[NotificationKind.PROPOSAL_OPENED, NotificationKind.PROPOSAL_CLOSING],
    )
    return proposal


@transaction.atomic
def proposal_close_due(*, proposal_id: int, now: datetime | None = None) -> str:
    """Close a proposal whose time has come, once. Safe to run late, twice, or after an early
    close or a withdrawal: it then does nothing. Returns what it did."""
    now = now or timezone.now()
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("network", "group")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        return "missing"
    if proposal.status != ProposalStatus.OPEN:
        return "already closed"
    if proposal.closes_at > now:
        return "not due"
    _decide(proposal, now=now, closed_by=None)
    return "decided"


def proposals_close_due(*, now: datetime | None = None) -> int:
    """The sweep: close every open proposal past its time, each in its own transaction, so
    one that fails (and is logged) does not hold back the rest. Returns how many closed."""
    now = now or timezone.now()
    closed = 0
    for proposal_id in list(selectors.due_to_close(now=now).values_list("pk", flat=True)):
        try:
            closed += proposal_close_due(proposal_id=proposal_id, now=now) == "decided"
        except Exception:
            logger.exception("Proposal %s could not be closed", proposal_id)
    return closed


# --- "closes soon" --------------------------------------------------------------------------


@transaction.atomic
def proposal_notify_closing(*, proposal_id: int, now: datetime | None = None) -> int:
    """Tell those who may take part and have not yet that the proposal closes soon. Once per
    proposal, and only while it is open. Returns how many were told."""
    now = now or timezone.now()
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("network")
        .filter(pk=proposal_id)
        .first()
    )
    if (
        proposal is None
        or proposal.closing_notified_at is not None
        or not proposal.accepts_stances(now)
    ):
        return 0
    took_part = set(Stance.objects.filter(proposal=proposal).values_list("member_id", flat=True))
    waiting = [m for m in selectors.eligible_members(proposal=proposal) if m.pk not in took_part]
    told = notify_members(
        network_id=proposal.network_id,
        members=waiting,
        kind=NotificationKind.PROPOSAL_CLOSING,
        topic=proposal.topic,
        path=_path(proposal),
    )
    proposal.closing_notified_at = now
    proposal.save(update_fields=["closing_notified_at"])
    return len(told)


def proposals_notify_closing_due(*, now: datetime | None = None) -> int:
    """The sweep's other half: "closes soon" notices that are due and have not gone out (a
    lost task). Returns how many people were told."""
    now = now or timezone.now()
    told = 0
    for proposal_id in list(selectors.due_for_closing_notice(now=now).values_list("pk", flat=True)):
        try:
            told += proposal_notify_closing(proposal_id=proposal_id, now=now)
        except Exception:
            logger.exception("Proposal %s: closing notice failed", proposal_id)
    return told
