"""Contact details (email, phone) stay private until both sides of a match accept.

Every page and every API endpoint the URL resolver knows, GET by the two sides of a
proposed match, a third member and a coordinator: before the second side accepts, nobody's
email or phone shows to anyone but themselves. Once both have accepted, each side sees the
other's (on the match, page and API), and still nobody else does.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from sameboat.aid.models import MatchStatus
from sameboat.aid.services import PostFields, ask_create, match_accept, match_offer_help
from sameboat.core.tests.api_world import World, build_world, person
from sameboat.core.tests.test_permission_table import kwargs_for, url_names
from sameboat.networks.models import Category, Member
from sameboat.networks.services import network_create


@pytest.fixture
def world(db: None) -> World:
    return build_world(network_create(slug="riverside", name="Riverside Mutual Aid"))


def with_contact(member: Member, tag: str) -> Member:
    user = member.user
    user.email = f"private-{tag}-7f3a@example.org"
    user.phone = f"+44 7700 900{tag}"
    user.save(update_fields=["email", "phone"])
    return member


def secrets(member: Member) -> tuple[str, str]:
    return (member.user.email, member.user.phone)


def pages_and_api(world: World, values: dict[str, Any]) -> list[str]:
    urls = []
    for name, parameters in sorted(url_names().items()):
        if name.startswith("admin:") or name in ("account_logout", "api-token"):
            continue
        urls.append(reverse(name, kwargs=kwargs_for(name, parameters, values)))
    return urls


def seen_by(member: Member, urls: list[str]) -> dict[str, str]:
    """What each URL shows `member`, by their session (pages) and token (API)."""
    client = Client()
    client.force_login(member.user)
    token, _created = Token.objects.get_or_create(user=member.user)
    shown = {}
    for url in urls:
        headers = {"Authorization": f"Token {token.key}"} if url.startswith("/api/") else {}
        response = client.get(url, headers=headers)
        if response.streaming:
            shown[url] = b"".join(response.streaming_content).decode(errors="replace")  # type: ignore[arg-type]
        else:
            shown[url] = response.content.decode(errors="replace")
    return shown


def leaks(viewer: Member, others: list[Member], shown: dict[str, str]) -> list[str]:
    found = []
    for url, content in shown.items():
        for other in others:
            for secret in secrets(other):
                if secret in content:
                    found.append(f"{viewer.user.display_name} sees {secret} at {url}")
    return found


def test_contact_details_show_only_to_the_two_sides_and_only_once_both_accept(
    world: World,
) -> None:
    network = world.network
    asker = with_contact(person(network, "Asker"), "101")
    helper = with_contact(person(network, "Helper"), "202")
    third = with_contact(person(network, "Third"), "303")
    coordinator = with_contact(world.coordinator, "404")
    food = Category.objects.get(network=network, slug="food")
    ask = ask_create(member=asker, fields=PostFields(category=food, title="Lift to the clinic"))
    match = match_offer_help(ask=ask, helper=helper, message="I can drive you.")
    assert match.status == MatchStatus.PROPOSED
    values = world.values | {"ask": ask.pk, "match": match.pk, "member": asker.pk}
    urls = pages_and_api(world, values)
    everyone = [asker, helper, third, coordinator]

    before = {member.pk: seen_by(member, urls) for member in everyone}
    for member in everyone:
        others = [other for other in everyone if other != member]
        assert not leaks(member, others, before[member.pk]), leaks(
            member, others, before[member.pk]
        )

    match_accept(match=match, by=asker)
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED

    after = {member.pk: seen_by(member, urls) for member in everyone}
    # Each side now sees the other's, on the match's page and in the API.
    match_page = reverse("aid:match_detail", kwargs={"network": network.slug, "pk": match.pk})
    match_api = reverse("api-match-detail", kwargs={"network_slug": network.slug, "pk": match.pk})
    for side, other in ((asker, helper), (helper, asker)):
        for url in (match_page, match_api):
            for secret in secrets(other):
                assert secret in after[side.pk][url], f"{side.user.display_name}: {url}"
    # And nobody else's, nor anything to the third member and the coordinator.
    assert not leaks(asker, [third, coordinator], after[asker.pk])
    assert not leaks(helper, [third, coordinator], after[helper.pk])
    assert not leaks(third, [asker, helper, coordinator], after[third.pk])
    assert not leaks(coordinator, [asker, helper, third], after[coordinator.pk])
