"""The offer pages: like the ask pages, with "I'd like this" and no urgency."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sameboat.aid.models import Match, Offer, PostStatus, Visibility
from sameboat.aid.services import PostFields, offer_create
from sameboat.core.models import Language
from sameboat.networks.models import Category


def url(name: str, **kwargs: object) -> str:
    return reverse(f"aid:{name}", kwargs={"network": "riverside", **kwargs})


def valid_offer(category: Category, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Help with forms",
        "category": category.pk,
        "visibility": Visibility.NETWORK,
    }
    data.update(overrides)
    return data


def test_member_posts_an_offer_through_the_page(client, helper, food):
    client.force_login(helper.user)
    page = client.get(url("offer_create")).content.decode()
    assert 'name="urgency"' not in page
    response = client.post(url("offer_create"), valid_offer(food), follow=True)
    offer = Offer.objects.get()
    assert offer.member == helper
    assert response.redirect_chain[-1][0] == url("offer_detail", pk=offer.pk)
    assert "Your offer is posted." in response.content.decode()


def test_offer_without_a_title_or_with_a_foreign_category_is_refused(
    client, helper, food, other_network
):
    client.force_login(helper.user)
    response = client.post(url("offer_create"), valid_offer(food, title=""))
    assert response.status_code == 400
    assert "Give it a short title." in response.content.decode()
    foreign = Category.objects.get(network=other_network, slug="food")
    response = client.post(url("offer_create"), valid_offer(foreign))
    assert response.status_code == 400
    assert "Choose a category of this network." in response.content.decode()
    response = client.post(
        url("offer_create"), valid_offer(food, starts_on="2026-12-10", ends_on="2026-12-01")
    )
    assert response.status_code == 400
    assert not Offer.objects.exists()


def test_offer_list_filters_by_category_and_has_no_urgency_filter(
    client, member, helper, network, offer
):
    housing = Category.objects.get(network=network, slug="housing")
    offer_create(member=helper, fields=PostFields(category=housing, title="I fix taps"))
    client.force_login(member.user)
    page = client.get(url("offer_list")).content.decode()
    assert "I can cook meals" in page and "I fix taps" in page
    assert 'name="urgency"' not in page
    page = client.get(url("offer_list"), {"category": housing.pk}).content.decode()
    assert "I fix taps" in page and "I can cook meals" not in page


def test_member_asks_for_an_offer_through_the_page(client, member, offer):
    client.force_login(member.user)
    assert "I'd like this" in client.get(url("offer_detail", pk=offer.pk)).content.decode()
    response = client.post(url("offer_answer", pk=offer.pk), {"message": "Thursday?"})
    match = Match.objects.get()
    assert response.status_code == 302
    assert match.receiver == member and match.helper == offer.member


def test_offer_author_cannot_request_own_offer(client, helper, offer):
    client.force_login(helper.user)
    response = client.post(url("offer_answer", pk=offer.pk), {})
    assert response.status_code == 400
    assert not Match.objects.exists()


def test_another_member_cannot_edit_or_pause_an_offer(client, member, offer, food):
    client.force_login(member.user)
    assert client.get(url("offer_edit", pk=offer.pk)).status_code == 403
    assert client.post(url("offer_edit", pk=offer.pk), valid_offer(food)).status_code == 403
    response = client.post(url("offer_transition", pk=offer.pk), {"action": "pause"})
    assert response.status_code == 403
    offer.refresh_from_db()
    assert offer.status == PostStatus.OPEN


def test_author_edits_and_pauses_an_offer(client, helper, offer, food):
    client.force_login(helper.user)
    response = client.post(url("offer_edit", pk=offer.pk), valid_offer(food, title="Soup"))
    assert response.status_code == 302
    response = client.post(url("offer_transition", pk=offer.pk), {"action": "pause"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Soup" and offer.status == PostStatus.PAUSED


def test_coordinators_only_offer_is_hidden_from_other_members(
    client, member, helper, coordinator, food
):
    private = offer_create(
        member=helper,
        fields=PostFields(category=food, title="Quiet support", visibility=Visibility.COORDINATORS),
    )
    client.force_login(member.user)
    assert "Quiet support" not in client.get(url("offer_list")).content.decode()
    assert client.get(url("offer_detail", pk=private.pk)).status_code == 404
    client.force_login(coordinator.user)
    assert client.get(url("offer_detail", pk=private.pk)).status_code == 200


def test_offer_list_makes_as_many_queries_for_30_offers_as_for_3(
    client, make_member, food, django_assert_num_queries
):
    english = Language.objects.get(code="en")

    def make_offers(count: int) -> None:
        author = make_member()
        for n in range(count):
            offer_create(
                member=author,
                fields=PostFields(category=food, title=f"Offer {n}", languages=(english,)),
            )

    make_offers(3)
    client.force_login(make_member().user)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url("offer_list")).status_code == 200
    for _n in range(9):
        make_offers(3)
    with django_assert_num_queries(len(three)):
        assert client.get(url("offer_list")).status_code == 200
