"""Reading another person's contact details is recorded (ASVS 8.3.5): each match page and
each API answer that shows them writes one `contact.view` event, with the viewer as actor,
the match as target and ids only; an answer that hides them writes none."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import PASSWORD, MakeMember
from sameboat.accounts.models import User
from sameboat.aid.models import Match
from sameboat.aid.services import PostFields, ask_create, match_accept, match_offer_help
from sameboat.audit.models import AuditEvent
from sameboat.networks.models import Category, Member, Network

SLUG = "riverside"
NOTE = "Picking up insulin for my daughter"


@pytest.fixture(autouse=True)
def _nothing_personal_in_the_log(network: Network):
    yield
    stored = json.dumps(
        list(AuditEvent.objects.values("action", "target", "detail", "ip", "request_id")),
        default=str,
    )
    people = User.objects.all()
    for text in [
        *(u.email for u in people),
        *(u.phone for u in people if u.phone),
        *(u.display_name for u in people),
        NOTE,
    ]:
        assert text not in stored, f"{text!r} reached the audit log"


@pytest.fixture
def phones(member: Member, helper: Member) -> None:
    for person, phone in ((member, "+44 7700 900101"), (helper, "+44 7700 900202")):
        person.user.phone = phone
        person.user.save(update_fields=["phone"])


def proposed(member: Member, helper: Member, food: Category, title: str = "Insulin") -> Match:
    ask = ask_create(member=member, fields=PostFields(category=food, title=title))
    return match_offer_help(ask=ask, helper=helper, message=NOTE)


def accepted(member: Member, helper: Member, food: Category, title: str = "Insulin") -> Match:
    return match_accept(match=proposed(member, helper, food, title), by=member)


def page(member: Member, match: Match) -> str:
    client = Client()
    assert client.login(email=member.user.email, password=PASSWORD)
    response = client.get(reverse("aid:match_detail", kwargs={"network": SLUG, "pk": match.pk}))
    assert response.status_code == 200
    return response.content.decode()


def api(member: Member) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=member.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def match_api(match: Match) -> str:
    return reverse("api-match-detail", kwargs={"network_slug": SLUG, "pk": match.pk})


def views() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="contact.view").order_by("id"))


@pytest.mark.usefixtures("phones")
def test_the_match_page_records_each_view_of_the_contact_details(
    member: Member, helper: Member, food: Category, network: Network
) -> None:
    match = accepted(member, helper, food)

    assert helper.user.phone in page(member, match)
    assert helper.user.phone in page(member, match)
    assert member.user.email in page(helper, match)

    events = views()
    assert [(e.actor_id, e.target, e.network_id) for e in events] == [
        (member.user_id, f"match:{match.pk}", network.pk),
        (member.user_id, f"match:{match.pk}", network.pk),
        (helper.user_id, f"match:{match.pk}", network.pk),
    ]
    assert all(e.detail == {} for e in events)
    assert events[0].request_id != events[1].request_id


@pytest.mark.usefixtures("phones")
def test_the_match_page_records_nothing_while_the_details_are_hidden(
    member: Member, helper: Member, coordinator: Member, food: Category
) -> None:
    waiting = proposed(member, helper, food)
    assert helper.user.phone not in page(member, waiting)

    match = accepted(member, helper, food, "Shopping")
    # A coordinator may open the match, but not the two people's details.
    assert helper.user.phone not in page(coordinator, match)
    # The other side withdrew their consent to sharing them.
    helper.user.shares_contact = False
    helper.user.save(update_fields=["shares_contact"])
    assert helper.user.phone not in page(member, match)

    assert views() == []


@pytest.mark.usefixtures("phones")
def test_the_api_records_a_match_read_that_carries_the_contact_details(
    member: Member, helper: Member, food: Category, network: Network
) -> None:
    match = accepted(member, helper, food)

    body = api(helper).get(match_api(match)).json()

    assert body["contact"]["phone"] == member.user.phone
    (event,) = views()
    assert (event.actor_id, event.target, event.network_id, event.detail) == (
        helper.user_id,
        f"match:{match.pk}",
        network.pk,
        {},
    )


@pytest.mark.usefixtures("phones")
def test_accepting_through_the_api_records_the_details_its_answer_shows(
    member: Member, helper: Member, food: Category
) -> None:
    match = proposed(member, helper, food)

    body = api(member).post(f"{match_api(match)}accept/").json()

    assert body["contact"]["email"] == helper.user.email
    assert [(e.actor_id, e.target) for e in views()] == [(member.user_id, f"match:{match.pk}")]


@pytest.mark.usefixtures("phones")
def test_a_list_read_records_one_event_naming_the_matches_it_showed(
    member: Member,
    helper: Member,
    make_member: MakeMember,
    food: Category,
    network: Network,
) -> None:
    first = accepted(member, helper, food, "First")
    second = accepted(member, helper, food, "Second")
    hidden = proposed(member, make_member(), food, "Still waiting")
    client = api(member)
    url = reverse("api-match-list", kwargs={"network_slug": SLUG})

    results = client.get(url).json()["results"]

    assert {row["id"]: row["contact"] is not None for row in results} == {
        first.pk: True,
        second.pk: True,
        hidden.pk: False,
    }
    (event,) = views()
    assert event.actor_id == member.user_id
    assert event.target == f"network:{network.pk}"
    assert sorted(event.detail["matches"]) == sorted([first.pk, second.pk])

    # A list of one match shown names it as the target.
    helper.user.shares_contact = False
    helper.user.save(update_fields=["shares_contact"])
    client.get(url)
    assert len(views()) == 1
    third = accepted(member, make_member(), food, "Third")
    client.get(url)
    assert views()[-1].target == f"match:{third.pk}"
    assert views()[-1].detail == {"matches": [third.pk]}


@pytest.mark.usefixtures("phones")
def test_the_api_records_nothing_while_the_details_are_hidden(
    member: Member, helper: Member, coordinator: Member, food: Category
) -> None:
    waiting = proposed(member, helper, food)
    match = accepted(member, helper, food, "Shopping")

    assert api(member).get(match_api(waiting)).json()["contact"] is None
    assert api(coordinator).get(match_api(match)).json()["contact"] is None
    rows = (
        api(coordinator)
        .get(reverse("api-match-list", kwargs={"network_slug": SLUG}), {"all": "true"})
        .json()["results"]
    )
    assert rows and all(row["contact"] is None for row in rows)

    assert views() == []
