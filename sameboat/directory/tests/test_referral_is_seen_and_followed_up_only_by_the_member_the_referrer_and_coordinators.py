"""A referral says something of a member's needs: the member referred, whoever referred them
and the coordinators see it and follow it up; anyone else gets a 404, on the pages and in
the API, and does not find it in lists."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sameboat import policy
from sameboat.directory.referrals import referral_create
from sameboat.directory.tests.referral_scenario import make_service
from sameboat.networks.models import Role


@pytest.fixture
def referral(network, facilitator, member):
    return referral_create(
        network=network,
        by=facilitator,
        member=member,
        service=make_service(network),
        note="Rent arrears, scared of eviction",
    )


def _page(viewer, referral):
    client = Client()
    client.force_login(viewer.user)
    url = reverse("directory:referral", kwargs={"network": "riverside", "referral_id": referral.pk})
    return client.get(url)


def test_the_member_the_referrer_and_coordinators_see_it(
    referral, member, facilitator, coordinator, admin_member
):
    for viewer in (member, facilitator, coordinator, admin_member):
        assert policy.can_see_referral(viewer, referral)
        assert policy.can_update_referral(viewer, referral)
        response = _page(viewer, referral)
        assert response.status_code == 200
        assert "Rent arrears" in response.content.decode()


def test_anyone_else_gets_a_404(referral, make_member, helper, outsider):
    other_facilitator = make_member(Role.FACILITATOR)
    for viewer in (helper, other_facilitator, outsider):
        assert not policy.can_see_referral(viewer, referral)
        assert not policy.can_update_referral(viewer, referral)
        assert _page(viewer, referral).status_code == 404
        api = APIClient()
        api.force_authenticate(viewer.user)
        base = f"/api/v1/networks/riverside/referrals/{referral.pk}/"
        assert api.get(base).status_code == 404
        assert api.post(base + "status/", {"status": "contacted"}).status_code == 404


def test_anyone_else_cannot_change_its_status(referral, helper):
    client = Client()
    client.force_login(helper.user)
    url = reverse(
        "directory:referral_status", kwargs={"network": "riverside", "referral_id": referral.pk}
    )
    assert client.post(url, {"status": "contacted"}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == "made"


def test_lists_show_each_viewer_only_what_they_may_see(referral, member, helper, coordinator):
    url = reverse("directory:referral_list", kwargs={"network": "riverside"})
    for viewer, sees in ((member, True), (coordinator, True), (helper, False)):
        client = Client()
        client.force_login(viewer.user)
        assert ("Housing advice clinic" in client.get(url).content.decode()) is sees
        api = APIClient()
        api.force_authenticate(viewer.user)
        listed = api.get("/api/v1/networks/riverside/referrals/").json()["results"]
        assert [row["id"] for row in listed] == ([referral.pk] if sees else [])


def test_a_member_who_left_no_longer_sees_it(referral, member):
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert not policy.can_see_referral(member, referral)
