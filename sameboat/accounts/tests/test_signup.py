import pytest
from django.core import mail
from django.urls import reverse

from sameboat.accounts.models import User
from sameboat.core.tests.production import production_env, run
from sameboat.networks.models import Member, Role
from sameboat.networks.services import invitation_create

SIGNUP = {
    "email": "newcomer@example.org",
    "password1": "a-long-and-unusual-passphrase",
    "password2": "a-long-and-unusual-passphrase",
    "display_name": "Newcomer",
}


def test_signup_is_closed_without_an_invitation(client, network):
    response = client.get(reverse("account_signup"))
    assert "closed" in response.content.decode().lower()
    client.post(reverse("account_signup"), SIGNUP)
    assert not User.objects.filter(email="newcomer@example.org").exists()


def test_invitation_link_lets_a_person_sign_up_and_join(client, network, coordinator):
    invitation = invitation_create(network=network, by=coordinator, role=Role.FACILITATOR)
    page = client.get(reverse("networks:invitation", kwargs={"token": invitation.token}))
    assert page.status_code == 200
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    member = Member.objects.get(user__email="newcomer@example.org")
    assert member.network == network and member.role == Role.FACILITATOR
    assert member.user.display_name == "Newcomer"
    invitation.refresh_from_db()
    assert invitation.accepted_by == member and not invitation.is_usable


def test_a_used_invitation_says_so(client, network, coordinator, member):
    invitation = invitation_create(network=network, by=coordinator)
    client.force_login(member.user)
    client.post(reverse("networks:invitation", kwargs={"token": invitation.token}))
    other = client.get(reverse("networks:invitation", kwargs={"token": invitation.token}))
    assert other.status_code == 410


def test_an_invitation_for_an_email_is_only_for_that_person(client, network, coordinator, helper):
    invitation = invitation_create(network=network, by=coordinator, email="someone@example.org")
    client.force_login(helper.user)
    response = client.post(reverse("networks:invitation", kwargs={"token": invitation.token}))
    assert response.status_code == 400
    invitation.refresh_from_db()
    assert invitation.accepted_by is None


def test_existing_person_joins_a_second_network_by_invitation(
    client, other_network, outsider, member
):
    invitation = invitation_create(network=other_network, by=outsider)
    client.force_login(member.user)
    client.post(reverse("networks:invitation", kwargs={"token": invitation.token}))
    assert set(member.user.memberships.values_list("network__slug", flat=True)) == {
        "riverside",
        "hilltop",
    }


def test_open_network_lets_anyone_sign_up_into_it(client, network):
    network.open_signup = True
    network.save(update_fields=["open_signup"])
    client.post(reverse("networks:join", kwargs={"network": network.slug}))
    client.post(reverse("account_signup"), SIGNUP)
    assert Member.objects.filter(user__email="newcomer@example.org", network=network).exists()


def test_closed_network_join_page_is_not_found(client, network, member):
    client.force_login(member.user)
    assert client.get(reverse("networks:join", kwargs={"network": network.slug})).status_code == 404


def test_login_is_by_email(client, member):
    from conftest import PASSWORD

    response = client.post(
        reverse("account_login"), {"login": member.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_password_reset_sends_an_email(client, member):
    client.post(reverse("account_reset_password"), {"email": member.user.email})
    assert len(mail.outbox) == 1
    assert member.user.email in mail.outbox[0].to


def test_passwords_are_hashed_with_argon2_outside_the_tests(tmp_path):
    # Read from the settings a deployment gets (the suite itself swaps in a fast hasher), and
    # hashed there: not a setting this test chose. Argon2 with the pepper (ASVS 2.4.5).
    code = (
        "from django.contrib.auth.hashers import identify_hasher, make_password; "
        "print(identify_hasher(make_password('whatever-it-is-here')).algorithm)"
    )
    result = run(["manage.py", "shell", "-c", code], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "argon2_peppered"


@pytest.mark.parametrize(
    "password",
    # "common" is 12 characters, so it is refused as common, not as too short.
    ["short1!", "q1w2e3r4t5y6", "12345678901234", "newcomer@example.org"],
    ids=["too-short", "common", "numeric", "like-the-email"],
)
def test_weak_passwords_are_refused_and_nobody_is_signed_up(client, network, password):
    network.open_signup = True
    network.save(update_fields=["open_signup"])
    client.post(reverse("networks:join", kwargs={"network": network.slug}))
    response = client.post(
        reverse("account_signup"), SIGNUP | {"password1": password, "password2": password}
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "password" in response.content.decode().lower()
    assert not User.objects.filter(email="newcomer@example.org").exists()
