"""The HSDS 3.0 tables, their fields and how their records nest, read from the official
schemas in `hsds/schema/` (no Django: the importer, the exporter, the benchmark and the
tests share it).

Two official sources describe the tables and they differ a little: `schema.csv` (the
tabular form's tables and fields) and the JSON schemas (`<table>.json`, compiled into
`compiled/*.json`, which every document is validated against). The JSON schemas have a few
fields `schema.csv` lacks (the deprecated `organization.tax_status`, `tax_id`,
`service.wait_time`, `fees`, `licenses`, and `service.last_modified`, `taxonomy.version`,
`required_document.uri`, `taxonomy_term.taxonomy`), and type four schedule fields
differently (`count` a number, `bymonthday` and `byyearday` strings, `wkst` two letters).
A record must validate against the JSON schemas, so their types win; and every field of
either is kept, so that nothing a publisher sends is dropped. A table's CSV columns are
those of `schema.csv`, in its order, followed by the fields only the JSON schemas have.
"""

import csv
import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

SCHEMA_DIR = Path(__file__).resolve().parent / "hsds" / "schema"

# Where the HSDS OpenAPI document finds the schemas: registering the local copies under these
# addresses lets its $refs resolve without the network.
SCHEMA_BASE_URI = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"

Kind = Literal["uuid", "string", "enum", "number", "date", "datetime"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    title: str
    required: bool  # by the JSON schema, in every form
    tabular_required: bool  # by HSDS in the tabular form (we require it in every form)
    choices: tuple[str, ...] = ()

    @property
    def mandatory(self) -> bool:
        return self.required or self.tabular_required


@dataclass(frozen=True)
class Many:
    """An array of records nested in another, each pointing back at it through `column` (and,
    for attributes and metadata, naming its table in `entity`)."""

    prop: str
    table: str
    column: str
    entity: str | None = None


@dataclass(frozen=True)
class One:
    """A record nested in another as an object, which points at it through `column`."""

    prop: str
    table: str
    column: str


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # the CSV file's name in a data package
    order: int  # HSDS's own order of the tables in a data package
    title: str
    columns: tuple[Column, ...]
    properties: tuple[str, ...]  # every property of its JSON schema, in its order
    many: tuple[Many, ...] = ()
    one: tuple[One, ...] = ()
    # Columns that must name a record of the same directory (table, column); attributes and
    # metadata name theirs with `link_entity` / `resource_type` (see REFERENCES_BY_ENTITY).
    references: tuple[tuple[str, str], ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


# The nesting of the compiled schemas, table by table. Attributes and metadata hang off almost
# every table and are added below.
_MANY: dict[str, tuple[tuple[str, str, str], ...]] = {
    "organization": (
        ("funding", "funding", "organization_id"),
        ("contacts", "contact", "organization_id"),
        ("phones", "phone", "organization_id"),
        ("locations", "location", "organization_id"),
        ("programs", "program", "organization_id"),
        ("organization_identifiers", "organization_identifier", "organization_id"),
        ("services", "service", "organization_id"),
    ),
    "service": (
        ("phones", "phone", "service_id"),
        ("schedules", "schedule", "service_id"),
        ("service_areas", "service_area", "service_id"),
        ("service_at_locations", "service_at_location", "service_id"),
        ("languages", "language", "service_id"),
        ("funding", "funding", "service_id"),
        ("cost_options", "cost_option", "service_id"),
        ("required_documents", "required_document", "service_id"),
        ("contacts", "contact", "service_id"),
    ),
    "service_at_location": (
        ("contacts", "contact", "service_at_location_id"),
        ("phones", "phone", "service_at_location_id"),
        ("schedules", "schedule", "service_at_location_id"),
    ),
    "location": (
        ("languages", "language", "location_id"),
        ("addresses", "address", "location_id"),
        ("contacts", "contact", "location_id"),
        ("accessibility", "accessibility", "location_id"),
        ("phones", "phone", "location_id"),
        ("schedules", "schedule", "location_id"),
    ),
    "contact": (("phones", "phone", "contact_id"),),
    "phone": (("languages", "language", "phone_id"),),
}

_ONE: dict[str, tuple[One, ...]] = {
    "service": (
        One("organization", "organization", "organization_id"),
        One("program", "program", "program_id"),
    ),
    "service_at_location": (
        One("location", "location", "location_id"),
        One("service", "service", "service_id"),
    ),
    "attribute": (One("taxonomy_term", "taxonomy_term", "taxonomy_term_id"),),
    "taxonomy_term": (One("taxonomy_detail", "taxonomy", "taxonomy_id"),),
}

# Pointers that need not name a record of the directory: a parent organization or term, the
# program a service runs under, the taxonomy of a term. The publisher may leave those out.
SOFT_REFERENCES = {
    ("organization", "parent_organization_id"),
    ("service", "program_id"),
    ("taxonomy_term", "parent_id"),
    ("taxonomy_term", "taxonomy_id"),
}

# Attributes and metadata point at a record of any table: (id column, table-name column).
REFERENCES_BY_ENTITY = {
    "attribute": ("link_id", "link_entity"),
    "metadata": ("resource_id", "resource_type"),
}


def _kind(spec: dict[str, Any]) -> Kind:
    if "enum" in spec:
        return "enum"
    if spec.get("type") == "number":
        return "number"
    if spec.get("format") == "uuid":
        return "uuid"
    if spec.get("datapackage_type") == "date":
        return "date"
    if spec.get("datapackage_type") == "datetime" or spec.get("format") == "date-time":
        return "datetime"
    return "string"


def _is_column(spec: dict[str, Any]) -> bool:
    return spec.get("type") in ("string", "number") and "$ref" not in spec


def schema_csv_rows() -> list[dict[str, str]]:
    with (SCHEMA_DIR / "schema.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def load_json(relative: str) -> Any:
    with (SCHEMA_DIR / relative).open(encoding="utf-8") as handle:
        return json.load(handle)


def _load_tables() -> dict[str, Table]:
    csv_order: dict[str, list[str]] = {}
    for row in schema_csv_rows():
        if row["type"] in ("string", "number"):
            csv_order.setdefault(row["table_name"], []).append(row["name"])
    names = sorted(
        csv_order, key=lambda name: load_json(f"{name}.json")["datapackage_metadata"]["order"]
    )
    with_attributes = {
        name for name in names if "attributes" in load_json(f"{name}.json")["properties"]
    }
    tables: dict[str, Table] = {}
    for name in names:
        schema = load_json(f"{name}.json")
        properties = schema["properties"]
        required = set(schema.get("required", ()))
        tabular_required = set(schema.get("tabular_required", ()))
        scalar = [key for key, spec in properties.items() if _is_column(spec)]
        ordered = [key for key in csv_order[name] if key in scalar]
        ordered += [key for key in scalar if key not in ordered]
        columns = tuple(
            Column(
                name=key,
                kind=_kind(properties[key]),
                title=properties[key].get("title", key),
                required=key in required,
                tabular_required=key in tabular_required,
                choices=tuple(properties[key].get("enum", ())),
            )
            for key in ordered
        )
        many = [Many(prop, table, column) for prop, table, column in _MANY.get(name, ())]
        if name in with_attributes:
            many.append(Many("attributes", "attribute", "link_id", "link_entity"))
        if name != "metadata":
            many.append(Many("metadata", "metadata", "resource_id", "resource_type"))
        references = [
            (one.table, one.column)
            for one in _ONE.get(name, ())
            if (name, one.column) not in SOFT_REFERENCES
        ]
        for parent, relations in _MANY.items():
            for _prop, table, column in relations:
                if table == name and (parent, column) not in references:
                    references.append((parent, column))
        tables[name] = Table(
            name=name,
            path=schema["path"],
            order=schema["datapackage_metadata"]["order"],
            title=schema.get("title", name),
            columns=columns,
            properties=tuple(properties),
            many=tuple(many),
            one=_ONE.get(name, ()),
            references=tuple(references),
        )
    # The compiled schemas nest an organization's services and a service at a location's
    # service, which their table schemas do not list: they come last, as in the compiled.
    for name, spec in tables.items():
        known = [relation.prop for relation in spec.many] + [relation.prop for relation in spec.one]
        missing = tuple(prop for prop in known if prop not in spec.properties)
        if missing:
            tables[name] = replace(spec, properties=spec.properties + missing)
    return tables


TABLES: dict[str, Table] = _load_tables()
TABLE_BY_PATH: dict[str, str] = {table.path: table.name for table in TABLES.values()}


@dataclass(frozen=True)
class Shape:
    """What of a record an exported document holds: its fields, and which nested records
    (themselves shaped) under which properties."""

    table: str
    many: tuple[tuple[Many, "Shape"], ...] = ()
    one: tuple[tuple[One, "Shape"], ...] = ()


def brief(table: str) -> Shape:
    """A record's own fields, nothing nested."""
    return Shape(table)


def full(table: str, *, without: frozenset[str] = frozenset()) -> Shape:
    """A record with everything nested in it, as the compiled schemas nest it. A service
    nested in an organization leaves its organization out (and a service at a location its
    service), so that no document holds itself; a service's organization is nested briefly,
    as in the list forms, and an organization's whole tree comes with its own document."""
    spec = TABLES[table]
    many: list[tuple[Many, Shape]] = []
    for relation in spec.many:
        if relation.prop in without:
            continue
        inner: frozenset[str] = frozenset()
        if (table, relation.prop) == ("organization", "services"):
            inner = frozenset({"organization"})
        elif (table, relation.prop) == ("service", "service_at_locations"):
            inner = frozenset({"service"})
        many.append((relation, full(relation.table, without=inner)))
    one: list[tuple[One, Shape]] = []
    for link in spec.one:
        if link.prop in without:
            continue
        if (table, link.prop) == ("service", "organization"):
            one.append((link, brief("organization")))
        elif (table, link.prop) == ("service_at_location", "service"):
            one.append((link, full("service", without=frozenset({"service_at_locations"}))))
        else:
            one.append((link, full(link.table)))
    return Shape(table, tuple(many), tuple(one))


def _one(table: str, prop: str) -> One:
    return next(relation for relation in TABLES[table].one if relation.prop == prop)


SERVICE_LIST = Shape(
    "service",
    one=(
        (_one("service", "organization"), brief("organization")),
        (_one("service", "program"), brief("program")),
    ),
)

# The documents HSDS defines: (shape, compiled schema). The list forms' items are what the
# HSDS API's paginated lists hold.
DOCUMENTS: dict[str, tuple[Shape, str]] = {
    "service": (full("service"), "compiled/service.json"),
    "organization": (full("organization"), "compiled/organization.json"),
    "service_at_location": (full("service_at_location"), "compiled/service_at_location.json"),
    "service_list": (SERVICE_LIST, "compiled/service_list.json"),
    "organization_list": (brief("organization"), "compiled/organization_list.json"),
    "service_at_location_list": (
        Shape(
            "service_at_location",
            one=(
                (_one("service_at_location", "location"), brief("location")),
                (_one("service_at_location", "service"), SERVICE_LIST),
            ),
        ),
        "compiled/service_at_location_list.json",
    ),
    "taxonomy": (full("taxonomy"), "taxonomy.json"),
    "taxonomy_term": (full("taxonomy_term"), "taxonomy_term.json"),
}

# The HSDS API path whose paginated answer holds each list form (in the OpenAPI document).
LIST_PATHS = {
    "service_list": "/services",
    "organization_list": "/organizations",
    "service_at_location_list": "/service_at_locations",
    "taxonomy": "/taxonomies",
    "taxonomy_term": "/taxonomy_terms",
}
