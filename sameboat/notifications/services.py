"""Telling members their news: write it to the outbox, then send it.

Who hears what about matches:

- a proposal (`notify_match_proposed`): each side that has not accepted yet. When a
  coordinator pairs two people, both; "I can help", the asker; "I'd like this", the offerer.
- an acceptance (`notify_match_accepted`): both sides, once both have accepted.
- a reminder (`reminders_create`): a side that has let a proposal wait more than
  settings.MATCH_REMINDER_AFTER_DAYS days, once per match and side.

Other news (a group's proposals, its meetings) goes through `notify_members`, named by a
topic ("proposal:12") and linking to a path on the site; the app that writes it withdraws it
with `notifications_withdraw` when it goes stale before it is sent (a proposal decided before
its "closes soon" went out, a meeting cancelled).

How, by each person's `notification_frequency`:

- immediately: the row is written pending and a `send_notification` task is enqueued when
  the transaction commits;
- daily: the row waits, pending, for `digests_send`, which mails each person one digest;
- never: the row is written already skipped. It sends nothing but records that the person
  was "told", so the reminder sweep does not look at them again for that match.

Each notify_* is atomic and may be called inside a caller's transaction (its rows are rolled
back with the caller's, and nothing is enqueued for a change that never committed) or, as the
aid services do, from `transaction.on_commit`. It reads the match again and tells of its
state at that moment: a proposal accepted in the same transaction is told only as "on". Each
person hears each kind of news about a match once (a constraint says so), however often a
caller asks. `notifications_muted()` silences them for matches that are not news (the demo).

Sending is at least once and never twice at the same time: a sender claims rows with a
conditional UPDATE before mailing and marks them sent after. If the mail server fails, the
claim is released and the row stays pending for `notifications_retry` (immediate rows) or the
next digest (daily rows). If a worker dies mid-send, its claim expires after
CLAIM_EXPIRES_AFTER and the row is sent again. Just before sending, news that went stale is
skipped instead: a proposal already answered or withdrawn, a person who chose "never" since,
or who left the network.
"""

import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.accounts.models import NotificationFrequency, User
from sameboat.aid.models import Match, MatchStatus
from sameboat.networks.models import Member
from sameboat.notifications import emails, selectors
from sameboat.notifications.models import (
    MATCH_KINDS,
    Notification,
    NotificationKind,
    NotificationStatus,
)

logger = logging.getLogger(__name__)

# A claim older than this belongs to a sender that died: the rows may be claimed again.
CLAIM_EXPIRES_AFTER = timedelta(hours=1)
# An immediate notification still pending this long after it was written has failed (or its
# task was lost): the retry sweep enqueues it again, up to MAX_ATTEMPTS tries in all.
RETRY_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 5
RETRY_BATCH = 1000


class NotificationNotSent(Exception):
    """The mail backend took the message but reports that it sent nothing."""


# --- the person's choice --------------------------------------------------------------------


@transaction.atomic
def notification_frequency_set(*, user: User, frequency: str) -> User:
    """How often a person is emailed about their matches: immediately, daily, or never.
    Pending news follows the new choice when it is sent: "never" stops it at once."""
    if frequency not in NotificationFrequency.values:
        raise ValidationError({"notification_frequency": _("Choose how often we may email you.")})
    user.notification_frequency = frequency
    user.save(update_fields=["notification_frequency"])
    return user


# --- writing the news -----------------------------------------------------------------------

_muted: ContextVar[bool] = ContextVar("notifications_muted", default=False)


@contextmanager
def notifications_muted() -> Iterator[None]:
    """Write no news inside this block, for matches that are not news: the demo's story of
    the past months, an import. Put it outside the transaction, so it still holds when the
    transaction commits and the on-commit callbacks run:

        with notifications_muted(), transaction.atomic():
            ...
    """
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _match_with_sides(match: Match) -> Match:
    # Read again: called on commit, the caller's copy may be older than the database.
    return Match.objects.select_related("helper__user", "receiver__user").get(pk=match.pk)


@transaction.atomic
def notify_match_proposed(*, match: Match) -> list[Notification]:
    """Tell each side that still has to accept a proposed match about it."""
    if _muted.get():
        return []
    match = _match_with_sides(match)
    if match.status != MatchStatus.PROPOSED:
        return []
    waiting = [
        member
        for member, accepted_at in (
            (match.helper, match.helper_accepted_at),
            (match.receiver, match.receiver_accepted_at),
        )
        if accepted_at is None
    ]
    return _notify(match=match, members=waiting, kind=NotificationKind.MATCH_PROPOSED)


@transaction.atomic
def notify_match_accepted(*, match: Match) -> list[Notification]:
    """Tell both sides that a match is on (both accepted): they can now see each other's
    contact details on the site."""
    if _muted.get():
        return []
    match = _match_with_sides(match)
    if match.status != MatchStatus.ACCEPTED:
        return []
    return _notify(
        match=match, members=[match.helper, match.receiver], kind=NotificationKind.MATCH_ACCEPTED
    )


@dataclass(frozen=True, slots=True)
class News:
    """One piece of news that is not about a match, for one person: `topic` names its subject
    ("proposal:12", "meeting:40"), `path` is the site page its email links to (ids only)."""

    user_id: int
    network_id: int
    frequency: str  # the person's notification_frequency now
    kind: NotificationKind
    topic: str
    path: str


@transaction.atomic
def news_write(*, items: Sequence[News]) -> list[Notification]:
    """Write each piece of news once per topic, kind and person, however often callers ask,
    and enqueue the immediate ones on commit. Three queries however many items. Returns the
    rows written now."""
    if _muted.get() or not items:
        return []
    for item in items:
        if item.kind in MATCH_KINDS or not item.topic or not item.path.startswith("/"):
            raise ValueError("news_write takes other news than a match's, a topic and a path")
    topics = {item.topic for item in items}
    kinds = {item.kind for item in items}
    users = {item.user_id for item in items}

    def key(row: Notification | News) -> tuple[str, str, int]:
        return (row.topic, row.kind, row.user_id)

    def among(rows: QuerySet[Notification]) -> QuerySet[Notification]:
        return rows.filter(topic__in=topics, kind__in=kinds, user_id__in=users)

    existing = {key(row) for row in among(Notification.objects.only("topic", "kind", "user_id"))}
    fresh: dict[tuple[str, str, int], News] = {}
    for item in items:
        if key(item) not in existing:
            fresh.setdefault(key(item), item)
    if not fresh:
        return []
    # A concurrent caller may write the same news meanwhile: the constraint keeps it once.
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=item.user_id,
                network_id=item.network_id,
                kind=item.kind,
                topic=item.topic,
                path=item.path,
                delivery=item.frequency,
                status=_status_for(item.frequency),
            )
            for item in fresh.values()
        ],
        ignore_conflicts=True,
    )
    written = [row for row in among(Notification.objects.all()) if key(row) in fresh]
    _enqueue_on_commit(written)
    return written


def notify_members(
    *,
    network_id: int,
    members: Sequence[Member],
    kind: NotificationKind,
    topic: str,
    path: str,
) -> list[Notification]:
    """Tell each of these members (their `user` selected) one piece of news that is not about
    a match: a proposal opened, a meeting coming up. Members who left, or whose account is
    closed, are passed over."""
    return news_write(
        items=[
            News(
                user_id=member.user_id,
                network_id=network_id,
                frequency=member.user.notification_frequency,
                kind=kind,
                topic=topic,
                path=path,
            )
            for member in members
            if member.is_active and member.user.is_active
        ]
    )


def notifications_withdraw(*, topic: str, kinds: list[NotificationKind]) -> int:
    """Skip the news of these kinds about a topic that has not gone out yet: it went stale
    (the proposal is decided, the meeting cancelled). Returns how many rows."""
    return Notification.objects.filter(
        topic=topic, kind__in=kinds, status=NotificationStatus.PENDING
    ).update(status=NotificationStatus.SKIPPED, claim="", claimed_at=None)


def _status_for(frequency: str) -> NotificationStatus:
    if frequency == NotificationFrequency.NEVER:
        return NotificationStatus.SKIPPED
    return NotificationStatus.PENDING


def _notify(*, match: Match, members: list[Member], kind: NotificationKind) -> list[Notification]:
    created_rows: list[Notification] = []
    for member in members:
        user = member.user
        if not (member.is_active and user.is_active):
            continue
        notification, created = Notification.objects.get_or_create(
            match=match,
            user=user,
            kind=kind,
            defaults={
                "network_id": match.network_id,
                "delivery": user.notification_frequency,
                "status": _status_for(user.notification_frequency),
            },
        )
        if created:
            created_rows.append(notification)
    _enqueue_on_commit(created_rows)
    return created_rows


def _enqueue_on_commit(notifications: list[Notification]) -> None:
    # Imported here: the tasks module imports this one.
    from sameboat.notifications.tasks import send_notification

    for notification in notifications:
        if (
            notification.delivery == NotificationFrequency.IMMEDIATELY
            and notification.status == NotificationStatus.PENDING
        ):
            # Robust: a queue that cannot take the task must not undo the news, which is
            # safely written; the retry sweep enqueues it later.
            transaction.on_commit(partial(send_notification.enqueue, notification.pk), robust=True)


@transaction.atomic
def reminders_create(*, now: datetime | None = None) -> list[Notification]:
    """Remind each side that has let a proposal wait for more than
    MATCH_REMINDER_AFTER_DAYS days, once per match and side. A constant number of queries,
    however many matches are waiting."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MATCH_REMINDER_AFTER_DAYS)
    rows = [
        Notification(
            user_id=side.user_id,
            network_id=side.network_id,
            match_id=side.match_id,
            kind=NotificationKind.MATCH_REMINDER,
            delivery=side.frequency,
            status=_status_for(side.frequency),
            created_at=now,
        )
        for side in selectors.sides_awaiting_reminder(proposed_before=cutoff)
    ]
    created = Notification.objects.bulk_create(rows)
    _enqueue_on_commit(created)
    return created


# --- sending --------------------------------------------------------------------------------


def _claimable(now: datetime) -> Q:
    return Q(status=NotificationStatus.PENDING) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES_AFTER)
    )


def _claim(rows: Q, *, now: datetime) -> str:
    claim = uuid4().hex
    Notification.objects.filter(_claimable(now) & rows).update(
        claim=claim, claimed_at=now, attempts=F("attempts") + 1
    )
    return claim


def _stale_reason(notification: Notification) -> str | None:
    """Why this news should no longer be sent, if it should not. Reads only what
    selectors.notifications_claimed selects."""
    user = notification.user
    match = notification.match
    if not user.is_active:
        return "inactive person"
    if user.notification_frequency == NotificationFrequency.NEVER:
        return "chose never"
    if not getattr(notification, "still_member", True):
        return "left the network"
    if match is None:
        # Other news is withdrawn by the app that wrote it when it goes stale.
        return None
    if match.is_pending_review:
        return "waiting for a coordinator's review"
    if notification.kind in (NotificationKind.MATCH_PROPOSED, NotificationKind.MATCH_REMINDER):
        if match.status != MatchStatus.PROPOSED:
            return "no longer proposed"
        side = match.helper if match.helper.user_id == user.pk else match.receiver
        if match.has_accepted(side):
            return "already answered"
    if notification.kind == NotificationKind.MATCH_ACCEPTED and match.status not in (
        MatchStatus.ACCEPTED,
        MatchStatus.COMPLETED,
    ):
        return "no longer on"
    return None


def _mark_sent(rows: Q, *, claim: str) -> int:
    return Notification.objects.filter(rows, claim=claim).update(
        status=NotificationStatus.SENT,
        sent_at=timezone.now(),
        claim="",
        claimed_at=None,
        last_error="",
    )


def _mark_skipped(rows: Q, *, claim: str) -> int:
    return Notification.objects.filter(rows, claim=claim).update(
        status=NotificationStatus.SKIPPED, claim="", claimed_at=None
    )


def _release(*, claim: str, error: str) -> int:
    """Give claimed rows back, still pending, for a later try."""
    return Notification.objects.filter(claim=claim).update(
        claim="", claimed_at=None, last_error=error[:200]
    )


def notification_send(*, notification_id: int) -> str:
    """Send one notification's email, once: a row already sent, skipped or being sent by
    another worker is left alone. On a mail error the row stays pending and the error is
    raised (so the task shows as failed). Returns "sent", "skipped" or "not pending"."""
    claim = _claim(Q(pk=notification_id), now=timezone.now())
    notification = selectors.notifications_claimed(claim=claim).first()
    if notification is None:
        return "not pending"
    if _stale_reason(notification) is not None:
        _mark_skipped(Q(pk=notification_id), claim=claim)
        return "skipped"
    message = emails.notification_email(notification)
    try:
        if not mailers.default.send_messages([message]):
            raise NotificationNotSent
    except Exception as error:
        _release(claim=claim, error=type(error).__name__)
        raise
    _mark_sent(Q(pk=notification_id), claim=claim)
    return "sent"


@dataclass(frozen=True, slots=True)
class DigestRun:
    emails: int  # digests sent, one per person
    sent: int  # notifications they carried
    skipped: int  # stale news left out
    failed: int  # people whose digest the mail server refused (their news stays pending)


def digests_send(*, now: datetime | None = None) -> DigestRun:
    """Send each person who chose a daily digest one email with all their pending news, and
    mark it sent. The queries do not grow with the number of people: one claim, one read,
    and three updates, around one mail connection."""
    now = now or timezone.now()
    claim = _claim(Q(delivery=NotificationFrequency.DAILY), now=now)
    stale: list[int] = []
    news: dict[int, list[Notification]] = defaultdict(list)
    for notification in selectors.notifications_claimed(claim=claim):
        if _stale_reason(notification) is None:
            news[notification.user_id].append(notification)
        else:
            stale.append(notification.pk)
    if stale:
        _mark_skipped(Q(pk__in=stale), claim=claim)
    if not news:
        return DigestRun(emails=0, sent=0, skipped=len(stale), failed=0)

    delivered: list[int] = []
    error = ""
    try:
        with mailers.default as connection:
            for items in news.values():
                user = items[0].user
                try:
                    if not connection.send_messages([emails.digest_email(user, items)]):
                        raise NotificationNotSent
                except Exception as refused:
                    # One address refused must not hold back everyone else's digest.
                    logger.warning("Digest for person %s not sent: %r", user.pk, refused)
                    error = type(refused).__name__
                else:
                    delivered.append(user.pk)
    except Exception as failure:
        error = type(failure).__name__
        raise
    finally:
        # Also when the connection itself failed: what was delivered is marked sent, the
        # rest is released, still pending, for the next run.
        sent = _mark_sent(Q(user_id__in=delivered), claim=claim) if delivered else 0
        _release(claim=claim, error=error)
    return DigestRun(
        emails=len(delivered), sent=sent, skipped=len(stale), failed=len(news) - len(delivered)
    )


def notifications_retry(*, now: datetime | None = None) -> int:
    """Enqueue again the immediate notifications still pending RETRY_AFTER after they were
    written (a mail error, or a task lost before it reached the queue). Returns how many."""
    from sameboat.notifications.tasks import send_notification

    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            _claimable(now),
            delivery=NotificationFrequency.IMMEDIATELY,
            created_at__lte=now - RETRY_AFTER,
            attempts__lt=MAX_ATTEMPTS,
        )
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:RETRY_BATCH]
    )
    for notification_id in ids:
        send_notification.enqueue(notification_id)
    return len(ids)
