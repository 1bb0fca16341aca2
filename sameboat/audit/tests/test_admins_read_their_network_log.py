"""The audit log page and API: a network's admins read their network's log, newest first,
filtered and paginated; everyone else gets 404; no other network's events ever show."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from sameboat.audit.models import AuditEvent
from sameboat.audit.services import audit_record
from sameboat.networks.models import Member, Network


def _client(member: Member) -> Client:
    client = Client()
    assert client.login(email=member.user.email, password=PASSWORD)
    return client


def _url(network: Network) -> str:
    return reverse("audit:log", kwargs={"network": network.slug})


def _api(network: Network) -> str:
    return reverse("api-audit-list", kwargs={"network_slug": network.slug})


@pytest.fixture
def events(network: Network, other_network: Network, coordinator: Member, admin_member: Member):
    audit_record(action="roles.change", network=network, actor=admin_member.user, target="member:1")
    audit_record(action="privacy.export", network=network, actor=coordinator.user, target="user:9")
    audit_record(action="privacy.export", network=other_network, target="user:999")


def test_admin_sees_their_network_newest_first(
    events: None, admin_member: Member, network: Network
) -> None:
    response = _client(admin_member).get(_url(network))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("user:9") < body.index("member:1")  # newest first
    assert "user:999" not in body  # the other network's event
    assert "Exported personal data" in body and "Changed a role" in body


@pytest.mark.parametrize("who", ["member", "facilitator", "coordinator", "outsider"])
def test_everyone_else_gets_404(events: None, request, network: Network, who: str) -> None:
    visitor = request.getfixturevalue(who)
    client = _client(visitor)
    assert client.get(_url(network)).status_code == 404
    assert client.get(_api(network)).status_code == 404


def test_outsider_admin_sees_only_their_own_network(
    events: None, make_member, other_network: Network, network: Network
) -> None:
    from sameboat.networks.models import Role

    other_admin = make_member(Role.ADMIN, in_network=other_network)
    client = _client(other_admin)
    assert client.get(_url(network)).status_code == 404
    body = client.get(_url(other_network)).content.decode()
    assert "user:999" in body and "user:9<" not in body and "member:1" not in body
    rows = client.get(_api(other_network)).json()["results"]
    assert {row["target"] for row in rows if row["action"] != "audit.view"} == {"user:999"}


def test_filters_by_action_actor_and_date(
    events: None, admin_member: Member, coordinator: Member, network: Network
) -> None:
    client = _client(admin_member)
    body = client.get(_url(network), {"action": "privacy.export"}).content.decode()
    assert "user:9" in body and "member:1" not in body
    body = client.get(_url(network), {"actor": admin_member.user.pk}).content.decode()
    assert "member:1" in body and "user:9" not in body
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    body = client.get(_url(network), {"since": tomorrow.isoformat()}).content.decode()
    assert "member:1" not in body and "user:9" not in body
    body = client.get(
        _url(network), {"since": today.isoformat(), "until": today.isoformat()}
    ).content.decode()
    assert "member:1" in body and "user:9" in body
    rows = client.get(_api(network), {"action": "privacy.export"}).json()["results"]
    assert [row["target"] for row in rows] == ["user:9"]
    assert {row["action"] for row in client.get(_api(network)).json()["results"]} >= {
        "audit.view",  # the page reads above
        "roles.change",
    }
    rows = client.get(_api(network), {"actor": coordinator.user.pk}).json()["results"]
    assert [row["action"] for row in rows] == ["privacy.export"]


@pytest.mark.parametrize(
    "query",
    [
        {"since": "not-a-date"},
        {"since": "2026-05-02", "until": "2026-05-01"},
        {"actor": "abc"},
        {"action": "no such action"},
    ],
)
def test_bad_filters_are_400_and_nothing_is_written(
    events: None, admin_member: Member, network: Network, query: dict
) -> None:
    client = _client(admin_member)
    before = AuditEvent.objects.count()
    assert client.get(_url(network), query).status_code == 400
    assert client.get(_api(network), query).status_code == 400
    assert AuditEvent.objects.count() == before


def test_far_dates_do_not_break_it(events: None, admin_member: Member, network: Network) -> None:
    client = _client(admin_member)
    edges = {"since": "0001-01-01", "until": "9999-12-31"}
    assert client.get(_url(network), edges).status_code == 200
    assert client.get(_api(network), edges).status_code == 200


def test_reading_the_log_is_recorded(events: None, admin_member: Member, network: Network) -> None:
    client = _client(admin_member)
    client.get(_url(network), {"action": "roles.change"}, REMOTE_ADDR="192.0.2.55")
    client.get(_api(network))
    views = AuditEvent.objects.filter(action="audit.view").order_by("id")
    assert [event.actor_ref for event in views] == [admin_member.user.pk] * 2
    first = views[0]
    assert first.network == network and first.ip == "192.0.2.0"
    assert first.detail == {"page": 1, "action": "roles.change", "actor": None}
    assert views[1].detail["api"] is True


def test_api_rows_hold_codes_not_names(
    events: None, admin_member: Member, network: Network
) -> None:
    rows = _client(admin_member).get(_api(network)).json()["results"]
    assert rows[0]["action"] == "privacy.export" and rows[0]["action_label"]
    assert set(rows[0]) == {
        "id",
        "created_at",
        "actor",
        "action",
        "action_label",
        "target",
        "detail",
        "ip",
        "request_id",
    }
    assert admin_member.user.email not in str(rows)
    assert admin_member.user.display_name not in str(rows)


def test_pages_cost_the_same_whatever_the_log_holds(
    network: Network, admin_member: Member, make_member, django_assert_max_num_queries
) -> None:
    client = _client(admin_member)

    def fill(count: int) -> None:
        for n in range(count):
            actor = make_member().user
            audit_record(
                action="confidential.view", network=network, actor=actor, target=f"group:{n}"
            )

    fill(3)
    with django_assert_max_num_queries(12) as small:
        assert client.get(_url(network)).status_code == 200
    fill(60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(_url(network))
    assert response.status_code == 200
    assert 'rel="next"' in response.content.decode()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(_url(network), {"page": 2}).status_code == 200
    with django_assert_max_num_queries(10) as api_small:
        assert client.get(_api(network)).status_code == 200
    fill(10)
    with django_assert_max_num_queries(len(api_small.captured_queries)):
        assert client.get(_api(network)).status_code == 200
