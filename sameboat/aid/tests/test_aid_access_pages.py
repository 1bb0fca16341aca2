"""Every aid page answers an outsider with 404, as if the network did not exist, and sends
an anonymous visitor to log in."""

import pytest
from django.urls import reverse

from sameboat.aid.services import match_offer_help

GET_PAGES = [
    ("ask_list", None),
    ("ask_create", None),
    ("ask_detail", "ask"),
    ("ask_edit", "ask"),
    ("offer_list", None),
    ("offer_create", None),
    ("offer_detail", "offer"),
    ("offer_edit", "offer"),
    ("mine", None),
    ("match_list", None),
    ("match_detail", "match"),
    ("coordinate", None),
    ("coordinate_pair", None),
]
POST_PAGES = [
    ("ask_create", None),
    ("ask_edit", "ask"),
    ("ask_transition", "ask"),
    ("ask_answer", "ask"),
    ("offer_create", None),
    ("offer_edit", "offer"),
    ("offer_transition", "offer"),
    ("offer_answer", "offer"),
    ("match_accept", "match"),
    ("match_decline", "match"),
    ("match_cancel", "match"),
    ("match_complete", "match"),
    ("match_feedback", "match"),
    ("coordinate_pair", None),
]


@pytest.fixture
def objects(ask, offer, helper):
    return {"ask": ask, "offer": offer, "match": match_offer_help(ask=ask, helper=helper)}


def page_url(name: str, kind: str | None, objects: dict) -> str:
    kwargs: dict[str, object] = {"network": "riverside"}
    if kind:
        kwargs["pk"] = objects[kind].pk
    return reverse(f"aid:{name}", kwargs=kwargs)


def test_outsider_gets_404_for_every_aid_page(client, outsider, objects):
    # The outsider coordinates another network: no role elsewhere opens this one.
    client.force_login(outsider.user)
    for name, kind in GET_PAGES:
        assert client.get(page_url(name, kind, objects)).status_code == 404, name
    for name, kind in POST_PAGES:
        assert client.post(page_url(name, kind, objects), {}).status_code == 404, name


def test_inactive_member_gets_404(client, make_member, objects):
    person = make_member()
    person.is_active = False
    person.save(update_fields=["is_active"])
    client.force_login(person.user)
    for name, kind in GET_PAGES:
        assert client.get(page_url(name, kind, objects)).status_code == 404, name


def test_anonymous_visitor_is_sent_to_log_in(client, objects):
    for name, kind in GET_PAGES:
        response = client.get(page_url(name, kind, objects))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("account_login")), name


def test_unknown_network_is_404(client, member):
    client.force_login(member.user)
    assert client.get(reverse("aid:ask_list", kwargs={"network": "nowhere"})).status_code == 404


def test_every_page_passes_network_and_viewer_for_the_nav(client, coordinator, objects):
    client.force_login(coordinator.user)
    for name, kind in GET_PAGES:
        response = client.get(page_url(name, kind, objects))
        assert response.status_code == 200, name
        assert response.context["network"].slug == "riverside", name
        assert response.context["viewer"] == coordinator, name
