"""The retention purge removes what has outlived its period, through the task worker; the
ledger is never purged."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from sameboat.aid.models import Ask, Match, Offer, PostStatus
from sameboat.aid.services import (
    PostFields,
    ask_create,
    match_accept,
    match_complete,
    match_offer_help,
)
from sameboat.ledger.models import Entry, Exchange
from sameboat.ledger.verify import ledger_problems
from sameboat.networks.models import Category, Member
from sameboat.notifications.models import Notification, NotificationKind, NotificationStatus
from sameboat.privacy import tasks
from sameboat.privacy.models import Consent
from sameboat.privacy.services import consent_set, retention_purge

LATER = timedelta(days=400)


def closed_ask(member: Member, food: Category, title: str) -> Ask:
    ask = ask_create(member=member, fields=PostFields(category=food, title=title, details="x"))
    Ask.objects.filter(pk=ask.pk).update(status=PostStatus.CLOSED)
    return ask


def test_old_closed_posts_go_but_the_ledger_stays(
    member: Member, helper: Member, food: Category
) -> None:
    old = closed_ask(member, food, "Old and closed")
    open_ask = ask_create(member=member, fields=PostFields(category=food, title="Still open"))
    exchanged = ask_create(
        member=member, fields=PostFields(category=food, title="Met", details="my details")
    )
    match = match_offer_help(ask=exchanged, helper=helper, message="See you")
    match_accept(match=match, by=member)
    exchange = match_complete(match=match, by=member, hours=Decimal(2), key="k")
    Ask.objects.filter(pk=exchanged.pk).update(status=PostStatus.FULFILLED)
    entries = Entry.objects.count()

    counts = retention_purge(now=timezone.now() + LATER)

    assert not Ask.objects.filter(pk=old.pk).exists()
    assert Ask.objects.filter(pk=open_ask.pk).exists()
    kept = Ask.objects.get(pk=exchanged.pk)
    assert kept.details == ""
    assert Exchange.objects.filter(pk=exchange.pk).exists()
    assert Entry.objects.count() == entries
    assert list(ledger_problems()) == []
    assert counts["closed_posts"] == 1 and counts["closed_posts_redacted"] == 1
    assert Match.objects.get(pk=match.pk).message == ""


def test_recent_closed_posts_are_kept(member: Member, food: Category) -> None:
    ask = closed_ask(member, food, "Closed yesterday")
    retention_purge(now=timezone.now())
    assert Ask.objects.filter(pk=ask.pk).exists()


def test_sent_notifications_and_old_withdrawn_consents_go(member: Member) -> None:
    sent = Notification.objects.create(
        user=member.user,
        network=member.network,
        topic="meeting:1",
        path="/",
        kind=NotificationKind.MEETING_REMINDER,
        delivery="immediately",
        status=NotificationStatus.SENT,
    )
    pending = Notification.objects.create(
        user=member.user,
        network=member.network,
        topic="meeting:2",
        path="/",
        kind=NotificationKind.MEETING_REMINDER,
        delivery="daily",
    )
    consent_set(user=member.user, purpose="location_matching", given=True, source="api")
    consent_set(user=member.user, purpose="location_matching", given=False, source="api")

    retention_purge(now=timezone.now() + timedelta(days=4000))

    assert not Notification.objects.filter(pk=sent.pk).exists()
    assert Notification.objects.filter(pk=pending.pk).exists()
    assert not Consent.objects.filter(user=member.user).exists()


def test_the_purge_runs_in_the_task_worker(member: Member, food: Category, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    old = closed_ask(member, food, "Old")
    Ask.objects.filter(pk=old.pk).update(updated_at=timezone.now() - LATER)
    result = tasks.purge_expired.enqueue()
    assert result.return_value["closed_posts"] == 1
    assert not Ask.objects.filter(pk=old.pk).exists()


def test_the_purge_command(member: Member, food: Category, capsys: Any) -> None:
    old = closed_ask(member, food, "Old")
    Ask.objects.filter(pk=old.pk).update(updated_at=timezone.now() - LATER)
    call_command("privacy", "purge")
    assert "closed_posts 1" in capsys.readouterr().out
    assert Offer.objects.count() == 0
    assert not Ask.objects.filter(pk=old.pk).exists()


def test_the_retention_periods_come_from_settings(
    member: Member, food: Category, settings: Any
) -> None:
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "closed_posts": 1}
    ask = closed_ask(member, food, "Two days closed")
    Ask.objects.filter(pk=ask.pk).update(updated_at=timezone.now() - timedelta(days=2))
    retention_purge(now=timezone.now())
    assert not Ask.objects.filter(pk=ask.pk).exists()
