from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sameboat.aid.models import Ask, PostStatus, Urgency, Visibility
from sameboat.aid.services import PostFields, ask_create, post_transition, post_update
from sameboat.core.models import Language
from sameboat.networks.models import Category


def test_member_posts_an_ask_with_languages_and_window(member, food):
    ask = ask_create(
        member=member,
        fields=PostFields(
            category=food,
            title="  Help carrying shopping ",
            starts_on=date(2026, 12, 1),
            ends_on=date(2026, 12, 3),
            languages=tuple(Language.objects.filter(code__in=["so", "en"])),
            visibility=Visibility.COORDINATORS,
        ),
        urgency=Urgency.HIGH,
    )
    assert ask.title == "Help carrying shopping"
    assert ask.status == PostStatus.OPEN and not ask.is_ongoing
    assert {language.code for language in ask.languages.all()} == {"so", "en"}


def test_ask_without_dates_is_ongoing(ask):
    assert ask.is_ongoing


def test_invalid_ask_creates_no_row(member, food, other_network):
    foreign = Category.objects.get(network=other_network, slug="food")
    bad_inputs = [
        PostFields(category=food, title="   "),
        PostFields(category=foreign, title="Groceries"),
        PostFields(category=food, title="x", starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 1)),
    ]
    for fields in bad_inputs:
        with pytest.raises(ValidationError):
            ask_create(member=member, fields=fields)
    assert not Ask.objects.exists()


def test_author_pauses_resumes_and_closes(ask, member):
    post_transition(post=ask, by=member, action="pause")
    assert ask.status == PostStatus.PAUSED
    post_transition(post=ask, by=member, action="resume")
    assert ask.status == PostStatus.OPEN
    post_transition(post=ask, by=member, action="close")
    ask.refresh_from_db()
    assert ask.status == PostStatus.CLOSED


def test_pausing_a_closed_ask_is_refused(ask, member):
    post_transition(post=ask, by=member, action="close")
    with pytest.raises(ValidationError):
        post_transition(post=ask, by=member, action="pause")


def test_another_member_cannot_edit_an_ask(ask, helper, food):
    with pytest.raises(PermissionDenied):
        post_update(post=ask, by=helper, fields=PostFields(category=food, title="Mine now"))
    ask.refresh_from_db()
    assert ask.title == "Groceries on Friday"


def test_coordinator_can_edit_an_ask(ask, coordinator, food):
    post_update(post=ask, by=coordinator, fields=PostFields(category=food, title="Groceries"))
    ask.refresh_from_db()
    assert ask.title == "Groceries"
