"""Wherever a real name is not needed only the display name (which may be a pseudonym) shows,
and no page shows one member's email address to another before both accepted a match."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from conftest import MakeMember
from sameboat.accounts.models import User
from sameboat.aid.models import Ask
from sameboat.aid.services import match_offer_help
from sameboat.networks.models import Member


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_about_a_member_show_their_display_name_never_their_email(
    ask: Ask, helper: Member, coordinator: Member
) -> None:
    author = ask.member
    match = match_offer_help(ask=ask, helper=helper)
    slug = ask.network.slug
    pages = [
        (helper, reverse("aid:ask_detail", kwargs={"network": slug, "pk": ask.pk})),
        (helper, reverse("aid:match_detail", kwargs={"network": slug, "pk": match.pk})),
        (helper, reverse("aid:ask_list", kwargs={"network": slug})),
        (coordinator, reverse("networks:members", kwargs={"network": slug})),
        (coordinator, reverse("aid:match_detail", kwargs={"network": slug, "pk": match.pk})),
    ]
    for viewer, url in pages:
        page = logged_in(viewer.user).get(url).content.decode()
        assert author.user.display_name in page, url
        assert author.user.email not in page, url


def test_a_person_is_never_shown_by_email(make_member: MakeMember) -> None:
    member = make_member(email="hidden@example.org", display_name="Hidden")
    assert str(User.objects.get(pk=member.user.pk)) == "Hidden"
    # Nobody can be left nameless (which would tempt a fallback to the address): the
    # database refuses an empty name for anyone not erased.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=member.user.pk).update(display_name="")


def test_the_profile_says_the_display_name_may_be_a_pseudonym(member: Member) -> None:
    page = logged_in(member.user).get(reverse("accounts:profile")).content.decode()
    assert "A pseudonym is fine" in page
    assert "your email address is never shown" in page


def test_coordinators_find_the_erasure_page_from_the_member_list(
    coordinator: Member, member: Member, admin_member: Member
) -> None:
    slug = member.network.slug
    page = logged_in(coordinator.user).get(reverse("networks:members", kwargs={"network": slug}))
    text = page.content.decode()
    erase = reverse("privacy:member_erase", kwargs={"network": slug, "member_id": member.pk})
    assert erase in text
    admin_erase = reverse(
        "privacy:member_erase", kwargs={"network": slug, "member_id": admin_member.pk}
    )
    assert admin_erase not in text
    assert logged_in(coordinator.user).get(erase).status_code == 200
