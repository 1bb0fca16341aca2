"""The calendar page: a member makes their address, sees it (and one per group), chooses what
the calendar calls the groups, and makes a new address. Bad input is a 400 and writes
nothing; the page's queries do not grow with the number of groups."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sameboat.calendars.models import CalendarFeed, GroupNames
from sameboat.groups.services import group_create, group_member_add
from sameboat.networks.models import Role

PAGE = reverse("calendars:page", kwargs={"network": "riverside"})
RESET = reverse("calendars:reset", kwargs={"network": "riverside"})


def _client(member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def test_a_member_makes_an_address_and_sees_it(insider, confidential, open_group):
    client = _client(insider)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Make my calendar address" in page.content.decode()
    assert not CalendarFeed.objects.exists()
    assert client.get(RESET).status_code == 405
    response = client.post(RESET)
    assert response.status_code == 302 and response.url == PAGE
    feed = CalendarFeed.objects.get(member=insider)
    html = client.get(PAGE).content.decode()
    assert f"http://testserver/calendar/{feed.token}.ics" in html
    assert f"http://testserver/calendar/{feed.token}/groups/{confidential.pk}.ics" in html
    assert f"http://testserver/calendar/{feed.token}/groups/{open_group.pk}.ics" in html
    assert "Google Calendar" in html and "Outlook" in html


def test_a_new_address_replaces_the_old(insider):
    client = _client(insider)
    client.post(RESET)
    old = CalendarFeed.objects.get(member=insider).token
    client.post(RESET, follow=True)
    new = CalendarFeed.objects.get(member=insider).token
    assert new != old
    html = client.get(PAGE).content.decode()
    assert new in html and old not in html
    assert client.get(reverse("calendars:feed", kwargs={"feed_token": old})).status_code == 404


def test_choosing_discreet_names_and_refusing_nonsense(insider):
    client = _client(insider)
    client.post(RESET)
    response = client.post(PAGE, {"group_names": GroupNames.NONE})
    assert response.status_code == 302
    assert CalendarFeed.objects.get().group_names == GroupNames.NONE
    bad = client.post(PAGE, {"group_names": "everything"})
    assert bad.status_code == 400
    assert "Nothing was saved" in bad.content.decode()
    assert CalendarFeed.objects.get().group_names == GroupNames.NONE


def test_choosing_names_before_having_an_address_is_a_400(insider):
    response = _client(insider).post(PAGE, {"group_names": GroupNames.ALL})
    assert response.status_code == 400
    assert "Make your calendar address first" in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_each_member_sees_only_their_own_address(insider, member):
    _client(insider).post(RESET)
    theirs = CalendarFeed.objects.get(member=insider).token
    assert theirs not in _client(member).get(PAGE).content.decode()


def test_the_dashboard_links_to_the_calendar_page(member):
    html = _client(member).get(reverse("networks:dashboard", kwargs={"network": "riverside"}))
    assert PAGE in html.content.decode()


def test_the_page_makes_a_flat_number_of_queries(network, insider, make_member):
    client = _client(insider)
    client.post(RESET)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        return len(queries)

    boss = make_member(Role.FACILITATOR)
    for n in range(2):
        group_member_add(
            group=group_create(network=network, by=boss, fields={"name": f"G{n}", "type": "food"}),
            member=insider,
        )
    few = count()
    for n in range(2, 8):
        group_member_add(
            group=group_create(
                network=network,
                by=boss,
                fields={"name": f"G{n}", "type": "food", "confidential": n % 2 == 0},
            ),
            member=insider,
        )
    assert count() == few
