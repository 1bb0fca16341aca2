"""A small, realistic HSDS 3.0 directory, for the tests and the demo: three organizations (a
food bank, a tenants' legal clinic, a recovery collective), seven services with schedules, phones,
languages, costs, required documents, service areas, taxonomy terms and metadata, and their
locations with addresses, coordinates and accessibility. Ids are fixed (uuid5 of a name), so
every test sees the same documents."""

import copy
import json
import re
import uuid
from typing import Any

NAMESPACE = uuid.UUID("6f1c7a52-3b1e-4c55-9d3a-0b8f6d1e2a47")


def uid(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, name))


TAXONOMY = {
    "id": uid("taxonomy"),
    "name": "Riverside service categories",
    "description": "The categories Riverside's networks use for community resources.",
    "uri": "https://example.org/taxonomies/riverside",
    "version": "2026-1",
    "metadata": [],
}

# code -> (name, description, parent code)
TERMS = {
    "food": ("Food", "Food and meals", None),
    "food-pantry": ("Food pantry", "Groceries to take home", "food"),
    "hot-meals": ("Hot meals", "Meals served on site", "food"),
    "housing": ("Housing", "Housing and shelter", None),
    "shelter": ("Emergency shelter", "A bed for tonight", "housing"),
    "legal": ("Legal aid", "Free legal advice and representation", None),
    "tenant-rights": ("Tenant rights", "Advice on leases, repairs and evictions", "legal"),
    "immigration": ("Immigration legal help", "Status, permits and asylum claims", "legal"),
    "recovery": ("Recovery support", "Support in recovery from substance use", None),
}


def term(code: str) -> dict[str, Any]:
    name, description, parent = TERMS[code]
    document: dict[str, Any] = {
        "id": uid(f"term {code}"),
        "code": code,
        "name": name,
        "description": description,
    }
    if parent:
        document["parent_id"] = uid(f"term {parent}")
    document |= {
        "taxonomy": "Riverside service categories",
        "taxonomy_detail": copy.deepcopy(TAXONOMY),
        "language": "en",
        "taxonomy_id": TAXONOMY["id"],
        "metadata": [],
    }
    return document


def attribute(owner: str, code: str, link_type: str = "service_category") -> dict[str, Any]:
    return {
        "id": uid(f"attribute {owner} {code}"),
        "taxonomy_term_id": uid(f"term {code}"),
        "link_type": link_type,
        "taxonomy_term": term(code),
        "metadata": [],
    }


def language(owner: str, code: str, name: str, note: str = "") -> dict[str, Any]:
    document = {"id": uid(f"language {owner} {code}"), "name": name, "code": code}
    if note:
        document["note"] = note
    return document | {"attributes": [], "metadata": []}


def phone(owner: str, number: str, **fields: Any) -> dict[str, Any]:
    languages = fields.pop("languages", [])
    return {"id": uid(f"phone {owner} {number}"), "number": number, **fields} | {
        "languages": [language(f"phone {owner}", *item) for item in languages],
        "attributes": [],
        "metadata": [],
    }


def record(key: str, /, **fields: Any) -> dict[str, Any]:
    """An HSDS object with the id `key` gives, its fields (`name` among them, hence the
    positional key), and no attributes or metadata of its own."""
    return {"id": uid(key), **fields, "attributes": [], "metadata": []}


def schedule(owner: str, n: int, **fields: Any) -> dict[str, Any]:
    return record(f"schedule {owner} {n}", **fields)


def address(
    owner: str, line: str, city: str = "Riverside", postal_code: str = "R2V 1A1"
) -> dict[str, Any]:
    return {
        "id": uid(f"address {owner}"),
        "address_1": line,
        "city": city,
        "state_province": "ON",
        "postal_code": postal_code,
        "country": "CA",
        "address_type": "physical",
        "attributes": [],
        "metadata": [],
    }


def location(key: str, organization: str, **fields: Any) -> dict[str, Any]:
    extra = {
        name: fields.pop(name, [])
        for name in ("languages", "addresses", "accessibility", "phones", "schedules", "contacts")
    }
    return {
        "id": uid(f"location {key}"),
        "location_type": fields.pop("location_type", "physical"),
        "organization_id": uid(f"organization {organization}"),
        **fields,
        "languages": extra["languages"],
        "addresses": extra["addresses"],
        "contacts": extra["contacts"],
        "accessibility": extra["accessibility"],
        "phones": extra["phones"],
        "schedules": extra["schedules"],
        "attributes": [],
        "metadata": [],
    }


def metadata(owner: str, resource_type: str, when: str = "2026-10-01") -> dict[str, Any]:
    return {
        "id": uid(f"metadata {owner}"),
        "resource_id": uid(owner),
        "resource_type": resource_type,
        "last_action_date": when,
        "last_action_type": "create",
        "field_name": "",
        "previous_value": "",
        "replacement_value": "",
        "updated_by": "Riverside directory team",
    }


WAREHOUSE = location(
    "warehouse",
    "food bank",
    name="Food bank warehouse",
    description="The food bank's main site, by the river.",
    transportation="Bus 12 to Mill Street; bicycle parking at the door.",
    latitude=45.4215,
    longitude=-75.6972,
    addresses=[address("warehouse", "120 Mill Street")],
    accessibility=[
        {
            "id": uid("accessibility warehouse"),
            "description": "Step-free entrance and an accessible toilet",
            "details": "Ask at the door for the lift to the upper floor.",
            "url": "https://example.org/foodbank/access",
            "attributes": [],
            "metadata": [],
        }
    ],
    languages=[language("warehouse", "en", "English"), language("warehouse", "fr", "French")],
    schedules=[
        schedule(
            "warehouse",
            1,
            freq="WEEKLY",
            byday="MO,TU,WE,TH,FR",
            opens_at="09:00",
            closes_at="17:00",
            description="Office hours",
        )
    ],
)
CHURCH_HALL = location(
    "church hall",
    "food bank",
    name="St Andrew's church hall",
    alternate_name="The hall",
    latitude=45.4189,
    longitude=-75.7003,
    addresses=[address("church hall", "9 Kirk Lane", postal_code="R2V 3C4")],
)
CLINIC_OFFICE = location(
    "clinic office",
    "legal clinic",
    name="Eastbank clinic office",
    latitude=45.4302,
    longitude=-75.6801,
    addresses=[address("clinic office", "44 Eastbank Road, 2nd floor", postal_code="R2E 0B9")],
    phones=[phone("clinic office", "+1 613 555 0144", type="voice", description="Front desk")],
)
CLINIC_ONLINE = location(
    "clinic online",
    "legal clinic",
    location_type="virtual",
    name="Online appointments",
    url="https://example.org/clinic/book",
)
HARBOUR_HOUSE = location(
    "harbour house",
    "recovery",
    name="Harbour House",
    latitude=45.4101,
    longitude=-75.7105,
    external_identifier="///harbour.house.door",
    external_identifier_type="what3words",
    addresses=[address("harbour house", "3 Quay Street", postal_code="R2H 7K2")],
    accessibility=[
        {
            "id": uid("accessibility harbour house"),
            "description": "Step-free entrance; quiet room available",
            "attributes": [],
            "metadata": [],
        }
    ],
)


def service_at(service: str, place: dict[str, Any], **fields: Any) -> dict[str, Any]:
    schedules = fields.pop("schedules", [])
    return {
        "id": uid(f"sal {service} {place['name']}"),
        "service_id": uid(f"service {service}"),
        "location_id": place["id"],
        **fields,
        "contacts": [],
        "phones": [],
        "schedules": schedules,
        "location": copy.deepcopy(place),
        "attributes": [],
        "metadata": [],
    }


def service(key: str, organization: str, **fields: Any) -> dict[str, Any]:
    owner = f"service {key}"
    lists = {
        name: fields.pop(name, [])
        for name in (
            "phones",
            "schedules",
            "service_areas",
            "service_at_locations",
            "languages",
            "funding",
            "cost_options",
            "required_documents",
            "contacts",
            "attributes",
            "metadata",
        )
    }
    return {
        "id": uid(owner),
        "organization_id": uid(f"organization {organization}"),
        **fields,
        **lists,
    }


def organization(key: str, **fields: Any) -> dict[str, Any]:
    lists = {
        name: fields.pop(name, [])
        for name in (
            "funding",
            "contacts",
            "phones",
            "locations",
            "programs",
            "organization_identifiers",
            "attributes",
            "metadata",
            "services",
        )
    }
    return {"id": uid(f"organization {key}"), **fields, **lists}


def organizations() -> list[dict[str, Any]]:
    """The three organizations as full HSDS organization objects, services nested."""
    pantry = service(
        "pantry",
        "food bank",
        program_id=uid("program emergency food"),
        name="Weekly food pantry",
        alternate_name="The pantry",
        description="Groceries for a week, fresh produce when we have it. No referral needed.",
        url="https://example.org/foodbank/pantry",
        email="pantry@example.org",
        status="active",
        interpretation_services="Spanish and Somali volunteers on Thursdays",
        application_process="Walk in during opening hours and register at the desk.",
        fees_description="Free",
        eligibility_description="Anyone living in Riverside or Eastbank",
        assured_date="2026-09-15",
        assurer_email="directory@example.org",
        last_modified="2026-10-01T09:30:00.000Z",
        phones=[phone("pantry", "+1 613 555 0120", type="voice", languages=[("es", "Spanish")])],
        schedules=[
            schedule(
                "pantry",
                1,
                valid_from="2026-01-01",
                valid_to="2026-12-31",
                dtstart="2026-01-06",
                timezone=-5,
                freq="WEEKLY",
                interval=1,
                byday="TU,TH",
                opens_at="10:00",
                closes_at="14:00",
                description="Tuesdays and Thursdays, 10 to 2",
            )
        ],
        service_areas=[
            record(
                "area pantry",
                name="Riverside and Eastbank",
                description="Both banks of the river, from the rail bridge to the harbour.",
                extent='{"type":"Polygon","coordinates":[[[-75.72,45.40],[-75.66,45.40],'
                "[-75.66,45.44],[-75.72,45.44],[-75.72,45.40]]]}",
                extent_type="geojson",
            )
        ],
        service_at_locations=[service_at("pantry", WAREHOUSE, description="Use the side door.")],
        languages=[
            language("pantry", "en", "English"),
            language("pantry", "es", "Spanish", "Thursdays"),
            language("pantry", "so", "Somali", "Thursdays"),
        ],
        cost_options=[
            record(
                "cost pantry",
                option="Everyone",
                currency="CAD",
                amount=0,
                amount_description="Free",
            )
        ],
        required_documents=[
            record(
                "document pantry",
                document="Proof of address (any letter will do)",
                uri="https://example.org/foodbank/documents",
            )
        ],
        attributes=[attribute("pantry", "food-pantry")],
        metadata=[metadata("service pantry", "service")],
    )
    meals = service(
        "meals",
        "food bank",
        name="Community hot meals",
        description="A hot meal and company, first Saturday of each month.",
        status="active",
        eligibility_description="Everyone welcome",
        schedules=[
            schedule(
                "meals",
                1,
                freq="MONTHLY",
                byday="1SA",
                opens_at="12:00",
                closes_at="14:30",
                attending_type="in_person",
            )
        ],
        service_at_locations=[service_at("meals", CHURCH_HALL)],
        languages=[language("meals", "en", "English")],
        cost_options=[
            record(
                "cost meals",
                option="Pay what you can",
                currency="CAD",
                amount=2.5,
                amount_description="per meal, suggested",
            )
        ],
        funding=[record("funding meals", source="St Andrew's parish")],
        attributes=[attribute("meals", "hot-meals")],
    )
    tenant = service(
        "tenant",
        "legal clinic",
        name="Tenant rights advice",
        description="Advice on leases, repairs, rent increases and evictions.",
        status="active",
        application_process="Book online or call; urgent eviction cases seen the same week.",
        phones=[
            phone(
                "tenant",
                "+1 613 555 0144",
                extension=12,
                type="voice",
                languages=[("fr", "French"), ("ar", "Arabic")],
            ),
            phone("tenant", "+1 613 555 0145", type="text", description="Text us to book"),
        ],
        schedules=[
            schedule(
                "tenant",
                1,
                freq="WEEKLY",
                byday="WE",
                opens_at="17:00",
                closes_at="20:00",
                schedule_link="https://example.org/clinic/book",
            )
        ],
        service_at_locations=[
            service_at("tenant", CLINIC_OFFICE),
            service_at("tenant", CLINIC_ONLINE, description="Video or phone appointments"),
        ],
        contacts=[
            record(
                "contact tenant",
                name="Mireille Haddad",
                title="Intake coordinator",
                department="Housing law",
                email="intake@example.org",
                phones=[phone("contact tenant", "+1 613 555 0146", type="voice")],
            )
        ],
        attributes=[attribute("tenant", "tenant-rights")],
    )
    immigration = service(
        "immigration",
        "legal clinic",
        name="Immigration legal help",
        description="Confidential advice on status, permits and refugee claims.",
        status="temporarily closed",
        alert="Closed until 12 January while we move offices. Call for urgent matters.",
        eligibility_description="Anyone, whatever their status. We never share your details.",
        service_at_locations=[service_at("immigration", CLINIC_OFFICE)],
        languages=[
            language("immigration", "en", "English"),
            language("immigration", "fr", "French"),
            language("immigration", "ar", "Arabic"),
            language("immigration", "ti", "Tigrinya", "with an interpreter, book ahead"),
        ],
        attributes=[attribute("immigration", "immigration")],
    )
    peers = service(
        "peers",
        "recovery",
        name="Peer support meetings",
        description="Open meetings for people in recovery, led by peers.",
        status="active",
        eligibility_description="Anyone in recovery or thinking about it",
        minimum_age=16,
        schedules=[
            schedule("peers", 1, freq="WEEKLY", byday="MO,WE", opens_at="18:30", closes_at="20:00"),
            schedule(
                "peers",
                2,
                freq="WEEKLY",
                byday="SA",
                opens_at="10:00",
                closes_at="11:30",
                notes="Women-only meeting",
            ),
        ],
        service_at_locations=[service_at("peers", HARBOUR_HOUSE)],
        attributes=[attribute("peers", "recovery")],
    )
    beds = service(
        "beds",
        "recovery",
        name="Emergency shelter beds",
        description="Twelve beds for the night, no sobriety requirement.",
        status="active",
        minimum_age=18,
        maximum_age=120,
        fees_description="Free",
        phones=[phone("beds", "+1 613 555 0190", type="voice", description="Call after 6 pm")],
        service_at_locations=[
            service_at(
                "beds",
                HARBOUR_HOUSE,
                schedules=[
                    schedule(
                        "beds at harbour",
                        1,
                        freq="WEEKLY",
                        byday="MO,TU,WE,TH,FR,SA,SU",
                        opens_at="19:00",
                        closes_at="08:00",
                    )
                ],
            )
        ],
        attributes=[attribute("beds", "shelter"), attribute("beds", "housing", "eligibility")],
    )
    closed = service(
        "closed",
        "food bank",
        name="Holiday hampers",
        status="defunct",
        description="No longer offered.",
    )
    food_bank = organization(
        "food bank",
        name="Riverside Community Food Bank",
        alternate_name="The food bank",
        description="A volunteer-run food bank serving Riverside since 1987.",
        email="hello@example.org",
        website="https://example.org/foodbank",
        year_incorporated=1987,
        legal_status="Registered charity",
        logo="https://example.org/foodbank/logo.png",
        uri="https://example.org/id/foodbank",
        funding=[record("funding food bank", source="City of Riverside community grant")],
        phones=[phone("food bank", "+1 613 555 0100", type="voice")],
        locations=[copy.deepcopy(WAREHOUSE), copy.deepcopy(CHURCH_HALL)],
        programs=[
            record(
                "program emergency food",
                organization_id=uid("organization food bank"),
                name="Emergency food",
                alternate_name="EF",
                description="Food for people in need, without questions.",
            )
        ],
        organization_identifiers=[
            record(
                "identifier food bank",
                identifier_scheme="CA-CRA_ACR",
                identifier_type="Charity number",
                identifier="118830929RR0001",
            )
        ],
        metadata=[metadata("organization food bank", "organization", "2026-09-30")],
        services=[pantry, meals, closed],
    )
    clinic = organization(
        "legal clinic",
        name="Eastbank Tenants' Legal Clinic",
        description="Free legal help for tenants and newcomers.",
        website="https://example.org/clinic",
        locations=[copy.deepcopy(CLINIC_OFFICE), copy.deepcopy(CLINIC_ONLINE)],
        services=[tenant, immigration],
    )
    recovery = organization(
        "recovery",
        name="Harbour Recovery Collective",
        description="Peer-led recovery support and a night shelter.",
        parent_organization_id=uid("organization harbour trust"),
        locations=[copy.deepcopy(HARBOUR_HOUSE)],
        services=[peers, beds],
    )
    return [food_bank, clinic, recovery]


def services() -> list[dict[str, Any]]:
    """The same services as full HSDS service objects, each with its organization nested
    briefly (as the HSDS API's /services/{id} gives them)."""
    found = []
    for organization in organizations():
        brief = {key: value for key, value in organization.items() if not isinstance(value, list)}
        for item in organization["services"]:
            found.append(item | {"organization": brief})
    return found


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def copies(count: int, *, name: str = "") -> list[dict[str, Any]]:
    """`count` copies of the pantry, each with ids of its own (its organization, program,
    taxonomy and terms shared), all changed the same way if `name` is given."""
    pantry = services()[0]
    shared = {pantry["organization_id"], pantry["program_id"], TAXONOMY["id"]}
    shared |= {uid(f"term {code}") for code in TERMS}
    text = json.dumps(pantry)
    documents = []
    for n in range(count):

        def fresh(match: re.Match[str], n: int = n) -> str:
            old = match.group(0)
            return old if old in shared else str(uuid.uuid5(uuid.UUID(old), str(n)))

        document = json.loads(UUID.sub(fresh, text))
        if name:
            document["name"] = f"{name} {n}"
        documents.append(document)
    return documents
