"""The two periods of a referral's follow-up are settings (REFERRAL_FOLLOW_UP_DAYS, 7 by
default; REFERRAL_NO_NEWS_AFTER_DAYS, 21), and every part that uses them honours a change:
the follow-up date, the reminders it brings, the report and its page."""

from datetime import timedelta

from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from sameboat.directory.models import Referral
from sameboat.directory.referral_selectors import referral_report
from sameboat.directory.referrals import (
    referral_create,
    referral_reminders_send,
    referral_status_set,
)
from sameboat.directory.tests.referral_scenario import make_service


def test_the_defaults_are_a_week_and_three_weeks(settings):
    assert settings.REFERRAL_FOLLOW_UP_DAYS == 7
    assert settings.REFERRAL_NO_NEWS_AFTER_DAYS == 21


@override_settings(REFERRAL_FOLLOW_UP_DAYS=3)
def test_the_follow_up_comes_after_the_days_set(network, facilitator, member):
    today = timezone.localdate()
    referral = referral_create(
        network=network, by=facilitator, member=member, service=make_service(network)
    )
    assert referral.follow_up_on == today + timedelta(days=3)
    # Not due the day before; due on the day, for the member and the referrer.
    assert referral_reminders_send(now=timezone.now() + timedelta(days=2)) == 0
    assert referral_reminders_send(now=timezone.now() + timedelta(days=3)) == 2
    # A change of status pushes the next follow-up on by the same period.
    referral = referral_status_set(referral=referral, by=member, status="contacted")
    assert referral.follow_up_on == today + timedelta(days=3)


@override_settings(REFERRAL_FOLLOW_UP_DAYS=30)
def test_a_longer_period_keeps_the_reminder_back(network, facilitator, member):
    referral = referral_create(
        network=network, by=facilitator, member=member, service=make_service(network)
    )
    assert referral.follow_up_on == timezone.localdate() + timedelta(days=30)
    assert referral_reminders_send(now=timezone.now() + timedelta(days=7)) == 0


def _made_days_ago(network, facilitator, member, days: int) -> Referral:
    referral = referral_create(
        network=network, by=facilitator, member=member, service=make_service(network)
    )
    Referral.objects.filter(pk=referral.pk).update(
        status_changed_at=timezone.now() - timedelta(days=days)
    )
    return referral


def test_the_report_counts_no_news_after_the_days_set(network, facilitator, member):
    _made_days_ago(network, facilitator, member, 6)
    # Six days without news: nowhere once the setting says five, not by the default's 21.
    assert referral_report(network=network).went_nowhere == 0
    with override_settings(REFERRAL_NO_NEWS_AFTER_DAYS=5):
        report = referral_report(network=network)
        assert report.went_nowhere == 1 and report.no_news_days == 5
        assert [(row.name, row.count) for row in report.by_reason] == [("No news", 1)]
    with override_settings(REFERRAL_NO_NEWS_AFTER_DAYS=7):
        assert referral_report(network=network).went_nowhere == 0


@override_settings(REFERRAL_NO_NEWS_AFTER_DAYS=10)
def test_the_report_page_says_the_days_set(network, facilitator, member, coordinator):
    _made_days_ago(network, facilitator, member, 11)
    client = Client()
    client.force_login(coordinator.user)
    response = client.get(reverse("directory:referral_report", kwargs={"network": network.slug}))
    assert response.status_code == 200
    assert "no news for more than 10 days" in response.content.decode()
    assert response.context["report"].went_nowhere == 1
