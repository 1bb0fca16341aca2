"""Who takes part: a group's active members for its proposals, the network's active members
for the network's. Anyone else who can see the proposal gets 403 from the page and API, and
the service refuses them too; nothing is written."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.decisions.models import Stance
from sameboat.decisions.services import stance_take
from sameboat.groups.models import GroupMember
from sameboat.groups.services import group_leave


def test_a_network_member_outside_an_open_group_sees_but_does_not_take_part(
    client, member, counsellor, open_group, propose
):
    proposal = propose(counsellor, group=open_group)
    with pytest.raises(ValidationError, match="group's members"):
        stance_take(proposal=proposal, member=member, kind="agree")
    client.force_login(member.user)
    detail = reverse(
        "decisions:detail", kwargs={"network": "riverside", "decision_id": proposal.pk}
    )
    page = client.get(detail)
    assert page.status_code == 200
    assert "Only the group's members take part" in page.content.decode()
    response = client.post(detail + "stance/", {"kind": "agree"})
    assert response.status_code == 403
    api = APIClient()
    api.force_authenticate(member.user)
    url = f"/api/v1/networks/riverside/decisions/{proposal.pk}/stance/"
    assert api.post(url, {"kind": "agree"}, format="json").status_code == 403
    assert not Stance.objects.exists()


def test_a_member_who_left_the_group_no_longer_takes_part(circle, confidential, propose):
    proposal = propose(circle["ines"], group=confidential)
    group_leave(membership=GroupMember.objects.get(group=confidential, member=circle["ana"]))
    with pytest.raises(ValidationError, match="group's members"):
        stance_take(proposal=proposal, member=circle["ana"], kind="agree")


def test_a_member_of_another_network_takes_no_part(outsider, facilitator, propose):
    proposal = propose(facilitator)
    with pytest.raises(ValidationError):
        stance_take(proposal=proposal, member=outsider, kind="agree")
    assert not Stance.objects.exists()
