from django.test import Client
from django.urls import reverse

from sameboat.groups.models import GroupMember, GroupMemberStatus


def _url(name, group) -> str:
    return reverse(name, kwargs={"network": "riverside", "group_id": group.pk})


def test_facilitator_adds_a_network_member(counsellor, member, confidential):
    client = Client()
    client.force_login(counsellor.user)
    response = client.post(_url("groups:member_add", confidential), {"member": member.pk})
    assert response.status_code == 302
    row = GroupMember.objects.get(group=confidential, member=member)
    assert row.status == GroupMemberStatus.ACTIVE
    # Now they see it.
    client.force_login(member.user)
    assert client.get(_url("groups:detail", confidential)).status_code == 200


def test_a_group_member_who_does_not_facilitate_cannot_add(insider, member, confidential):
    client = Client()
    client.force_login(insider.user)
    assert (
        client.post(_url("groups:member_add", confidential), {"member": member.pk}).status_code
        == 403
    )
    assert not GroupMember.objects.filter(group=confidential, member=member).exists()


def test_someone_from_another_network_cannot_be_added(counsellor, outsider, confidential):
    client = Client()
    client.force_login(counsellor.user)
    response = client.post(_url("groups:member_add", confidential), {"member": outsider.pk})
    assert response.status_code == 302
    assert not GroupMember.objects.filter(group=confidential, member=outsider).exists()
