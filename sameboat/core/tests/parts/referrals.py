"""Referrals and partnerships: their objects in the permission-table scenario.

`referral_id` (and the API's "pk" for api-referral-*) is a referral the counsellor made for
`author` to a service of Riverside's directory. No visitor is either of them, so a plain
member or facilitator does not know it exists (404); coordinators and admins see it.
`partnership_id` is a partnership with the service's organisation: every member of the
network sees the list; only coordinators change it (others 403, as it is no secret).
"""

from datetime import timedelta
from typing import Any
from uuid import uuid4

from django.utils import timezone

from sameboat.directory.models import Organization, Service, ServiceStatus
from sameboat.directory.referrals import PartnershipFields, partnership_create, referral_create

# Kinds (words in API URL names) whose "pk" this part supplies, most specific first.
PK_KINDS: tuple[str, ...] = ("referral", "partnership")


def add(base: dict[str, Any]) -> dict[str, object]:
    network = base["network"]
    organization = Organization.objects.create(
        network=network, id=uuid4(), name="Riverside Legal Aid", description="Free legal advice."
    )
    service = Service.objects.create(
        network=network,
        id=uuid4(),
        organization_id=organization.id,
        name="Housing advice clinic",
        status=ServiceStatus.ACTIVE,
    )
    referral = referral_create(
        network=network, by=base["counsellor"], member=base["author"], service=service
    )
    partnership = partnership_create(
        network=network,
        by=base["coordinator"],
        fields=PartnershipFields(
            organization=organization,
            starts_on=timezone.localdate() - timedelta(days=30),
            contact_name="Dana",
            contact_email="dana@legal.example",
        ),
    )
    return {
        "referral_id": referral.pk,
        "referral": referral.pk,
        "partnership_id": partnership.pk,
        "partnership": partnership.pk,
    }
