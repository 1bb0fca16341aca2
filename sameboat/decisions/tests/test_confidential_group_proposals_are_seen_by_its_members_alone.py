"""A confidential group's proposals are seen by its active members alone: everyone else in
the network, coordinators and admins included, gets 404 and finds them in no list."""

from django.urls import reverse
from rest_framework.test import APIClient

from sameboat.networks.models import Role


def test_outside_the_group_it_is_as_if_absent(
    client, make_member, coordinator, admin_member, outsider, insider, confidential, propose
):
    proposal = propose(insider, group=confidential, title="Our secret picnic")
    detail = reverse(
        "decisions:detail", kwargs={"network": "riverside", "decision_id": proposal.pk}
    )
    group_list = reverse(
        "decisions:group_list", kwargs={"network": "riverside", "group_id": confidential.pk}
    )
    everyone_else = (make_member(Role.MEMBER), make_member(Role.FACILITATOR), coordinator)
    for viewer in (*everyone_else, admin_member, outsider):
        client.force_login(viewer.user)
        assert client.get(detail).status_code == 404
        assert client.get(group_list).status_code == 404
        assert client.post(detail + "stance/", {"kind": "agree"}).status_code == 404
        assert client.post(detail + "close/").status_code == 404
        if viewer is not outsider:
            lists = client.get(reverse("decisions:list", kwargs={"network": "riverside"}))
            assert "Our secret picnic" not in lists.content.decode()
        api = APIClient()
        api.force_authenticate(viewer.user)
        base = "/api/v1/networks/riverside/decisions/"
        assert api.get(f"{base}{proposal.pk}/").status_code == 404
        assert api.post(f"{base}{proposal.pk}/stance/", {"kind": "agree"}).status_code == 404
        if viewer is not outsider:
            titles = {row["title"] for row in api.get(base).json()["results"]}
            assert "Our secret picnic" not in titles
            created = api.post(
                base,
                {
                    "group": confidential.pk,
                    "title": "x",
                    "process": "consent",
                    "closes_at": "2099-01-01T00:00:00Z",
                },
                format="json",
            )
            assert created.status_code == 400  # the group "does not exist" for them

    client.force_login(insider.user)
    assert client.get(detail).status_code == 200
    assert "Our secret picnic" in client.get(group_list).content.decode()
    assert (
        "Our secret picnic"
        in client.get(reverse("decisions:list", kwargs={"network": "riverside"})).content.decode()
    )
