"""Writes behind the directory's pages: coordinators add, edit and delete organisations and
services.

Every write goes the way an import goes: the page's fields are laid over the record's full
HSDS document (so whatever the page does not show — contacts, service areas, funding, other
schedules — is kept as it is), the document is validated against the official schema, and
only a valid document is handed to the importer (`importing.py`), which writes it by HSDS
id. An invalid document raises `EntryInvalid` with the reasons, each placed (`Fault`) on the
page's field or row it is about, and nothing is written.

A service's places, phones and cost options are edited as lists of rows: a row naming a
record's id edits that record (what the page does not show of it is kept: a phone's
languages, a place's schedules and contacts...), a row without one adds a record, and a
record no row names is removed (a place's location stays: it belongs to the organisation).
Each save sets the service's `last_modified` and adds HSDS `metadata` records saying what
changed, when, and by whom (the network, not the person: a published directory shows it).
"""

import copy
import re
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from typing import Any

from django.conf.locale import LANG_INFO
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sameboat.core.models import Language as SpokenLanguage
from sameboat.directory import exporting, validation
from sameboat.directory.importing import Importer, add_json, remove
from sameboat.directory.services import directory_for
from sameboat.networks.models import Network

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True)
class Fault:
    """Where a reason for refusing a save belongs on the page: the service's own fields
    (part ""), or one row of its places, phones or costs (part "locations", "phones" or
    "cost_options", index its position in the rows given); field "" for the row as a whole."""

    reason: str
    part: str = ""
    index: int | None = None
    field: str = ""


class EntryInvalid(Exception):
    def __init__(self, reasons: list[str], faults: Sequence[Fault] = ()) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.faults = list(faults) or [Fault(reason) for reason in reasons]


@dataclass(frozen=True, slots=True)
class Hours:
    day: str  # "MO".."SU"
    opens: time
    closes: time | None


@dataclass(frozen=True, slots=True)
class LocationFields:
    """A place the service is given at: its service_at_location (`id`, None for a new one)
    and the location it names, with the location's first address and accessibility note.
    A location is shared by every service at it, and belongs to the organisation: removing
    a place from a service removes the service_at_location, not the location."""

    id: str | None = None
    name: str = ""
    address_1: str = ""
    address_2: str = ""
    city: str = ""
    region: str = ""
    state_province: str = ""
    postal_code: str = ""
    country: str = ""
    accessibility: str = ""
    # The weekly hours of the service at this place (its service_at_location's schedules),
    # when they differ from the service's own; None leaves them as they are.
    hours: Sequence[Hours] | None = None

    @property
    def given(self) -> bool:
        return bool(self.name or self.address_1)


@dataclass(frozen=True, slots=True)
class PhoneFields:
    id: str | None = None  # the phone's HSDS id; None for a new one
    number: str = ""
    extension: int | None = None
    type: str = ""  # voice, text, fax, cell, video, pager, textphone
    description: str = ""


@dataclass(frozen=True, slots=True)
class CostFields:
    id: str | None = None  # the cost option's HSDS id; None for a new one
    option: str = ""
    amount: Decimal | None = None
    currency: str = ""
    amount_description: str = ""


@dataclass(frozen=True, slots=True)
class ServiceFields:
    """What the service page edits. A list left as None is left as it is; a list given is
    the whole list: records not in it are removed, records named by id keep whatever the
    page does not show (their languages, attributes, metadata...)."""

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
    languages: Sequence[str] = ()  # BCP 47 codes: "en", "es", "zh-Hans"
    required_documents: Sequence[str] = ()
    hours: Sequence[Hours] = ()
    taxonomy_term_ids: Sequence[uuid.UUID] = ()
    locations: Sequence[LocationFields] | None = None
    phones: Sequence[PhoneFields] | None = None
    cost_options: Sequence[CostFields] | None = None


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


def _metadata_add(
    network: Network,
    document: dict[str, Any],
    resource_type: str,
    changes: list[tuple[str, Any, Any]],
    *,
    created: bool,
) -> None:
    """Add to the document's metadata what this save did: one `create` entry for a new
    record (its first values are no changes), else one `update` entry per changed field."""
    base = {
        "resource_id": document["id"],
        "resource_type": resource_type,
        "last_action_date": timezone.localdate().isoformat(),
        "updated_by": network.name,
    }
    if created:
        added = [
            base
            | {
                "id": _new_id(),
                "last_action_type": "create",
                "field_name": "",
                "previous_value": "",
                "replacement_value": "",
            }
        ]
    else:
        added = [
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
    document["metadata"] = list(document.get("metadata", [])) + added


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


# Where each record a page's row gave sits in the document: (list, index in the document) ->
# (part of the page, index of the row), so that a reason for refusing the save is shown
# beside the row and field it is about.
Origins = dict[tuple[str, int], tuple[str, int]]

_PARTS = {"service_at_locations": "locations", "phones": "phones", "cost_options": "cost_options"}
_ROW_FIELDS = {
    "phones": frozenset({"number", "extension", "type", "description"}),
    "cost_options": frozenset({"option", "amount", "currency", "amount_description"}),
}
_ADDRESS_FIELDS = frozenset(
    {"address_1", "address_2", "city", "region", "state_province", "postal_code", "country"}
)
_SERVICE_FIELDS = frozenset(
    {
        "organization_id",
        "name",
        "status",
        "description",
        "url",
        "email",
        "application_process",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "languages",
        "required_documents",
    }
)
_STEP = re.compile(r"\.([A-Za-z_]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    """A JSON path ("$.phones[1].number") step by step."""
    return [int(index) if index else name for name, index in _STEP.findall(path)]


def _fault(parts: Sequence[str | int], reason: str, origins: Origins) -> Fault:
    """The row and field of the page a problem at `parts` of the document is about."""
    steps = list(parts)
    row = (str(steps[0]), steps[1]) if len(steps) >= 2 and isinstance(steps[1], int) else None
    if row is None or row not in origins:
        top = str(steps[0]) if steps else ""
        return Fault(reason, field=top if top in _SERVICE_FIELDS else "")
    part, index = origins[row]
    rest = steps[2:]
    name = ""
    if part == "locations" and rest[:1] == ["location"]:
        inner = rest[1:]
        if inner == ["name"]:
            name = "name"
        elif inner[:2] == ["addresses", 0] and len(inner) == 3 and inner[2] in _ADDRESS_FIELDS:
            name = str(inner[2])
        elif inner[:2] == ["accessibility", 0]:
            name = "accessibility"
    elif len(rest) == 1 and str(rest[0]) in _ROW_FIELDS.get(part, frozenset()):
        name = str(rest[0])
    return Fault(reason, part, index, name)


def _write(
    network: Network, kind: str, document: dict[str, Any], origins: Origins | None = None
) -> None:
    origins = origins or {}
    invalid = validation.errors(validation.document_validator(kind), document)
    if invalid:
        raise EntryInvalid(
            [str(problem) for problem in invalid],
            [_fault(problem.parts, str(problem), origins) for problem in invalid],
        )
    directory_for(network=network)
    with transaction.atomic():
        importer = Importer(network)
        add_json(importer, document, where=kind, kind=kind)
        report = importer.write()
        if not report.ok:
            # Roll back whatever the importer managed to write: a page saves all or nothing.
            raise EntryInvalid(
                [problem.reason for problem in report.problems],
                [
                    _fault(_steps(problem.path), f"{problem.path}: {problem.reason}", origins)
                    for problem in report.problems
                ],
            )


def _put(record: dict[str, Any], name: str, value: Any) -> None:
    """Set a field of a nested record; an empty value leaves it out."""
    if value in (None, ""):
        record.pop(name, None)
    else:
        record[name] = value


def _languages(
    service_id: str, old: list[dict[str, Any]], codes: Sequence[str]
) -> list[dict[str, Any]]:
    """The service's languages: those it keeps (with their ids and notes), and new ones named
    as HSDS names them, in English (Django's list of languages, then Sameboat's)."""
    by_code = {str(item.get("code") or "").lower(): item for item in old}
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    new = [code for code in wanted if code.lower() not in by_code]
    names = {
        code.lower(): name
        for code, name in SpokenLanguage.objects.filter(
            code__in=[code.lower() for code in new]
        ).values_list("code", "name")
    }
    result = []
    for code in wanted:
        if code.lower() in by_code:
            result.append(by_code[code.lower()])
            continue
        name = LANG_INFO.get(code.lower(), {}).get("name") or names.get(code.lower()) or code
        result.append({"id": _new_id(), "service_id": service_id, "code": code, "name": name})
    return result


Row = LocationFields | PhoneFields | CostFields


def _rows[R: Row](
    old: list[dict[str, Any]],
    rows: Sequence[R],
    *,
    name: str,
    origins: Origins,
    make: Callable[[], dict[str, Any]],
    fill: Callable[[dict[str, Any], R, int], None],
) -> list[dict[str, Any]]:
    """A list of the document laid out as the page's rows give it: a row with an id edits
    that record (keeping what the page does not show), a row without one adds a record, and
    a record no row names is left out (so the importer removes it)."""
    part = _PARTS[name]
    by_id = {str(record.get("id")): record for record in old}
    result: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        if row.id is None:
            record = make()
        elif row.id in by_id:
            record = copy.deepcopy(by_id.pop(row.id))
        else:
            raise EntryInvalid(
                [f"{name}: no {row.id}"],
                [
                    Fault(
                        _("This is no longer part of the service: load the page again."),
                        part,
                        index,
                    )
                ],
            )
        fill(record, row, index)
        origins[(name, len(result))] = (part, index)
        result.append(record)
    return result


def _phone(record: dict[str, Any], row: PhoneFields, index: int) -> None:
    number = row.number.strip()
    if not number:
        raise EntryInvalid(
            ["phone without a number"],
            [Fault(_("A phone needs its number."), "phones", index, "number")],
        )
    record["number"] = number
    _put(record, "extension", row.extension)
    _put(record, "type", row.type.strip())
    _put(record, "description", row.description.strip())


def _cost(record: dict[str, Any], row: CostFields, index: int) -> None:
    if not row.option.strip() and row.amount is None:
        raise EntryInvalid(
            ["cost option without an option or an amount"],
            [Fault(_("Say who pays what: an option or an amount."), "cost_options", index)],
        )
    _put(record, "option", row.option.strip())
    _put(record, "amount", None if row.amount is None else float(row.amount))
    _put(record, "currency", row.currency.strip().upper())
    _put(record, "amount_description", row.amount_description.strip())


def _place(organization_id: str) -> Callable[[dict[str, Any], LocationFields, int], None]:
    def fill(place: dict[str, Any], row: LocationFields, index: int) -> None:
        """The place's location (a new one for a new place), its name, first address and
        first accessibility note."""
        if not row.given:
            raise EntryInvalid(
                ["place without a name or an address"],
                [Fault(_("Give the place a name or an address."), "locations", index, "name")],
            )
        location = dict(place.get("location") or {})
        if not location:
            location = {
                "id": _new_id(),
                "location_type": "physical",
                "organization_id": organization_id,
            }
        place["location_id"] = location["id"]
        _put(location, "name", row.name.strip())
        addresses = [dict(a) for a in location.get("addresses", [])]
        if row.address_1.strip():
            missing = [
                name
                for name in ("city", "state_province", "postal_code", "country")
                if not str(getattr(row, name)).strip()
            ]
            if missing:
                raise EntryInvalid(
                    [f"address without {', '.join(missing)}"],
                    [
                        Fault(_("An address needs this."), "locations", index, name)
                        for name in missing
                    ],
                )
            address = (
                addresses[0]
                if addresses
                else {"id": _new_id(), "location_id": location["id"], "address_type": "physical"}
            )
            address |= {
                "address_1": row.address_1.strip(),
                "city": row.city.strip(),
                "state_province": row.state_province.strip(),
                "postal_code": row.postal_code.strip(),
                "country": row.country.strip().upper(),
            }
            _put(address, "address_2", row.address_2.strip())
            _put(address, "region", row.region.strip())
            addresses[:1] = [address]
        else:
            addresses = addresses[1:]
        location["addresses"] = addresses
        accessibility = [dict(a) for a in location.get("accessibility", [])]
        if row.accessibility.strip():
            item = (
                accessibility[0]
                if accessibility
                else {"id": _new_id(), "location_id": location["id"]}
            )
            item["description"] = row.accessibility.strip()
            accessibility[:1] = [item]
        else:
            accessibility = accessibility[1:]
        location["accessibility"] = accessibility
        place["location"] = location
        if row.hours is not None:
            place["schedules"] = _weekly(place, row.hours, {"service_at_location_id": place["id"]})

    return fill


def _phones_text(phones: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(
        str(p.get("number", "")) + (f" ext. {p['extension']:g}" if p.get("extension") else "")
        for p in phones
    )


def _costs_text(costs: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(
        " ".join(str(c[k]) for k in ("option", "amount", "currency") if c.get(k) not in (None, ""))
        for c in costs
    )


def _places_text(places: Sequence[Mapping[str, Any]]) -> str:
    texts = []
    for place in places:
        location = place.get("location") or {}
        address = (location.get("addresses") or [{}])[0]
        hours = _hours_text(weekly_hours(place)[0])
        texts.append(
            ", ".join(str(x) for x in (location.get("name"), address.get("address_1"), hours) if x)
        )
    return "; ".join(texts)


def _replace(
    document: dict[str, Any],
    name: str,
    new: list[dict[str, Any]],
    text: Callable[[Sequence[Mapping[str, Any]]], str],
    changes: list[tuple[str, Any, Any]],
) -> None:
    before = text(document.get(name, []))
    document[name] = new
    if before != text(new):
        changes.append((name, before, text(new)))


def _replace_rows[R: Row](
    document: dict[str, Any],
    name: str,
    rows: Sequence[R] | None,
    fill: Callable[[dict[str, Any], R, int], None],
    text: Callable[[Sequence[Mapping[str, Any]]], str],
    origins: Origins,
    changes: list[tuple[str, Any, Any]],
) -> None:
    """Lay out one of the service's lists (phones, cost options, places) as the page's rows
    give it and record the change; `rows` None (a page without that part) leaves it alone."""
    if rows is None:
        return
    service_id = document["id"]
    new = _rows(
        document.get(name, []),
        rows,
        name=name,
        origins=origins,
        make=lambda: {"id": _new_id(), "service_id": service_id},
        fill=fill,
    )
    _replace(document, name, new, text, changes)


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
    origins: Origins = {}
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

    _replace(
        document,
        "languages",
        _languages(sid, document.get("languages", []), fields.languages),
        lambda items: ", ".join(str(item.get("code") or "") for item in items),
        changes,
    )

    old_documents = {d.get("document"): d for d in document.get("required_documents", [])}
    document["required_documents"] = [
        old_documents.get(text) or {"id": _new_id(), "service_id": sid, "document": text}
        for text in dict.fromkeys(t.strip() for t in fields.required_documents if t.strip())
    ]

    _replace_rows(document, "phones", fields.phones, _phone, _phones_text, origins, changes)
    _replace_rows(
        document, "cost_options", fields.cost_options, _cost, _costs_text, origins, changes
    )
    _replace_rows(
        document,
        "service_at_locations",
        fields.locations,
        _place(str(fields.organization_id)),
        _places_text,
        origins,
        changes,
    )

    old_hours, _kept = weekly_hours(document)
    document["schedules"] = _weekly(document, fields.hours, {"service_id": sid})
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

    document["last_modified"] = timezone.now().isoformat(timespec="seconds")
    _metadata_add(network, document, "service", changes, created=created)
    _write(network, "service", document, origins)
    return uuid.UUID(sid)


def _weekly(
    holder: Mapping[str, Any], hours: Sequence[Hours], owner: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The schedules of a service (or of a service at a location) with its weekly hours
    replaced by `hours`: each day's schedule keeps its id, the schedules the weekly editor
    cannot show are kept as they are, a new one names its `owner`."""
    _old, kept = weekly_hours(holder)
    kept_ids = {id(schedule) for schedule in kept}
    old_by_day = {
        str(schedule.get("byday")): schedule
        for schedule in holder.get("schedules", [])
        if id(schedule) not in kept_ids
    }
    schedules = list(kept)
    for item in hours:
        schedule = dict(old_by_day.get(item.day) or {"id": _new_id(), **owner})
        schedule |= {"freq": "WEEKLY", "byday": item.day, "opens_at": item.opens.strftime("%H:%M")}
        if item.closes is not None:
            schedule["closes_at"] = item.closes.strftime("%H:%M")
        else:
            schedule.pop("closes_at", None)
        schedules.append(schedule)
    return schedules


def _hours_text(hours: Sequence[Hours]) -> str:
    return ", ".join(
        f"{h.day} {h.opens:%H:%M}-{h.closes:%H:%M}" if h.closes else f"{h.day} {h.opens:%H:%M}"
        for h in hours
    )


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
    _metadata_add(network, document, "organization", changes, created=created)
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
