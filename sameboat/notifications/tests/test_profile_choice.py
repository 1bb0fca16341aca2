"""A person chooses on their profile how often we email them about matches."""

from django.urls import reverse

from sameboat.accounts.models import NotificationFrequency

PROFILE = {"display_name": "Amina", "contact_preference": "email", "phone": ""}


def test_profile_offers_the_choice_as_a_labelled_radio_group(client, member):
    client.force_login(member.user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "<legend>Emails with your news</legend>" in page
    assert 'aria-describedby="id_notification_frequency_helptext"' in page
    for value in NotificationFrequency.values:
        assert f'type="radio" name="notification_frequency" value="{value}"' in page
    # Nobody has chosen yet: the default, right away, is the one checked.
    assert 'value="immediately" id="id_notification_frequency_0" checked>' in page


def test_person_chooses_a_daily_digest(client, member):
    client.force_login(member.user)
    response = client.post(
        reverse("accounts:profile"), {**PROFILE, "notification_frequency": "daily"}
    )
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.notification_frequency == NotificationFrequency.DAILY


def test_an_unknown_choice_is_a_400_and_keeps_the_old_one(client, member):
    client.force_login(member.user)
    response = client.post(
        reverse("accounts:profile"), {**PROFILE, "notification_frequency": "hourly"}
    )
    assert response.status_code == 400
    member.user.refresh_from_db()
    assert member.user.notification_frequency == NotificationFrequency.IMMEDIATELY


def test_a_form_without_the_choice_keeps_it(client, member, choose):
    choose(member, NotificationFrequency.NEVER)
    client.force_login(member.user)
    response = client.post(reverse("accounts:profile"), {**PROFILE, "display_name": "Amina H."})
    assert response.status_code == 302
    member.user.refresh_from_db()
    assert member.user.notification_frequency == NotificationFrequency.NEVER
    assert member.user.display_name == "Amina H."
