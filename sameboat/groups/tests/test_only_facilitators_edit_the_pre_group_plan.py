from django.test import Client
from django.urls import reverse

from sameboat.groups.models import PreGroupPlan

PLAN = {
    "need": "People leaving treatment feel alone",
    "purpose": "Support each other in staying sober",
    "composition": "Adults in early recovery",
    "structure": "Weekly, ninety minutes",
    "content": "Check-ins, sharing, skills",
    "pre_group_contact": "A phone call with each person",
    "agency_context": "The clinic hosts and refers",
}


def _url(group) -> str:
    return reverse("groups:plan", kwargs={"network": "riverside", "group_id": group.pk})


def test_facilitator_edits_the_plan(counsellor, confidential):
    client = Client()
    client.force_login(counsellor.user)
    assert client.get(_url(confidential)).status_code == 200
    response = client.post(_url(confidential), PLAN)
    assert response.status_code == 302
    plan = PreGroupPlan.objects.get(group=confidential)
    assert plan.need == PLAN["need"] and plan.agency_context == PLAN["agency_context"]


def test_a_member_of_the_group_cannot_edit_the_plan(insider, confidential):
    client = Client()
    client.force_login(insider.user)
    assert client.get(_url(confidential)).status_code == 403
    assert client.post(_url(confidential), PLAN).status_code == 403
    assert PreGroupPlan.objects.get(group=confidential).need == ""


def test_a_coordinator_cannot_edit_an_open_groups_plan_either(coordinator, open_group):
    client = Client()
    client.force_login(coordinator.user)
    assert client.post(_url(open_group), PLAN).status_code == 403
    assert PreGroupPlan.objects.get(group=open_group).need == ""
