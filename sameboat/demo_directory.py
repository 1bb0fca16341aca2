"""The demo network's directory of community resources: the sample HSDS 3.0 directory
(sameboat/directory/sample.py: a food bank, a tenants' legal clinic, a recovery collective and
their services), imported through the same importer as any HSDS file, with its places moved
to the demo city so that distances and the map make sense there.

Then the network's own follow-up of it, written through the services, each step at its own
moment of the story (see demo._clock): referrals made by members for themselves, by the
facilitator and by the coordinator, in every state (made, contacted, got help, did not get
help for each kind of reason, one outcome corrected), and three partnerships with the sample's
organisations (one of them ended). Scripted rather than drawn at random: the same every time.
"""

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from sameboat.directory import sample
from sameboat.directory.importing import ImportReport
from sameboat.directory.models import (
    Organization,
    Partnership,
    Referral,
    ReferralReason,
    ReferralStatus,
    Service,
)
from sameboat.directory.referrals import (
    PartnershipFields,
    partnership_create,
    referral_create,
    referral_status_set,
)
from sameboat.directory.services import hsds_import_documents
from sameboat.networks.models import Member, Network

Clock = Callable[[datetime], AbstractContextManager[None]]

# The sample directory's own city centre; each place keeps its offset from it.
SAMPLE_CENTRE = (45.4215, -75.6972)


def _moved(value: Any, centre: tuple[Decimal, Decimal]) -> Any:
    """The documents again, every latitude and longitude moved from the sample's city to
    `centre` (a few kilometres apart stay a few kilometres apart)."""
    if isinstance(value, list):
        return [_moved(item, centre) for item in value]
    if not isinstance(value, dict):
        return value
    moved = {key: _moved(item, centre) for key, item in value.items()}
    if moved.get("latitude") is not None and moved.get("longitude") is not None:
        moved["latitude"] = round(float(centre[0]) + moved["latitude"] - SAMPLE_CENTRE[0], 6)
        moved["longitude"] = round(float(centre[1]) + moved["longitude"] - SAMPLE_CENTRE[1], 6)
    return moved


def build_directory(
    *, network: Network, centre: tuple[Decimal, Decimal], log: Callable[[str], None]
) -> ImportReport:
    report = hsds_import_documents(
        network=network,
        data=_moved(sample.organizations(), centre),
        where="the demo's sample directory",
    )
    if not report.ok:
        # The sample is valid HSDS (its tests say so): a problem here is a bug, not data.
        raise RuntimeError(f"The demo directory did not import: {report.problems[:3]}")
    log(f"    {sum(report.created.values())} directory records")
    return report


# Referrals ---------------------------------------------------------------------------------

Who = Literal["member", "facilitator", "coordinator"]


@dataclass(frozen=True, slots=True)
class Step:
    after_days: float  # after the previous step
    status: ReferralStatus
    by: Who = "member"
    reason: ReferralReason | Literal[""] = ""
    reason_note: str = ""


@dataclass(frozen=True, slots=True)
class ReferralStory:
    referred_by: Who  # "member": the member referred themselves
    member: int  # position among the demo's members (not staff)
    service: str
    days_ago: float
    note: str
    steps: tuple[Step, ...] = ()


S = ReferralStatus
R = ReferralReason

REFERRALS = (
    ReferralStory(
        "coordinator",
        2,
        "Tenant rights advice",
        96,
        "Eviction notice; wants to know if it is legal.",
        (
            Step(3, S.CONTACTED),
            Step(9, S.GOT_HELP),
        ),
    ),
    ReferralStory(
        "coordinator",
        6,
        "Weekly food pantry",
        82,
        "Between pay cheques for a month.",
        (Step(4, S.GOT_HELP),),
    ),
    ReferralStory(
        "facilitator",
        9,
        "Peer support meetings",
        70,
        "Asked for a group outside our own circle.",
        (
            Step(2, S.CONTACTED),
            Step(16, S.GOT_HELP, by="facilitator"),
        ),
    ),
    ReferralStory(
        "coordinator",
        35,
        "Immigration legal help",
        64,
        "Needs advice on a family visa.",
        (
            Step(
                6,
                S.DID_NOT_GET_HELP,
                reason=R.LANGUAGE,
                reason_note="No Tigrinya interpreter free that month.",
            ),
        ),
    ),
    ReferralStory(
        "facilitator",
        32,
        "Weekly food pantry",
        55,
        "New to the area, three children.",
        (
            Step(
                3,
                S.DID_NOT_GET_HELP,
                reason=R.NOT_ELIGIBLE,
                reason_note="Told the address was outside the area.",
            ),
            Step(8, S.GOT_HELP, by="facilitator"),  # the pantry checked again: Eastbank counts
        ),
    ),
    ReferralStory(
        "facilitator",
        11,
        "Emergency shelter beds",
        48,
        "Sofa-surfing since the flood.",
        (
            Step(
                2,
                S.DID_NOT_GET_HELP,
                by="facilitator",
                reason=R.NO_CAPACITY,
                reason_note="Full every night that week.",
            ),
        ),
    ),
    ReferralStory("member", 14, "Community hot meals", 41, "", (Step(5, S.GOT_HELP),)),
    ReferralStory(
        "coordinator",
        17,
        "Immigration legal help",
        37,
        "Appeal deadline in six weeks.",
        (
            Step(
                5,
                S.DID_NOT_GET_HELP,
                by="coordinator",
                reason=R.CLOSED,
                reason_note="The clinic paused new cases.",
            ),
        ),
    ),
    ReferralStory(
        "member",
        19,
        "Weekly food pantry",
        33,
        "",
        (Step(9, S.DID_NOT_GET_HELP, reason=R.DISTANCE, reason_note="Two buses with a pram."),),
    ),
    ReferralStory(
        "facilitator",
        21,
        "Tenant rights advice",
        30,
        "Mould in the flat; landlord not answering.",
        (
            Step(4, S.CONTACTED),  # and no news since: the report counts it
        ),
    ),
    ReferralStory(
        "member",
        44,
        "Peer support meetings",
        26,
        "",
        (Step(7, S.DID_NOT_GET_HELP, reason=R.OTHER, reason_note="Not the right group for me."),),
    ),
    ReferralStory(
        "member",
        39,
        "Tenant rights advice",
        19,
        "",
        (
            Step(
                6,
                S.DID_NOT_GET_HELP,
                reason=R.UNREACHABLE,
                reason_note="The phone rang out three times.",
            ),
        ),
    ),
    ReferralStory(
        "coordinator",
        47,
        "Community hot meals",
        15,
        "Cooking is hard since the operation.",
        (
            Step(
                4,
                S.DID_NOT_GET_HELP,
                reason=R.COST,
                reason_note="Thought it cost money; it does not. Try again?",
            ),
        ),
    ),
    ReferralStory(
        "coordinator",
        24,
        "Emergency shelter beds",
        11,
        "Leaving a shared flat in a hurry.",
        (Step(1, S.CONTACTED, by="coordinator"),),
    ),
    ReferralStory("member", 29, "Community hot meals", 9, ""),  # its follow-up is due
    ReferralStory("coordinator", 26, "Peer support meetings", 4, "Asked about a group for carers."),
)


# Partnerships ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartnershipStory:
    organization: str
    days_ago: float
    lasts_days: int | None
    contact_name: str
    contact_email: str
    contact_phone: str
    network_brings: str
    partner_brings: str
    notes: str = ""


PARTNERSHIPS = (
    PartnershipStory(
        "Riverside Community Food Bank",
        110,
        None,
        "Joy Mensah",
        "joy.mensah@example.org",
        "+1 202-555-0190",
        "Volunteers for the Thursday sorting shift; rides home for people carrying parcels.",
        "A parcel the same day for anyone we refer; a shelf of halal and baby food.",
        "Joy prefers a text before noon.",
    ),
    PartnershipStory(
        "Eastbank Tenants' Legal Clinic",
        90,
        365,
        "Ravi Patel",
        "ravi.patel@example.org",
        "+1 202-555-0191",
        "Interpreters (Spanish, Arabic, Somali) for the clinic's evening sessions.",
        "Two advice slots a week kept for our members; a talk on tenants' rights each season.",
    ),
    PartnershipStory(
        "Harbour Recovery Collective",
        105,
        85,
        "Dee Walsh",
        "dee.walsh@example.org",
        "",
        "Drivers for members' appointments at Harbour House.",
        "Naloxone training for our facilitators and the recovery circle.",
        "Paused while their funding is renewed; talk again in the spring.",
    ),
)


def build_follow_up(
    *,
    network: Network,
    staff: Sequence[Member],
    members: Sequence[Member],
    now: datetime,
    clock: Clock,
    log: Callable[[str], None],
) -> tuple[list[Referral], list[Partnership]]:
    """The network's referrals to its directory's services and its partnerships with the
    directory's organisations (see the module's doc). `staff` is the coordinator, the
    facilitator and the admin; `members` the others; `now` the story's end."""
    coordinator, facilitator = staff[0], staff[1]
    services = {service.name: service for service in Service.objects.filter(network=network)}
    organizations = {
        organization.name: organization
        for organization in Organization.objects.filter(network=network)
    }
    referrals = []
    for story in REFERRALS:
        member = members[story.member]
        people = {"member": member, "facilitator": facilitator, "coordinator": coordinator}
        at = now - timedelta(days=story.days_ago)
        with clock(at):
            referral = referral_create(
                network=network,
                by=people[story.referred_by],
                member=member,
                service=services[story.service],
                note=story.note,
            )
        for step in story.steps:
            at += timedelta(days=step.after_days)
            with clock(at):
                referral = referral_status_set(
                    referral=referral,
                    by=people[step.by],
                    status=step.status,
                    reason=step.reason,
                    reason_note=step.reason_note,
                )
        referrals.append(referral)
    partnerships = []
    for deal in PARTNERSHIPS:
        starts = now - timedelta(days=deal.days_ago)
        with clock(starts):
            partnerships.append(
                partnership_create(
                    network=network,
                    by=coordinator,
                    fields=PartnershipFields(
                        organization=organizations[deal.organization],
                        starts_on=starts.date(),
                        ends_on=(starts + timedelta(days=deal.lasts_days)).date()
                        if deal.lasts_days is not None
                        else None,
                        contact_name=deal.contact_name,
                        contact_email=deal.contact_email,
                        contact_phone=deal.contact_phone,
                        network_brings=deal.network_brings,
                        partner_brings=deal.partner_brings,
                        notes=deal.notes,
                    ),
                )
            )
    log(f"    {len(referrals)} referrals, {len(partnerships)} partnerships")
    return referrals, partnerships
