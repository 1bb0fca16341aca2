"""A referral is followed up: made, contacted, got help or did not get help (with why). Each
change is kept with who made it and when; bad input is refused with a 400 and changes
nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.directory.models import ReferralEvent, ReferralStatus
from sameboat.directory.referrals import referral_create, referral_status_set
from sameboat.directory.tests.referral_scenario import make_service


@pytest.fixture
def referral(network, facilitator, member):
    return referral_create(
        network=network, by=facilitator, member=member, service=make_service(network)
    )


def test_made_contacted_then_did_not_get_help_with_a_reason(referral, member, facilitator):
    referral_status_set(referral=referral, by=member, status=ReferralStatus.CONTACTED)
    assert referral.follow_up_on is not None
    referral_status_set(
        referral=referral,
        by=member,
        status=ReferralStatus.DID_NOT_GET_HELP,
        reason="no_capacity",
        reason_note="Six-week waiting list",
    )
    referral.refresh_from_db()
    assert referral.status == "did_not_get_help" and referral.reason == "no_capacity"
    assert referral.follow_up_on is None
    assert referral.stage == 2
    history = list(referral.events.values_list("status", "by", "reason"))
    assert history == [
        ("made", facilitator.pk, ""),
        ("contacted", member.pk, ""),
        ("did_not_get_help", member.pk, "no_capacity"),
    ]


def test_the_referrer_may_record_that_they_got_help(referral, facilitator):
    referral_status_set(referral=referral, by=facilitator, status=ReferralStatus.GOT_HELP)
    assert referral.status == "got_help"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "did_not_get_help"}, "reason"),
        ({"status": "did_not_get_help", "reason": "bored"}, "reason"),
        ({"status": "got_help", "reason": "cost"}, "reason"),
        ({"status": "made"}, "status"),
        ({"status": "lost"}, "status"),
    ],
)
def test_bad_follow_up_is_refused_and_changes_nothing(referral, member, data, field):
    with pytest.raises(ValidationError) as error:
        referral_status_set(referral=referral, by=member, **data)
    assert field in error.value.message_dict
    referral.refresh_from_db()
    assert referral.status == "made" and referral.stage == 0
    assert ReferralEvent.objects.filter(referral=referral).count() == 1


def test_the_page_says_why_and_answers_400(referral, member):
    client = Client()
    client.force_login(member.user)
    url = reverse(
        "directory:referral_status", kwargs={"network": "riverside", "referral_id": referral.pk}
    )
    response = client.post(url, {"status": "did_not_get_help"})
    assert response.status_code == 400
    assert "Say why they did not get help." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "made"
    assert ReferralEvent.objects.filter(referral=referral).count() == 1


def test_the_api_says_why_and_answers_400(referral, member):
    api = APIClient()
    api.force_authenticate(member.user)
    url = f"/api/v1/networks/riverside/referrals/{referral.pk}/status/"
    response = api.post(url, {"status": "did_not_get_help"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["Say why they did not get help."]}
    ok = api.post(url, {"status": "did_not_get_help", "reason": "cost"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["status"] == "did_not_get_help"
    assert [event["status"] for event in ok.json()["events"]] == ["made", "did_not_get_help"]
