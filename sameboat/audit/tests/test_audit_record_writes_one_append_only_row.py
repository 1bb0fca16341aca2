"""audit_record writes one row of ids and codes; the database refuses to change or remove it."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sameboat.accounts.models import User
from sameboat.audit.models import AuditEvent
from sameboat.audit.services import (
    DETAIL_TEXT_RE,
    AuditShapeError,
    audit_record,
    client_network,
)
from sameboat.networks.models import Member, Network


def test_one_insert_with_every_field(
    network: Network, admin_member: Member, django_assert_num_queries
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.77", HTTP_X_REQUEST_ID="req-42")
    request.user = admin_member.user
    with django_assert_num_queries(1):
        audit_record(
            action="roles.change",
            network=network,
            target="member:7",
            detail={"from": "member", "to": "coordinator", "ids": [1, 2]},
            request=request,
        )
    event = AuditEvent.objects.get()
    assert event.network == network and event.network_ref == network.pk
    assert event.actor == admin_member.user and event.actor_ref == admin_member.user.pk
    assert event.action == "roles.change" and event.target == "member:7"
    assert event.detail == {"from": "member", "to": "coordinator", "ids": [1, 2]}
    assert event.ip == "203.0.113.0"  # the host part is cut off
    assert event.request_id == "req-42"


def test_events_of_one_request_share_an_id(network: Network) -> None:
    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="bad id with spaces")
    audit_record(action="test.one", network=network, request=request)
    audit_record(action="test.two", network=network, request=request)
    ids = set(AuditEvent.objects.values_list("request_id", flat=True))
    assert len(ids) == 1 and "bad id with spaces" not in ids and len(ids.pop()) == 32


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("198.51.100.200", "198.51.100.0"),
        ("2001:db8:abcd:1234::5", "2001:db8:abcd::"),
        ("::ffff:192.0.2.9", "192.0.2.0"),
        ("not-an-address", ""),
    ],
)
def test_addresses_are_cut_to_their_network(raw: str, stored: str) -> None:
    assert client_network(RequestFactory().get("/", REMOTE_ADDR=raw)) == stored


@pytest.mark.parametrize(
    ("kwargs"),
    [
        {"detail": {"email": "amina@example.org"}},
        {"detail": {"note": "Feeling low this week"}},
        {"detail": {"Name With Spaces": 1}},
        {"detail": {"when": object()}},
        {"target": "user:Amina Hassan"},
    ],
)
def test_personal_data_is_refused_in_tests(network: Network, kwargs: dict) -> None:
    with pytest.raises(AuditShapeError):
        audit_record(action="test.shape", network=network, **kwargs)
    assert not AuditEvent.objects.exists()


def test_in_production_a_bad_value_is_redacted_not_raised(network: Network, settings) -> None:
    settings.DEBUG = False
    settings.TESTING = False
    audit_record(action="test.shape", network=network, detail={"ok": 3, "email": "a@b.org"})
    assert AuditEvent.objects.get().detail == {"ok": 3, "email": "redacted", "redacted": True}


def test_a_bad_action_code_is_always_refused(network: Network) -> None:
    with pytest.raises(AuditShapeError):
        audit_record(action="Not a code", network=network)


def test_the_database_refuses_update_and_delete(network: Network, admin_member: Member) -> None:
    audit_record(action="test.kept", network=network, actor=admin_member.user, target="group:5")
    event = AuditEvent.objects.get()
    for statement in (
        lambda: AuditEvent.objects.filter(pk=event.pk).update(target="group:6"),
        lambda: AuditEvent.objects.filter(pk=event.pk).update(action="test.hidden"),
        lambda: AuditEvent.objects.filter(pk=event.pk).update(detail={"x": 1}),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            statement()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    event.refresh_from_db()
    assert event.action == "test.kept" and event.target == "group:5"


def test_deleting_the_actor_keeps_the_event_and_their_number(
    network: Network, admin_member: Member
) -> None:
    user = admin_member.user
    user_pk = user.pk
    audit_record(action="test.kept", network=network, actor=user)
    # The one change the database allows: Django nulling the foreign key of a deleted user.
    AuditEvent.objects.filter(actor=user).update(actor=None)
    event = AuditEvent.objects.get()
    assert event.actor is None and event.actor_ref == user_pk
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_ref=None)


def test_deleting_a_user_nulls_the_actor(network: Network) -> None:
    user = User.objects.create_user("gone@example.org", "x-long-password-1", display_name="Gone")
    audit_record(action="test.kept", network=network, actor=user)
    user_pk = user.pk
    user.delete()
    event = AuditEvent.objects.get()
    assert event.actor_id is None and event.actor_ref == user_pk


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_keeps_it_guarded(network: Network) -> None:
    audit_record(action="test.flushed", network=network)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    audit_record(action="test.after", network=None)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()


@given(text=st.text(max_size=300))
@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_text_is_stored_only_when_it_is_a_code(network: Network, settings, text: str) -> None:
    """Hostile text (long, control characters, scripts, other alphabets) in `detail` is never
    stored as given unless it has the shape of a code: in production it reads "redacted"."""
    settings.DEBUG = False
    settings.TESTING = False
    audit_record(action="test.hostile", network=network, detail={"value": text})
    stored = AuditEvent.objects.filter(action="test.hostile").latest("id").detail["value"]
    if DETAIL_TEXT_RE.fullmatch(text):
        assert stored == text
    else:
        assert stored == "redacted"
