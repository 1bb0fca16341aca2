from django.test import Client
from django.urls import reverse

from sameboat.groups.models import Group, GroupMember, GroupRole, PreGroupPlan

CREATE = reverse("groups:create", kwargs={"network": "riverside"})
FORM = {
    "name": "Tenants together",
    "purpose": "Repairs and rent",
    "type": "tenants_advocacy",
    "joining": "request",
    "stage_model": "tuckman",
    "process_list": "steinberg",
}


def test_a_facilitator_starts_a_group_and_facilitates_it(facilitator):
    client = Client()
    client.force_login(facilitator.user)
    response = client.post(CREATE, FORM)
    group = Group.objects.get(name="Tenants together")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/groups/{group.pk}/")
    row = GroupMember.objects.get(group=group)
    assert (row.member, row.role, row.status) == (facilitator, GroupRole.FACILITATOR, "active")
    assert PreGroupPlan.objects.filter(group=group).exists()


def test_a_plain_member_cannot_start_a_group(member):
    client = Client()
    client.force_login(member.user)
    assert client.post(CREATE, FORM).status_code == 404
    assert not Group.objects.exists()


def test_bad_input_gets_400_and_writes_nothing(coordinator, open_group):
    client = Client()
    client.force_login(coordinator.user)
    response = client.post(CREATE, {**FORM, "type": "astrology"})
    assert response.status_code == 400
    response = client.post(CREATE, {**FORM, "name": "food circle"})
    assert response.status_code == 400
    assert "already has a group with this name" in response.content.decode()
    assert Group.objects.count() == 1


def test_the_facilitator_edits_the_group(counsellor, open_group):
    client = Client()
    client.force_login(counsellor.user)
    url = reverse("groups:edit", kwargs={"network": "riverside", "group_id": open_group.pk})
    assert client.post(url, {**FORM, "name": "Food circle", "purpose": "New"}).status_code == 302
    open_group.refresh_from_db()
    assert open_group.purpose == "New" and open_group.stage_model == "tuckman"
