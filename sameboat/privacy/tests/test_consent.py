"""Consent is recorded for each purpose it covers, at signup and on the privacy page, and
withdrawing it stops the use at once."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from sameboat.accounts.models import NotificationFrequency, User
from sameboat.aid.models import Ask
from sameboat.aid.services import match_accept, match_offer_help
from sameboat.matching.services import helping_preferences_update
from sameboat.networks.models import Member, Network
from sameboat.notifications.models import Notification, NotificationKind, NotificationStatus
from sameboat.privacy.models import Consent, ConsentSource, Purpose
from sameboat.privacy.services import consent_set, consent_states


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def accepted_match_page(ask: Ask, helper: Member) -> tuple[Client, str, int]:
    match = match_offer_help(ask=ask, helper=helper)
    match_accept(match=match, by=ask.member)
    url = reverse("aid:match_detail", kwargs={"network": ask.network.slug, "pk": match.pk})
    return logged_in(helper.user), url, match.pk


def test_withdrawing_contact_sharing_hides_contact_details_after_a_match(
    ask: Ask, helper: Member
) -> None:
    member = ask.member
    client, url, match_id = accepted_match_page(ask, helper)
    assert member.user.email in client.get(url).content.decode()

    consent_set(
        user=member.user,
        purpose=Purpose.CONTACT_AFTER_MATCH,
        given=False,
        source=ConsentSource.PRIVACY_PAGE,
    )

    assert member.user.email not in client.get(url).content.decode()
    api = reverse("api-match-detail", kwargs={"network_slug": member.network.slug, "pk": match_id})
    assert client.get(api).json()["contact"] is None
    # The member still sees the helper's: the helper did not withdraw.
    assert helper.user.email in logged_in(member.user).get(url).content.decode()


def test_withdrawing_email_consent_stops_emails_already_waiting(member: Member) -> None:
    pending = Notification.objects.create(
        user=member.user,
        network=member.network,
        topic="meeting:9",
        path="/",
        kind=NotificationKind.MEETING_REMINDER,
        delivery=NotificationFrequency.IMMEDIATELY,
    )
    consent_set(
        user=member.user, purpose=Purpose.EMAIL_NOTIFICATIONS, given=False, source="privacy_page"
    )
    assert User.objects.get(pk=member.user.pk).notification_frequency == "never"
    pending.refresh_from_db()
    assert pending.status == NotificationStatus.SKIPPED
    consent_set(
        user=member.user, purpose=Purpose.EMAIL_NOTIFICATIONS, given=True, source="privacy_page"
    )
    assert User.objects.get(pk=member.user.pk).notification_frequency == "daily"


def test_withdrawing_location_consent_forgets_the_location(member: Member) -> None:
    member.latitude, member.longitude = Decimal("51.50"), Decimal("-0.12")
    member.save(update_fields=["latitude", "longitude"])
    assert consent_states(user=member.user)[Purpose.LOCATION_MATCHING]
    consent_set(user=member.user, purpose=Purpose.LOCATION_MATCHING, given=False, source="api")
    member.refresh_from_db()
    assert (member.latitude, member.longitude) == (None, None)
    assert not consent_states(user=member.user)[Purpose.LOCATION_MATCHING]


def test_giving_a_location_again_in_the_preferences_is_recorded_as_consent(
    member: Member,
) -> None:
    consent_set(user=member.user, purpose=Purpose.LOCATION_MATCHING, given=False, source="api")
    helping_preferences_update(
        member=member,
        latitude=None,
        longitude=None,
        travel_km=Decimal("5"),
        weekly_capacity=3,
        accessibility_offered=[],
    )
    assert not consent_states(user=member.user)[Purpose.LOCATION_MATCHING]
    helping_preferences_update(
        member=member,
        latitude=Decimal("51.5"),
        longitude=Decimal("-0.12"),
        travel_km=Decimal("5"),
        weekly_capacity=3,
        accessibility_offered=[],
    )
    assert consent_states(user=member.user)[Purpose.LOCATION_MATCHING]
    # The standing consent is the one given by changing the setting.
    standing = Consent.objects.get(
        user=member.user, purpose=Purpose.LOCATION_MATCHING, withdrawn_at__isnull=True
    )
    assert standing.source == ConsentSource.SETTINGS


def test_every_change_is_kept_as_history(member: Member) -> None:
    user = member.user
    consent_set(user=user, purpose=Purpose.LOCATION_MATCHING, given=True, source="api")
    consent_set(user=user, purpose=Purpose.LOCATION_MATCHING, given=True, source="api")
    consent_set(user=user, purpose=Purpose.LOCATION_MATCHING, given=False, source="api")
    consent_set(user=user, purpose=Purpose.LOCATION_MATCHING, given=True, source="api")
    rows = list(Consent.objects.filter(user=user).order_by("id"))
    assert len(rows) == 2
    assert rows[0].withdrawn_at is not None and rows[1].withdrawn_at is None
    assert all(row.text_version for row in rows)


def test_the_privacy_page_changes_consents(member: Member) -> None:
    client = logged_in(member.user)
    page = client.get(reverse("privacy:home")).content.decode()
    assert "Share my email and phone with the person I am matched with" in page
    response = client.post(
        reverse("privacy:home"),
        {Purpose.EMAIL_NOTIFICATIONS: "on"},  # contact unticked
    )
    assert response.status_code == 302
    user = User.objects.get(pk=member.user.pk)
    assert not user.shares_contact
    assert Consent.objects.filter(
        user=user, purpose=Purpose.CONTACT_AFTER_MATCH, withdrawn_at__isnull=False
    ).exists()
    assert "Withdrawn" in client.get(reverse("privacy:home")).content.decode()


def test_signup_records_what_the_person_agreed_to(client: Client, network: Network) -> None:
    network.open_signup = True
    network.save(update_fields=["open_signup"])
    client.post(reverse("networks:join", kwargs={"network": network.slug}))
    form = client.get(reverse("account_signup")).content.decode()
    assert "pseudonym" in form
    client.post(
        reverse("account_signup"),
        {
            "email": "newcomer@example.org",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "display_name": "Newcomer",
            "contact_after_match": "on",
        },
    )
    user = User.objects.get(email="newcomer@example.org")
    purposes = set(
        Consent.objects.filter(user=user, withdrawn_at__isnull=True).values_list(
            "purpose", flat=True
        )
    )
    assert purposes == {Purpose.CONTACT_AFTER_MATCH}
    assert user.shares_contact
    assert user.notification_frequency == "never"
    assert Consent.objects.get(user=user).source == ConsentSource.SIGNUP


def test_the_api_lists_and_changes_consents(member: Member) -> None:
    client = logged_in(member.user)
    url = reverse("api-me-consents")
    current = {row["purpose"]: row["given"] for row in client.get(url).json()["current"]}
    assert current[Purpose.CONTACT_AFTER_MATCH] is True
    response = client.post(
        url,
        {"purpose": Purpose.CONTACT_AFTER_MATCH, "given": False},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["history"][0]["purpose"] == Purpose.CONTACT_AFTER_MATCH
    bad = client.post(
        url, {"purpose": "sell_my_data", "given": True}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert Consent.objects.filter(user=member.user).count() == 1
    assert Client().get(url).status_code == 401


def test_choosing_never_in_the_profile_is_recorded_as_a_withdrawal(member: Member) -> None:
    client = logged_in(member.user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "display_name": "Amina",
            "contact_preference": "email",
            "notification_frequency": "never",
        },
    )
    assert response.status_code == 302
    record = Consent.objects.get(user=member.user, purpose=Purpose.EMAIL_NOTIFICATIONS)
    assert record.withdrawn_at is not None and record.source == ConsentSource.SETTINGS
    user = User.objects.get(pk=member.user.pk)
    assert not consent_states(user=user)[Purpose.EMAIL_NOTIFICATIONS]
