"""Writes behind the directory's pages: coordinators add, edit and delete organisations and
services.

Every write goes the way an import goes: the page's fields are laid over the record's full
HSDS document (so whatever the page does not show — contacts, service areas, funding, other
schedules — is kept as it is), the document is validated against the official schema, and
only a valid document is handed to the importer (`importing.py`), which writes it by HSDS
id. An invalid document raises `EntryInvalid` with the reasons, and nothing is written.
Each save sets the service's `last_modified` and adds HSDS `metadata` records saying what
changed, when, and by whom (the network, not the person: a published directory shows it).
"""

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal
from typing import Any

from django.conf.locale import LANG_INFO
from django.db import transaction
from django.utils import timezone

from sameboat.directory import exporting, validation
from sameboat.directory.importing import Importer, add_json, remove
from sameboat.directory.services import directory_for
from sameboat.networks.models import Network

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class EntryInvalid(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True, slots=True)
class Hours:
    day: str  # "MO".."SU"
    opens: time
    closes: time | None


@dataclass(frozen=True, slots=True)
class LocationFields:
    name: str = ""
    address_1: str = ""
    city: str = ""
    state_province: str = ""
    postal_code: str = ""
    country: str = ""
    accessibility: str = ""

    @property
    def given(self) -> bool:
        return bool(self.name or self.address_1)


@dataclass(frozen=True, slots=True)
class ServiceFields:
    organization_id: uuid.UUID
    name: str
    status: str
    description: str = ""
    url: str = ""
    email: str = ""
    application_process: str = ""
    eligibility_description: str = ""
    minimum_age: int | None = None
    maximum_age: int | None = None
    phone: str = ""
    languages: Sequence[str] = ()  # language codes, "en", "es"
    required_documents: Sequence[str] = ()
    cost_option: str = ""
    cost_amount: Decimal | None = None
    cost_currency: str = ""
    hours: Sequence[Hours] = ()
    taxonomy_term_ids: Sequence[uuid.UUID] = ()
    location: LocationFields = field(default_factory=LocationFields)


@dataclass(frozen=True, slots=True)
class OrganizationFields:
    name: str
    description: str
    email: str = ""
    website: str = ""


def _new_id() -> str:
    return str(uuid.uuid4())


def service_document(*, network: Network, service_id: uuid.UUID) -> dict[str, Any] | None:
    found = list(exporting.documents(network, "service", ids=[service_id]))
    return found[0] if found else None


def organization_document(*, network: Network, organization_id: uuid.UUID) -> dict[str, Any] | None:
    found = list(exporting.documents(network, "organization", ids=[organization_id]))
    return found[0] if found else None


def is_simple_weekly(schedule: Mapping[str, Any]) -> bool:
    """A schedule the weekly-hours editor shows and rewrites: every week, on one day, at
    set hours, with nothing else to its rule. Anything richer is kept as it is."""
    if str(schedule.get("freq") or "") != "WEEKLY" or not schedule.get("opens_at"):
        return False
    if schedule.get("interval") not in (None, 1, 1.0):
        return False
    if any(schedule.get(k) for k in ("dtstart", "until", "count", "valid_from", "valid_to")):
        return False
    if any(schedule.get(k) for k in ("bymonthday", "byweekno", "byyearday", "timezone")):
        return False
    return str(schedule.get("byday") or "") in DAYS


def weekly_hours(document: Mapping[str, Any]) -> tuple[list[Hours], list[dict[str, Any]]]:
    """The service's simple weekly hours (one per day), and the schedules the editor keeps."""
    hours: dict[str, Hours] = {}
    kept = []
    for schedule in document.get("schedules", []):
        day = str(schedule.get("byday") or "")
        if is_simple_weekly(schedule) and day not in hours:
            try:
                opens = time.fromisoformat(str(schedule["opens_at"])[:5])
                closes_text = str(schedule.get("closes_at") or "")[:5]
                closes = time.fromisoformat(closes_text) if closes_text else None
            except ValueError:
                kept.append(schedule)
                continue
            hours[day] = Hours(day=day, opens=opens, closes=closes)
        else:
            kept.append(schedule)
    return [hours[d] for d in DAYS if d in hours], kept


def _metadata(
    network: Network, resource_id: str, resource_type: str, changes: list[tuple[str, Any, Any]]
) -> list[dict[str, Any]]:
    today = timezone.localdate().isoformat()
    base = {
        "resource_id": resource_id,
        "resource_type": resource_type,
        "last_action_date": today,
        "updated_by": network.name,
    }
    if not changes:
        return []
    if changes[0][0] == "":
        return [
            base
            | {
                "id": _new_id(),
                "last_action_type": "create",
                "field_name": "",
                "previous_value": "",
                "replacement_value": "",
            }
        ]
    return [
        base
        | {
            "id": _new_id(),
            "last_action_type": "update",
            "field_name": name,
            "previous_value": "" if before is None else str(before),
            "replacement_value": "" if after is None else str(after),
        }
        for name, before, after in changes
    ]


def _set(
    document: dict[str, Any], name: str, value: Any, changes: list[tuple[str, Any, Any]]
) -> None:
    """Set an HSDS field; an empty optional value leaves it out (HSDS has no empty strings)."""
    before = document.get(name)
    if value in (None, ""):
        document.pop(name, None)
    else:
        document[name] = value
    if before != document.get(name):
        changes.append((name, before, document.get(name)))


def _write(network: Network, kind: str, document: dict[str, Any]) -> None:
    invalid = validation.errors(validation.document_validator(kind), document)
    if invalid:
        raise EntryInvalid([str(problem) for problem in invalid])
    directory_for(network=network)
    with transaction.atomic():
        importer = Importer(network)
        add_json(importer, document, where=kind, kind=kind)
        report = importer.write()
        if not report.ok:
            # Roll back whatever the importer managed to write: a page saves all or nothing.
            raise EntryInvalid([problem.reason for problem in report.problems])


def _languages(
    service_id: str, old: list[dict[str, Any]], codes: Sequence[str]
) -> list[dict[str, Any]]:
    by_code = {item.get("code"): item for item in old}
    result = []
    for code in dict.fromkeys(c.strip() for c in codes if c.strip()):
        if code in by_code:
            result.append(by_code[code])
        else:
            name = LANG_INFO.get(code, {}).get("name", code)
            result.append({"id": _new_id(), "service_id": service_id, "code": code, "name": name})
    return result


@transaction.atomic
def service_save(
    *, network: Network, service_id: uuid.UUID | None, fields: ServiceFields
) -> uuid.UUID:
    """Create a service (service_id None) or update it from the page's fields."""
    if service_id is None:
        document: dict[str, Any] = {"id": _new_id()}
        created = True
    else:
        found = service_document(network=network, service_id=service_id)
        if found is None:
            raise EntryInvalid(["no such service"])
        document = found
        created = False
    sid = document["id"]
    changes: list[tuple[str, Any, Any]] = []
    _set(document, "organization_id", str(fields.organization_id), changes)
    document.pop("organization", None)  # the nested organization is the stored one: left alone
    for name in (
        "name",
        "status",
        "description",
        "url",
        "email",
        "application_process",
        "eligibility_description",
    ):
        _set(document, name, getattr(fields, name).strip(), changes)
    _set(document, "minimum_age", fields.minimum_age, changes)
    _set(document, "maximum_age", fields.maximum_age, changes)

    phones = list(document.get("phones", []))
    if phones:
        if fields.phone:
            phones[0] = phones[0] | {"number": fields.phone}
        else:
            phones = phones[1:]
    elif fields.phone:
        phones = [{"id": _new_id(), "service_id": sid, "number": fields.phone}]
    document["phones"] = phones

    document["languages"] = _languages(sid, document.get("languages", []), fields.languages)

    old_documents = {d.get("document"): d for d in document.get("required_documents", [])}
    document["required_documents"] = [
        old_documents.get(text) or {"id": _new_id(), "service_id": sid, "document": text}
        for text in dict.fromkeys(t.strip() for t in fields.required_documents if t.strip())
    ]

    costs = list(document.get("cost_options", []))
    if fields.cost_option or fields.cost_amount is not None:
        cost = costs[0] if costs else {"id": _new_id(), "service_id": sid}
        cost = {k: v for k, v in cost.items() if k not in ("option", "amount", "currency")}
        if fields.cost_option:
            cost["option"] = fields.cost_option
        if fields.cost_amount is not None:
            cost["amount"] = float(fields.cost_amount)
        if fields.cost_currency:
            cost["currency"] = fields.cost_currency.upper()
        costs[:1] = [cost]
    else:
        costs = costs[1:]
    document["cost_options"] = costs

    old_hours, kept = weekly_hours(document)
    old_by_day = {s.get("byday"): s for s in document.get("schedules", []) if is_simple_weekly(s)}
    schedules = list(kept)
    for hours in fields.hours:
        schedule = dict(old_by_day.get(hours.day) or {"id": _new_id(), "service_id": sid})
        schedule |= {
            "freq": "WEEKLY",
            "byday": hours.day,
            "opens_at": hours.opens.strftime("%H:%M"),
        }
        if hours.closes is not None:
            schedule["closes_at"] = hours.closes.strftime("%H:%M")
        else:
            schedule.pop("closes_at", None)
        schedules.append(schedule)
    document["schedules"] = schedules
    if old_hours != list(fields.hours):
        changes.append(("schedules", _hours_text(old_hours), _hours_text(fields.hours)))

    wanted = {str(t) for t in fields.taxonomy_term_ids}
    attributes = []
    present = set()
    for attribute in document.get("attributes", []):
        term = attribute.get("taxonomy_term_id")
        if attribute.get("link_type") == "service_category" and term not in wanted:
            continue
        attributes.append({k: v for k, v in attribute.items() if k != "taxonomy_term"})
        present.add(term)
    for term in sorted(wanted - present):
        attributes.append(
            {
                "id": _new_id(),
                "link_id": sid,
                "link_entity": "service",
                "taxonomy_term_id": term,
                "link_type": "service_category",
            }
        )
    document["attributes"] = attributes

    _location(document, sid, str(fields.organization_id), fields.location)

    if created:
        changes = [("", None, None)]
    document["last_modified"] = timezone.now().isoformat(timespec="seconds")
    document["metadata"] = list(document.get("metadata", [])) + _metadata(
        network, sid, "service", changes
    )
    _write(network, "service", document)
    return uuid.UUID(sid)


def _hours_text(hours: Sequence[Hours]) -> str:
    return ", ".join(
        f"{h.day} {h.opens:%H:%M}-{h.closes:%H:%M}" if h.closes else f"{h.day} {h.opens:%H:%M}"
        for h in hours
    )


def _location(
    document: dict[str, Any], sid: str, organization_id: str, fields: LocationFields
) -> None:
    """The page edits the service's first location, and its first address."""
    places = [dict(p) for p in document.get("service_at_locations", [])]
    if not fields.given:
        return
    if places and places[0].get("location"):
        place = places[0]
        location = dict(place["location"])
    else:
        location_id = _new_id()
        location = {
            "id": location_id,
            "location_type": "physical",
            "organization_id": organization_id,
        }
        place = {"id": _new_id(), "service_id": sid, "location_id": location_id}
        places.insert(0, place)
    if fields.name:
        location["name"] = fields.name
    if fields.address_1:
        addresses = [dict(a) for a in location.get("addresses", [])]
        address = (
            addresses[0]
            if addresses
            else {"id": _new_id(), "location_id": location["id"], "address_type": "physical"}
        )
        address |= {
            "address_1": fields.address_1,
            "city": fields.city,
            "state_province": fields.state_province,
            "postal_code": fields.postal_code,
            "country": fields.country.upper(),
        }
        addresses[:1] = [address]
        location["addresses"] = addresses
    accessibility = [dict(a) for a in location.get("accessibility", [])]
    if fields.accessibility:
        item = (
            accessibility[0] if accessibility else {"id": _new_id(), "location_id": location["id"]}
        )
        item["description"] = fields.accessibility
        accessibility[:1] = [item]
    else:
        accessibility = accessibility[1:]
    location["accessibility"] = accessibility
    place["location"] = location
    document["service_at_locations"] = places


@transaction.atomic
def organization_save(
    *, network: Network, organization_id: uuid.UUID | None, fields: OrganizationFields
) -> uuid.UUID:
    if organization_id is None:
        document: dict[str, Any] = {"id": _new_id()}
        created = True
    else:
        found = organization_document(network=network, organization_id=organization_id)
        if found is None:
            raise EntryInvalid(["no such organization"])
        # The organization's services are written by their own pages: leave them out, so
        # that the importer leaves them as they are.
        document = {k: v for k, v in found.items() if k != "services"}
        created = False
    changes: list[tuple[str, Any, Any]] = []
    for name in ("name", "description", "email", "website"):
        _set(document, name, getattr(fields, name).strip(), changes)
    if created:
        changes = [("", None, None)]
    document["metadata"] = list(document.get("metadata", [])) + _metadata(
        network, document["id"], "organization", changes
    )
    _write(network, "organization", document)
    return uuid.UUID(document["id"])


def service_delete(*, network: Network, service_id: uuid.UUID) -> int:
    """Remove a service and whatever belongs to it (its phones, schedules, places...)."""
    counts: Counter[str] = Counter()
    with transaction.atomic():
        remove(network, {"service": {str(service_id)}}, counts)
    return sum(counts.values())


def organization_delete(*, network: Network, organization_id: uuid.UUID) -> int:
    """Remove an organisation and everything that belongs to it, its services included."""
    counts: Counter[str] = Counter()
    with transaction.atomic():
        remove(network, {"organization": {str(organization_id)}}, counts)
    return sum(counts.values())
