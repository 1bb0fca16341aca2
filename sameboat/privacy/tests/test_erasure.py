"""A member erases their account: their personal data goes, the ledger stays whole under
"Erased member", the erasure is journaled and audited, and nobody can log in as them again."""

import json
from pathlib import Path

from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from conftest import PASSWORD, MakeMember
from sameboat.accounts.models import User
from sameboat.aid.models import Ask, Match, Offer
from sameboat.audit.models import AuditEvent
from sameboat.core.erasable import ERASED_MEMBER, ERASED_POST
from sameboat.directory.models import Referral
from sameboat.goals.models import Goal, GoalCheckIn
from sameboat.groups.models import GroupMember, MeetingCheckIn
from sameboat.ledger.models import Account, Entry, Exchange
from sameboat.ledger.verify import ledger_problems
from sameboat.networks.models import Category, Member, Network, Role
from sameboat.notifications.models import Notification
from sameboat.privacy.models import Consent, ConsentSource, Purpose
from sameboat.privacy.services import (
    account_erase,
    consent_set,
)
from sameboat.privacy.tests.world import NEEDS, a_life


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def balances(network: Network) -> dict[int, int]:
    return dict(Account.objects.filter(network=network).values_list("member_id", "balance"))


def test_member_erases_their_account_and_the_ledger_still_holds(
    member: Member, helper: Member, food: Category, erasure_journal: Path
) -> None:
    life = a_life(member, helper, food)
    consent_set(
        user=member.user, purpose=Purpose.LOCATION_MATCHING, given=True, source=ConsentSource.API
    )
    Token.objects.create(user=member.user)
    before = balances(member.network)
    entries = Entry.objects.count()
    client = logged_in(member.user)

    response = client.post(reverse("privacy:erase"), {"password": PASSWORD})

    assert response.status_code == 302
    user = User.objects.get(pk=member.user.pk)
    assert user.display_name is ERASED_MEMBER
    assert user.email == f"erased-{user.pk}@erased.invalid"
    assert (user.accessibility_needs, user.strengths, user.phone) == ("", "", "")
    assert not user.is_active and not user.has_usable_password()
    # The ledger: every exchange and entry kept, balances unchanged, every invariant holds.
    assert Exchange.objects.filter(pk=life.exchange.pk).exists()
    # Its memo copied the ask's title ("Insulin pick-up"): emptied, the rest as posted.
    assert life.exchange.memo and Exchange.objects.get(pk=life.exchange.pk).memo == ""
    assert Exchange.objects.get(pk=life.exchange.pk).amount == life.exchange.amount
    assert Entry.objects.count() == entries
    assert balances(member.network) == before
    assert list(ledger_problems()) == []
    call_command("ledger", "verify")
    # The ask the exchange hangs on stays, emptied; the offer without one is gone.
    ask = Ask.objects.get(pk=life.ask.pk)
    assert (ask.title, ask.details) == (ERASED_POST, "")
    assert not Offer.objects.filter(pk=life.offer.pk).exists()
    assert Match.objects.get(pk=life.match.pk).message == ""
    # What described them is gone.
    assert not GroupMember.objects.filter(member=member).exists()
    assert not MeetingCheckIn.objects.filter(pk=life.check_in.pk).exists()
    assert not Goal.objects.filter(pk=life.goal.pk).exists()
    assert not GoalCheckIn.objects.filter(goal_id=life.goal.pk).exists()
    assert not Referral.objects.filter(pk=life.referral.pk).exists()
    assert not Notification.objects.filter(user=user).exists()
    assert not Consent.objects.filter(user=user).exists()
    assert not Token.objects.filter(user=user).exists()
    kept = Member.objects.get(pk=member.pk)
    assert not kept.is_active and kept.latitude is None
    # Nobody can use the old session or log in again.
    assert SESSION_KEY not in client.session
    assert client.get(reverse("privacy:home")).status_code == 302
    assert not Client().login(email="person@example.org", password=PASSWORD)
    # The other side sees an erased member in the match.
    assert str(Match.objects.get(pk=life.match.pk).receiver) == "Erased member"
    # Journal and audit: ids only.
    line = json.loads(erasure_journal.read_text().strip())
    assert line["user_id"] == user.pk and line["erased_at"]
    assert set(line) == {"user_id", "erased_at"}
    event = AuditEvent.objects.get(action="privacy.erase")
    assert event.target == f"user:{user.pk}"
    assert NEEDS not in json.dumps(event.detail)


def test_a_wrong_password_erases_nothing(member: Member, erasure_journal: Path) -> None:
    response = logged_in(member.user).post(reverse("privacy:erase"), {"password": "not-it"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert User.objects.get(pk=member.user.pk).is_active
    assert not erasure_journal.exists()
    assert not AuditEvent.objects.filter(action="privacy.erase").exists()


def test_the_erase_page_says_what_goes_and_what_stays(member: Member) -> None:
    page = logged_in(member.user).get(reverse("privacy:erase")).content.decode()
    assert "Erased member" in page and "cannot be undone" in page


def test_coordinator_erases_a_member_at_their_request(
    coordinator: Member, member: Member, helper: Member, food: Category
) -> None:
    a_life(member, helper, food)
    url = reverse(
        "privacy:member_erase", kwargs={"network": member.network.slug, "member_id": member.pk}
    )
    client = logged_in(coordinator.user)
    assert client.post(url, {}).status_code == 400
    assert User.objects.get(pk=member.user.pk).is_active

    response = client.post(url, {"requested": "on"})

    assert response.status_code == 302
    assert User.objects.get(pk=member.user.pk).display_name is ERASED_MEMBER
    event = AuditEvent.objects.get(action="privacy.erase")
    assert event.actor_id == coordinator.user.pk
    assert list(ledger_problems()) == []


def test_a_member_in_another_network_too_is_not_erased_by_one_networks_coordinator(
    coordinator: Member, member: Member, other_network: Network, make_member: MakeMember
) -> None:
    Member.objects.create(network=other_network, user=member.user)
    url = reverse(
        "privacy:member_erase", kwargs={"network": member.network.slug, "member_id": member.pk}
    )
    response = logged_in(coordinator.user).post(url, {"requested": "on"})
    assert response.status_code == 403
    assert "other networks too" in response.content.decode()
    assert User.objects.get(pk=member.user.pk).is_active


def test_members_and_facilitators_cannot_erase_others(
    member: Member, helper: Member, facilitator: Member
) -> None:
    url = reverse(
        "privacy:member_erase", kwargs={"network": member.network.slug, "member_id": helper.pk}
    )
    for visitor in (member, facilitator):
        assert logged_in(visitor.user).post(url, {"requested": "on"}).status_code == 404
    assert User.objects.get(pk=helper.user.pk).is_active


def test_a_coordinator_cannot_erase_an_admin(coordinator: Member, admin_member: Member) -> None:
    url = reverse(
        "privacy:member_erase",
        kwargs={"network": admin_member.network.slug, "member_id": admin_member.pk},
    )
    assert logged_in(coordinator.user).get(url).status_code == 404
    assert admin_member.role == Role.ADMIN


def test_erasure_twice_changes_nothing_more(member: Member, helper: Member, food: Category) -> None:
    a_life(member, helper, food)
    account_erase(user=member.user, erased_by=member.user)
    account_erase(user=User.objects.get(pk=member.user.pk), erased_by=None)
    assert list(ledger_problems()) == []


def test_the_only_admin_of_a_network_hands_over_before_erasing(admin_member: Member) -> None:
    client = logged_in(admin_member.user)
    response = client.post(reverse("privacy:erase"), {"password": PASSWORD})
    assert response.status_code == 400
    assert "only admin of Riverside Mutual Aid" in response.content.decode()
    assert User.objects.get(pk=admin_member.user.pk).is_active
