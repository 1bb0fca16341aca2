"""With the member's area known, the nearest services come first, each with its distance
(to its nearest location); services with no place on the map come last. Without it, by name."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from sameboat.matching.geo import haversine_km
from sameboat.networks.models import AreaKind
from sameboat.networks.services import service_area_create


def hits(member):
    client = Client()
    client.force_login(member.user)
    response = client.get(reverse("directory:search", kwargs={"network": "riverside"}))
    assert response.status_code == 200
    return response.context["hits"]


def test_nearest_first_from_the_members_service_area(imported, network, member):
    # Harbour House's street: the recovery collective is nearest, the clinic furthest.
    area = service_area_create(
        network=network,
        name="Harbourside",
        kind=AreaKind.CITY,
        centre=(Decimal("45.41"), Decimal("-75.71")),
    )
    member.service_area = area
    member.save(update_fields=["service_area"])
    found = hits(member)
    distances = [hit.distance_km for hit in found]
    assert distances == sorted(distances)
    assert [hit.service.name for hit in found][:2] == [
        "Emergency shelter beds",
        "Peer support meetings",
    ]
    assert found[0].distance_km == pytest.approx(haversine_km(45.41, -75.71, 45.4101, -75.7105))
    assert found[-1].service.name in ("Immigration legal help", "Tenant rights advice")


def test_by_name_when_the_members_area_is_unknown(imported, member):
    found = hits(member)
    assert [hit.service.name for hit in found] == sorted(hit.service.name for hit in found)
    assert all(hit.distance_km is None for hit in found)
