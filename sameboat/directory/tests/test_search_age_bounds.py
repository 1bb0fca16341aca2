"""The age filter keeps a service when the age is within its minimum and maximum age, both
included; a service that sets no bound takes any age."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.parametrize(
    ("age", "peers", "beds"),
    [
        ("0", False, False),
        ("15", False, False),
        ("16", True, False),  # the meetings' minimum, included
        ("17", True, False),
        ("18", True, True),  # the shelter's minimum
        ("120", True, True),  # the shelter's maximum, included
        ("121", True, False),
    ],
)
def test_minimum_and_maximum_age_are_both_included(imported, member, age, peers, beds):
    client = Client()
    client.force_login(member.user)
    response = client.get(
        reverse("directory:search", kwargs={"network": "riverside"}), {"age": age}
    )
    assert response.status_code == 200
    found = {hit.service.name for hit in response.context["hits"]}
    assert ("Peer support meetings" in found) is peers
    assert ("Emergency shelter beds" in found) is beds
    assert "Weekly food pantry" in found  # no bounds
