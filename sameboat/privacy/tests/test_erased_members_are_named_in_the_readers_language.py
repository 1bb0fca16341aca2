"""What an erasure leaves for the ledger's sake is named in the language of whoever reads it:
the name and the kept ask's title are stored empty and shown as a translated label, on pages,
in the API and in exports; nobody else can have an empty name."""

from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.accounts.models import User
from sameboat.aid.models import Ask
from sameboat.core.erasable import ERASED_MEMBER, ERASED_POST
from sameboat.networks.models import Category, Member
from sameboat.privacy.services import account_erase
from sameboat.privacy.tests.world import a_life


def raw(sql: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return cursor.fetchone()[0]


def test_the_other_side_sees_the_erased_member_in_their_own_language(
    member: Member, helper: Member, food: Category, erasure_journal: Path
) -> None:
    life = a_life(member, helper, food)
    account_erase(user=member.user, erased_by=member.user)

    # Stored empty: no language is written into the database.
    assert raw("SELECT display_name FROM accounts_user WHERE id = %s", member.user.pk) == ""
    assert raw("SELECT title FROM aid_ask WHERE id = %s", life.ask.pk) == ""
    assert User.objects.get(pk=member.user.pk).display_name is ERASED_MEMBER
    assert Ask.objects.get(pk=life.ask.pk).title is ERASED_POST

    client = Client()
    client.force_login(helper.user)
    url = reverse("aid:match_detail", kwargs={"network": helper.network.slug, "pk": life.match.pk})
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Erased member" in english and "Erased with its author" in english
    assert "Miembro borrado" in spanish and "Borrado con su autor" in spanish
    assert "Erased member" not in spanish

    api = APIClient()
    api.force_authenticate(helper.user)
    slug = {"network_slug": helper.network.slug}
    exchange = api.get(
        reverse("api-exchange-detail", kwargs={**slug, "pk": life.exchange.pk}),
        HTTP_ACCEPT_LANGUAGE="es",
    ).json()
    assert exchange["receiver"]["display_name"] == "Miembro borrado"
    match = api.get(
        reverse("api-match-detail", kwargs={**slug, "pk": life.match.pk}),
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()
    assert "Erased member" in str(match)


def test_a_person_who_calls_themselves_by_the_label_keeps_their_own_words(
    make_member, erasure_journal: Path
) -> None:
    # The label is recognised by identity, never by its words: a chosen name stays as typed.
    person = make_member(display_name="Erased member")
    assert User.objects.get(pk=person.user.pk).display_name == "Erased member"
    assert User.objects.get(pk=person.user.pk).display_name is not ERASED_MEMBER
    assert raw("SELECT display_name FROM accounts_user WHERE id = %s", person.user.pk) != ""


def test_only_an_erased_person_has_no_name(member: Member) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=member.user.pk).update(display_name="")
    assert User.objects.get(pk=member.user.pk).display_name == "Amina"
