"""The calendar API: one's addresses, a reset that kills the old, and the choice of names,
with a 400 for bad input that changes nothing."""

from rest_framework.test import APIClient

from sameboat.calendars.models import CalendarFeed, GroupNames

BASE = "/api/v1/networks/riverside/calendar/"


def _api(member) -> APIClient:
    client = APIClient()
    client.force_authenticate(member.user)
    return client


def test_make_see_choose_and_reset(insider, confidential):
    api = _api(insider)
    empty = api.get(BASE)
    assert empty.status_code == 200
    assert empty.json()["feed_url"] is None and empty.json()["groups"] == []

    made = api.post(f"{BASE}reset/")
    assert made.status_code == 200
    token = CalendarFeed.objects.get(member=insider).token
    body = made.json()
    assert body["feed_url"] == f"http://testserver/calendar/{token}.ics"
    assert body["group_names"] == "open"
    assert body["groups"] == [
        {
            "id": confidential.pk,
            "name": "Recovery circle",
            "named_in_feed": False,
            "feed_url": f"http://testserver/calendar/{token}/groups/{confidential.pk}.ics",
        }
    ]

    chosen = api.patch(f"{BASE}preferences/", {"group_names": "all"}, format="json")
    assert chosen.status_code == 200 and chosen.json()["groups"][0]["named_in_feed"] is True
    bad = api.patch(f"{BASE}preferences/", {"group_names": "loud"}, format="json")
    assert bad.status_code == 400 and "group_names" in bad.json()
    assert CalendarFeed.objects.get().group_names == GroupNames.ALL

    again = api.post(f"{BASE}reset/").json()
    assert token not in again["feed_url"]
    assert APIClient().get(f"/calendar/{token}.ics").status_code == 404
    assert APIClient().get(again["feed_url"]).status_code == 200


def test_choosing_names_without_an_address_is_a_400(insider):
    response = _api(insider).patch(f"{BASE}preferences/", {"group_names": "all"}, format="json")
    assert response.status_code == 400
    assert not CalendarFeed.objects.exists()


def test_outsiders_and_strangers_get_nothing(outsider):
    assert APIClient().get(BASE).status_code == 401
    assert _api(outsider).get(BASE).status_code == 404
    assert _api(outsider).post(f"{BASE}reset/").status_code == 404
    assert not CalendarFeed.objects.exists()
