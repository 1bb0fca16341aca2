"""ACCOUNT_REAUTHENTICATION_REQUIRED: a session that has not given the password in the last few
minutes must give it again before it changes the account's email addresses."""

from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from sameboat.networks.models import Member

NEW_ADDRESS = "second-address@example.org"


def test_adding_an_email_address_asks_for_the_password_again(member: Member) -> None:
    client = Client()
    # A session logged in earlier: no recent proof of the password in it.
    client.force_login(member.user)
    response = client.post(reverse("account_email"), {"email": NEW_ADDRESS, "action_add": ""})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email=NEW_ADDRESS).exists()

    # A wrong password is no proof.
    wrong = client.post(reverse("account_reauthenticate"), {"password": "not-the-password"})
    assert wrong.status_code == 200
    assert not EmailAddress.objects.filter(email=NEW_ADDRESS).exists()

    # With the password given again, the address is added.
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    response = client.post(reverse("account_email"), {"email": NEW_ADDRESS, "action_add": ""})
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=member.user, email=NEW_ADDRESS).exists()
