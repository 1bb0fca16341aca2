"""A write that fails half-way leaves nothing half-written.

Every service that writes is one transaction (a guard below reads every services.py and names
the few that are not, and why). Then a real database error is injected half-way through
multi-row writes made through a form and through the API: a trigger refuses the second
INSERT, the request fails (500: the database failed, not the person), and nothing of the
first INSERT, nor of the updates before it, is left. Once the database is well, the same
request, under the same idempotency key, goes through once.

The tests run outside a test transaction (`transaction=True`), so the service's own
transaction is the outermost one, as in production.
"""

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import MakeMember
from sameboat.accounts.models import User
from sameboat.aid.models import Ask, Match, MatchStatus
from sameboat.aid.services import match_accept, match_offer_help
from sameboat.audit.models import AuditEvent
from sameboat.ledger.models import Account, Entry, Exchange
from sameboat.networks.models import Invitation, Member, Network, Role
from sameboat.networks.services import invitation_create
from sameboat.privacy.models import Consent

APPS = Path(__file__).resolve().parents[2]

# Public service functions that are not one transaction, and why that is right. Anything
# else in a services.py that is not atomic fails the guard below.
NOT_ATOMIC = {
    "aid.hours_to_hundredths": "pure arithmetic",
    "aid.match_complete": "one service: match_complete_once (atomic)",
    "aid.post_kind": "reads a type",
    "audit.audit_record": "one INSERT, inside the caller's transaction when there is one",
    "audit.audit_view": "one INSERT (audit_record)",
    "audit.access_denied_record": "one INSERT (audit_record), after the response is made",
    "audit.client_network": "pure",
    "audit.request_id": "pure",
    "decisions.proposals_close_due": "a sweep: each proposal closes in its own transaction",
    "decisions.proposals_notify_closing_due": "a sweep: each notice in its own transaction",
    "directory.directory_for": "one get_or_create",
    "directory.hsds_import": "the importer writes in its own transactions (importing.py)",
    "directory.hsds_import_documents": "the importer writes in its own transaction",
    "groups.meeting_dates": "pure",
    "groups.note_takers_of": "reads",
    "matching.matching_run_request": "one INSERT, then the task is enqueued",
    "matching.matching_run": "one INSERT, then matching_run_execute records success or failure",
    "matching.matching_run_execute": "its writes are one transaction inside; a failure is recorded",
    "matching.matching_scheduled_run": "reads, then matching_run",
    "matching.coarse": "pure",
    "matching.matching_match_new": "its writes are one transaction inside",
    "networks.network_join": "one service: member_add (atomic)",
    "networks.signup_join": "one service: invitation_accept or network_join (atomic)",
    "notifications.notifications_muted": "its writes are one transaction inside",
    "notifications.notify_members": "one service: news_write (atomic)",
    "notifications.notifications_withdraw": "one UPDATE",
    "notifications.notification_send": "claims and sends one email; each step commits on purpose",
    "notifications.digests_send": "one email per person, each recorded on its own",
    "notifications.notifications_retry": "enqueues tasks",
    "privacy.erasure_journal_path": "pure",
    "privacy.is_erased": "pure",
    "privacy.consent_states": "reads",
    "privacy.not_to_be_named_in_notes": "reads",
    "privacy.member_data_export": "reads (member_data_export_for records it, atomically)",
    "privacy.erasure_journal_entries": "reads a file",
    "privacy.erasure_by_coordinator_allowed": "reads",
    "privacy.networks_left_without_admin": "reads",
    "privacy.retention_days": "reads settings",
}


def _is_atomic(node: ast.FunctionDef) -> bool:
    decorators = [ast.unparse(d) for d in node.decorator_list]
    return any(d in ("transaction.atomic", "atomic") for d in decorators)


def test_every_service_that_writes_is_one_transaction() -> None:
    found: dict[str, ast.FunctionDef] = {}
    for path in sorted(APPS.glob("*/services.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                found[f"{path.parent.name}.{node.name}"] = node
    assert len(found) > 100, "the guard reads the services"
    not_atomic = sorted(name for name, node in found.items() if not _is_atomic(node))
    unexplained = [name for name in not_atomic if name not in NOT_ATOMIC]
    assert unexplained == [], (
        "These services are not @transaction.atomic: make them so, or add them to NOT_ATOMIC "
        "with the reason they need not be."
    )
    stale = sorted(set(NOT_ATOMIC) - set(not_atomic))
    assert stale == [], "NOT_ATOMIC names services that are gone or atomic now"


@contextmanager
def failing_inserts(table: str) -> Iterator[None]:
    """A real database error on every INSERT into `table` while inside (a trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE TRIGGER injected_failure BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION injected_failure() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'injected failure'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER injected_failure BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION injected_failure()"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DROP TRIGGER IF EXISTS injected_failure")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS injected_failure ON {table}")
                cursor.execute("DROP FUNCTION IF EXISTS injected_failure()")


def accepted_match(ask: Ask, member: Member, helper: Member) -> Match:
    return match_accept(match=match_offer_help(ask=ask, helper=helper), by=member)


def assert_nothing_written(match: Match, ask: Ask) -> None:
    fresh = Match.objects.get(pk=match.pk)
    assert fresh.status == MatchStatus.ACCEPTED
    assert fresh.hours is None
    assert fresh.ended_at is None
    assert fresh.helper_feedback == ""
    assert Ask.objects.get(pk=ask.pk).status == ask.status
    assert Exchange.objects.count() == 0
    assert Entry.objects.count() == 0
    assert set(Account.objects.values_list("balance", flat=True)) == {0}


@pytest.mark.django_db(transaction=True)
def test_a_form_that_fails_half_way_writes_nothing(
    member: Member, helper: Member, ask: Ask
) -> None:
    match = accepted_match(ask, member, helper)
    ask.refresh_from_db()
    browser = Client(raise_request_exception=False)
    browser.force_login(helper.user)
    url = reverse("aid:match_complete", kwargs={"network": "riverside", "pk": match.pk})
    form = {"hours": "2", "key": "form-1", "feedback": "Went well"}

    # The exchange row is inserted, then its first entry is refused by the database.
    with failing_inserts("ledger_entry"):
        response = browser.post(url, form)
    assert response.status_code == 500
    assert_nothing_written(match, ask)

    # The same form sent again, the database well: posted once.
    assert browser.post(url, form).status_code == 302
    assert browser.post(url, form).status_code == 302
    assert Exchange.objects.get().amount == 200
    assert Match.objects.get(pk=match.pk).status == MatchStatus.COMPLETED
    call_command("ledger", "verify")


@pytest.mark.django_db(transaction=True)
def test_the_api_failing_half_way_writes_nothing(member: Member, helper: Member, ask: Ask) -> None:
    match = accepted_match(ask, member, helper)
    ask.refresh_from_db()
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=helper.user).key}")
    url = reverse("api-match-complete", kwargs={"network_slug": "riverside", "pk": match.pk})
    body = {"hours": "1.5", "feedback": "Fine"}

    with failing_inserts("ledger_entry"):
        response = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="api-1")
    assert response.status_code == 500
    assert_nothing_written(match, ask)

    done = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="api-1")
    assert done.status_code == 201, done.content
    replay = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="api-1")
    assert replay.status_code == 200
    assert replay.json()["id"] == done.json()["id"]
    assert Exchange.objects.get().amount == 150
    call_command("ledger", "verify")


@pytest.mark.django_db(transaction=True)
def test_a_role_change_whose_audit_line_fails_is_not_made(
    make_member: MakeMember, member: Member
) -> None:
    admin = make_member(Role.ADMIN)
    browser = Client(raise_request_exception=False)
    browser.force_login(admin.user)
    url = reverse("networks:member_role", kwargs={"network": "riverside", "member_id": member.pk})

    # Every role change is audited: a change whose audit line cannot be written is not made.
    with failing_inserts(AuditEvent._meta.db_table):
        response = browser.post(url, {"role": Role.COORDINATOR})
    assert response.status_code == 500
    assert Member.objects.get(pk=member.pk).role == Role.MEMBER

    assert browser.post(url, {"role": Role.COORDINATOR}).status_code == 302
    assert Member.objects.get(pk=member.pk).role == Role.COORDINATOR
    assert AuditEvent.objects.filter(action="roles.change", target=f"member:{member.pk}").exists()


@pytest.mark.django_db(transaction=True)
def test_a_signup_that_fails_half_way_leaves_no_account(
    network: Network, coordinator: Member
) -> None:
    invitation = invitation_create(network=network, by=coordinator)
    browser = Client(raise_request_exception=False)
    browser.get(reverse("networks:invitation", kwargs={"token": invitation.token}))
    signup = {
        "email": "newcomer@example.org",
        "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
        "display_name": "Newcomer",
        "contact_after_match": "on",
    }

    # The account, its consents, its membership and the used invitation are written, then
    # the email address (allauth's last INSERT) is refused.
    with failing_inserts("account_emailaddress"):
        response = browser.post(reverse("account_signup"), signup)
    assert response.status_code == 500
    assert not User.objects.filter(email="newcomer@example.org").exists()
    assert Consent.objects.count() == 0
    assert Member.objects.filter(network=network).count() == 1
    assert Invitation.objects.get(pk=invitation.pk).accepted_by is None

    assert browser.post(reverse("account_signup"), signup).status_code == 302
    assert Member.objects.get(user__email="newcomer@example.org").network == network
