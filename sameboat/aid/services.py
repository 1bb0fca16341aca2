"""Writes for asks, offers and matches: the core loop of mutual aid.

Every function takes keyword arguments, checks the domain's rules, and is atomic: when it
raises, nothing it began is written.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat import policy
from sameboat.aid.models import (
    ACTIVE_MATCH_STATUSES,
    AidPost,
    Ask,
    Match,
    MatchStatus,
    Offer,
    PostStatus,
    Urgency,
    Visibility,
)
from sameboat.core.models import Language
from sameboat.ledger.models import HUNDREDTHS, Exchange
from sameboat.ledger.services import exchange_post
from sameboat.networks.models import AccessibilityTag, Category, Member, ServiceArea
from sameboat.notifications.services import notify_match_accepted, notify_match_proposed

MAX_HOURS = Decimal("200")


@dataclass(frozen=True, slots=True)
class PostFields:
    """What a member writes in an ask or an offer."""

    category: Category
    title: str
    details: str = ""
    area: ServiceArea | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    languages: tuple[Language, ...] = ()
    visibility: Visibility = Visibility.NETWORK


def _validate_fields(*, member: Member, fields: PostFields) -> None:
    errors: dict[str, str] = {}
    if fields.category.network_id != member.network_id:
        errors["category"] = _("Choose a category of this network.")
    if fields.area is not None and fields.area.network_id != member.network_id:
        errors["area"] = _("Choose an area of this network.")
    if not fields.title.strip():
        errors["title"] = _("Give it a short title.")
    if fields.starts_on and fields.ends_on and fields.ends_on < fields.starts_on:
        errors["ends_on"] = _("The end date must not be before the start date.")
    if errors:
        raise ValidationError(errors)


def _write_post[Post: (Ask, Offer)](post: Post, fields: PostFields) -> Post:
    post.category = fields.category
    post.title = fields.title.strip()
    post.details = fields.details.strip()
    post.area = fields.area
    post.starts_on = fields.starts_on
    post.ends_on = fields.ends_on
    post.visibility = fields.visibility
    return post


def _accessibility_tags(tags: Sequence[str]) -> list[str]:
    unknown = set(tags) - set(AccessibilityTag.values)
    if unknown:
        raise ValidationError({"accessibility_needs": _("Choose needs from the list.")})
    return sorted(set(tags))


def _match_soon(post: Ask | Offer) -> None:
    """A network that matches on a schedule also matches new asks and offers as they come:
    the task worker matches this one against the network as it stands, after the commit."""
    if post.member.network.matching_every_minutes <= 0:
        return
    # Imported here, not at the top: matching builds on aid, not the other way round.
    from sameboat.matching.tasks import match_new

    network_id = post.network_id
    if isinstance(post, Ask):
        enqueue = partial(match_new.enqueue, network_id, ask_ids=[post.pk])
    else:
        enqueue = partial(match_new.enqueue, network_id, helper_ids=[post.member_id])
    transaction.on_commit(enqueue, robust=True)


@transaction.atomic
def ask_create(
    *,
    member: Member,
    fields: PostFields,
    urgency: Urgency = Urgency.NORMAL,
    accessibility_needs: Sequence[str] = (),
) -> Ask:
    _validate_fields(member=member, fields=fields)
    ask = _write_post(Ask(network_id=member.network_id, member=member), fields)
    ask.urgency = urgency
    ask.accessibility_needs = _accessibility_tags(accessibility_needs)
    ask.save()
    ask.languages.set(fields.languages)
    _match_soon(ask)
    return ask


@transaction.atomic
def offer_create(*, member: Member, fields: PostFields) -> Offer:
    _validate_fields(member=member, fields=fields)
    offer = _write_post(Offer(network_id=member.network_id, member=member), fields)
    offer.save()
    offer.languages.set(fields.languages)
    _match_soon(offer)
    return offer


@transaction.atomic
def post_update[Post: (Ask, Offer)](
    *,
    post: Post,
    by: Member,
    fields: PostFields,
    urgency: Urgency | None = None,
    accessibility_needs: Sequence[str] | None = None,
) -> Post:
    if not policy.can_edit_post(by, post):
        raise PermissionDenied(_("Only its author or a coordinator can edit this."))
    if post.status in (PostStatus.FULFILLED, PostStatus.CLOSED):
        raise ValidationError(_("A fulfilled or closed post can no longer be edited."))
    _validate_fields(member=post.member, fields=fields)
    _write_post(post, fields)
    update_fields = [
        "category",
        "title",
        "details",
        "area",
        "starts_on",
        "ends_on",
        "visibility",
        "updated_at",
    ]
    if isinstance(post, Ask) and urgency is not None:
        post.urgency = urgency
        update_fields.append("urgency")
    if isinstance(post, Ask) and accessibility_needs is not None:
        post.accessibility_needs = _accessibility_tags(accessibility_needs)
        update_fields.append("accessibility_needs")
    post.save(update_fields=update_fields)
    post.languages.set(fields.languages)
    return post


# Which status each member-facing action leads to, and from which statuses it may start.
POST_TRANSITIONS: dict[str, tuple[PostStatus, tuple[PostStatus, ...]]] = {
    "pause": (PostStatus.PAUSED, (PostStatus.OPEN,)),
    "resume": (PostStatus.OPEN, (PostStatus.PAUSED,)),
    "close": (PostStatus.CLOSED, (PostStatus.OPEN, PostStatus.PAUSED, PostStatus.MATCHED)),
    "reopen": (PostStatus.OPEN, (PostStatus.CLOSED,)),
}


@transaction.atomic
def post_transition[Post: (Ask, Offer)](*, post: Post, by: Member, action: str) -> Post:
    """Pause, resume, close or reopen an ask or offer."""
    if not policy.can_edit_post(by, post):
        raise PermissionDenied(_("Only its author or a coordinator can change this."))
    if action not in POST_TRANSITIONS:
        raise ValidationError(_("Unknown action."))
    target, allowed_from = POST_TRANSITIONS[action]
    if post.status not in allowed_from:
        raise ValidationError(
            _("A post that is %(status)s cannot be changed that way.")
            % {"status": post.get_status_display().lower()}
        )
    if action == "close":
        # Closing withdraws the post: matches still waiting on it are cancelled.
        _active_matches(post).update(
            status=MatchStatus.CANCELLED, ended_by=by, ended_at=timezone.now()
        )
    post.status = target
    post.save(update_fields=["status", "updated_at"])
    return post


def _active_matches(post: Ask | Offer):  # type: ignore[no-untyped-def]
    lookup = {"ask": post} if isinstance(post, Ask) else {"offer": post}
    return Match.objects.filter(status__in=ACTIVE_MATCH_STATUSES, **lookup)


def _create_match(**fields: object) -> Match:
    try:
        with transaction.atomic():
            return Match.objects.create(**fields)
    except IntegrityError as error:
        raise ValidationError(_("These two are already matched on this.")) from error


def _tell(notify: Callable[..., object], match: Match) -> None:
    """Write the news in the same transaction as the change: an outbox, committed with the
    match or not at all, so a crash can lose no news. The emails go out after the commit."""
    notify(match=match)


@transaction.atomic
def match_offer_help(*, ask: Ask, helper: Member, message: str = "") -> Match:
    """ "I can help": a member answers an ask. The helper has accepted by offering."""
    ask = Ask.objects.select_for_update().get(pk=ask.pk)
    if not policy.can_answer(helper, ask):
        raise ValidationError(_("This ask is not open for offers of help."))
    match = _create_match(
        network_id=ask.network_id,
        ask=ask,
        helper=helper,
        receiver=ask.member,
        proposed_by=helper,
        message=message.strip(),
        helper_accepted_at=timezone.now(),
    )
    _tell(notify_match_proposed, match)
    return match


@transaction.atomic
def match_request_offer(*, offer: Offer, receiver: Member, message: str = "") -> Match:
    """ "I'd like this": a member takes up an offer. The receiver has accepted by asking."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if not policy.can_answer(receiver, offer):
        raise ValidationError(_("This offer is not open for requests."))
    match = _create_match(
        network_id=offer.network_id,
        offer=offer,
        helper=offer.member,
        receiver=receiver,
        proposed_by=receiver,
        message=message.strip(),
        receiver_accepted_at=timezone.now(),
    )
    _tell(notify_match_proposed, match)
    return match


@transaction.atomic
def match_pair(
    *,
    by: Member,
    ask: Ask | None = None,
    offer: Offer | None = None,
    helper: Member | None = None,
    message: str = "",
) -> Match:
    """A coordinator pairs an ask with an offer, or with a member who can help. Both sides
    are asked to accept."""
    if not policy.can_pair(by):
        raise PermissionDenied(_("Only coordinators can pair asks with helpers."))
    if ask is None and offer is None:
        raise ValidationError(_("Choose an ask or an offer to pair."))
    if ask is not None and ask.network_id != by.network_id:
        raise ValidationError({"ask": _("Choose an ask of this network.")})
    if offer is not None and offer.network_id != by.network_id:
        raise ValidationError({"offer": _("Choose an offer of this network.")})
    if helper is not None and helper.network_id != by.network_id:
        raise ValidationError({"helper": _("Choose a member of this network.")})
    if ask is not None and ask.status != PostStatus.OPEN:
        raise ValidationError({"ask": _("This ask is not open.")})
    if offer is not None and offer.status != PostStatus.OPEN:
        raise ValidationError({"offer": _("This offer is not open.")})
    if offer is not None:
        if helper is not None and helper.pk != offer.member_id:
            raise ValidationError({"helper": _("An offer's helper is the member who made it.")})
        helper = offer.member
    if helper is None:
        raise ValidationError({"helper": _("Choose an offer or a member to help.")})
    receiver = ask.member if ask is not None else None
    if receiver is None:
        raise ValidationError({"ask": _("Choose the ask this offer should answer.")})
    if receiver.pk == helper.pk:
        raise ValidationError(_("Nobody can be matched with themselves."))
    match = _create_match(
        network_id=by.network_id,
        ask=ask,
        offer=offer,
        helper=helper,
        receiver=receiver,
        proposed_by=by,
        message=message.strip(),
    )
    _tell(notify_match_proposed, match)
    return match


@transaction.atomic
def match_accept(*, match: Match, by: Member) -> Match:
    """One side accepts; once both have, the match is on and contact details are shared."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    side = match.side_of(by)
    if side is None:
        raise PermissionDenied(_("Only the two people in a match can accept it."))
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError(_("Only a proposed match can be accepted."))
    if match.is_pending_review:
        raise ValidationError(_("A coordinator has not released this proposal yet."))
    now = timezone.now()
    if side == "helper" and match.helper_accepted_at is None:
        match.helper_accepted_at = now
    if side == "receiver" and match.receiver_accepted_at is None:
        match.receiver_accepted_at = now
    if match.helper_accepted_at and match.receiver_accepted_at:
        match.status = MatchStatus.ACCEPTED
        if match.ask_id is not None:
            Ask.objects.filter(pk=match.ask_id, status=PostStatus.OPEN).update(
                status=PostStatus.MATCHED, updated_at=now
            )
    match.save(update_fields=["helper_accepted_at", "receiver_accepted_at", "status", "updated_at"])
    if match.status == MatchStatus.ACCEPTED:
        _tell(notify_match_accepted, match)
    return match


def _end(match: Match, *, by: Member, status: MatchStatus) -> Match:
    match.status = status
    match.ended_by = by
    match.ended_at = timezone.now()
    match.save(update_fields=["status", "ended_by", "ended_at", "updated_at"])
    _reopen_ask_if_unmatched(match)
    return match


def _reopen_ask_if_unmatched(match: Match) -> None:
    if match.ask_id is None:
        return
    still_matched = Match.objects.filter(ask_id=match.ask_id, status=MatchStatus.ACCEPTED)
    if not still_matched.exists():
        Ask.objects.filter(pk=match.ask_id, status=PostStatus.MATCHED).update(
            status=PostStatus.OPEN, updated_at=timezone.now()
        )


@transaction.atomic
def match_decline(*, match: Match, by: Member) -> Match:
    """A side says no to a proposal. The ask stays open for someone else."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.side_of(by) is None:
        raise PermissionDenied(_("Only the two people in a match can decline it."))
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError(_("Only a proposed match can be declined."))
    if match.is_pending_review:
        raise ValidationError(_("A coordinator has not released this proposal yet."))
    return _end(match, by=by, status=MatchStatus.DECLINED)


@transaction.atomic
def match_cancel(*, match: Match, by: Member) -> Match:
    """Call off a match before it is completed (either side, or a coordinator)."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.side_of(by) is None and not policy.can_pair(by):
        raise PermissionDenied(_("Only the two people in a match or a coordinator can cancel it."))
    if match.status not in ACTIVE_MATCH_STATUSES:
        raise ValidationError(_("This match has already ended."))
    return _end(match, by=by, status=MatchStatus.CANCELLED)


def hours_to_hundredths(hours: Decimal) -> int:
    return int((hours * HUNDREDTHS).to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Completion:
    """What one completion request did: `created` is False when an earlier request with the
    same key had already posted `exchange`, so an API can answer a retry as a replay even
    when both arrived at the same instant."""

    exchange: Exchange
    created: bool


def match_complete(
    *, match: Match, by: Member, hours: Decimal, key: str, feedback: str = ""
) -> Exchange:
    """Close a match and post its exchange once; see `match_complete_once`."""
    return match_complete_once(match=match, by=by, hours=hours, key=key, feedback=feedback).exchange


@transaction.atomic
def match_complete_once(
    *, match: Match, by: Member, hours: Decimal, key: str, feedback: str = ""
) -> Completion:
    """Close a match and post its exchange once, however often the request is retried.

    A retry with the same key returns the first exchange (created=False); a second
    completion with another key is refused; either way no second entry is posted.
    """
    if not key:
        raise ValidationError(_("A completion needs a request key, so a retry cannot post twice."))
    # The ledger key is the match's own namespace: a client's key can never collide with
    # another match's or with the ledger's reversal keys.
    ledger_key = f"match:{match.pk}:{key}"[:100]
    existing = Exchange.objects.filter(network_id=match.network_id, key=ledger_key).first()
    if existing is not None:
        return Completion(existing, created=False)
    match = Match.objects.select_for_update().get(pk=match.pk)
    # A retry that waited on the lock behind the original finds its exchange now.
    existing = Exchange.objects.filter(network_id=match.network_id, key=ledger_key).first()
    if existing is not None:
        return Completion(existing, created=False)
    side = match.side_of(by)
    if side is None:
        raise PermissionDenied(_("Only the two people in a match can mark it done."))
    if match.status == MatchStatus.COMPLETED:
        raise ValidationError(_("This match is already marked done."))
    if match.status != MatchStatus.ACCEPTED:
        raise ValidationError(_("Both sides must accept a match before it can be marked done."))
    if hours is None or not hours.is_finite() or hours <= 0:
        raise ValidationError({"hours": _("Enter the hours given, more than zero.")})
    if hours > MAX_HOURS:
        raise ValidationError({"hours": _("That is more hours than one match can hold.")})
    amount = hours_to_hundredths(hours)
    if amount <= 0:
        raise ValidationError({"hours": _("Enter at least 0.01 hours.")})

    now = timezone.now()
    match.status = MatchStatus.COMPLETED
    match.hours = Decimal(amount) / HUNDREDTHS
    match.ended_by = by
    match.ended_at = now
    if side == "helper":
        match.helper_feedback = feedback.strip()
    else:
        match.receiver_feedback = feedback.strip()
    match.save(
        update_fields=[
            "status",
            "hours",
            "ended_by",
            "ended_at",
            "helper_feedback",
            "receiver_feedback",
            "updated_at",
        ]
    )
    if match.ask_id is not None:
        Ask.objects.filter(pk=match.ask_id).exclude(status=PostStatus.CLOSED).update(
            status=PostStatus.FULFILLED, updated_at=now
        )
    exchange = exchange_post(
        provider=match.helper,
        receiver=match.receiver,
        amount=amount,
        key=ledger_key,
        match=match,
        memo=match.subject.title[:200],
        by=by,
    )
    return Completion(exchange, created=True)


@transaction.atomic
def match_feedback(*, match: Match, by: Member, feedback: str) -> Match:
    """Each side may say how it went once the match is done."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    side = match.side_of(by)
    if side is None:
        raise PermissionDenied(_("Only the two people in a match can leave feedback."))
    if match.status != MatchStatus.COMPLETED:
        raise ValidationError(_("Feedback comes after the match is done."))
    if not feedback.strip():
        raise ValidationError({"feedback": _("Write a few words, or leave it.")})
    field = "helper_feedback" if side == "helper" else "receiver_feedback"
    setattr(match, field, feedback.strip())
    match.save(update_fields=[field, "updated_at"])
    return match


def post_kind(post: AidPost) -> str:
    return "ask" if isinstance(post, Ask) else "offer"
