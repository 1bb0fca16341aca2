"""On the page of an ask members cannot meet (open, nobody has taken it on, and either it has
waited longer than a match reminder allows or matching left it unmatched), its author and the
coordinators see the directory's services that fit it: its category (mapped to the
directory's taxonomy terms), its languages, its area. Nobody else sees them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sameboat.aid.models import Ask
from sameboat.aid.services import PostFields, ask_create, match_accept, match_offer_help
from sameboat.core.models import Language
from sameboat.directory import sample as dataset
from sameboat.directory.services import hsds_import_documents
from sameboat.matching.models import MatchingRun, RunStatus, RunUnmatched, UnmatchedReason
from sameboat.networks.models import Category

HEADING = "Services that may help"


@pytest.fixture
def parent_terms(imported, network):
    """The dataset's services name only the narrowest terms; their parents ("Food", "Legal
    aid") come in as taxonomy terms of their own, as a directory's taxonomy would."""
    report = hsds_import_documents(
        network=network, data=[dataset.term("food"), dataset.term("legal")]
    )
    assert report.ok, report.problems


def make_ask(member, slug: str = "food-groceries", *, days: int = 0, languages=()) -> Ask:
    category = Category.objects.get(network=member.network, slug=slug)
    ask = ask_create(member=member, fields=PostFields(category=category, title="Help, please"))
    ask.languages.set(Language.objects.filter(code__in=languages))
    Ask.objects.filter(pk=ask.pk).update(created_at=timezone.now() - timedelta(days=days))
    return ask


def page(person, ask: Ask):
    client = Client()
    client.force_login(person.user)
    response = client.get(f"/n/riverside/asks/{ask.pk}/")
    assert response.status_code == 200
    return response


def suggested(person, ask: Ask) -> set[str] | None:
    response = page(person, ask)
    hits = response.context.get("suggested_services")
    if hits is None:
        assert HEADING not in response.content.decode()
        return None
    assert HEADING in response.content.decode()
    return {hit.service.name for hit in hits}


@pytest.fixture
def author(member):
    member.latitude, member.longitude = Decimal("45.42"), Decimal("-75.70")
    member.save(update_fields=["latitude", "longitude"])
    return member


LONG = settings.MATCH_REMINDER_AFTER_DAYS + 1
FOOD = {"Weekly food pantry", "Community hot meals"}


def test_an_ask_that_waited_long_shows_services_of_its_kind(parent_terms, author, coordinator):
    # "Groceries" has no term of its own in the directory; its parent "Food" has.
    ask = make_ask(author, days=LONG)
    assert suggested(author, ask) == FOOD
    assert suggested(coordinator, ask) == FOOD


def test_other_members_never_see_them(parent_terms, author, helper, facilitator):
    ask = make_ask(author, days=LONG)
    assert suggested(helper, ask) is None
    assert suggested(facilitator, ask) is None


def test_a_fresh_ask_shows_none_until_matching_leaves_it_unmatched(parent_terms, author, network):
    ask = make_ask(author, days=0)
    assert suggested(author, ask) is None
    run = MatchingRun.objects.create(network=network, status=RunStatus.SUCCEEDED)
    RunUnmatched.objects.create(run=run, ask=ask, reason=UnmatchedReason.NO_HELPER_IN_RANGE)
    assert suggested(author, ask) == FOOD


def test_an_ask_someone_took_on_shows_none(parent_terms, author, helper):
    ask = make_ask(author, days=LONG)
    match_accept(match=match_offer_help(ask=ask, helper=helper), by=author)
    assert suggested(author, ask) is None


def test_the_asks_languages_narrow_them(parent_terms, author):
    assert suggested(author, make_ask(author, days=LONG, languages=["so"])) == {
        "Weekly food pantry"
    }


def test_a_category_no_term_fits_is_searched_by_its_name(imported, author):
    # Without a "Food" term, "Groceries" is looked for as a word: the pantry's description.
    assert suggested(author, make_ask(author, days=LONG)) == {"Weekly food pantry"}


def test_a_category_maps_to_its_own_term_first(parent_terms, author):
    # "Recovery" is a term of its own: the peer meetings, not the night shelter.
    assert suggested(author, make_ask(author, "recovery", days=LONG)) == {"Peer support meetings"}
    # "Legal and documents" has the short name "legal": both legal services.
    assert suggested(author, make_ask(author, "legal", days=LONG)) == {
        "Tenant rights advice",
        "Immigration legal help",
    }


def test_only_services_near_the_asks_area(parent_terms, author):
    # The author lives about 6,000 km away: nothing in Riverside is near enough.
    author.latitude, author.longitude = Decimal("51.50"), Decimal("-0.12")
    author.save(update_fields=["latitude", "longitude"])
    response = page(author, make_ask(author, days=LONG))
    assert response.context["suggested_services"] == []
    assert "The directory has no service that fits this ask." in response.content.decode()


def test_the_ask_page_makes_a_flat_number_of_queries(imported, network, author):
    ask = make_ask(author, days=LONG)
    client = Client()
    client.force_login(author.user)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/n/riverside/asks/{ask.pk}/")
    hsds_import_documents(network=network, data=dataset.copies(30))
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/n/riverside/asks/{ask.pk}/")
    assert len(response.context["suggested_services"]) == 5
    assert len(many) == len(few)
