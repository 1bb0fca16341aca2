"""The coordinator's pages: the queue of asks waiting, oldest first, and pairing."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sameboat.aid.models import Ask, Match, MatchStatus, Visibility
from sameboat.aid.services import PostFields, ask_create, offer_create


def url(name: str, **kwargs: object) -> str:
    return reverse(f"aid:{name}", kwargs={"network": "riverside", **kwargs})


def aged_ask(member, food, title: str, days: int, **fields: object) -> Ask:
    ask = ask_create(member=member, fields=PostFields(category=food, title=title, **fields))
    Ask.objects.filter(pk=ask.pk).update(created_at=timezone.now() - timedelta(days=days))
    return ask


def test_coordinate_lists_open_asks_oldest_first_with_their_wait(client, member, coordinator, food):
    aged_ask(member, food, "Two days old", 2)
    aged_ask(member, food, "Ten days old", 10)
    aged_ask(member, food, "Hidden one", 5, visibility=Visibility.COORDINATORS)
    client.force_login(coordinator.user)
    response = client.get(url("coordinate"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Ten days old") < page.index("Hidden one") < page.index("Two days old")
    assert "1\xa0week, 3\xa0days" in page


def test_coordinate_pages_are_404_for_members_and_facilitators(client, member, facilitator):
    for person in (member, facilitator):
        client.force_login(person.user)
        assert client.get(url("coordinate")).status_code == 404
        assert client.get(url("coordinate_pair")).status_code == 404
        assert client.post(url("coordinate_pair"), {}).status_code == 404


def test_admin_may_coordinate(client, admin_member, ask):
    client.force_login(admin_member.user)
    assert client.get(url("coordinate")).status_code == 200


def test_pair_page_preselects_the_ask(client, coordinator, ask):
    client.force_login(coordinator.user)
    page = client.get(url("coordinate_pair"), {"ask": ask.pk}).content.decode()
    assert f'<option value="{ask.pk}" selected>' in page


def test_coordinator_pairs_an_ask_with_an_offer(client, coordinator, member, helper, ask, offer):
    client.force_login(coordinator.user)
    response = client.post(url("coordinate_pair"), {"ask": ask.pk, "offer": offer.pk})
    match = Match.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("match_detail", pk=match.pk)
    assert match.helper == helper and match.receiver == member
    assert match.status == MatchStatus.PROPOSED and match.proposed_by == coordinator


def test_coordinator_pairs_an_ask_with_a_member(client, coordinator, member, helper, ask):
    client.force_login(coordinator.user)
    response = client.post(url("coordinate_pair"), {"ask": ask.pk, "helper": helper.pk})
    assert response.status_code == 302
    assert Match.objects.get().helper == helper


def test_pairing_without_a_helper_or_with_the_asker_is_refused(client, coordinator, member, ask):
    client.force_login(coordinator.user)
    response = client.post(url("coordinate_pair"), {"ask": ask.pk})
    assert response.status_code == 400
    assert "Choose an offer or a member to help." in response.content.decode()
    response = client.post(url("coordinate_pair"), {"ask": ask.pk, "helper": member.pk})
    assert response.status_code == 400
    assert "Nobody can be matched with themselves." in response.content.decode()
    assert not Match.objects.exists()


def test_pairing_with_a_member_of_another_network_is_refused(client, coordinator, outsider, ask):
    client.force_login(coordinator.user)
    response = client.post(url("coordinate_pair"), {"ask": ask.pk, "helper": outsider.pk})
    assert response.status_code == 400
    assert "Choose an active member of this network." in response.content.decode()
    assert not Match.objects.exists()


def test_coordinate_makes_as_many_queries_for_30_asks_as_for_3(
    client, coordinator, make_member, food, django_assert_num_queries
):
    def make_asks(count: int) -> None:
        author = make_member()
        for n in range(count):
            aged_ask(author, food, f"Ask {n}", n)

    make_asks(3)
    client.force_login(coordinator.user)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url("coordinate")).status_code == 200
    for _n in range(9):
        make_asks(3)
    with django_assert_num_queries(len(three)):
        assert client.get(url("coordinate")).status_code == 200


def test_pair_page_makes_as_many_queries_for_30_members_as_for_3(
    client, coordinator, make_member, food, django_assert_num_queries
):
    def make_people(count: int) -> None:
        for _n in range(count):
            person = make_member()
            ask_create(member=person, fields=PostFields(category=food, title="An ask"))
            offer_create(member=person, fields=PostFields(category=food, title="An offer"))

    make_people(3)
    client.force_login(coordinator.user)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url("coordinate_pair")).status_code == 200
    make_people(27)
    with django_assert_num_queries(len(three)):
        assert client.get(url("coordinate_pair")).status_code == 200


def test_coordinator_sees_members_below_the_soft_limit(
    client, network, coordinator, member, helper
):
    from sameboat.ledger.services import exchange_post

    network.balance_lower_limit = -100
    network.save(update_fields=["balance_lower_limit"])
    exchange_post(provider=helper, receiver=member, amount=300, key="big")
    client.force_login(coordinator.user)
    page = client.get(reverse("aid:coordinate", kwargs={"network": network.slug}))
    section = page.content.decode().split("Below the balance limit")[1]
    assert "Amina" in section and "-3" in section and "Bongani" not in section
