"""Exporting a network's directory as HSDS 3.0: documents (full service, organization and
service-at-location objects, the list forms, taxonomies and terms), the HSDS API's pages,
and the tabular form (a data package: datapackage.json and one CSV file per table).

Documents are built a batch of top records at a time, with one query per kind of nested
record per batch (never one per record), and none for kinds the directory holds none of.
Fields come in their schema's order; an empty optional field is left out (HSDS types have
no null), a required one never is; every list a document holds comes whole, even empty,
because on import a list given means the list in full. Nested lists are in id order, top
records in name order (then id), so an export is the same every time and an export of an
import of it is the same again.
"""

import csv
import io
import json
import math
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sameboat.directory import validation
from sameboat.directory.models import MODELS
from sameboat.directory.tables import DOCUMENTS, REFERENCES_BY_ENTITY, TABLES, Shape
from sameboat.networks.models import Network

BATCH = 200  # top records per batch
IN_CHUNK = 2000  # ids per IN (...) query


def value(stored: Any) -> Any:
    """A stored value as HSDS writes it in JSON."""
    if isinstance(stored, uuid.UUID):
        return str(stored)
    if isinstance(stored, float):
        # JSON has one kind of number: 2011.0 is written 2011, as it most likely came.
        return int(stored) if stored.is_integer() and abs(stored) < 2**53 else stored
    if isinstance(stored, datetime):
        return stored.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(stored, date):
        return stored.isoformat()
    return stored


def cell(stored: Any) -> str:
    """A stored value as a CSV cell."""
    if stored is None:
        return ""
    written = value(stored)
    return repr(written) if isinstance(written, float) else str(written)


def _fetch(
    network: Network, table: str, column: str, ids: list[Any], entity: str | None = None
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    model = MODELS[table]
    for start in range(0, len(ids), IN_CHUNK):
        query = model.objects.filter(
            network=network, **{f"{column}__in": ids[start : start + IN_CHUNK]}
        )
        if entity:
            query = query.filter(**{REFERENCES_BY_ENTITY[table][1]: entity})
        rows.extend(query.order_by("id").values(*TABLES[table].column_names))
    return rows


class Holdings:
    """Whether the network holds any record of a table nested in another one way (phones of
    contacts, attributes of languages...), asked once per export: most such ways hold
    nothing in a given directory, and asking for the children of each batch anyway costs a
    lookup per parent (a tenth of a full service export's time at 10,000 services)."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.known: dict[tuple[str, str, str | None], bool] = {}

    def any(self, table: str, column: str, entity: str | None) -> bool:
        key = (table, column, entity)
        if key not in self.known:
            query = MODELS[table].objects.filter(
                network=self.network, **{f"{column}__isnull": False}
            )
            if entity:
                query = query.filter(**{REFERENCES_BY_ENTITY[table][1]: entity})
            self.known[key] = query.exists()
        return self.known[key]


def build(
    network: Network,
    shape: Shape,
    rows: list[dict[str, Any]],
    holdings: Holdings | None = None,
) -> list[dict[str, Any]]:
    """The documents of `rows` (stored records of `shape.table`), shaped."""
    if not rows:
        return []
    holdings = holdings or Holdings(network)
    spec = TABLES[shape.table]
    ids = [row["id"] for row in rows]
    nested: list[dict[str, Any]] = [{} for _ in rows]
    for relation, inner in shape.many:
        entity = shape.table if relation.entity else None
        children = (
            _fetch(network, relation.table, relation.column, ids, entity)
            if holdings.any(relation.table, relation.column, entity)
            else []
        )
        by_parent: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for child, built in zip(children, build(network, inner, children, holdings), strict=True):
            by_parent[child[relation.column]].append(built)
        for row, holder in zip(rows, nested, strict=True):
            holder[relation.prop] = by_parent.get(row["id"], [])
    for link, inner in shape.one:
        wanted = sorted({row[link.column] for row in rows if row[link.column] is not None})
        found = _fetch(network, link.table, "id", wanted)
        built_ones = build(network, inner, found, holdings)
        by_id = dict(zip((row["id"] for row in found), built_ones, strict=True))
        for row, holder in zip(rows, nested, strict=True):
            target = row[link.column]
            if target in by_id:
                holder[link.prop] = by_id[target]
    columns = {column.name: column for column in spec.columns}
    documents = []
    for row, holder in zip(rows, nested, strict=True):
        document: dict[str, Any] = {}
        for prop in spec.properties:
            if prop in columns:
                stored = row[prop]
                if not (stored is None or stored == "") or columns[prop].required:
                    document[prop] = value(stored)
            elif prop in holder:
                document[prop] = holder[prop]
        documents.append(document)
    return documents


def _top(network: Network, table: str, ids: list[uuid.UUID] | None = None) -> Any:
    query = MODELS[table].objects.filter(network=network)
    if ids is not None:
        query = query.filter(id__in=ids)
    order = ("name", "id") if "name" in TABLES[table].column_names else ("id",)
    return query.order_by(*order)


def documents(
    network: Network, kind: str, *, ids: list[uuid.UUID] | None = None, batch: int = BATCH
) -> Iterator[dict[str, Any]]:
    """Every document of a kind of `tables.DOCUMENTS` in the directory (or those of `ids`)."""
    shape, _schema = DOCUMENTS[kind]
    columns = TABLES[shape.table].column_names
    holdings = Holdings(network)
    rows: list[dict[str, Any]] = []
    for row in _top(network, shape.table, ids).values(*columns).iterator(chunk_size=batch):
        rows.append(row)
        if len(rows) == batch:
            yield from build(network, shape, rows, holdings)
            rows = []
    yield from build(network, shape, rows, holdings)


def page(
    items: list[dict[str, Any]], *, total_items: int, page_number: int, per_page: int
) -> dict[str, Any]:
    """A page of the HSDS API's paginated lists."""
    total_pages = max(1, math.ceil(total_items / per_page)) if per_page else 1
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(items),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not items,
        "contents": items,
    }


def list_page(
    network: Network, kind: str, *, page_number: int = 1, per_page: int = 0
) -> dict[str, Any]:
    """A page of a list form (per_page 0: everything on one page)."""
    shape, _schema = DOCUMENTS[kind]
    query = _top(network, shape.table)
    total = query.count()
    if per_page:
        start = (page_number - 1) * per_page
        query = query[start : start + per_page]
    rows = list(query.values(*TABLES[shape.table].column_names))
    return page(
        build(network, shape, rows),
        total_items=total,
        page_number=page_number,
        per_page=per_page or max(total, 1),
    )


class ExportInvalid(Exception):
    """An exported document failed the official schema: a bug of ours, never written."""


def _check(checker: Any, instance: Any, where: str) -> None:
    invalid = validation.errors(checker, instance)
    if invalid:
        raise ExportInvalid(f"{where}: " + "; ".join(map(str, invalid[:5])))


def write_json(network: Network, path: Path, kind: str, *, as_page: bool = False) -> int:
    """Write every document of `kind` to `path`: an array, or one page holding them all.
    Each is validated against its official schema first."""
    if as_page:
        data: Any = list_page(network, kind)
        _check(validation.page_validator(kind), data, "page")
        count = data["size"]
    else:
        data = list(documents(network, kind))
        checker = validation.document_validator(kind)
        for document in data:
            _check(checker, document, f"{kind} {document.get('id')}")
        count = len(data)
    with path.open("w", encoding="utf-8") as handle:
        # Compact: indenting takes json's pure-Python encoder, several times slower.
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        handle.write("\n")
    return count


_FIELD_TYPES = {
    "uuid": "string",
    "string": "string",
    "enum": "string",
    "number": "number",
    "date": "date",
    "datetime": "datetime",
}


def descriptor(name: str) -> dict[str, Any]:
    """datapackage.json: the tables, their files and fields (Frictionless Table Schema)."""
    resources = []
    for table in sorted(TABLES.values(), key=lambda spec: spec.order):
        fields = []
        for column in table.columns:
            entry: dict[str, Any] = {"name": column.name, "type": _FIELD_TYPES[column.kind]}
            if column.kind == "uuid":
                entry["format"] = "uuid"
            constraints: dict[str, Any] = {}
            if column.mandatory:
                constraints["required"] = True
            if column.choices:
                constraints["enum"] = list(column.choices)
            if constraints:
                entry["constraints"] = constraints
            fields.append(entry)
        resources.append(
            {
                "name": table.name,
                "path": table.path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": "id"},
            }
        )
    return {"name": name, "profile": "tabular-data-package", "resources": resources}


def tables(network: Network, *, check: bool = False) -> Iterator[tuple[str, str]]:
    """(file name, CSV text) for each table, in HSDS's order; rows in id order. With
    `check`, each row is validated against its table's official schema first."""
    for table in sorted(TABLES.values(), key=lambda spec: spec.order):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(table.column_names)
        checker = validation.row_validator(table.name)
        query = MODELS[table.name].objects.filter(network=network).order_by("id")
        for row in query.values_list(*table.column_names).iterator(chunk_size=2000):
            if check:
                _check(checker, row_document(table.name, row), f"{table.path} {row[0]}")
            writer.writerow([cell(stored) for stored in row])
        yield table.path, out.getvalue()


def row_document(table: str, row: tuple[Any, ...]) -> dict[str, Any]:
    """A stored row as the JSON object the tabular schema validates."""
    return {
        column.name: value(stored)
        for column, stored in zip(TABLES[table].columns, row, strict=True)
        if not (stored is None or stored == "") or column.required
    }


def write_package(network: Network, path: Path) -> int:
    """Write the tabular form to a folder, or to a zip file if `path` ends in .zip; each row
    is validated against its table's official schema first."""
    files = [("datapackage.json", json.dumps(descriptor(f"hsds-{network.slug}"), indent=1) + "\n")]
    files += list(tables(network, check=True))
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in files:
                archive.writestr(name, text.encode("utf-8"))
    else:
        path.mkdir(parents=True, exist_ok=True)
        for name, text in files:
            (path / name).write_text(text, encoding="utf-8", newline="")
    return len(files) - 1
