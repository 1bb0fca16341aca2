"""Directory rows for the referral and partnership tests: an organisation and its services,
written directly (the tests are about referrals, not about importing)."""

from uuid import uuid4

from sameboat.directory.models import Organization, Service, ServiceStatus
from sameboat.networks.models import Network


def make_organization(network: Network, name: str = "Riverside Legal Aid") -> Organization:
    return Organization.objects.create(
        network=network, id=uuid4(), name=name, description=f"{name}: what it does."
    )


def make_service(
    network: Network, name: str = "Housing advice clinic", organization: Organization | None = None
) -> Service:
    organization = organization or make_organization(network)
    return Service.objects.create(
        network=network,
        id=uuid4(),
        organization_id=organization.id,
        name=name,
        status=ServiceStatus.ACTIVE,
    )
