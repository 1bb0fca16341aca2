"""The security watch tells someone of abnormal activity (ASVS 8.1.4, 11.1.7-11.1.8): more
refused accesses by one person than the threshold, to their network's admins; more failed
logins from one address network, lockouts or reused codes than theirs, to the site's admins.
Each finding is told once per window, with ids and numbers only, in a flat number of
queries; `manage.py audit watch` prints what it found and `audit schedule` starts the chain."""

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sameboat.audit import tasks
from sameboat.audit.models import AuditEvent
from sameboat.audit.watch import security_watch
from sameboat.networks.models import Member, Network, Role

SITE_ADMIN = "security-desk@example.org"


@pytest.fixture(autouse=True)
def _watch_settings(settings) -> None:
    settings.SITE_URL = "https://sameboat.example"
    settings.ADMINS = [SITE_ADMIN]
    settings.SECURITY_WATCH_WINDOW_MINUTES = 15
    settings.SECURITY_WATCH_DENIALS = 20
    settings.SECURITY_WATCH_FAILED_LOGINS = 30
    settings.SECURITY_WATCH_LOCKOUTS = 5
    settings.SECURITY_WATCH_CODES_REUSED = 3


@pytest.fixture
def now() -> datetime:
    return timezone.now()


@pytest.fixture
def admins(make_member, other_network: Network) -> tuple[Member, Member]:
    """An admin of the network and one of another network."""
    return (
        make_member(Role.ADMIN, display_name="Admin Ada"),
        make_member(Role.ADMIN, in_network=other_network, display_name="Other Otto"),
    )


@pytest.fixture
def walker(make_member) -> Member:
    return make_member(Role.MEMBER, display_name="Walker Wanda", email="wanda@example.org")


@pytest.fixture(autouse=True)
def _nothing_personal(network: Network, other_network: Network) -> Iterator[None]:
    yield
    names = [
        text
        for member in Member.objects.select_related("user")
        for text in (member.user.email, member.user.display_name)
    ]
    stored = json.dumps(
        list(
            AuditEvent.objects.filter(action="security.alert").values(
                "action", "target", "detail", "ip"
            )
        )
    )
    emails = "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox)
    for text in [*names, network.name, other_network.name]:
        assert text not in stored, f"{text!r} reached a security alert event"
        assert text not in emails, f"{text!r} reached a security alert email"


def _events(
    action: str,
    count: int,
    *,
    at: datetime,
    actor_ref: int | None = None,
    network: Network | None = None,
    ip: str = "",
) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            created_at=at - timedelta(seconds=i),
            action=action,
            actor_id=actor_ref,
            actor_ref=actor_ref,
            network=network,
            network_ref=network.pk if network is not None else None,
            ip=ip,
        )
        for i in range(count)
    )


def _alerts() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="security.alert").order_by("id"))


def test_21_refusals_alert_the_networks_admins_once(
    network: Network, admins: tuple[Member, Member], walker: Member, now: datetime
) -> None:
    admin, other_admin = admins
    _events(
        "access.denied",
        21,
        at=now - timedelta(minutes=1),
        actor_ref=walker.user.pk,
        network=network,
    )

    (alert,) = security_watch(now=now)

    assert (alert.kind, alert.count, alert.actor_ref, alert.emails) == (
        "denials",
        21,
        walker.user.pk,
        1,
    )
    (event,) = _alerts()
    assert event.network == network and event.actor is None and event.target == ""
    assert event.detail == {
        "kind": "denials",
        "count": 21,
        "key": f"denials:actor:{walker.user.pk}:network:{network.pk}",
        "actor": walker.user.pk,
    }
    (email,) = mail.outbox
    assert email.to == [admin.user.email]
    assert other_admin.user.email not in email.recipients() and SITE_ADMIN not in email.recipients()
    assert email.subject == "Sameboat: unusual activity noticed"
    assert f"21 refused accesses by member #{walker.user.pk} in 15 minutes" in email.body
    assert "https://sameboat.example/n/riverside/audit/" in email.body


def test_20_refusals_are_not_abnormal(
    network: Network, admins: tuple[Member, Member], walker: Member, now: datetime
) -> None:
    _events(
        "access.denied",
        20,
        at=now - timedelta(minutes=1),
        actor_ref=walker.user.pk,
        network=network,
    )
    assert security_watch(now=now) == []
    assert _alerts() == [] and mail.outbox == []


def test_a_second_run_in_the_window_tells_nothing_more_and_a_later_one_tells_again(
    network: Network, admins: tuple[Member, Member], walker: Member, now: datetime
) -> None:
    _events(
        "access.denied",
        21,
        at=now - timedelta(minutes=1),
        actor_ref=walker.user.pk,
        network=network,
    )
    assert len(security_watch(now=now)) == 1
    # The walk goes on: five minutes later, still within the first alert's window.
    later = now + timedelta(minutes=5)
    _events("access.denied", 10, at=later, actor_ref=walker.user.pk, network=network)
    assert security_watch(now=later) == []
    assert len(_alerts()) == 1 and len(mail.outbox) == 1
    # Once the window has passed over the first alert, a burst going on is told again.
    much_later = now + timedelta(minutes=20)
    _events("access.denied", 21, at=much_later, actor_ref=walker.user.pk, network=network)
    (again,) = security_watch(now=much_later)
    assert again.count == 21
    assert len(_alerts()) == 2 and len(mail.outbox) == 2


def test_events_older_than_the_window_are_ignored(
    network: Network, admins: tuple[Member, Member], walker: Member, now: datetime
) -> None:
    _events(
        "access.denied",
        30,
        at=now - timedelta(minutes=16),
        actor_ref=walker.user.pk,
        network=network,
    )
    _events("security.login_failed", 40, at=now - timedelta(minutes=16), ip="203.0.113.0")
    _events(
        "access.denied", 5, at=now - timedelta(minutes=1), actor_ref=walker.user.pk, network=network
    )
    assert security_watch(now=now) == []
    assert _alerts() == [] and mail.outbox == []


def test_failed_logins_from_one_address_network_alert_the_site_admins(
    network: Network, admins: tuple[Member, Member], now: datetime
) -> None:
    at = now - timedelta(minutes=2)
    _events("security.login_failed", 31, at=at, ip="203.0.113.0")
    _events("security.login_failed", 30, at=at, ip="198.51.100.0")  # at the threshold: fine

    (alert,) = security_watch(now=now)

    assert (alert.kind, alert.count, alert.ip, alert.network_slug) == (
        "failed_logins",
        31,
        "203.0.113.0",
        "",
    )
    (event,) = _alerts()
    assert event.network is None
    assert event.detail == {
        "kind": "failed_logins",
        "count": 31,
        "key": "failed_logins:ip:203.0.113.0",
        "ip": "203.0.113.0",
    }
    (email,) = mail.outbox
    assert email.to == [SITE_ADMIN]
    assert "31 failed logins from the address network 203.0.113.0 in 15 minutes" in email.body
    assert "https://sameboat.example/admin/audit/auditevent/" in email.body
    assert all(admin.user.email not in email.recipients() for admin in admins)


def test_bursts_of_lockouts_and_reused_codes_alert_the_site_admins(
    network: Network, walker: Member, now: datetime
) -> None:
    at = now - timedelta(minutes=3)
    _events("security.login_locked", 6, at=at, ip="203.0.113.0")
    _events("security.mfa_code_reused", 3, at=at, actor_ref=walker.user.pk)  # at the threshold

    (alert,) = security_watch(now=now)

    assert (alert.kind, alert.count) == ("lockouts", 6)
    (event,) = _alerts()
    assert event.detail == {"kind": "lockouts", "count": 6, "key": "lockouts"}
    (email,) = mail.outbox
    assert email.to == [SITE_ADMIN] and "6 lockouts after failed logins in 15 minutes" in email.body

    _events("security.mfa_code_reused", 1, at=now, actor_ref=walker.user.pk)
    (codes,) = security_watch(now=now)
    assert (codes.kind, codes.count) == ("codes_reused", 4)
    assert "4 used two-step login codes offered again in 15 minutes" in mail.outbox[1].body


def _queries(now: datetime) -> int:
    with CaptureQueriesContext(connection) as queries:
        security_watch(now=now)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_events(
    network: Network,
    other_network: Network,
    admins: tuple[Member, Member],
    make_member,
    now: datetime,
) -> None:
    at = now - timedelta(minutes=1)
    people = [make_member(Role.MEMBER) for _ in range(3)]
    _events("access.denied", 1, at=at, actor_ref=people[0].user.pk, network=network)
    quiet_one = _queries(now)
    for person in people:
        _events("access.denied", 10, at=at, actor_ref=person.user.pk, network=network)
        _events("access.denied", 5, at=at, actor_ref=person.user.pk, network=other_network)
    for n in range(10):
        _events("security.login_failed", 3, at=at, ip=f"203.0.{n}.0")
    _events("security.login_locked", 5, at=at)
    assert _queries(now) == quiet_one
    assert _alerts() == []

    # With news: one walker in one network, then three walkers in two networks each.
    later = now + timedelta(minutes=1)
    _events("access.denied", 21, at=later, actor_ref=people[0].user.pk, network=network)
    with CaptureQueriesContext(connection) as one:
        assert len(security_watch(now=later)) == 2  # its two networks
    much_later = now + timedelta(minutes=40)
    for person in people:
        _events("access.denied", 40, at=much_later, actor_ref=person.user.pk, network=network)
        _events("access.denied", 40, at=much_later, actor_ref=person.user.pk, network=other_network)
    with CaptureQueriesContext(connection) as many:
        assert len(security_watch(now=much_later)) == 6
    reads = [q for q in many.captured_queries if not q["sql"].lstrip().upper().startswith("INSERT")]
    assert len(reads) == len(
        [q for q in one.captured_queries if not q["sql"].lstrip().upper().startswith("INSERT")]
    )
    # One INSERT an alert, nothing else per alert.
    assert len(many) - len(reads) == 6


def test_the_command_prints_what_it_found(
    network: Network, admins: tuple[Member, Member], walker: Member
) -> None:
    _events(
        "access.denied",
        21,
        at=timezone.now() - timedelta(minutes=1),
        actor_ref=walker.user.pk,
        network=network,
    )
    out = StringIO()
    call_command("audit", "watch", stdout=out)
    call_command("audit", "watch", stdout=out)
    assert out.getvalue().splitlines() == [
        f"security alert: denials 21 by actor #{walker.user.pk} (network riverside, 1 email)",
        "security watch: 1 new alert(s)",
        "security watch: 0 new alert(s)",
    ]


def _waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=tasks.watch.module_path, status="READY"))


def test_the_schedule_command_schedules_once(db: None) -> None:
    out = StringIO()
    call_command("audit", "schedule", stdout=out)
    call_command("audit", "schedule", stdout=out)
    assert len(_waiting()) == 1
    first, second = out.getvalue().splitlines()
    assert first.startswith("security watch: scheduled for")
    assert second == "security watch: already scheduled"


def test_a_watch_schedules_the_next_five_minutes_on(db: None) -> None:
    before = timezone.now()
    assert tasks.watch.call() == {"alerts": 0}
    (waiting,) = _waiting()
    assert before + tasks.WATCH_EVERY <= waiting.run_after <= timezone.now() + tasks.WATCH_EVERY
    tasks.watch.call()
    assert len(_waiting()) == 1


def test_a_backend_that_cannot_defer_does_not_chain(immediate_tasks, db: None) -> None:
    assert tasks.schedule_watch() is None
    with pytest.raises(Exception, match="cannot run tasks later"):
        call_command("audit", "schedule", stdout=StringIO())


# An SMTP server that hangs up (outside our control; see notifications' test_mail_failure.py).
REFUSING = "sameboat.notifications.tests.test_mail_failure.RefusingMailBackend"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


def test_an_alert_that_could_not_be_mailed_is_not_recorded_and_is_told_next_run(
    settings, network: Network, admins: tuple[Member, Member], walker: Member, now: datetime
) -> None:
    _events(
        "access.denied",
        21,
        at=now - timedelta(minutes=1),
        actor_ref=walker.user.pk,
        network=network,
    )
    settings.MAILERS = {"default": {"BACKEND": REFUSING}}
    assert security_watch(now=now) == []
    assert _alerts() == []
    settings.MAILERS = {"default": {"BACKEND": WORKING}}
    (alert,) = security_watch(now=now + timedelta(minutes=5))
    assert alert.kind == "denials" and len(_alerts()) == 1 and len(mail.outbox) == 1
