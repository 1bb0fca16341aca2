"""Hostile text through the main ways in: the API's writes (asks, offers' and asks' messages,
profile, groups, agenda items, proposals, goals, referrals) and the pages' forms (asks,
directory organisations, the directory's search).

Very long strings, control characters, NUL, right-to-left marks and other alphabets, emoji,
`<script>` and SQL-looking text. Each is either refused with a clear 4xx and nothing written,
or stored exactly (as the field's own trimming of outer whitespace leaves it) and shown
escaped: the page never carries the raw `<script>` it was sent. A NUL is always refused
(PostgreSQL cannot store one). Never a 500.
"""

import copy
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sameboat.accounts.models import User
from sameboat.aid.models import Ask, Match
from sameboat.aid.services import PostFields, ask_create
from sameboat.core.tests.api_world import World, build_world
from sameboat.decisions.models import Proposal
from sameboat.directory import sample as dataset
from sameboat.directory.models import Organization, Referral, Service
from sameboat.directory.services import hsds_import_documents
from sameboat.goals.models import Goal
from sameboat.groups.models import AgendaItem, Group
from sameboat.networks.models import Category, Member
from sameboat.networks.services import network_create

NUL = "\x00"
PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "Robert'); DROP TABLE aid_ask;--",
    "' OR '1'='1",
    "\u202eevil.exe\u202c",  # right-to-left override
    "مساعدة في التسوق يوم الجمعة",
    "Помощь с покупками",
    "帮忙买菜 🍲👩‍👩‍👧‍👦",
    "a\u0301\u0301\u0301 zalgo",
    "tab\tnew\nline\rreturn",
    "bell\x07 escape\x1b[31m",
    "nul\x00byte",
    "x" * 5_000,
    "🙂" * 3_000,
    "\ufeffbom",
    "{{ 7*7 }} {% csrf_token %}",
]
hostile = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=400),
    st.builds(
        lambda payload, text: payload + text, st.sampled_from(PAYLOADS), st.text(max_size=50)
    ),
)
SETTINGS = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def api(member: Member) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=member.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def stored_form(text: str) -> str:
    """What a text field keeps of `text`: DRF's and Django's CharField trim outer
    whitespace."""
    return text.strip()


@dataclass
class Write:
    """One API write with one text field set to the hostile text."""

    caller: Callable[[World], Member]
    url: Callable[[World], str]
    body: Callable[[World, str], dict[str, Any]]
    model: type[Model]
    field: str
    method: str = "post"


def base(world: World) -> str:
    return f"/api/v1/networks/{world.network.slug}"


def food(world: World) -> int:
    return Category.objects.get(network=world.network, slug="food").pk


def fresh_ask(world: World) -> int:
    ask = ask_create(
        member=world.author,
        fields=PostFields(category=Category.objects.get(pk=food(world)), title="Groceries"),
    )
    return ask.pk


def service_id(world: World) -> str:
    return str(Service.objects.filter(network=world.network).order_by("name").first().id)  # type: ignore[union-attr]


def levels(text: str) -> list[str]:
    return [f"{text} {level}" for level in range(5)]


WRITES: dict[str, Write] = {
    "ask title": Write(
        lambda w: w.author,
        lambda w: f"{base(w)}/asks/",
        lambda w, t: {"category": food(w), "title": t},
        Ask,
        "title",
    ),
    "ask details": Write(
        lambda w: w.author,
        lambda w: f"{base(w)}/asks/",
        lambda w, t: {"category": food(w), "title": "Help", "details": t},
        Ask,
        "details",
    ),
    "message offering help": Write(
        lambda w: w.coordinator,
        lambda w: f"{base(w)}/asks/{fresh_ask(w)}/help/",
        lambda w, t: {"message": t},
        Match,
        "message",
    ),
    "group name": Write(
        lambda w: w.counsellor,
        lambda w: f"{base(w)}/groups/",
        lambda w, t: {"name": t, "type": "support"},
        Group,
        "name",
    ),
    "group purpose": Write(
        lambda w: w.counsellor,
        lambda w: f"{base(w)}/groups/",
        lambda w, t: {
            "name": f"Circle {timezone.now().timestamp()}",
            "type": "support",
            "purpose": t,
        },
        Group,
        "purpose",
    ),
    "agenda item": Write(
        lambda w: w.author,
        lambda w: f"{base(w)}/groups/{w.confidential.pk}/meetings/{w.meeting.pk}/agenda/",
        lambda w, t: {"title": t},
        AgendaItem,
        "title",
    ),
    "proposal title": Write(
        lambda w: w.author,
        lambda w: f"{base(w)}/decisions/",
        lambda w, t: {
            "title": t,
            "process": "consent",
            "closes_at": (timezone.now() + timedelta(days=3)).isoformat(),
        },
        Proposal,
        "title",
    ),
    "proposal text": Write(
        lambda w: w.author,
        lambda w: f"{base(w)}/decisions/",
        lambda w, t: {
            "title": "Saturdays",
            "text": t,
            "process": "consent",
            "closes_at": (timezone.now() + timedelta(days=3)).isoformat(),
        },
        Proposal,
        "text",
    ),
    "goal title": Write(
        lambda w: w.author,
        lambda w: f"{base(w)}/groups/{w.confidential.pk}/goals/",
        lambda w, t: {"kind": "personal", "title": t, "levels": levels("Level")},
        Goal,
        "title",
    ),
    "referral note": Write(
        lambda w: w.counsellor,
        lambda w: f"{base(w)}/referrals/",
        lambda w, t: {"service_id": service_id(w), "member": w.author.pk, "note": t},
        Referral,
        "note",
    ),
}


@pytest.fixture
def world(db: None) -> World:
    return build_world(network_create(slug="riverside", name="Riverside Mutual Aid"))


def stored_value(row: Model, field: str) -> str:
    return str(getattr(row, field))


@pytest.mark.parametrize("name", list(WRITES))
def test_api_write_refuses_or_stores_hostile_text_exactly(world: World, name: str) -> None:
    write = WRITES[name]

    @SETTINGS
    @given(text=hostile)
    def attempt(text: str) -> None:
        before = write.model._default_manager.count()
        client = api(write.caller(world))
        response = getattr(client, write.method)(
            write.url(world), write.body(world, text), format="json"
        )
        assert response.status_code < 500, response.content[:500]
        if response.status_code >= 400:
            assert write.model._default_manager.count() == before, "a refusal wrote something"
            assert response.json(), "a refusal says why"
            return
        assert NUL not in text, "a NUL was taken"
        assert write.model._default_manager.count() == before + 1
        row = write.model._default_manager.latest("pk")
        assert stored_value(row, write.field) == stored_form(text)

    attempt()


@SETTINGS
@given(text=hostile)
def test_profile_refuses_or_stores_hostile_text_exactly(world: World, text: str) -> None:
    user = User.objects.get(pk=world.author.user.pk)  # as the previous example left it
    before = (user.display_name, user.strengths)
    for field in ("display_name", "strengths"):
        response = api(world.author).patch("/api/v1/me/", {field: text}, format="json")
        assert response.status_code < 500
        user = User.objects.get(pk=user.pk)
        if response.status_code >= 400:
            assert (user.display_name, user.strengths) == before
        else:
            assert NUL not in text
            assert getattr(user, field) == stored_form(text)
            assert response.json()[field] == stored_form(text)
            before = (user.display_name, user.strengths)


def page_shows_escaped(html: str, text: str) -> None:
    """The stored text appears escaped, and no raw markup from it does."""
    if "<" in text:
        assert "<script>alert" not in html or "<script>alert" not in text
        assert text not in html, "the raw text is in the page"
    shown = escape(stored_form(text))
    assert shown in html or escape(stored_form(text)[:40]) in html


@SETTINGS
@given(text=hostile)
def test_ask_form_refuses_or_stores_and_shows_hostile_text_escaped(world: World, text: str) -> None:
    client = Client()
    client.force_login(world.author.user)
    before = Ask.objects.count()
    data = {"title": "Help on Friday", "details": text, "category": food(world)}
    response = client.post(reverse("aid:ask_create", kwargs={"network": "riverside"}), data)
    assert response.status_code < 500
    if response.status_code != 302:
        assert response.status_code in (200, 400)
        assert Ask.objects.count() == before
        return
    assert NUL not in text
    ask = Ask.objects.latest("pk")
    assert ask.details == stored_form(text)
    page = client.get(response["Location"])
    assert page.status_code == 200
    if stored_form(text):
        page_shows_escaped(page.content.decode(), text)


@SETTINGS
@given(text=hostile)
def test_directory_organisation_form_refuses_or_stores_and_shows_hostile_text_escaped(
    world: World, text: str
) -> None:
    client = Client()
    client.force_login(world.coordinator.user)
    before = set(Organization.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("directory:organization_create", kwargs={"network": "riverside"}),
        {"name": text, "description": "Free advice."},
    )
    assert response.status_code < 500
    if response.status_code != 302:
        assert set(Organization.objects.values_list("pk", flat=True)) == before
        return
    assert NUL not in text
    organization = Organization.objects.exclude(pk__in=before).get()
    assert organization.name == stored_form(text)
    page = client.get(response["Location"])
    assert page.status_code == 200
    page_shows_escaped(page.content.decode(), text)


@SETTINGS
@given(text=hostile)
def test_search_and_filters_answer_hostile_queries_without_a_server_error(
    world: World, text: str
) -> None:
    client = Client()
    client.force_login(world.author.user)
    for url, parameter in (
        (reverse("directory:search", kwargs={"network": "riverside"}), "q"),
        (reverse("aid:ask_list", kwargs={"network": "riverside"}), "q"),
        (f"{base(world)}/decisions/", "status"),
        (f"/api/hsds/{world.network.slug}/services", "search"),
    ):
        if url.startswith("/api/"):
            response: Any = api(world.author).get(url, {parameter: text})
        else:
            response = client.get(url, {parameter: text})
        assert response.status_code < 500, (url, response.status_code)
        if NUL in text:
            assert response.status_code == 400, url
        if response.status_code == 200 and "<" in text and "html" in response["Content-Type"]:
            assert text not in response.content.decode(), url


def test_a_nul_in_a_json_body_is_refused_wherever_it_hides(world: World) -> None:
    """Not only in a string field DRF checks: in a list's items and in an object's keys."""
    client = api(world.author)
    before = Ask.objects.count()
    for body in (
        {"category": food(world), "title": "Help", "accessibility_needs": ["ok\x00"]},
        {"category": food(world), "title": "Help", "languages": ["e\x00n"]},
        {"category": food(world), "title": "Help", "\x00": 1},
    ):
        response = client.post(f"{base(world)}/asks/", body, format="json")
        assert response.status_code == 400, response.content
        assert "null" in json.dumps(response.json()).lower()
    assert Ask.objects.count() == before


def test_a_directory_import_with_a_nul_reports_it_and_stores_nothing_of_it(
    world: World,
) -> None:
    """HSDS files come from elsewhere; a NUL in one is a problem of the import's report (the
    database would refuse it), not a crash of the import."""
    clinic = copy.deepcopy(dataset.organizations()[1])
    clinic["id"] = str(uuid.uuid4())
    clinic["services"][0]["name"] = "Tenants\x00 advice"
    report = hsds_import_documents(network=world.network, data=clinic, kind="organization")
    assert not report.ok
    assert any("null character" in str(problem) for problem in report.problems)
    assert not Organization.objects.filter(id=clinic["id"]).exists()
