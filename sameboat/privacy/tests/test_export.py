"""A member downloads everything Sameboat holds about them, as readable JSON: their own data
in full, others by display name only, another person's contact details only once both
accepted the match."""

import json

from django.test import Client
from django.urls import reverse

from sameboat.accounts.models import User
from sameboat.aid.services import match_offer_help
from sameboat.audit.models import AuditEvent
from sameboat.networks.models import Category, Member
from sameboat.privacy.services import member_data_export
from sameboat.privacy.tests.world import GOAL, NEEDS, REFERRAL_NOTE, WORDS, a_life


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_download_holds_everything_about_the_member(
    member: Member, helper: Member, food: Category
) -> None:
    life = a_life(member, helper, food)
    response = logged_in(member.user).get(reverse("privacy:export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="sameboat-my-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == member.user.email
    assert data["profile"]["accessibility_needs"] == NEEDS
    assert [m["network"] for m in data["memberships"]] == [member.network.slug]
    assert [a["title"] for a in data["asks"]] == [life.ask.title]
    assert [o["title"] for o in data["offers"]] == [life.offer.title]
    assert data["matches"][0]["other_side"]["display_name"] == helper.user.display_name
    assert data["ledger"]["exchanges"][0]["direction"] == "received"
    assert data["ledger"]["exchanges"][0]["amount"] == "1.5"
    assert data["ledger"]["accounts"][0]["balance"] == "-1.5"
    assert data["groups"][0]["group"] == life.group.name
    assert data["check_ins"][0]["words"] == WORDS
    assert data["goals"][0]["title"] == GOAL
    assert data["goals"][0]["check_ins"][0]["note"] == "Made it through the wedding"
    assert data["referrals"][0]["note"] == REFERRAL_NOTE
    assert "meeting_reminder" in {n["kind"] for n in data["notifications"]}
    # Readable: indented, and not escaped into \\u sequences.
    assert b'\n  "profile"' in response.content
    event = AuditEvent.objects.get(action="privacy.export")
    assert event.actor_id == member.user.pk and event.target == f"user:{member.user.pk}"


def test_contact_details_of_the_other_side_only_once_both_accepted(
    member: Member, helper: Member, make_member: object, food: Category
) -> None:
    life = a_life(member, helper, food)
    data = member_data_export(user=member.user)
    accepted = next(m for m in data["matches"] if m["id"] == life.match.pk)
    assert accepted["other_side"]["contact"]["email"] == helper.user.email
    # A proposal the member has not accepted: the helper's name, never their address.
    from sameboat.aid.services import PostFields, ask_create

    second = ask_create(member=member, fields=PostFields(category=food, title="A lift"))
    proposed = match_offer_help(ask=second, helper=helper)
    data = member_data_export(user=member.user)
    pending = next(m for m in data["matches"] if m["id"] == proposed.pk)
    assert pending["other_side"] == {"display_name": helper.user.display_name, "contact": None}
    assert json.dumps(data).count(helper.user.email) == 1


def test_the_export_names_no_other_persons_email(
    member: Member, helper: Member, food: Category
) -> None:
    a_life(member, helper, food)
    helper_data = member_data_export(user=helper.user)
    text = json.dumps(helper_data)
    # The helper's export: the member accepted, so their address is there once, as contact.
    assert text.count(member.user.email) == 1
    # Nothing of the member's health notes, check-ins or goals reaches the helper's copy.
    for private in (NEEDS, WORDS, GOAL, REFERRAL_NOTE):
        assert private not in text


def test_the_api_gives_the_same_export(member: Member, helper: Member, food: Category) -> None:
    a_life(member, helper, food)
    response = logged_in(member.user).get(reverse("api-me-export"))
    assert response.status_code == 200
    assert response.json()["profile"]["accessibility_needs"] == NEEDS
    assert Client().get(reverse("api-me-export")).status_code == 401


def test_export_queries_do_not_grow_with_data(
    member: Member, helper: Member, food: Category, django_assert_max_num_queries: object
) -> None:
    a_life(member, helper, food)
    from sameboat.aid.services import PostFields, ask_create

    for n in range(5):
        ask_create(member=member, fields=PostFields(category=food, title=f"Ask {n}"))
    assert callable(django_assert_max_num_queries)
    with django_assert_max_num_queries(30):
        member_data_export(user=member.user)
