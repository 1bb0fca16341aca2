"""The retention purge removes what has outlived its period, through the task worker; the
ledger is never purged."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sameboat.aid.models import Ask, Match, Offer, PostStatus
from sameboat.aid.services import (
    PostFields,
    ask_create,
    match_accept,
    match_complete,
    match_offer_help,
)
from sameboat.directory.models import Referral, ReferralEvent, ReferralReason, ReferralStatus
from sameboat.goals.models import Goal, GoalCheckIn, GoalKind
from sameboat.groups.models import (
    Group,
    GroupMember,
    GroupMemberStatus,
    GroupType,
    Meeting,
    MeetingCheckIn,
    MutualAidProcess,
    Participation,
    SessionRecord,
    Stage,
    StageRecord,
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


# --- the most sensitive texts: check-ins, session notes, goal notes, referral notes ---------

CHECK_IN_WORDS = "hard week, thinking of using"
SESSION_NOTES = "Sam spoke about relapsing after the funeral"
GOAL_NOTE = "Made it through the wedding"
REFERRAL_NOTE = "Needs an immigration lawyer before the hearing"
WHY_NOT = "They asked for papers she does not have"


@dataclass
class Sensitive:
    check_in: MeetingCheckIn
    record: SessionRecord
    stage: StageRecord
    participation: Participation
    goal_check_in: GoalCheckIn
    referral: Referral
    event: ReferralEvent


def sensitive(member: Member, counsellor: Member, *, days_ago: int, tag: str = "") -> Sensitive:
    """One of each sensitive text, about a meeting (and a check-in, a closing) `days_ago` days
    back."""
    when = timezone.now() - timedelta(days=days_ago)
    group = Group.objects.create(
        network=member.network, name=f"Circle {tag}", type=GroupType.RECOVERY, confidential=True
    )
    place = GroupMember.objects.create(group=group, member=member, status=GroupMemberStatus.ACTIVE)
    meeting = Meeting.objects.create(group=group, starts_at=when, duration_minutes=60)
    check_in = MeetingCheckIn.objects.create(
        meeting=meeting, member=place, wellbeing=2, words=CHECK_IN_WORDS
    )
    stage = StageRecord.objects.create(
        group=group, model=group.stage_model, stage=Stage.PREAFFILIATION, recorded_by=counsellor
    )
    record = SessionRecord.objects.create(
        meeting=meeting,
        notes=SESSION_NOTES,
        processes=[MutualAidProcess.SAME_BOAT, MutualAidProcess.MUTUAL_SUPPORT],
        stage_record=stage,
        recorded_by=counsellor,
    )
    participation = Participation.objects.create(
        record=record, member=place, contributions=2, led=True
    )
    goal = Goal.objects.create(
        group=group,
        kind=GoalKind.PERSONAL,
        owner=member,
        title="Ninety days clean",
        level_minus_2="Using daily",
        level_minus_1="Using weekly",
        level_0="Thirty days",
        level_plus_1="Sixty days",
        level_plus_2="Ninety days",
    )
    goal_check_in = GoalCheckIn.objects.create(
        goal=goal, level=1, on=when.date(), note=GOAL_NOTE, by=member
    )
    GoalCheckIn.objects.filter(pk=goal_check_in.pk).update(created_at=when)
    referral = Referral.objects.create(
        network=member.network,
        member=member,
        service_name="Legal clinic",
        referred_by=counsellor,
        note=REFERRAL_NOTE,
        status=ReferralStatus.DID_NOT_GET_HELP,
        reason=ReferralReason.NOT_ELIGIBLE,
        reason_note=WHY_NOT,
        stage=1,
        status_changed_at=when,
    )
    event = ReferralEvent.objects.create(
        referral=referral,
        status=ReferralStatus.DID_NOT_GET_HELP,
        reason=ReferralReason.NOT_ELIGIBLE,
        reason_note=WHY_NOT,
        by=counsellor,
        at=when,
    )
    return Sensitive(check_in, record, stage, participation, goal_check_in, referral, event)


def _fresh[M: Model](row: M) -> M:
    return type(row)._default_manager.get(pk=row.pk)


def test_the_most_sensitive_texts_go_after_their_periods_and_what_is_counted_stays(
    member: Member, helper: Member, facilitator: Member, food: Category
) -> None:
    ask = ask_create(member=member, fields=PostFields(category=food, title="Lift"))
    match = match_offer_help(ask=ask, helper=helper)
    match_accept(match=match, by=member)
    exchange = match_complete(match=match, by=member, hours=Decimal(1), key="k")
    entries = list(Entry.objects.order_by("pk").values_list("pk", "account_id", "amount"))
    old = sensitive(member, facilitator, days_ago=800, tag="old")
    # Past the check-ins' and referrals' periods (365 days), not the notes' (730).
    middling = sensitive(member, facilitator, days_ago=400, tag="middling")
    recent = sensitive(member, facilitator, days_ago=30, tag="recent")

    counts = retention_purge(now=timezone.now())

    assert not MeetingCheckIn.objects.filter(pk__in=[old.check_in.pk, middling.check_in.pk])
    assert _fresh(recent.check_in).words == CHECK_IN_WORDS

    record = _fresh(old.record)
    assert record.notes == ""
    assert record.processes == [MutualAidProcess.SAME_BOAT, MutualAidProcess.MUTUAL_SUPPORT]
    assert record.stage_record_id == old.stage.pk
    assert _fresh(old.stage).stage == Stage.PREAFFILIATION
    kept = _fresh(old.participation)
    assert (kept.contributions, kept.led) == (2, True)
    assert _fresh(middling.record).notes == SESSION_NOTES
    assert _fresh(recent.record).notes == SESSION_NOTES

    goal_check_in = _fresh(old.goal_check_in)
    assert (goal_check_in.note, goal_check_in.level) == ("", 1)
    assert goal_check_in.on == old.goal_check_in.on
    assert _fresh(middling.goal_check_in).note == GOAL_NOTE

    for closed in (old, middling):
        referral = _fresh(closed.referral)
        assert (referral.note, referral.reason_note) == ("", "")
        assert (referral.status, referral.reason, referral.service_name) == (
            ReferralStatus.DID_NOT_GET_HELP,
            ReferralReason.NOT_ELIGIBLE,
            "Legal clinic",
        )
        event = _fresh(closed.event)
        assert (event.reason_note, event.status, event.reason) == (
            "",
            ReferralStatus.DID_NOT_GET_HELP,
            ReferralReason.NOT_ELIGIBLE,
        )
    assert _fresh(recent.referral).note == REFERRAL_NOTE
    assert _fresh(recent.event).reason_note == WHY_NOT

    assert counts["meeting_check_ins"] == 2
    assert counts["session_notes"] == 1
    assert counts["goal_check_in_notes"] == 1
    assert counts["closed_referral_notes"] == 2
    assert counts["closed_referral_history_notes"] == 2
    # The ledger is untouched.
    assert Exchange.objects.filter(pk=exchange.pk).exists()
    assert list(Entry.objects.order_by("pk").values_list("pk", "account_id", "amount")) == entries
    assert list(ledger_problems()) == []

    # Once emptied, nothing is counted again.
    again = retention_purge(now=timezone.now())
    assert [again[kind] for kind in SENSITIVE_KINDS] == [0, 0, 0, 0, 0]


SENSITIVE_KINDS = (
    "meeting_check_ins",
    "session_notes",
    "goal_check_in_notes",
    "closed_referral_notes",
    "closed_referral_history_notes",
)


def test_an_open_referral_keeps_its_note_however_old(member: Member, facilitator: Member) -> None:
    old = sensitive(member, facilitator, days_ago=800)
    Referral.objects.filter(pk=old.referral.pk).update(
        status=ReferralStatus.CONTACTED, reason="", status_changed_at=old.event.at
    )

    retention_purge(now=timezone.now())

    referral = _fresh(old.referral)
    assert (referral.note, referral.reason_note) == (REFERRAL_NOTE, WHY_NOT)
    assert _fresh(old.event).reason_note == WHY_NOT


def test_the_sensitive_periods_come_from_settings(
    member: Member, facilitator: Member, settings: Any
) -> None:
    settings.RETENTION_DAYS = {
        **settings.RETENTION_DAYS,
        "meeting_check_ins": 10,
        "session_notes": 10,
        "goal_check_in_notes": 10,
        "closed_referral_notes": 10,
    }
    rows = sensitive(member, facilitator, days_ago=11)

    counts = retention_purge(now=timezone.now())

    assert [counts[kind] for kind in SENSITIVE_KINDS] == [1, 1, 1, 1, 1]
    assert not MeetingCheckIn.objects.filter(pk=rows.check_in.pk).exists()
    assert _fresh(rows.record).notes == ""


def test_the_purge_of_sensitive_texts_takes_as_many_queries_for_many_rows_as_for_one(
    member: Member, facilitator: Member
) -> None:
    """Bulk statements: the purge's queries do not grow with the rows it empties."""

    def purge() -> tuple[int, dict[str, int]]:
        with CaptureQueriesContext(connection) as queries:
            counts = retention_purge(now=timezone.now())
        return len(queries), counts

    sensitive(member, facilitator, days_ago=800, tag="one")
    for_one, counts = purge()
    assert [counts[kind] for kind in SENSITIVE_KINDS] == [1, 1, 1, 1, 1]

    for n in range(5):
        sensitive(member, facilitator, days_ago=800, tag=f"many {n}")
    for_many, counts = purge()
    assert [counts[kind] for kind in SENSITIVE_KINDS] == [5, 5, 5, 5, 5]
    assert for_many == for_one


def test_the_purge_command_prints_the_sensitive_kinds(
    member: Member, facilitator: Member, capsys: Any
) -> None:
    sensitive(member, facilitator, days_ago=800)
    call_command("privacy", "purge")
    out = capsys.readouterr().out
    for kind in SENSITIVE_KINDS:
        assert f"{kind} 1" in out
