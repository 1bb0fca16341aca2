"""Every active member of the network may search its directory, published or not; anyone
else learns nothing of it."""

from django.test import Client

from sameboat.networks.models import Role

URL = "/n/riverside/directory/search/"


def status(person) -> int:
    client = Client()
    if person is not None:
        client.force_login(person.user)
    return client.get(URL).status_code


def test_members_of_every_role_search_the_directory(imported, make_member):
    for role in Role:
        assert status(make_member(role)) == 200


def test_anonymous_visitors_are_sent_to_log_in(imported):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_people_of_another_network_and_former_members_get_404(imported, outsider, member):
    assert status(outsider) == 404
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert status(member) == 404
