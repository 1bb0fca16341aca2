"""A member's own side of matching: how far they go, how much they take on, what they can
offer, and "don't match me with this person"."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sameboat.aid.services import match_offer_help
from sameboat.matching.models import Block
from sameboat.matching.services import block_create
from sameboat.matching.tests.product_fixtures import (
    make_ask,
    make_asker,
)


def url(name: str) -> str:
    return reverse(f"matching:{name}", kwargs={"network": "riverside"})


@pytest.fixture
def asker(make_member):
    return make_asker(make_member)


def test_a_member_sets_how_they_help_and_the_point_is_kept_coarse(client, member):
    client.force_login(member.user)
    assert client.get(url("preferences")).status_code == 200

    response = client.post(
        url("preferences"),
        {
            "travel_km": "5.5",
            "weekly_capacity": "3",
            "accessibility_offered": ["step_free", "quiet_space"],
            "latitude": "-33.918765",
            "longitude": "18.423456",
        },
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.travel_km == Decimal("5.5") and member.weekly_capacity == 3
    assert member.accessibility_offered == ["step_free", "quiet_space"]
    assert (member.latitude, member.longitude) == (Decimal("-33.92"), Decimal("18.42"))


def test_bad_preferences_are_a_400_and_nothing_is_saved(client, member):
    client.force_login(member.user)
    good = {"travel_km": "3", "weekly_capacity": "2"}
    cases = [
        {**good, "travel_km": "-1"},
        {**good, "travel_km": "many"},
        {**good, "weekly_capacity": "51"},
        {**good, "accessibility_offered": ["teleport"]},
        {**good, "latitude": "95", "longitude": "18"},
        {**good, "latitude": "-33.9"},
        {"weekly_capacity": "2"},
    ]
    for data in cases:
        response = client.post(url("preferences"), data)
        assert response.status_code == 400, data
        assert "Nothing was saved" in response.content.decode()
    member.refresh_from_db()
    assert member.travel_km == Decimal("3") and member.latitude is None


def test_a_member_blocks_someone_they_were_matched_with_and_unblocks(client, member, helper, ask):
    match_offer_help(ask=ask, helper=helper)
    client.force_login(member.user)
    page = client.get(url("blocks"), {"member": helper.pk}).content.decode()
    assert f'<option value="{helper.pk}" selected>Bongani</option>' in page

    response = client.post(url("blocks"), {"member": helper.pk}, follow=True)

    assert "Matching will not propose you and Bongani to each other." in response.content.decode()
    assert Block.objects.filter(member=member, blocked=helper).exists()
    assert "Allow matching again" in response.content.decode()

    client.post(url("blocks"), {"unblock": helper.pk})
    assert not Block.objects.exists()


def test_a_member_cannot_block_someone_they_were_never_matched_with(
    client, member, make_member, outsider
):
    stranger = make_member()
    client.force_login(member.user)
    for value in (stranger.pk, outsider.pk, member.pk, "x"):
        response = client.post(url("blocks"), {"member": value})
        assert response.status_code == 400
        assert "Choose someone you have been matched with." in response.content.decode() or (
            "Select a valid choice" in response.content.decode()
        )
    assert client.post(url("blocks"), {"unblock": stranger.pk}).status_code == 400
    assert client.post(url("blocks"), {"unblock": "x"}).status_code == 400
    assert not Block.objects.exists()


def test_blocking_oneself_or_across_networks_is_refused(member, outsider):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        block_create(member=member, blocked=member)
    with pytest.raises(ValidationError):
        block_create(member=member, blocked=outsider)


def test_preferences_and_blocks_are_404_for_outsiders(client, outsider):
    client.force_login(outsider.user)
    assert client.get(url("preferences")).status_code == 404
    assert client.get(url("blocks")).status_code == 404


def test_blocks_page_makes_as_many_queries_for_many_people_as_for_few(
    client, member, make_member, food, django_assert_num_queries
):
    ask = make_ask(member, food)

    def matched(count: int) -> None:
        for _n in range(count):
            person = make_member()
            match_offer_help(ask=ask, helper=person)

    matched(2)
    block_create(member=member, blocked=make_member())
    client.force_login(member.user)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("blocks")).status_code == 200
    matched(8)
    for _n in range(5):
        block_create(member=member, blocked=make_member())
    with django_assert_num_queries(len(few)):
        assert client.get(url("blocks")).status_code == 200
