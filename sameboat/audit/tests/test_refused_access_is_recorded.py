"""Every access refused to a signed-in person is in their network's audit log (ASVS 7.2.2):
the route, the method, the status and the ids asked for; never anything personal. Anonymous
knocks and paths that match no route are not recorded."""

from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from sameboat.audit.models import AuditEvent
from sameboat.groups.models import Group
from sameboat.networks.models import Member, Network


def denials() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="access.denied").order_by("id"))


def test_a_hidden_group_asked_for_on_a_page_and_the_api_is_recorded(
    network: Network, member: Member, confidential: Group
) -> None:
    hidden = confidential
    client = Client()
    client.force_login(member.user)
    assert client.get(reverse("groups:detail", args=[network.slug, hidden.pk])).status_code == 404
    token = Token.objects.create(user=member.user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = reverse("api-group-detail", kwargs={"network_slug": network.slug, "pk": hidden.pk})
    assert api.get(url).status_code == 404

    page, endpoint = denials()
    assert (page.actor, page.network, page.target) == (member.user, network, "route:groups.detail")
    assert page.detail == {"method": "GET", "status": 404, "group_id": hidden.pk}
    assert endpoint.actor == member.user and endpoint.target == "route:api-group-detail"
    assert endpoint.detail["pk"] == hidden.pk
    stored = str(list(AuditEvent.objects.values_list("target", "detail")))
    assert "Recovery circle" not in stored and member.user.email not in stored


def test_a_forbidden_page_is_recorded_as_a_403(
    network: Network, member: Member, open_group: Group
) -> None:
    # An open group's equity page is for its facilitators: a member of the network is told no.
    client = Client()
    client.force_login(member.user)
    url = reverse("groups:equity", kwargs={"network": network.slug, "group_id": open_group.pk})
    assert client.get(url).status_code == 403
    (event,) = denials()
    assert event.detail == {"method": "GET", "status": 403, "group_id": open_group.pk}
    assert event.network == network and event.target == "route:groups.equity"


def test_anonymous_knocks_and_unknown_paths_are_not_recorded(
    network: Network, member: Member
) -> None:
    assert Client().get(f"/api/v1/networks/{network.slug}/asks/").status_code == 401
    client = Client()
    client.force_login(member.user)
    assert client.get("/no/such/page/").status_code == 404
    assert denials() == []
