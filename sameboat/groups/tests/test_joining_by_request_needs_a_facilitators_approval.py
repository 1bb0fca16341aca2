from django.test import Client
from django.urls import reverse

from sameboat.groups.models import GroupMember, GroupMemberStatus


def _url(name, group) -> str:
    return reverse(name, kwargs={"network": "riverside", "group_id": group.pk})


def test_member_asks_to_join_and_a_facilitator_approves(member, counsellor, open_group):
    client = Client()
    client.force_login(member.user)
    response = client.post(_url("groups:join", open_group), follow=True)
    assert "You asked to join" in response.content.decode()
    row = GroupMember.objects.get(group=open_group, member=member)
    assert row.status == GroupMemberStatus.REQUESTED
    # Not yet a member: the count has not changed, and they cannot approve themselves.
    assert (
        client.post(_url("groups:approve", open_group), {"membership": row.pk}).status_code == 403
    )

    facilitator = Client()
    facilitator.force_login(counsellor.user)
    page = facilitator.get(_url("groups:detail", open_group)).content.decode()
    assert "Requests to join" in page and member.display_name in page
    response = facilitator.post(_url("groups:approve", open_group), {"membership": row.pk})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == GroupMemberStatus.ACTIVE and row.joined_at is not None


def test_asking_twice_changes_nothing_and_says_so(member, open_group):
    client = Client()
    client.force_login(member.user)
    client.post(_url("groups:join", open_group))
    response = client.post(_url("groups:join", open_group), follow=True)
    assert "cannot ask to join" in response.content.decode()
    assert GroupMember.objects.filter(group=open_group, member=member).count() == 1


def test_nobody_can_ask_to_join_an_invitation_only_group(insider, member, confidential):
    client = Client()
    client.force_login(member.user)
    assert client.post(_url("groups:join", confidential)).status_code == 404
    assert not GroupMember.objects.filter(group=confidential, member=member).exists()


def test_a_member_can_leave_but_the_only_facilitator_cannot(member, counsellor, open_group):
    from sameboat.groups.services import group_member_add

    group_member_add(group=open_group, member=member)
    client = Client()
    client.force_login(member.user)
    client.post(_url("groups:leave", open_group))
    assert GroupMember.objects.get(group=open_group, member=member).status == "left"

    client.force_login(counsellor.user)
    response = client.post(_url("groups:leave", open_group), follow=True)
    assert "only facilitator" in response.content.decode()
    assert GroupMember.objects.get(group=open_group, member=counsellor).status == "active"
