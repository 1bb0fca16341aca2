"""A feed's address carries a secret: a new one kills the old at once, and an address that
was never made, or made up, is a 404 like any other."""

from django.test import Client
from django.urls import reverse

from sameboat.calendars.models import CalendarFeed, GroupNames
from sameboat.calendars.selectors import feed_by_token
from sameboat.calendars.services import feed_group_names_set, feed_reset


def _status(token: str, group_id: int | None = None) -> int:
    if group_id is None:
        url = reverse("calendars:feed", kwargs={"feed_token": token})
    else:
        url = reverse("calendars:group_feed", kwargs={"feed_token": token, "group_id": group_id})
    return Client().get(url).status_code


def test_a_reset_token_404s_and_the_new_one_works(insider, confidential):
    feed = feed_group_names_set(feed=feed_reset(member=insider), group_names=GroupNames.NONE)
    old = feed.token
    assert _status(old) == 200 and _status(old, confidential.pk) == 200
    fresh = feed_reset(member=insider)
    assert fresh.token != old and fresh.reset_at is not None
    assert _status(old) == 404 and _status(old, confidential.pk) == 404
    assert _status(fresh.token) == 200
    assert fresh.group_names == GroupNames.NONE  # the person's choice stays
    assert CalendarFeed.objects.count() == 1


def test_secrets_are_long_random_and_checked_whole(insider, helper):
    tokens = {feed_reset(member=insider).token, feed_reset(member=helper).token}
    assert len(tokens) == 2
    token = feed_reset(member=insider).token
    assert len(token) == 59  # 64 random bits of selector, 256 of verifier
    assert feed_by_token(token) is not None
    # The right selector with a wrong verifier, or a verifier cut short, finds nothing.
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert feed_by_token(wrong) is None
    assert feed_by_token(token[:-1]) is None
    assert _status(wrong) == 404
    assert _status("x" * 59) == 404
    assert _status("nothing-here") == 404


def test_a_feed_fetch_sets_no_cookie_and_needs_no_login(insider, confidential, member):
    token = feed_reset(member=insider).token
    client = Client()
    client.force_login(member.user)  # someone else's session changes nothing
    response = client.get(reverse("calendars:feed", kwargs={"feed_token": token}))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert client.post(reverse("calendars:feed", kwargs={"feed_token": token})).status_code == 405
