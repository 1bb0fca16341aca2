"""A member refers themselves; facilitators and coordinators refer any active member of the
network. Nobody refers someone of another network, or to another network's service; a bad
referral writes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from sameboat.directory.models import Referral, ReferralEvent, ReferralStatus
from sameboat.directory.referrals import referral_create
from sameboat.directory.tests.referral_scenario import make_service
from sameboat.networks.models import Role


def test_a_member_refers_themselves(network, member):
    service = make_service(network)
    referral = referral_create(network=network, by=member, member=member, service=service)
    assert referral.status == ReferralStatus.MADE
    assert referral.referred_by == member
    assert referral.service_name == "Housing advice clinic"
    assert referral.follow_up_on is not None
    assert list(referral.events.values_list("status", flat=True)) == ["made"]


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.COORDINATOR, Role.ADMIN])
def test_facilitators_and_coordinators_refer_any_member(network, make_member, member, role):
    referrer = make_member(role)
    service = make_service(network)
    referral = referral_create(
        network=network, by=referrer, member=member, service=service, note="Needs a lawyer"
    )
    assert referral.member == member and referral.note == "Needs a lawyer"


def test_a_member_may_not_refer_someone_else(network, member, helper):
    with pytest.raises(PermissionDenied):
        referral_create(network=network, by=member, member=helper, service=make_service(network))
    assert not Referral.objects.exists()


def test_nobody_refers_someone_of_another_network(network, facilitator, outsider):
    with pytest.raises(ValidationError) as error:
        referral_create(
            network=network, by=facilitator, member=outsider, service=make_service(network)
        )
    assert "member" in error.value.message_dict
    assert not Referral.objects.exists()


def test_nobody_refers_to_another_networks_service(network, other_network, facilitator, member):
    elsewhere = make_service(other_network)
    with pytest.raises(ValidationError) as error:
        referral_create(network=network, by=facilitator, member=member, service=elsewhere)
    assert "service" in error.value.message_dict
    assert not Referral.objects.exists()


def test_the_page_refuses_another_networks_service_with_a_400(
    network, other_network, facilitator, member
):
    elsewhere = make_service(other_network)
    client = Client()
    client.force_login(facilitator.user)
    url = reverse("directory:referral_create", kwargs={"network": network.slug})
    response = client.post(url, {"member": member.pk, "service": str(elsewhere.id)})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Referral.objects.exists() and not ReferralEvent.objects.exists()


def test_the_page_refuses_a_member_referring_someone_else_with_a_400(network, member, helper):
    service = make_service(network)
    client = Client()
    client.force_login(member.user)
    url = reverse("directory:referral_create", kwargs={"network": network.slug})
    response = client.post(url, {"member": helper.pk, "service": str(service.id)})
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_the_page_makes_a_referral_to_the_service_it_came_from(network, facilitator, member):
    service = make_service(network)
    client = Client()
    client.force_login(facilitator.user)
    url = reverse("directory:referral_create", kwargs={"network": network.slug})
    page = client.get(url, {"service": str(service.id)})
    assert page.status_code == 200 and "Housing advice clinic" in page.content.decode()
    response = client.post(
        f"{url}?service={service.id}", {"member": member.pk, "service": str(service.id)}
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "directory:referral", kwargs={"network": network.slug, "referral_id": referral.pk}
    )
    assert referral.member == member and referral.referred_by == facilitator


def test_an_unknown_service_in_the_address_is_a_404(network, facilitator):
    client = Client()
    client.force_login(facilitator.user)
    url = reverse("directory:referral_create", kwargs={"network": network.slug})
    assert client.get(url, {"service": "not-a-uuid"}).status_code == 404
