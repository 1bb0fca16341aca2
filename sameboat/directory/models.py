"""The directory of community resources each network keeps: the Open Referral Human Services
Data Specification (HSDS) 3.0, one model per HSDS table, with HSDS's field names and types
(`tables.py` reads them from the official schemas, and a test holds the models to it).

Ids. HSDS ids are UUIDs, unique across the world's datasets, and every HSDS reference
(`service.organization_id`, `phone.location_id`, `attribute.link_id`...) is one of those
ids. But each network keeps its own directory, and two networks may well import the same
public dataset: the same UUIDs, in two copies that each network edits and publishes on its
own. So a UUID cannot be a row's primary key. Each row has:

- `key`, a surrogate primary key the database assigns, used inside the project only (and
  never exported);
- `network`, the directory it belongs to: every query filters on it;
- `id`, the HSDS id, unique within its network (`network`, `id`), exported as it came.

The references keep HSDS's own names and values: `organization_id` holds the organization's
HSDS id, not a database key, and is resolved within the same network. They are therefore
plain UUID columns (indexed with the network), not database foreign keys: a foreign key
named `organization` would give `organization_id` the surrogate key, and one on the UUID
would need the UUID to be unique across networks. The importer keeps the references
whole instead: a record is written only if what it belongs to is in the same directory,
and removing a record removes what belongs to it (see `importing.py`).

Types. HSDS strings are text (an absent optional string is stored as ""), HSDS numbers are
floats (JSON's numbers, kept exactly), the fields HSDS's data package types as dates are
dates (`assured_date`, `valid_from`, `valid_to`, `dtstart`, `until`, `last_action_date`),
`service.last_modified` is a timestamp, and HSDS's enumerations are choices.
"""

import uuid
from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sameboat.core.crypto import EncryptedTextField
from sameboat.networks.models import Member, Network


class Directory(models.Model):
    """A network's directory: whether it is published (anyone may read it through the HSDS
    API and the public pages; otherwise only the network's members see it)."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="directory")
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Anyone may read a published directory, without logging in."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("directory")
        verbose_name_plural = _("directories")

    def __str__(self) -> str:
        return f"{self.network}"


class Record(models.Model):
    """What every HSDS record has besides its HSDS fields: its row key and its network."""

    key = models.BigAutoField(primary_key=True)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    id = models.UUIDField(_("identifier"))

    # Declared here so that code handling any table (through MODELS) may use it.
    objects: ClassVar[models.Manager[Self]] = models.Manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.id)


def unique_in_network(table: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["network", "id"], name=f"hsds_{table}_id_unique")


def by_network(table: str, column: str) -> models.Index:
    """An index to find a network's records by a reference (its children, for instance)."""
    return models.Index(fields=["network", column], name=f"hsds_{table[:12]}_{column[:12]}")


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    POSTAL = "postal", _("Postal")
    VIRTUAL = "virtual", _("Virtual")


class ScheduleWkst(models.TextChoices):
    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


class ScheduleFreq(models.TextChoices):
    WEEKLY = "WEEKLY", _("Weekly")
    MONTHLY = "MONTHLY", _("Monthly")


class Organization(Record):
    """HSDS `organization`: The details about each organization delivering services. Each service
    should be linked to the organization responsible for its delivery. One organization may
    deliver many services."""

    name = models.TextField(_("name"))
    alternate_name = models.TextField(_("alternate name"), blank=True, default="")
    description = models.TextField(_("description"))
    email = models.TextField(_("email"), blank=True, default="")
    website = models.TextField(_("website"), blank=True, default="")
    year_incorporated = models.FloatField(_("year incorporated"), null=True, blank=True)
    legal_status = models.TextField(_("legal status"), blank=True, default="")
    logo = models.TextField(_("logo"), blank=True, default="")
    uri = models.TextField(_("uri"), blank=True, default="")
    parent_organization_id = models.UUIDField(
        _("parent organization identifier"),
        null=True,
        blank=True,
    )
    tax_status = models.TextField(_("tax status"), blank=True, default="")
    tax_id = models.TextField(_("tax identifier"), blank=True, default="")

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [unique_in_network("organization")]
        indexes = [by_network("organization", "parent_organization_id")]


class Program(Record):
    """HSDS `program`: The details of collections of related services."""

    organization_id = models.UUIDField(_("organization identifier"))
    name = models.TextField(_("name"))
    alternate_name = models.TextField(_("alternate name"), blank=True, default="")
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [unique_in_network("program")]
        indexes = [by_network("program", "organization_id")]


class Service(Record):
    """HSDS `service`: The details of the services provided by organizations to a range of
    different groups."""

    organization_id = models.UUIDField(_("organization identifier"))
    program_id = models.UUIDField(_("program identifier"), null=True, blank=True)
    name = models.TextField(_("name"))
    alternate_name = models.TextField(_("alternate name"), blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    url = models.TextField(_("url"), blank=True, default="")
    email = models.TextField(_("email"), blank=True, default="")
    status = models.CharField(_("status"), max_length=18, choices=ServiceStatus.choices)
    interpretation_services = models.TextField(_("interpretation services"), blank=True, default="")
    application_process = models.TextField(_("application process"), blank=True, default="")
    fees_description = models.TextField(_("fees description"), blank=True, default="")
    accreditations = models.TextField(_("accreditations"), blank=True, default="")
    eligibility_description = models.TextField(_("eligibility description"), blank=True, default="")
    minimum_age = models.FloatField(_("minimum age"), null=True, blank=True)
    maximum_age = models.FloatField(_("maximum age"), null=True, blank=True)
    assured_date = models.DateField(_("assured date"), null=True, blank=True)
    assurer_email = models.TextField(_("assurer email"), blank=True, default="")
    alert = models.TextField(_("alert"), blank=True, default="")
    wait_time = models.TextField(_("wait time"), blank=True, default="")
    fees = models.TextField(_("fees"), blank=True, default="")
    licenses = models.TextField(_("licenses"), blank=True, default="")
    last_modified = models.DateTimeField(_("last modified"), null=True, blank=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [unique_in_network("service")]
        indexes = [by_network("service", "organization_id"), by_network("service", "program_id")]


class Attribute(Record):
    """HSDS `attribute`: A link between a service and one or more classifications that describe
    the nature of the service provided."""

    link_id = models.UUIDField(_("link identifier"))
    taxonomy_term_id = models.UUIDField(_("taxonomy term identifier"))
    link_type = models.TextField(_("link type"), blank=True, default="")
    link_entity = models.TextField(_("link entity"))
    value = models.TextField(_("value"), blank=True, default="")

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        constraints = [unique_in_network("attribute")]
        indexes = [by_network("attribute", "link_id"), by_network("attribute", "taxonomy_term_id")]


class ServiceAtLocation(Record):
    """HSDS `service_at_location`: A link between a service and a specific location."""

    service_id = models.UUIDField(_("service identifier"))
    location_id = models.UUIDField(_("location identifier"))
    description = models.TextField(_("description"), blank=True, default="")

    class Meta:
        verbose_name = _("service at location")
        verbose_name_plural = _("services at locations")
        constraints = [unique_in_network("service_at_location")]
        indexes = [
            by_network("service_at_location", "service_id"),
            by_network("service_at_location", "location_id"),
        ]


class Location(Record):
    """HSDS `location`: The locations where organizations operate. Locations may be virtual, and
    one organization may have many locations."""

    location_type = models.CharField(_("location type"), max_length=8, choices=LocationType.choices)
    url = models.TextField(_("url"), blank=True, default="")
    organization_id = models.UUIDField(_("organization identifier"), null=True, blank=True)
    name = models.TextField(_("name"), blank=True, default="")
    alternate_name = models.TextField(_("alternate name"), blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    transportation = models.TextField(_("transportation"), blank=True, default="")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    external_identifier = models.TextField(_("external identifier"), blank=True, default="")
    external_identifier_type = models.TextField(
        _("external identifier type"),
        blank=True,
        default="",
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [unique_in_network("location")]
        indexes = [by_network("location", "organization_id")]


class Phone(Record):
    """HSDS `phone`: The details of the telephone numbers used to contact organizations, services,
    and locations."""

    location_id = models.UUIDField(_("location identifier"), null=True, blank=True)
    service_id = models.UUIDField(_("service identifier"), null=True, blank=True)
    organization_id = models.UUIDField(_("organization identifier"), null=True, blank=True)
    contact_id = models.UUIDField(_("contact identifier"), null=True, blank=True)
    service_at_location_id = models.UUIDField(
        _("service at location identifier"),
        null=True,
        blank=True,
    )
    number = models.TextField(_("number"))
    extension = models.FloatField(_("extension"), null=True, blank=True)
    type = models.TextField(_("type"), blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        constraints = [unique_in_network("phone")]
        indexes = [
            by_network("phone", "location_id"),
            by_network("phone", "service_id"),
            by_network("phone", "organization_id"),
            by_network("phone", "contact_id"),
            by_network("phone", "service_at_location_id"),
        ]


class Contact(Record):
    """HSDS `contact`: The details of the named contacts for services and organizations."""

    organization_id = models.UUIDField(_("organization identifier"), null=True, blank=True)
    service_id = models.UUIDField(_("service identifier"), null=True, blank=True)
    service_at_location_id = models.UUIDField(
        _("service at location identifier"),
        null=True,
        blank=True,
    )
    location_id = models.UUIDField(_("location identifier"), null=True, blank=True)
    name = models.TextField(_("name"), blank=True, default="")
    title = models.TextField(_("title"), blank=True, default="")
    department = models.TextField(_("department"), blank=True, default="")
    email = models.TextField(_("email"), blank=True, default="")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [unique_in_network("contact")]
        indexes = [
            by_network("contact", "organization_id"),
            by_network("contact", "service_id"),
            by_network("contact", "service_at_location_id"),
            by_network("contact", "location_id"),
        ]


class Address(Record):
    """HSDS `address`: The addresses of locations where organizations operate."""

    location_id = models.UUIDField(_("location identifier"), null=True, blank=True)
    attention = models.TextField(_("attention"), blank=True, default="")
    address_1 = models.TextField(_("address line 1"))
    address_2 = models.TextField(_("address line 2"), blank=True, default="")
    city = models.TextField(_("city"))
    region = models.TextField(_("region"), blank=True, default="")
    state_province = models.TextField(_("state or province"))
    postal_code = models.TextField(_("postal code"))
    country = models.TextField(_("country"))
    address_type = models.CharField(_("address type"), max_length=8, choices=LocationType.choices)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [unique_in_network("address")]
        indexes = [by_network("address", "location_id")]


class Schedule(Record):
    """HSDS `schedule`: The details of when a service or location is open. Entries are RFC 5545
    RRULES."""

    service_id = models.UUIDField(_("service identifier"), null=True, blank=True)
    location_id = models.UUIDField(_("location identifier"), null=True, blank=True)
    service_at_location_id = models.UUIDField(
        _("service at location identifier"),
        null=True,
        blank=True,
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    dtstart = models.DateField(_("date start"), null=True, blank=True)
    timezone = models.FloatField(_("timezone"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    count = models.FloatField(_("count"), null=True, blank=True)
    wkst = models.CharField(
        _("week start"),
        max_length=2,
        choices=ScheduleWkst.choices,
        blank=True,
        default="",
    )
    freq = models.CharField(
        _("frequency"),
        max_length=7,
        choices=ScheduleFreq.choices,
        blank=True,
        default="",
    )
    interval = models.FloatField(_("interval"), null=True, blank=True)
    byday = models.TextField(_("by day"), blank=True, default="")
    byweekno = models.TextField(_("by week number"), blank=True, default="")
    bymonthday = models.TextField(_("by month day"), blank=True, default="")
    byyearday = models.TextField(_("by year day"), blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    opens_at = models.TextField(_("opens at"), blank=True, default="")
    closes_at = models.TextField(_("closes at"), blank=True, default="")
    schedule_link = models.TextField(_("schedule link"), blank=True, default="")
    attending_type = models.TextField(_("attending type"), blank=True, default="")
    notes = models.TextField(_("notes"), blank=True, default="")

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        constraints = [unique_in_network("schedule")]
        indexes = [
            by_network("schedule", "service_id"),
            by_network("schedule", "location_id"),
            by_network("schedule", "service_at_location_id"),
        ]


class Funding(Record):
    """HSDS `funding`: The sources of funding for a service or organization."""

    organization_id = models.UUIDField(_("organization identifier"), null=True, blank=True)
    service_id = models.UUIDField(_("service identifier"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True, default="")

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        constraints = [unique_in_network("funding")]
        indexes = [by_network("funding", "organization_id"), by_network("funding", "service_id")]


class ServiceArea(Record):
    """HSDS `service_area`: The details of the geographic area for which a service is available."""

    service_id = models.UUIDField(_("service identifier"), null=True, blank=True)
    name = models.TextField(_("name"), blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    extent = models.TextField(_("extent"), blank=True, default="")
    extent_type = models.TextField(_("extent type"), blank=True, default="")
    uri = models.TextField(_("uri"), blank=True, default="")

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")
        constraints = [unique_in_network("service_area")]
        indexes = [by_network("service_area", "service_id")]


class RequiredDocument(Record):
    """HSDS `required_document`: The details of any documents that are required in order to access
    or use services."""

    service_id = models.UUIDField(_("service identifier"), null=True, blank=True)
    document = models.TextField(_("document"), blank=True, default="")
    uri = models.TextField(_("uri"), blank=True, default="")

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [unique_in_network("required_document")]
        indexes = [by_network("required_document", "service_id")]


class Language(Record):
    """HSDS `language`: The languages that are spoken at locations or services. This does not
    include languages which can only be used with interpretation."""

    service_id = models.UUIDField(_("service identifier"), null=True, blank=True)
    location_id = models.UUIDField(_("location identifier"), null=True, blank=True)
    phone_id = models.UUIDField(_("phone identifier"), null=True, blank=True)
    name = models.TextField(_("name"), blank=True, default="")
    code = models.TextField(_("code"), blank=True, default="")
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [unique_in_network("language")]
        indexes = [
            by_network("language", "service_id"),
            by_network("language", "location_id"),
            by_network("language", "phone_id"),
        ]


class Accessibility(Record):
    """HSDS `accessibility`: The details of the arrangements for access to locations for people
    who have disabilities."""

    location_id = models.UUIDField(_("location identifier"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True, default="")
    details = models.TextField(_("details"), blank=True, default="")
    url = models.TextField(_("url"), blank=True, default="")

    class Meta:
        verbose_name = _("accessibility")
        verbose_name_plural = _("accessibility records")
        constraints = [unique_in_network("accessibility")]
        indexes = [by_network("accessibility", "location_id")]


class TaxonomyTerm(Record):
    """HSDS `taxonomy_term`: Each service can be categorized according to one or more taxonomy
    terms. The taxonomy_term object contains a list of taxonomy terms, their names, and, for
    hierarchical taxonomies, their structure."""

    code = models.TextField(_("code"), blank=True, default="")
    name = models.TextField(_("name"))
    description = models.TextField(_("description"))
    parent_id = models.UUIDField(_("parent identifier"), null=True, blank=True)
    language = models.TextField(_("language"), blank=True, default="")
    taxonomy_id = models.UUIDField(_("taxonomy identifier"), null=True, blank=True)
    term_uri = models.TextField(_("term uri"), blank=True, default="")
    taxonomy = models.TextField(_("taxonomy"), blank=True, default="")

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        constraints = [unique_in_network("taxonomy_term")]
        indexes = [
            by_network("taxonomy_term", "parent_id"),
            by_network("taxonomy_term", "taxonomy_id"),
        ]


class Metadata(Record):
    """HSDS `metadata`: A record of the changes that have been made to the data in order to
    maintain provenance information."""

    resource_id = models.UUIDField(_("resource identifier"))
    resource_type = models.TextField(_("resource type"))
    last_action_date = models.DateField(_("last action date"))
    last_action_type = models.TextField(_("last action type"))
    field_name = models.TextField(_("field name"))
    previous_value = models.TextField(_("previous value"))
    replacement_value = models.TextField(_("replacement value"))
    updated_by = models.TextField(_("updated by"))

    class Meta:
        verbose_name = _("metadata")
        verbose_name_plural = _("metadata records")
        constraints = [unique_in_network("metadata")]
        indexes = [by_network("metadata", "resource_id")]


class MetaTableDescription(Record):
    """HSDS `meta_table_description`: Metadata about individual tables."""

    name = models.TextField(_("name"), blank=True, default="")
    language = models.TextField(_("language"), blank=True, default="")
    character_set = models.TextField(_("character set"), blank=True, default="")

    class Meta:
        verbose_name = _("meta table description")
        verbose_name_plural = _("meta table descriptions")
        constraints = [unique_in_network("meta_table_description")]


class CostOption(Record):
    """HSDS `cost_option`: The costs of a service at certain points in time. This is an LGA
    Extension. This object provides a structured version of the text information contained in
    the 'fees' field of the 'service' object."""

    service_id = models.UUIDField(_("service identifier"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    option = models.TextField(_("option"), blank=True, default="")
    currency = models.TextField(_("currency"), blank=True, default="")
    amount = models.FloatField(_("amount"), null=True, blank=True)
    amount_description = models.TextField(_("amount description"), blank=True, default="")

    class Meta:
        verbose_name = _("cost option")
        verbose_name_plural = _("cost options")
        constraints = [unique_in_network("cost_option")]
        indexes = [by_network("cost_option", "service_id")]


class OrganizationIdentifier(Record):
    """HSDS `organization_identifier`: The details of the third party identifiers for
    organizations, such as: company registration number, charity number, tax registration
    number."""

    organization_id = models.UUIDField(_("organization identifier"))
    identifier_scheme = models.TextField(_("identifier scheme"), blank=True, default="")
    identifier_type = models.TextField(_("identifier type"))
    identifier = models.TextField(_("third party identifier"))

    class Meta:
        verbose_name = _("organization identifier")
        verbose_name_plural = _("organization identifiers")
        constraints = [unique_in_network("organization_identifier")]
        indexes = [by_network("organization_identifier", "organization_id")]


class Taxonomy(Record):
    """HSDS `taxonomy`: The taxonomies from which taxonomy terms are taken."""

    name = models.TextField(_("name"))
    description = models.TextField(_("description"))
    uri = models.TextField(_("uri"), blank=True, default="")
    version = models.TextField(_("version"), blank=True, default="")

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        constraints = [unique_in_network("taxonomy")]


# Each HSDS table's model, by the table's HSDS name.
MODELS: dict[str, type[Record]] = {
    "organization": Organization,
    "program": Program,
    "service": Service,
    "attribute": Attribute,
    "service_at_location": ServiceAtLocation,
    "location": Location,
    "phone": Phone,
    "contact": Contact,
    "address": Address,
    "schedule": Schedule,
    "funding": Funding,
    "service_area": ServiceArea,
    "required_document": RequiredDocument,
    "language": Language,
    "accessibility": Accessibility,
    "taxonomy_term": TaxonomyTerm,
    "metadata": Metadata,
    "meta_table_description": MetaTableDescription,
    "cost_option": CostOption,
    "organization_identifier": OrganizationIdentifier,
    "taxonomy": Taxonomy,
}


# --- Referrals and partnerships -------------------------------------------------------------
#
# Not HSDS tables (so not in MODELS, and never exported): a network's own follow-up of the
# people it sends to services, and of the organisations it works with. They point at the
# directory's rows by their surrogate `key`, within the same network (the services check it).
# A directory record may later be removed by an import; the referral or partnership stays
# (its history matters for the report), keeping the name it had.


class ReferralStatus(models.TextChoices):
    MADE = "made", _("Referral made")
    CONTACTED = "contacted", _("Contacted the service")
    GOT_HELP = "got_help", _("Got help")
    DID_NOT_GET_HELP = "did_not_get_help", _("Did not get help")


class ReferralReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    NO_CAPACITY = "no_capacity", _("No capacity, or a waiting list")
    UNREACHABLE = "unreachable", _("Could not reach them")
    COST = "cost", _("Cost")
    LANGUAGE = "language", _("Language")
    DISTANCE = "distance", _("Distance or transport")
    CLOSED = "closed", _("Closed")
    OTHER = "other", _("Other")


class Referral(models.Model):
    """A member sent to a service, and how it went. The note says something of the member's
    needs: only the member, whoever referred them and the coordinators see it."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("member referred")
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    service_name = models.TextField(_("service name"))
    referred_by = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by"),
    )
    # Says something of the member's needs, as does `reason_note`: encrypted at rest.
    note = EncryptedTextField(_("note"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.MADE
    )
    reason = models.CharField(
        _("why not"), max_length=20, choices=ReferralReason.choices, blank=True, default=""
    )
    reason_note = EncryptedTextField(_("in a few words"), blank=True, default="")
    # How many times the status changed: a follow-up reminder goes once per stage.
    stage = models.PositiveIntegerField(default=0)
    status_changed_at = models.DateTimeField(_("last news"))
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["network", "status"], name="referral_network_status"),
            models.Index(fields=["status", "follow_up_on"], name="referral_status_follow_up"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="did_not_get_help", reason__gt="")
                | (~models.Q(status="did_not_get_help") & models.Q(reason="")),
                name="referral_reason_only_when_no_help",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_name} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


OPEN_STATUSES = (ReferralStatus.MADE, ReferralStatus.CONTACTED)


class ReferralEvent(models.Model):
    """One status change of a referral: who, when, to what."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices)
    reason = models.CharField(
        _("why not"), max_length=20, choices=ReferralReason.choices, blank=True, default=""
    )
    reason_note = EncryptedTextField(_("in a few words"), blank=True, default="")
    by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.at:%Y-%m-%d})"


class Partnership(models.Model):
    """An organisation of the directory the network works with: the agreement's dates, who
    to call there, and what each side brings."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organization_name = models.TextField(_("organisation name"))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True, default="")
    contact_email = models.EmailField(_("contact email"), blank=True, default="")
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True, default="")
    starts_on = models.DateField(_("agreement starts"))
    ends_on = models.DateField(_("agreement ends"), null=True, blank=True)
    network_brings = models.TextField(_("what our network brings"), blank=True, default="")
    partner_brings = models.TextField(_("what the partner brings"), blank=True, default="")
    notes = models.TextField(_("notes"), blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="partnership_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.organization_name


# --- Import runs ----------------------------------------------------------------------------
#
# An import started from the coordinator's pages runs in the task worker. Its run is a row:
# the web process queues it with the upload, the worker reads the upload from it, writes its
# progress and report to it, and empties the upload once done (the file does not outlive its
# run). The run's page reads the row. Runs are kept KEEP_DAYS (tasks.py), for the report.


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportStage(models.TextChoices):
    """What the importer is doing (importing.py reports each as it goes)."""

    READING = "reading", _("Reading the file")
    VALIDATING = "validating", _("Checking each record against the HSDS schemas")
    CHECKING = "checking", _("Checking what each record belongs to")
    WRITING = "writing", _("Writing the records")


class ImportRun(models.Model):
    """One import of an HSDS file into a network's directory, from the pages."""

    # Random: a run's address is not guessable (and it is looked up within its network).
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    name = models.CharField(_("file name"), max_length=255)
    # The uploaded file, until the worker has imported it (emptied then, whatever happened).
    upload = models.BinaryField(_("upload"), default=b"", editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    # Progress: the stage, and how far into it (records or files); total 0 while unknown.
    stage = models.CharField(
        _("stage"), max_length=12, choices=ImportStage.choices, blank=True, default=""
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # The report, once done.
    sources = models.PositiveIntegerField(_("documents or rows read"), default=0)
    rejected = models.PositiveIntegerField(_("invalid"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    deleted = models.PositiveIntegerField(_("removed"), default=0)
    # [{"where", "table", "id", "path", "reason"}], and the warnings' texts.
    problems = models.JSONField(_("invalid records"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True, default="")
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        indexes = [
            models.Index(fields=["network", "-started_at"], name="import_run_network_started"),
            models.Index(fields=["finished_at"], name="import_run_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
