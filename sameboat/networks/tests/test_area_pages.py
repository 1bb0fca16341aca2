"""Coordinators keep their network's service areas (city > neighbourhoods > blocks) and each
area's centre, which matching uses for asks and people placed only by their area."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD
from sameboat.aid.services import PostFields, ask_create, offer_create
from sameboat.networks.models import AreaKind, Member, Network, Role, ServiceArea
from sameboat.networks.services import (
    member_update,
    service_area_create,
    service_area_delete,
    service_area_update,
)


def areas_url(network: Network) -> str:
    return reverse("networks:areas", kwargs={"network": network.slug})


def edit_url(area: ServiceArea) -> str:
    return reverse("networks:area_edit", kwargs={"network": area.network.slug, "area_id": area.pk})


def delete_url(area: ServiceArea) -> str:
    return reverse(
        "networks:area_delete", kwargs={"network": area.network.slug, "area_id": area.pk}
    )


def form(
    name: str,
    kind: str,
    parent: ServiceArea | None = None,
    latitude: str = "",
    longitude: str = "",
) -> dict[str, str]:
    return {
        "name": name,
        "kind": kind,
        "parent": str(parent.pk) if parent else "",
        "latitude": latitude,
        "longitude": longitude,
    }


def stored(network: Network) -> list[tuple]:
    """Everything about the network's areas, to show that a refused form changed nothing."""
    return list(
        ServiceArea.objects.filter(network=network)
        .order_by("pk")
        .values_list("pk", "name", "kind", "parent_id", "latitude", "longitude")
    )


@pytest.fixture
def city(network: Network) -> ServiceArea:
    return service_area_create(
        network=network,
        name="Riverside",
        kind=AreaKind.CITY,
        centre=(Decimal("51.45450"), Decimal("-2.58790")),
    )


@pytest.fixture
def northbank(network: Network, city: ServiceArea) -> ServiceArea:
    return service_area_create(
        network=network, name="Northbank", kind=AreaKind.NEIGHBOURHOOD, parent=city
    )


@pytest.fixture
def mill_lane(network: Network, northbank: ServiceArea) -> ServiceArea:
    return service_area_create(
        network=network, name="Mill Lane", kind=AreaKind.BLOCK, parent=northbank
    )


# Adding, editing


def test_coordinator_adds_a_city_a_neighbourhood_and_a_block_with_centres(
    client, coordinator, network
):
    client.force_login(coordinator.user)
    url = areas_url(network)

    response = client.post(url, form("Riverside", "city", latitude="51.4545", longitude="-2.5879"))
    assert response.status_code == 302 and response.url == url
    city = ServiceArea.objects.get(network=network, name="Riverside")
    assert city.kind == AreaKind.CITY and city.parent is None
    assert (city.latitude, city.longitude) == (Decimal("51.45450"), Decimal("-2.58790"))

    client.post(url, form("Northbank", "neighbourhood", city, "51.469", "-2.585"))
    hood = ServiceArea.objects.get(network=network, name="Northbank")
    assert hood.parent == city and hood.kind == AreaKind.NEIGHBOURHOOD
    # More decimals than the schema keeps are rounded, not refused.
    client.post(url, form("Mill Lane", "block", hood, "51.4701234", "-2.5861234"))
    block = ServiceArea.objects.get(network=network, name="Mill Lane")
    assert block.parent == hood and block.kind == AreaKind.BLOCK
    assert (block.latitude, block.longitude) == (Decimal("51.47012"), Decimal("-2.58612"))

    page = client.get(url).content.decode()
    assert "Mill Lane added." in page
    # The tree: Riverside's list holds Northbank, whose list holds Mill Lane, with centres.
    tree = page[page.index('id="tree-heading"') : page.index('id="add-heading"')]
    assert tree.index("Riverside") < tree.index("Northbank") < tree.index("Mill Lane")
    assert tree.count("<ul>") == 3
    assert "centre 51.45450, -2.58790" in tree and "centre 51.47012, -2.58612" in tree


def test_an_area_without_a_centre_says_the_area_around_it_stands_in(client, coordinator, city):
    service_area_create(
        network=city.network, name="Docks", kind=AreaKind.NEIGHBOURHOOD, parent=city
    )
    client.force_login(coordinator.user)
    page = client.get(areas_url(city.network)).content.decode()
    assert "no centre of its own" in page


def test_the_form_explains_what_the_centre_is_for(client, coordinator, network):
    client.force_login(coordinator.user)
    page = client.get(areas_url(network)).content.decode()
    assert "matching uses it for asks and people placed only by their area" in page
    assert "never a home address" in page
    assert '<fieldset aria-describedby="centre-help">' in page


def test_coordinator_renames_moves_and_recentres_an_area(
    client, coordinator, network, city, northbank, mill_lane
):
    docks = service_area_create(
        network=network, name="Docks", kind=AreaKind.NEIGHBOURHOOD, parent=city
    )
    client.force_login(coordinator.user)
    assert client.get(edit_url(mill_lane)).status_code == 200

    response = client.post(edit_url(mill_lane), form("Mill Row", "block", docks, "51.45", "-2.6"))
    assert response.status_code == 302 and response.url == areas_url(network)
    mill_lane.refresh_from_db()
    assert mill_lane.name == "Mill Row" and mill_lane.parent == docks
    assert (mill_lane.latitude, mill_lane.longitude) == (Decimal("51.45"), Decimal("-2.6"))
    assert "Mill Row saved." in client.get(areas_url(network)).content.decode()


def test_clearing_both_coordinates_removes_the_centre(client, coordinator, city):
    client.force_login(coordinator.user)
    client.post(edit_url(city), form("Riverside", "city"))
    city.refresh_from_db()
    assert city.latitude is None and city.longitude is None


def test_the_edit_page_shows_the_area_as_stored(client, admin_member, city, northbank):
    client.force_login(admin_member.user)
    page = client.get(edit_url(northbank)).content.decode()
    assert 'value="Northbank"' in page
    assert f'<option value="{city.pk}" selected>' in page
    # An area is not offered as its own parent.
    assert f'<option value="{northbank.pk}"' not in page


# Refused input: a 400, the reasons shown, nothing written


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"latitude": "95", "longitude": "10"},
            "latitude",
            "A latitude is between -90 and 90.",
        ),
        (
            {"latitude": "10", "longitude": "-181"},
            "longitude",
            "A longitude is between -180 and 180.",
        ),
        (
            {"latitude": "10", "longitude": ""},
            "longitude",
            "Give both the latitude and the longitude of the centre, or neither.",
        ),
        ({"name": "   "}, "name", None),
        ({"kind": "village"}, "kind", None),
    ],
)
def test_bad_input_for_a_new_area_is_refused_and_nothing_is_written(
    client, coordinator, network, city, data, field, message
):
    before = stored(network)
    client.force_login(coordinator.user)
    response = client.post(areas_url(network), form("Eastside", "city") | data)
    assert response.status_code == 400
    assert stored(network) == before
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert f'id="id_{field}_error"' in page
    assert 'aria-invalid="true"' in page
    if message:
        assert message in page


def test_a_latitude_of_95_is_refused_on_edit_and_nothing_changes(client, coordinator, city):
    before = stored(city.network)
    client.force_login(coordinator.user)
    response = client.post(edit_url(city), form("Riverside Town", "city", None, "95", "-2.5"))
    assert response.status_code == 400
    assert "A latitude is between -90 and 90." in response.content.decode()
    assert stored(city.network) == before


def test_an_area_cannot_be_moved_inside_an_area_within_it(
    client, coordinator, network, city, northbank
):
    before = stored(network)
    client.force_login(coordinator.user)
    response = client.post(edit_url(city), form("Riverside", "city", northbank))
    assert response.status_code == 400
    assert (
        "An area cannot be inside itself or inside an area within it." in response.content.decode()
    )
    assert stored(network) == before


def test_an_area_cannot_be_its_own_parent(client, coordinator, network, northbank):
    before = stored(network)
    client.force_login(coordinator.user)
    response = client.post(edit_url(northbank), form("Northbank", "neighbourhood", northbank))
    assert response.status_code == 400
    assert stored(network) == before


def test_a_sibling_with_the_same_name_is_refused(client, coordinator, network, city, northbank):
    before = stored(network)
    client.force_login(coordinator.user)
    response = client.post(areas_url(network), form("northbank", "neighbourhood", city))
    assert response.status_code == 400
    assert "Another area in the same place is already called northbank." in (
        response.content.decode()
    )
    # Renaming another neighbourhood of the same city to it is refused too.
    docks = service_area_create(
        network=network, name="Docks", kind=AreaKind.NEIGHBOURHOOD, parent=city
    )
    before = stored(network)
    response = client.post(edit_url(docks), form("Northbank", "neighbourhood", city))
    assert response.status_code == 400
    assert stored(network) == before


def test_a_city_name_may_repeat_inside_different_parents(client, coordinator, network, city):
    """Siblings only: two cities may each have a neighbourhood called Centre."""
    other = service_area_create(network=network, name="Hilltown", kind=AreaKind.CITY)
    client.force_login(coordinator.user)
    client.post(areas_url(network), form("Centre", "neighbourhood", city))
    response = client.post(areas_url(network), form("Centre", "neighbourhood", other))
    assert response.status_code == 302
    assert ServiceArea.objects.filter(network=network, name="Centre").count() == 2


def test_two_cities_of_the_same_name_are_refused(client, coordinator, network, city):
    client.force_login(coordinator.user)
    response = client.post(areas_url(network), form("Riverside", "city"))
    assert response.status_code == 400
    assert ServiceArea.objects.filter(network=network, name="Riverside").count() == 1


@pytest.mark.parametrize(
    ("kind", "parent_fixture", "message"),
    [
        ("block", "city", "A block can only be inside a neighbourhood."),
        ("neighbourhood", "northbank", "A neighbourhood can only be inside a city."),
        ("city", "city", "A city is not inside another area."),
    ],
)
def test_a_kind_that_does_not_fit_its_parent_is_refused(
    client, coordinator, network, northbank, request, kind, parent_fixture, message
):
    parent = request.getfixturevalue(parent_fixture)
    before = stored(network)
    client.force_login(coordinator.user)
    response = client.post(areas_url(network), form("Quayside", kind, parent))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored(network) == before


def test_a_kind_the_areas_inside_would_not_fit_is_refused(
    client, coordinator, network, northbank, mill_lane
):
    before = stored(network)
    client.force_login(coordinator.user)
    response = client.post(edit_url(northbank), form("Northbank", "city"))
    assert response.status_code == 400
    assert "The areas inside it would no longer fit" in response.content.decode()
    assert stored(network) == before


def test_a_parent_from_another_network_is_refused(
    client, coordinator, network, other_network, city
):
    foreign = service_area_create(network=other_network, name="Hill", kind=AreaKind.CITY)
    before = stored(network)
    client.force_login(coordinator.user)
    response = client.post(areas_url(network), form("Quayside", "neighbourhood", foreign))
    assert response.status_code == 400
    response = client.post(edit_url(city), form("Riverside", "neighbourhood", foreign))
    assert response.status_code == 400
    assert stored(network) == before
    assert not ServiceArea.objects.filter(name="Quayside").exists()


# The rules live in the services: callers other than these pages meet them too


def test_services_refuse_with_field_errors(network, other_network, city, northbank, mill_lane):
    with pytest.raises(ValidationError) as caught:
        service_area_create(
            network=network,
            name="",
            kind=AreaKind.BLOCK,
            parent=city,
            centre=(Decimal("91"), Decimal("181")),
        )
    assert set(caught.value.message_dict) == {"name", "parent", "latitude", "longitude"}

    with pytest.raises(ValidationError) as caught:
        service_area_update(
            area=city, name="Riverside", kind=AreaKind.CITY, parent=mill_lane, centre=None
        )
    assert caught.value.message_dict == {
        "parent": ["An area cannot be inside itself or inside an area within it."]
    }
    with pytest.raises(ValidationError) as caught:
        service_area_update(
            area=northbank,
            name="Northbank",
            kind=AreaKind.NEIGHBOURHOOD,
            parent=northbank,
            centre=None,
        )
    assert "parent" in caught.value.message_dict

    foreign = service_area_create(network=other_network, name="Hill", kind=AreaKind.CITY)
    with pytest.raises(ValidationError) as caught:
        service_area_create(network=network, name="Up", kind=AreaKind.NEIGHBOURHOOD, parent=foreign)
    assert caught.value.message_dict == {"parent": ["That area belongs to another network."]}

    with pytest.raises(ValidationError) as caught:
        service_area_create(
            network=network, name="Nowhere", kind=AreaKind.CITY, centre=(Decimal("1"), None)
        )
    assert set(caught.value.message_dict) == {"longitude"}
    # Every wrong field is named at once: a latitude out of range and a longitude missing.
    with pytest.raises(ValidationError) as caught:
        service_area_create(
            network=network, name="Nowhere", kind=AreaKind.CITY, centre=(Decimal("95"), None)
        )
    assert set(caught.value.message_dict) == {"latitude", "longitude"}


# Deleting


def test_an_unused_area_is_deleted(client, coordinator, network, mill_lane):
    client.force_login(coordinator.user)
    response = client.post(delete_url(mill_lane))
    assert response.status_code == 302 and response.url == areas_url(network)
    assert not ServiceArea.objects.filter(pk=mill_lane.pk).exists()
    assert "Mill Lane deleted." in client.get(areas_url(network)).content.decode()


def test_deleting_is_post_only(client, coordinator, mill_lane):
    client.force_login(coordinator.user)
    assert client.get(delete_url(mill_lane)).status_code == 405
    assert ServiceArea.objects.filter(pk=mill_lane.pk).exists()


def _place_ask(area: ServiceArea, member: Member, food) -> None:
    ask = ask_create(member=member, fields=PostFields(category=food, title="Soup", area=area))
    assert ask.area == area


def _place_offer(area: ServiceArea, member: Member, food) -> None:
    offer = offer_create(member=member, fields=PostFields(category=food, title="Rides", area=area))
    assert offer.area == area


def _place_member(area: ServiceArea, member: Member, food) -> None:
    member_update(member=member, service_area=area, helps_with=[])


@pytest.mark.parametrize(
    ("place", "message"),
    [
        (_place_ask, "Asks or offers, open or closed, are placed in Mill Lane"),
        (_place_offer, "Asks or offers, open or closed, are placed in Mill Lane"),
        (_place_member, "Members have Mill Lane as their area"),
    ],
)
def test_an_area_in_use_is_not_deleted(
    client, coordinator, member, food, mill_lane, place, message
):
    place(mill_lane, member, food)
    client.force_login(coordinator.user)
    response = client.post(delete_url(mill_lane), follow=True)
    assert ServiceArea.objects.filter(pk=mill_lane.pk).exists()
    assert response.redirect_chain[-1][0] == edit_url(mill_lane)
    assert message in response.content.decode()


def test_an_area_with_areas_inside_is_not_deleted(client, coordinator, northbank, mill_lane):
    client.force_login(coordinator.user)
    response = client.post(delete_url(northbank), follow=True)
    assert ServiceArea.objects.filter(pk=northbank.pk).exists()
    assert ServiceArea.objects.filter(pk=mill_lane.pk).exists()
    assert "Northbank still has areas inside it" in response.content.decode()


def test_a_closed_ask_still_keeps_its_area(member, food, mill_lane):
    from sameboat.aid.models import PostStatus

    ask = ask_create(member=member, fields=PostFields(category=food, title="Soup", area=mill_lane))
    ask.status = PostStatus.CLOSED
    ask.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        service_area_delete(area=mill_lane)


# Who may


@pytest.mark.parametrize("role", [Role.MEMBER, Role.FACILITATOR])
def test_members_and_facilitators_get_404(client, make_member, city, role):
    client.force_login(make_member(role).user)
    assert client.get(areas_url(city.network)).status_code == 404
    assert client.get(edit_url(city)).status_code == 404
    assert client.post(areas_url(city.network), form("Eastside", "city")).status_code == 404
    assert client.post(edit_url(city), form("Renamed", "city")).status_code == 404
    assert client.post(delete_url(city)).status_code == 404
    assert stored(city.network)[0][1] == "Riverside"
    assert ServiceArea.objects.filter(network=city.network).count() == 1


def test_a_coordinator_of_another_network_gets_404(client, outsider, city):
    client.force_login(outsider.user)
    assert client.get(areas_url(city.network)).status_code == 404
    assert client.get(edit_url(city)).status_code == 404
    assert client.post(delete_url(city)).status_code == 404
    assert ServiceArea.objects.filter(pk=city.pk).exists()


def test_an_area_of_another_network_is_404_even_for_a_coordinator(
    client, coordinator, network, other_network
):
    foreign = service_area_create(network=other_network, name="Hill", kind=AreaKind.CITY)
    client.force_login(coordinator.user)
    url = reverse("networks:area_edit", kwargs={"network": network.slug, "area_id": foreign.pk})
    assert client.get(url).status_code == 404
    url = reverse("networks:area_delete", kwargs={"network": network.slug, "area_id": foreign.pk})
    assert client.post(url).status_code == 404
    assert ServiceArea.objects.filter(pk=foreign.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, city):
    response = client.get(areas_url(city.network))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_coordinators_and_admins_find_the_page_from_the_dashboard(
    client, coordinator, member, network
):
    dashboard = reverse("networks:dashboard", kwargs={"network": network.slug})
    client.force_login(coordinator.user)
    assert areas_url(network) in client.get(dashboard).content.decode()
    client.force_login(member.user)
    assert areas_url(network) not in client.get(dashboard).content.decode()


# Query counts: flat in the number of areas


def count_queries(client, url: str, status: int = 200, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == status, url
    return len(context.captured_queries)


def add_areas(network: Network, city: ServiceArea, hoods: int, blocks_each: int) -> None:
    for h in range(hoods):
        hood = service_area_create(
            network=network,
            name=f"Hood {city.name} {h}",
            kind=AreaKind.NEIGHBOURHOOD,
            parent=city,
            centre=(Decimal("51.4"), Decimal("-2.5")),
        )
        for b in range(blocks_each):
            service_area_create(
                network=network, name=f"Block {b}", kind=AreaKind.BLOCK, parent=hood
            )


def test_area_pages_cost_the_same_queries_for_few_or_many_areas(client, coordinator, network, city):
    client.force_login(coordinator.user)
    add_areas(network, city, hoods=1, blocks_each=1)
    bad = form("Eastside", "city", latitude="95", longitude="0")
    few = (
        count_queries(client, areas_url(network)),
        count_queries(client, edit_url(city)),
        count_queries(client, areas_url(network), 400, bad),
    )
    for n in range(3):
        add_areas(
            network,
            service_area_create(network=network, name=f"City {n}", kind=AreaKind.CITY),
            hoods=4,
            blocks_each=5,
        )
    assert ServiceArea.objects.filter(network=network).count() > 60
    many = (
        count_queries(client, areas_url(network)),
        count_queries(client, edit_url(city)),
        count_queries(client, areas_url(network), 400, bad),
    )
    assert many == few


# In a browser: a coordinator adds an area with its centre; axe finds nothing


@pytest.mark.browser
def test_coordinator_adds_an_area_with_its_centre_in_a_browser(
    browser, live_server, assert_accessible, seeded_languages, coordinator, network
):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(live_server.url + "/accounts/login/")
        page.locator("#id_login").fill(coordinator.user.email)
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(re.compile(r".*/n/riverside/$"))

        page.get_by_role("link", name="Service areas and their centres").click()
        page.wait_for_url("**/n/riverside/areas/")
        assert_accessible(page)

        # A wrong latitude first: the errors are shown where they belong, and accessibly.
        page.get_by_label("Name").fill("Riverside")
        page.get_by_label("Kind").select_option(label="City")
        page.get_by_label("Latitude, from -90 to 90").fill("95")
        page.get_by_label("Longitude, from -180 to 180").fill("-2.5879")
        page.get_by_role("button", name="Add the area").click()
        page.get_by_text("A latitude is between -90 and 90.").wait_for()
        assert_accessible(page)
        assert not ServiceArea.objects.exists()

        page.get_by_label("Latitude, from -90 to 90").fill("51.4545")
        page.get_by_role("button", name="Add the area").click()
        page.get_by_text("Riverside added.").wait_for()
        assert_accessible(page)
        area = ServiceArea.objects.get(network=network)
        assert (area.name, area.kind) == ("Riverside", AreaKind.CITY)
        assert (area.latitude, area.longitude) == (Decimal("51.45450"), Decimal("-2.58790"))
        assert page.get_by_text("centre 51.45450, -2.58790").is_visible()

        page.get_by_role("link", name="Riverside", exact=True).click()
        page.wait_for_url(re.compile(r".*/areas/\d+/$"))
        assert_accessible(page)
    finally:
        # Close the session so no keep-alive connection outlives the live server's database.
        context.close()
