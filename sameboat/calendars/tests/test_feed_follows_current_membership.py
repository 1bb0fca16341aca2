"""A feed asks again on every fetch: a group the person left drops out of it, a person who
left the network (or whose account is closed) gets 404, and nobody reaches a group's feed
through a group they are not in."""

import icalendar
from django.test import Client
from django.urls import reverse

from sameboat.calendars.services import feed_reset
from sameboat.groups.models import GroupMember
from sameboat.groups.services import group_create, group_leave
from sameboat.networks.models import Role


def _get(feed, group_id=None):
    if group_id is None:
        url = reverse("calendars:feed", kwargs={"feed_token": feed.token})
    else:
        url = reverse(
            "calendars:group_feed", kwargs={"feed_token": feed.token, "group_id": group_id}
        )
    return Client().get(url)


def _events(response) -> int:
    assert response.status_code == 200
    return len(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def test_a_group_left_drops_out_of_the_feed(insider, confidential, open_group, make_meeting):
    make_meeting(confidential)
    make_meeting(open_group)
    feed = feed_reset(member=insider)
    assert _events(_get(feed)) == 2
    group_leave(membership=GroupMember.objects.get(group=confidential, member=insider))
    assert _events(_get(feed)) == 1
    assert _get(feed, confidential.pk).status_code == 404
    assert _events(_get(feed, open_group.pk)) == 1


def test_someone_who_left_the_network_gets_404(insider, confidential, make_meeting):
    make_meeting(confidential)
    feed = feed_reset(member=insider)
    insider.is_active = False
    insider.save(update_fields=["is_active"])
    assert _get(feed).status_code == 404
    assert _get(feed, confidential.pk).status_code == 404


def test_a_closed_account_gets_404(insider, confidential):
    feed = feed_reset(member=insider)
    insider.user.is_active = False
    insider.user.save(update_fields=["is_active"])
    assert _get(feed).status_code == 404


def test_a_group_one_is_not_in_or_of_another_network_is_404(
    insider, network, other_network, make_member, make_meeting
):
    stranger = make_member(Role.FACILITATOR)
    theirs = group_create(
        network=network, by=stranger, fields={"name": "Elsewhere", "type": "support"}
    )
    make_meeting(theirs)
    far = make_member(Role.FACILITATOR, in_network=other_network)
    abroad = group_create(network=other_network, by=far, fields={"name": "Far", "type": "food"})
    feed = feed_reset(member=insider)
    assert _events(_get(feed)) == 0
    assert _get(feed, theirs.pk).status_code == 404
    assert _get(feed, abroad.pk).status_code == 404
    assert _get(feed, 999_999).status_code == 404


def test_someone_who_asked_to_join_sees_nothing_yet(network, make_member, counsellor, make_meeting):
    from sameboat.groups.services import group_request_to_join

    group = group_create(
        network=network, by=counsellor, fields={"name": "Walkers", "type": "health"}
    )
    make_meeting(group)
    asker = make_member()
    group_request_to_join(group=group, member=asker)
    feed = feed_reset(member=asker)
    assert _events(_get(feed)) == 0
    assert _get(feed, group.pk).status_code == 404


def test_each_network_has_its_own_feed(insider, confidential, other_network, make_meeting):
    from sameboat.networks.services import member_add

    make_meeting(confidential)
    elsewhere = member_add(network=other_network, user=insider.user)
    assert _events(_get(feed_reset(member=elsewhere))) == 0
    assert _events(_get(feed_reset(member=insider))) == 1
