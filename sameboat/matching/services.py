"""Writes for matching: runs, the review of their proposals, blocks, and each member's
helping preferences.

A run reads the network, asks the engine (a pure module) for the best set of matches, and in
one transaction, under a lock on the network's row, replaces the proposals nobody has acted
on with the new ones. A run that fails is recorded as failed and changes nothing else.
"""

import logging
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat import policy
from sameboat.aid.models import (
    ACTIVE_MATCH_STATUSES,
    Match,
    MatchSource,
    MatchStatus,
    ReviewState,
)
from sameboat.audit.services import audit_record
from sameboat.matching import engine, selectors
from sameboat.matching.models import (
    Block,
    DeclinedPair,
    MatchingRun,
    MatchingSchedule,
    RunStatus,
    RunTrigger,
    RunUnmatched,
)
from sameboat.networks.models import AccessibilityTag, MatchingMode, Member, Network
from sameboat.notifications.services import notify_match_proposed

logger = logging.getLogger(__name__)

BATCH = 500
ERROR_MAX = 2000


def _tell_on_commit(matches: Iterable[Match]) -> None:
    """Tell the two members of each proposal released to them, once the transaction commits
    (never for one rolled back). Robust: a proposal stands even if the news cannot be
    written; the notifications app logs the failure."""
    for match in matches:
        transaction.on_commit(partial(notify_match_proposed, match=match), robust=True)


# --- runs ---------------------------------------------------------------------------------


def _check_may_run(network: Network, by: Member | None) -> None:
    if by is None:
        return
    if by.network_id != network.pk or not policy.can_run_matching(by):
        raise PermissionDenied(_("Only coordinators can run matching."))


def matching_run_request(*, network: Network, by: Member | None = None) -> MatchingRun:
    """Ask the task worker for a run ("Find matches"). With a worker that runs tasks at once
    (the immediate backend) the run is finished when this returns; otherwise it is queued.
    A run already waiting for the worker is returned rather than queued twice."""
    from sameboat.matching import tasks  # tasks import this module

    _check_may_run(network, by)
    waiting = (
        MatchingRun.objects.filter(
            network=network,
            status=RunStatus.QUEUED,
            # one queued long ago was lost with its worker: queue another
            queued_at__gte=timezone.now() - selectors.RUN_WAITING_STALE,
        )
        .order_by("-queued_at", "-pk")
        .first()
    )
    if waiting is not None:
        return waiting
    run = MatchingRun.objects.create(network=network, started_by=by, trigger=RunTrigger.PERSON)
    tasks.run_matching.enqueue(run.pk)
    run.refresh_from_db()
    return run


def matching_run(
    *, network: Network, by: Member | None = None, trigger: RunTrigger | None = None
) -> MatchingRun:
    """Run matching for a network now, in this process, and return the finished run
    (succeeded or failed)."""
    _check_may_run(network, by)
    if trigger is None:
        trigger = RunTrigger.PERSON if by is not None else RunTrigger.COMMAND
    run = MatchingRun.objects.create(network=network, started_by=by, trigger=trigger)
    return matching_run_execute(run=run)


def matching_run_execute(*, run: MatchingRun) -> MatchingRun:
    """Carry out a run that was asked for. Never raises for the engine's or the data's sake:
    a failure is recorded on the run, and the previous proposals stay exactly as they were.
    Afterwards the network's next scheduled run is set, if it has a schedule."""
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return run  # a task delivered twice finds its run already done
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        with transaction.atomic():
            # One run at a time per network: a second waits here for the first to commit,
            # then reads what the first wrote.
            network = Network.objects.select_for_update().get(pk=run.network_id)
            stats = _solve_and_replace(run=run, network=network, now=timezone.now())
            run.status = RunStatus.SUCCEEDED
            run.finished_at = timezone.now()
            run.stats = stats
            run.save(update_fields=["status", "finished_at", "stats"])
    except Exception as error:  # recorded, not raised: see the docstring
        logger.exception("Matching run %s for network %s failed", run.pk, run.network_id)
        run.status = RunStatus.FAILED
        run.finished_at = timezone.now()
        run.stats = {}
        run.error = f"{type(error).__name__}: {error}"[:ERROR_MAX]
        run.save(update_fields=["status", "finished_at", "stats", "error"])
    network = Network.objects.get(pk=run.network_id)
    try:
        matching_schedule_next(network=network)
    except Exception:  # the run stands; the schedule is set again by the next run
        logger.exception("Could not schedule the next matching run of network %s", network.pk)
    return run


def _solve_and_replace(*, run: MatchingRun, network: Network, now: datetime) -> dict[str, float]:
    data = selectors.engine_input(network=network, now=now)
    started = timezone.now()
    result = engine.solve(data.asks, data.helpers, data.rules)
    solve_seconds = (timezone.now() - started).total_seconds()

    review = network.matching_mode == MatchingMode.REVIEW
    untouched = {
        (match.ask_id, match.helper_id): match
        for match in selectors.untouched_proposals(network=network).only(
            "pk", "ask_id", "helper_id", "review_state"
        )
    }
    proposed = {(p.ask_id, p.helper_member_id): p for p in result.proposals}

    # Withdraw what this run no longer proposes: delete those no member ever saw, cancel
    # those already shown to both (direct mode), so a link to one says it was called off.
    # The untouched condition is part of each statement, so a proposal someone accepted in
    # the meantime is left alone.
    gone = [m for key, m in untouched.items() if key not in proposed]
    unseen = [m.pk for m in gone if m.review_state == ReviewState.PENDING]
    seen = [m.pk for m in gone if m.review_state != ReviewState.PENDING]
    for chunk in _chunks(unseen):
        selectors.untouched_proposals(network=network).filter(pk__in=chunk).delete()
    for chunk in _chunks(seen):
        selectors.untouched_proposals(network=network).filter(pk__in=chunk).update(
            status=MatchStatus.CANCELLED, ended_at=now, updated_at=now
        )

    # What people hold now, read after the withdrawals: no pair is proposed twice, no ask
    # that someone took up meanwhile gets a second helper, and an offer goes to a receiver
    # at most once (as the match constraints require).
    active = Match.objects.filter(
        network=network, status__in=ACTIVE_MATCH_STATUSES, ask__isnull=False
    ).values_list("pk", "ask_id", "helper_id", "offer_id", "receiver_id")
    kept_ids = {m.pk for key, m in untouched.items() if key in proposed}
    active_pairs: set[tuple[int, int]] = set()
    held_asks: set[int] = set()
    offers_taken: set[tuple[int, int]] = set()
    for pk, ask_id, helper_id, offer_id, receiver_id in active:
        active_pairs.add((ask_id, helper_id))
        if offer_id is not None:
            offers_taken.add((offer_id, receiver_id))
        if pk not in kept_ids:
            held_asks.add(ask_id)

    kept: list[Match] = []
    created: list[Match] = []
    state = ReviewState.PENDING if review else ReviewState.RELEASED
    for key, proposal in proposed.items():
        reasons = list(proposal.reasons)
        distance = round(float(proposal.distance_km), 2)
        existing = untouched.get(key)
        if existing is not None and existing.pk in kept_ids:
            existing.run = run
            existing.reasons = reasons
            existing.distance_km = distance
            existing.updated_at = now
            kept.append(existing)
            continue
        if key in active_pairs or proposal.ask_id in held_asks:
            continue
        receiver_id = data.receiver_of[proposal.ask_id]
        chosen_offer = proposal.offer_id
        if chosen_offer is not None:
            if (chosen_offer, receiver_id) in offers_taken:
                chosen_offer = None
            else:
                offers_taken.add((chosen_offer, receiver_id))
        created.append(
            Match(
                network=network,
                ask_id=proposal.ask_id,
                offer_id=chosen_offer,
                helper_id=proposal.helper_member_id,
                receiver_id=receiver_id,
                status=MatchStatus.PROPOSED,
                source=MatchSource.ENGINE,
                run=run,
                reasons=reasons,
                distance_km=distance,
                review_state=state,
            )
        )
    Match.objects.bulk_update(
        kept, ["run", "reasons", "distance_km", "updated_at"], batch_size=BATCH
    )
    Match.objects.bulk_create(created, batch_size=BATCH)
    if not review:
        _tell_on_commit(created)

    # Only the latest run's unmatched asks are kept: they are what the coordinator acts on.
    RunUnmatched.objects.filter(run__network=network).exclude(run=run).delete()
    RunUnmatched.objects.bulk_create(
        (
            RunUnmatched(
                run=run, ask_id=item.ask_id, reason=str(item.reason), detail=item.detail[:300]
            )
            for item in result.unmatched
        ),
        batch_size=BATCH,
    )
    stats: dict[str, float] = {
        "asks": len(data.asks),
        "helpers": len(data.helpers),
        "proposed": len(kept) + len(created),
        "new": len(created),
        "kept": len(kept),
        "withdrawn": len(gone),
        "unmatched": len(result.unmatched),
        "total_cost": result.total_cost,
        "solve_seconds": round(solve_seconds, 3),
    }
    for name, value in result.stats.items():
        stats.setdefault(f"engine_{name}", value)
    return stats


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]


# --- the schedule -------------------------------------------------------------------------


@transaction.atomic
def matching_schedule_next(*, network: Network) -> datetime | None:
    """Set the network's next scheduled run, `matching_every_minutes` from now, superseding
    any run scheduled before; with no schedule (0), or a task backend that cannot run a task
    later, clear it. Returns when the next run is due."""
    from sameboat.matching import tasks  # tasks import this module

    minutes = network.matching_every_minutes
    if minutes <= 0 or not tasks.can_schedule():
        MatchingSchedule.objects.filter(network=network).update(next_run_at=None, token="")
        return None
    due = timezone.now() + timedelta(minutes=minutes)
    token = secrets.token_hex(8)
    MatchingSchedule.objects.update_or_create(
        network=network, defaults={"next_run_at": due, "token": token}
    )
    tasks.scheduled_matching.using(run_after=due).enqueue(network.pk, token)
    return due


def matching_scheduled_run(*, network_id: int, token: str) -> MatchingRun | None:
    """The scheduled task's work: run, if this task is still the network's next run."""
    schedule = MatchingSchedule.objects.filter(network_id=network_id, token=token).first()
    if schedule is None:
        return None  # superseded by a later schedule, or the schedule was turned off
    network = Network.objects.get(pk=network_id)
    return matching_run(network=network, trigger=RunTrigger.SCHEDULE)


@transaction.atomic
def matching_settings_update(
    *, network: Network, by: Member, mode: MatchingMode, every_minutes: int
) -> Network:
    if by.network_id != network.pk or not policy.can_configure_matching(by):
        raise PermissionDenied(_("Only an admin can change how matching works."))
    if every_minutes < 0 or every_minutes > 7 * 24 * 60:
        raise ValidationError(
            {"every_minutes": _("Give a number of minutes from 0 to a week (10080).")}
        )
    schedule_changed = every_minutes != network.matching_every_minutes
    network.matching_mode = mode
    network.matching_every_minutes = every_minutes
    network.save(update_fields=["matching_mode", "matching_every_minutes"])
    audit_record(
        action="network.settings",
        network=network,
        actor=by.user,
        target=f"network:{network.pk}",
        detail={"matching_mode": str(mode), "matching_every_minutes": every_minutes},
    )
    if schedule_changed:
        matching_schedule_next(network=network)
    return network


# --- reviewing proposals ------------------------------------------------------------------


def _pending_locked(*, network: Network, ids: Sequence[int]) -> list[Match]:
    """The named proposals, locked, if every one of them still waits for review; otherwise
    a ValidationError, and nothing is written."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        raise ValidationError(_("Choose at least one proposal."))
    matches = list(
        Match.objects.select_for_update()
        .filter(
            network=network,
            pk__in=wanted,
            source=MatchSource.ENGINE,
            status=MatchStatus.PROPOSED,
            review_state=ReviewState.PENDING,
        )
        .order_by("pk")
    )
    if len(matches) != len(wanted):
        raise ValidationError(
            _(
                "Some of these proposals no longer wait for review (another coordinator may "
                "have answered them, or a new run replaced them). Nothing was changed."
            )
        )
    return matches


def _check_may_review(network: Network, by: Member) -> None:
    if by.network_id != network.pk or not policy.can_review_proposals(by):
        raise PermissionDenied(_("Only coordinators can review matching's proposals."))


@transaction.atomic
def proposals_release(*, network: Network, by: Member, ids: Sequence[int]) -> list[Match]:
    """Release proposals to their two members, who are each asked to accept."""
    _check_may_review(network, by)
    matches = _pending_locked(network=network, ids=ids)
    now = timezone.now()
    Match.objects.filter(pk__in=[m.pk for m in matches]).update(
        review_state=ReviewState.RELEASED, reviewed_by=by, reviewed_at=now, updated_at=now
    )
    for match in matches:
        match.review_state = ReviewState.RELEASED
        match.reviewed_by = by
        match.reviewed_at = now
    _tell_on_commit(matches)
    return matches


@transaction.atomic
def proposals_reject(*, network: Network, by: Member, ids: Sequence[int]) -> list[Match]:
    """Turn proposals down: they are called off, and matching never proposes the same ask
    and helper together again."""
    _check_may_review(network, by)
    matches = _pending_locked(network=network, ids=ids)
    now = timezone.now()
    Match.objects.filter(pk__in=[m.pk for m in matches]).update(
        status=MatchStatus.CANCELLED,
        review_state=ReviewState.REJECTED,
        reviewed_by=by,
        reviewed_at=now,
        ended_by=by,
        ended_at=now,
        updated_at=now,
    )
    _record_declined(network=network, matches=matches, by=by)
    for match in matches:
        match.status = MatchStatus.CANCELLED
        match.review_state = ReviewState.REJECTED
    return matches


def _record_declined(*, network: Network, matches: Sequence[Match], by: Member | None) -> None:
    DeclinedPair.objects.bulk_create(
        [
            DeclinedPair(network=network, ask_id=m.ask_id, helper_id=m.helper_id, declined_by=by)
            for m in matches
            if m.ask_id is not None
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def proposal_reassign(
    *, network: Network, by: Member, match: Match, helper: Member, reasons: Sequence[str] = ()
) -> Match:
    """Give a proposal to another helper, chosen by a coordinator among those who could help,
    and release it. The first helper is not proposed for this ask again."""
    _check_may_review(network, by)
    (locked,) = _pending_locked(network=network, ids=[match.pk])
    if helper.network_id != network.pk or not helper.is_active:
        raise ValidationError({"helper": _("Choose an active member of this network.")})
    if helper.pk == locked.receiver_id:
        raise ValidationError({"helper": _("Nobody can be matched with themselves.")})
    if helper.pk == locked.helper_id:
        raise ValidationError({"helper": _("Choose someone other than the proposed helper.")})
    _record_declined(network=network, matches=[locked], by=by)
    now = timezone.now()
    locked.helper = helper
    locked.offer = None
    locked.proposed_by = by
    locked.reasons = list(reasons)
    locked.distance_km = None
    locked.review_state = ReviewState.RELEASED
    locked.reviewed_by = by
    locked.reviewed_at = now
    try:
        with transaction.atomic():
            locked.save(
                update_fields=[
                    "helper",
                    "offer",
                    "proposed_by",
                    "reasons",
                    "distance_km",
                    "review_state",
                    "reviewed_by",
                    "reviewed_at",
                    "updated_at",
                ]
            )
    except IntegrityError as error:
        raise ValidationError(
            {"helper": _("This member is already matched with this ask.")}
        ) from error
    _tell_on_commit([locked])
    return locked


# --- blocks -------------------------------------------------------------------------------


@transaction.atomic
def block_create(*, member: Member, blocked: Member) -> Block:
    """A member asks never to be matched with another. Proposals between the two that no
    member has seen yet are withdrawn at once."""
    if not policy.can_set_matching_preferences(member):
        raise PermissionDenied
    if blocked.network_id != member.network_id:
        raise ValidationError(_("Choose a member of this network."))
    if blocked.pk == member.pk:
        raise ValidationError(_("You cannot block yourself."))
    block, _created = Block.objects.get_or_create(
        network_id=member.network_id, member=member, blocked=blocked
    )
    pair = {member.pk, blocked.pk}
    Match.objects.filter(
        network_id=member.network_id,
        helper_id__in=pair,
        receiver_id__in=pair,
        review_state=ReviewState.PENDING,
    ).filter(selectors.UNTOUCHED).delete()
    return block


@transaction.atomic
def block_remove(*, member: Member, blocked_id: int) -> None:
    deleted, _rows = Block.objects.filter(
        network_id=member.network_id, member=member, blocked_id=blocked_id
    ).delete()
    if not deleted:
        raise ValidationError(_("You had not blocked this person."))


# --- a member's helping preferences -------------------------------------------------------

COARSE = Decimal("0.01")


def coarse(value: Decimal | None) -> Decimal | None:
    """Two decimals of a degree, about a kilometre: near enough to match, too coarse to find
    anyone's door."""
    if value is None:
        return None
    return value.quantize(COARSE, rounding=ROUND_HALF_UP)


@transaction.atomic
def helping_preferences_update(
    *,
    member: Member,
    latitude: Decimal | None,
    longitude: Decimal | None,
    travel_km: Decimal,
    weekly_capacity: int,
    accessibility_offered: Sequence[str],
) -> Member:
    errors: dict[str, str] = {}
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    if latitude is not None and not (-90 <= latitude <= 90):
        errors["latitude"] = _("A latitude is between -90 and 90.")
    if longitude is not None and not (-180 <= longitude <= 180):
        errors["longitude"] = _("A longitude is between -180 and 180.")
    if travel_km < 0 or travel_km > 500:
        errors["travel_km"] = _("Give a distance from 0 to 500 km.")
    if weekly_capacity < 0 or weekly_capacity > 50:
        errors["weekly_capacity"] = _("Give a number from 0 to 50.")
    unknown = set(accessibility_offered) - set(AccessibilityTag.values)
    if unknown:
        errors["accessibility_offered"] = _("Choose from the list.")
    if errors:
        raise ValidationError(errors)
    member.latitude = coarse(latitude)
    member.longitude = coarse(longitude)
    member.travel_km = travel_km.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    member.weekly_capacity = weekly_capacity
    member.accessibility_offered = [
        tag for tag in AccessibilityTag.values if tag in set(accessibility_offered)
    ]
    member.save(
        update_fields=[
            "latitude",
            "longitude",
            "travel_km",
            "weekly_capacity",
            "accessibility_offered",
        ]
    )
    if latitude is not None:
        # Typing a location into the matching preferences is agreeing to its use for
        # matching: recorded as such, so a withdrawal on the privacy page is never silently
        # undone and the consent records always say what is used. (Imported here: the
        # privacy app reads every other app.)
        from sameboat.privacy.models import ConsentSource, Purpose
        from sameboat.privacy.services import consents_update

        consents_update(
            user=member.user,
            choices={Purpose.LOCATION_MATCHING: True},
            source=ConsentSource.SETTINGS,
        )
    return member


# --- what is new, between runs ------------------------------------------------------------


def matching_match_new(
    *, network_id: int, ask_ids: Sequence[int] = (), helper_ids: Sequence[int] = ()
) -> list[Match]:
    """Match what is new (asks just posted, or a member who just offered help) against the
    network as it stands, without re-solving it: `engine.solve_incremental` fills only the
    room helpers have left, and every proposal already made stays as it is.

    Never raises for the engine's or the data's sake: a failure is logged, nothing is
    written, and the next full run catches up.
    """
    try:
        with transaction.atomic():
            network = Network.objects.select_for_update().get(pk=network_id)
            data = selectors.engine_input_for_new(
                network=network, ask_ids=ask_ids, helper_ids=helper_ids
            )
            if not data.asks or not data.helpers:
                return []
            result = engine.solve_incremental(data.asks, data.helpers, data.rules)
            return _propose_new(network=network, data=data, result=result)
    except Exception:  # logged, not raised: see the docstring
        logger.exception("Matching what is new in network %s failed", network_id)
        return []


def _propose_new(
    *, network: Network, data: selectors.EngineInput, result: engine.Result
) -> list[Match]:
    asks = [proposal.ask_id for proposal in result.proposals]
    active = Match.objects.filter(network=network, status__in=ACTIVE_MATCH_STATUSES)
    # Someone may have taken an ask up since the input was read (the lock keeps out runs,
    # not people); an offer goes to a receiver at most once.
    held = set(active.filter(ask_id__in=asks).values_list("ask_id", flat=True))
    offers_taken = set(active.filter(offer__isnull=False).values_list("offer_id", "receiver_id"))
    review = network.matching_mode == MatchingMode.REVIEW
    created: list[Match] = []
    for proposal in result.proposals:
        if proposal.ask_id in held:
            continue
        receiver_id = data.receiver_of[proposal.ask_id]
        offer_id = proposal.offer_id
        if offer_id is not None and (offer_id, receiver_id) in offers_taken:
            offer_id = None
        if offer_id is not None:
            offers_taken.add((offer_id, receiver_id))
        created.append(
            Match(
                network=network,
                ask_id=proposal.ask_id,
                offer_id=offer_id,
                helper_id=proposal.helper_member_id,
                receiver_id=receiver_id,
                status=MatchStatus.PROPOSED,
                source=MatchSource.ENGINE,
                reasons=list(proposal.reasons),
                distance_km=round(float(proposal.distance_km), 2),
                review_state=ReviewState.PENDING if review else ReviewState.RELEASED,
            )
        )
    Match.objects.bulk_create(created, batch_size=BATCH)
    if not review:
        _tell_on_commit(created)
    return created
