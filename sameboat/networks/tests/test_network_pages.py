from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sameboat.aid.services import PostFields, ask_create
from sameboat.ledger.services import exchange_post
from sameboat.networks.models import Role


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_dashboard_queries_do_not_grow_with_asks(client, member, make_member, food):
    client.force_login(member.user)
    url = reverse("networks:dashboard", kwargs={"network": member.network.slug})
    other = make_member()
    for n in range(3):
        ask_create(member=other, fields=PostFields(category=food, title=f"Ask {n}"))
    few = count_queries(client, url)
    for n in range(30):
        ask_create(member=make_member(), fields=PostFields(category=food, title=f"More {n}"))
    assert count_queries(client, url) == few


def test_member_list_queries_do_not_grow_with_members(client, admin_member, make_member):
    client.force_login(admin_member.user)
    url = reverse("networks:members", kwargs={"network": admin_member.network.slug})
    for _ in range(3):
        make_member()
    few = count_queries(client, url)
    for _ in range(30):
        make_member()
    assert count_queries(client, url) == few


def test_reciprocity_page_queries_do_not_grow_with_exchanges(client, member, make_member):
    client.force_login(member.user)
    url = reverse("ledger:member", kwargs={"network": member.network.slug, "member_id": member.pk})
    for n in range(3):
        exchange_post(provider=make_member(), receiver=member, amount=100, key=f"a{n}")
    few = count_queries(client, url)
    for n in range(30):
        exchange_post(provider=member, receiver=make_member(), amount=50, key=f"b{n}")
    assert count_queries(client, url) == few


def test_member_sees_hours_given_and_received_with_whom(client, member, helper, make_member):
    exchange_post(provider=helper, receiver=member, amount=200, key="a")
    exchange_post(provider=member, receiver=make_member(display_name="Chen"), amount=150, key="b")
    client.force_login(member.user)
    page = client.get(
        reverse("ledger:member", kwargs={"network": member.network.slug, "member_id": member.pk})
    ).content.decode()
    assert "Bongani" in page and "Chen" in page
    assert "1.5" in page and ">2<" in page


def test_other_members_cannot_see_someones_exchanges(client, member, helper, coordinator):
    url = reverse("ledger:member", kwargs={"network": member.network.slug, "member_id": member.pk})
    client.force_login(helper.user)
    assert client.get(url).status_code == 404
    client.force_login(coordinator.user)
    assert client.get(url).status_code == 200


def test_admin_changes_a_role_and_coordinator_cannot(client, admin_member, coordinator, member):
    url = reverse(
        "networks:member_role", kwargs={"network": member.network.slug, "member_id": member.pk}
    )
    client.force_login(coordinator.user)
    assert client.post(url, {"role": Role.COORDINATOR}).status_code == 404
    member.refresh_from_db()
    assert member.role == Role.MEMBER
    client.force_login(admin_member.user)
    client.post(url, {"role": Role.COORDINATOR})
    member.refresh_from_db()
    assert member.role == Role.COORDINATOR


def test_coordinator_creates_an_invitation_link(client, coordinator):
    client.force_login(coordinator.user)
    url = reverse("networks:invitations", kwargs={"network": coordinator.network.slug})
    response = client.post(url, {"email": "", "role": Role.MEMBER}, follow=True)
    assert "/invite/" in response.content.decode()
    bad = client.post(url, {"email": "not-an-email", "role": "emperor"})
    assert bad.status_code == 400


def test_outsider_finds_no_network(client, outsider, network):
    client.force_login(outsider.user)
    for name in ("networks:dashboard", "networks:members", "networks:invitations"):
        assert client.get(reverse(name, kwargs={"network": network.slug})).status_code == 404
