"""Importing HSDS 3.0 into a network's directory: JSON documents (full service, organization
and service-at-location objects, taxonomies and terms, one by one, in an array or in the
HSDS API's paginated list form) and the tabular form (a data package of CSV files).

How it goes:

1. Every source (a JSON document, or a CSV row) is validated against the official schema
   for it first. An invalid source is reported (where: the file and item or row; the table
   and id of the record at fault, nested or not; the JSON path or column; why) and nothing
   of it is written.
2. A valid source is taken apart into records, one per HSDS table row. Nesting says what a
   record belongs to: a phone in a service's `phones` gets that `service_id`, an attribute
   gets `link_id` and `link_entity`. HSDS requires those references in the tabular form; we
   require them in every form, so that whatever is imported can be exported both ways. A
   record that appears in several sources (the same organization in each of its services)
   is kept once; if two sources disagree on one of its fields, the later is rejected.
3. Every reference that says what a record belongs to must name a record of the same
   network's directory, in this import or already stored (a program, a parent organization
   or a parent term may point elsewhere). A source whose record fails that is rejected, and
   so, in turn, are the sources whose records belonged to its records.
4. What is left is written, table by table, a batch of rows to a transaction, by HSDS id
   within the network: new ids are created, changed records updated, equal ones left alone
   (so importing the same data twice changes nothing). A list given in full replaces the
   stored one: when a document holds a service's `phones`, or a data package holds
   `phones.csv`, the service's stored phones that are no longer there are removed, with
   whatever belonged to them (a phone's languages, a location's services at it...). A
   document that leaves a list out leaves it as it is, and a record the import names but
   finds invalid is kept as stored.

Queries: a fixed number per batch of rows (one to read what is stored, one to insert, one
to update), and per kind of reference or nesting (not per record).

Progress: tqdm bars on the command line (`progress`), and an `on_progress(stage, done, total)`
callback for the import run's page: called when each stage starts (reading, validating,
checking, writing: ImportStage), every PROGRESS_STEP sources or a batch of rows as it goes,
and once it ends, with counts that only grow within a stage and end at its total (a total of
0 means it cannot be counted).
"""

import contextlib
import csv
import io
import json
import math
import re
import uuid
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from tqdm import tqdm

from sameboat.core.nul import holds_nul
from sameboat.core.nul import message as nul_message
from sameboat.directory import validation
from sameboat.directory.exporting import Holdings
from sameboat.directory.models import MODELS, ImportStage, Record
from sameboat.directory.tables import REFERENCES_BY_ENTITY, TABLE_BY_PATH, TABLES, Column
from sameboat.networks.models import Network

BATCH = 500  # rows written per transaction
PROGRESS_STEP = 100  # sources validated between two progress reports
OBJECT_KINDS = ("service", "organization", "service_at_location", "taxonomy", "taxonomy_term")
PLURALS = {
    "services": "service",
    "organizations": "organization",
    "service_at_locations": "service_at_location",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Values = dict[str, Any]
OnProgress = Callable[[str, int, int], None]


class ImportFailed(Exception):
    """The input cannot be read at all (no such file, not JSON, no CSV of an HSDS table)."""


class Stage:
    """One stage of an import, told to `on_progress`: when it starts, every `step` units,
    and when it ends (done == total, unless the stage cannot be counted: total 0)."""

    def __init__(
        self, on_progress: OnProgress | None, stage: str, total: int, *, step: int = 1
    ) -> None:
        self.on_progress = on_progress
        self.stage = stage
        self.total = total
        self.step = step
        self.done = 0
        self._told = 0
        if on_progress:
            on_progress(stage, 0, total)

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.on_progress and self.done - self._told >= self.step:
            self._told = self.done
            self.on_progress(self.stage, self.done, self.total)

    def end(self) -> None:
        if self.on_progress and self._told != self.done:
            self._told = self.done
            self.on_progress(self.stage, self.done, self.total)


@dataclass(frozen=True)
class Problem:
    where: str  # "services.json, item 3" or "phones.csv, row 17"
    table: str  # the HSDS table of the record at fault
    id: str | None  # its HSDS id, when it has one
    path: str  # the JSON path or the column ("$.phones[0].number", "number")
    reason: str

    def __str__(self) -> str:
        record = f" {self.table} {self.id}" if self.id else f" {self.table}"
        path = f" {self.path}:" if self.path else ""
        return f"{self.where}:{record}:{path} {self.reason}"


@dataclass
class ImportReport:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources: int = 0  # documents or rows read
    rejected: int = 0  # of which invalid

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values())

    def summary(self) -> str:
        def line(label: str, counts: Counter[str]) -> str:
            total = sum(counts.values())
            detail = ", ".join(f"{table} {n}" for table, n in sorted(counts.items()) if n)
            return f"{label}: {total}" + (f" ({detail})" if detail else "")

        return "\n".join(
            [
                f"read {self.sources}, invalid {self.rejected}",
                line("created", self.created),
                line("updated", self.updated),
                line("unchanged", self.unchanged),
                line("deleted", self.deleted),
            ]
        )


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _convert(kind: str, raw: Any) -> tuple[Any, str | None]:
    """The stored value of a field of `kind`, from its (already schema-valid) JSON value."""
    if raw is None or raw == "":
        return ("" if kind in ("string", "enum") else None), None
    if kind in ("string", "enum"):
        return raw, None
    if kind == "uuid":
        return uuid.UUID(raw), None
    if kind == "number":
        return float(raw), None
    if kind == "date":
        if isinstance(raw, str) and _DATE.match(raw):
            try:
                return date.fromisoformat(raw), None
            except ValueError:
                pass
        return None, _("%(value)r is not a date (YYYY-MM-DD)") % {"value": raw}
    moment = datetime.fromisoformat(str(raw).replace("z", "Z"))
    return moment.astimezone(UTC), None


# Each table's fields as the importer goes through them: (name, kind, required by HSDS).
_PLAN = {
    table: tuple((column.name, column.kind, column.tabular_required) for column in spec.columns)
    for table, spec in TABLES.items()
}


def _key(value: Any) -> str:
    """A record's id as the importer keys it: the canonical text of the UUID (hashing text is
    several times cheaper than hashing uuid.UUID, and an import hashes ids a lot)."""
    return str(value)


@dataclass
class Staged:
    values: Values
    sources: list[int]
    paths: dict[int, str]  # where the record is in each source


@dataclass
class _Local:
    """The records of one source, before they join the others."""

    rows: dict[tuple[str, str], tuple[Values, str]] = field(default_factory=dict)
    replaced: set[tuple[str, str, str | None, str]] = field(default_factory=set)
    # table, id, path, why
    problems: list[tuple[str, str | None, str, str]] = field(default_factory=list)


def _merge(into: Values, new: Values) -> str | None:
    """The first field on which two copies of a record disagree (an empty field agrees with
    anything), or None, in which case `into` now holds both."""
    for column, value in new.items():
        if not _empty(value) and not _empty(into[column]) and into[column] != value:
            return column
    for column, value in new.items():
        if not _empty(value) and _empty(into[column]):
            into[column] = value
    return None


class Importer:
    """One import into one network: add sources, then `write()`."""

    def __init__(
        self, network: Network, *, progress: bool = False, on_progress: OnProgress | None = None
    ) -> None:
        self.network = network
        self.progress = progress
        self.on_progress = on_progress
        self.report = ImportReport()
        # table -> id -> the record, with the sources that hold it
        self.rows: dict[str, dict[str, Staged]] = {table: {} for table in TABLES}
        self.labels: list[tuple[str, str | None]] = []
        self.rejected: set[int] = set()
        # (child table, column, entity) -> parent id -> the sources that give the whole list
        self.replaced: dict[tuple[str, str, str | None], dict[str, list[int]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.tables_given: set[str] = set()
        # Ids of invalid rows: a newer version that is invalid does not remove the stored one.
        self.mentioned: dict[str, set[str]] = defaultdict(set)
        self._stored: dict[tuple[str, str, str | None], bool] = {}

    # Sources -------------------------------------------------------------------------------

    def _source(self, where: str, record_id: Any) -> int:
        self.labels.append((where, record_id if isinstance(record_id, str) else None))
        self.report.sources += 1
        return len(self.labels) - 1

    def _reject(
        self, source: int, path: str, reason: str, *, table: str, record_id: str | None
    ) -> None:
        where, _top_id = self.labels[source]
        if source not in self.rejected:
            self.rejected.add(source)
            self.report.rejected += 1
        self.report.problems.append(Problem(where, table, record_id, path, reason))

    def add_document(self, kind: str, document: Any, where: str) -> None:
        """One JSON document: a record of `kind` (a table) with what is nested in it."""
        source = self._source(where, document.get("id") if isinstance(document, dict) else None)
        if holds_nul(document):  # PostgreSQL cannot store it: refused here, not by the database
            record_id = document.get("id") if isinstance(document, dict) else None
            self._reject(
                source,
                "$",
                nul_message(),
                table=kind,
                record_id=record_id if isinstance(record_id, str) else None,
            )
            return
        invalid = validation.errors(validation.document_validator(kind), document)
        if invalid:
            for problem in invalid:
                table, record_id = locate(kind, document, problem.parts)
                self._reject(source, problem.path, problem.reason, table=table, record_id=record_id)
            return
        local = _Local()
        self._walk(local, kind, document, "$", fill={}, defaults={})
        self._stage(source, local)

    def add_row(self, table: str, row: dict[str, Any], where: str) -> None:
        """One row of the tabular form, its cells already typed as the schema says."""
        source = self._source(where, row.get("id"))
        if holds_nul(row):  # PostgreSQL cannot store it: refused here, not by the database
            record_id = row.get("id")
            self._reject(
                source,
                "",
                nul_message(),
                table=table,
                record_id=record_id if isinstance(record_id, str) else None,
            )
            return
        invalid = validation.errors(validation.row_validator(table), row)
        if invalid:
            # Still listed, though invalid: a list replaced by this package keeps it.
            with contextlib.suppress(ValueError):
                self.mentioned[table].add(_key(uuid.UUID(str(row.get("id")))))
            record_id = row.get("id")
            for problem in invalid:
                self._reject(
                    source,
                    problem.path.removeprefix("$").lstrip("."),
                    problem.reason,
                    table=table,
                    record_id=record_id if isinstance(record_id, str) else None,
                )
            return
        local = _Local()
        self._walk(local, table, row, "", fill={}, defaults={})
        self._stage(source, local)

    def _walk(
        self,
        local: _Local,
        table: str,
        obj: dict[str, Any],
        path: str,
        *,
        fill: Values,
        defaults: Values,
    ) -> uuid.UUID:
        """Take a (schema-valid) record apart, with what is nested in it, into `local`."""
        spec = TABLES[table]
        values: Values = {}
        record_id = str(obj["id"])
        dot = f"{path}." if path else ""
        for name, kind, _required in _PLAN[table]:
            value, problem = _convert(kind, obj.get(name))
            if problem:
                local.problems.append((table, record_id, f"{dot}{name}", problem))
            values[name] = value
        for name, value in fill.items():
            if _empty(values[name]):
                values[name] = value
            elif values[name] != value:
                local.problems.append(
                    (
                        table,
                        record_id,
                        f"{dot}{name}",
                        _("is %(given)s, but the record is nested in %(parent)s")
                        % {"given": values[name], "parent": value},
                    )
                )
        for name, value in defaults.items():
            if _empty(values[name]):
                values[name] = value
        for one in spec.one:
            nested = obj.get(one.prop)
            if nested is None:
                continue
            inner: Values = {}
            if (table, one.prop) == ("service", "program"):
                # A program belongs to an organization; nested in a service without saying
                # which, it is the service's.
                inner = {"organization_id": values["organization_id"]}
            child = self._walk(
                local, one.table, nested, f"{dot}{one.prop}", fill={}, defaults=inner
            )
            if _empty(values[one.column]):
                values[one.column] = child
            elif values[one.column] != child:
                local.problems.append(
                    (
                        table,
                        record_id,
                        f"{dot}{one.column}",
                        _("is %(given)s, but the %(prop)s nested here is %(nested)s")
                        % {"given": values[one.column], "prop": one.prop, "nested": child},
                    )
                )
        key = _key(values["id"])
        for many in spec.many:
            items = obj.get(many.prop)
            if items is None:
                continue
            inner = {many.column: values["id"]}
            if many.entity:
                inner[many.entity] = table
            for index, item in enumerate(items):
                self._walk(
                    local, many.table, item, f"{dot}{many.prop}[{index}]", fill=inner, defaults={}
                )
            local.replaced.add((many.table, many.column, table if many.entity else None, key))
        for name, _kind, required in _PLAN[table]:
            if required and _empty(values[name]):
                local.problems.append(
                    (
                        table,
                        record_id,
                        f"{dot}{name}",
                        _("is required: give it, or nest the record in what it belongs to"),
                    )
                )
        if (table, key) in local.rows:
            first, where = local.rows[(table, key)]
            conflict = _merge(first, values)
            if conflict:
                local.problems.append(
                    (
                        table,
                        record_id,
                        f"{dot}{conflict}",
                        _("differs from the same %(table)s at %(other)s")
                        % {"table": table, "other": where or "$"},
                    )
                )
        else:
            local.rows[(table, key)] = (values, path)
        return values["id"]

    def _stage(self, source: int, local: _Local) -> None:
        """Add a source's records to the others, or reject it if it disagrees with them."""
        if local.problems:
            for table, at, path, reason in local.problems:
                self._reject(source, path, reason, table=table, record_id=at)
            return
        for (table, key), (values, path) in local.rows.items():
            staged = self.rows[table].get(key)
            if staged is None or not self._alive(staged):
                continue
            conflict = next(
                (
                    column
                    for column, value in values.items()
                    if not _empty(value)
                    and not _empty(staged.values[column])
                    and staged.values[column] != value
                ),
                None,
            )
            if conflict:
                first = self.labels[next(s for s in staged.sources if s not in self.rejected)][0]
                self._reject(
                    source,
                    f"{path}.{conflict}" if path else conflict,
                    _("%(table)s %(id)s has another %(column)s in %(first)s")
                    % {"table": table, "id": key, "column": conflict, "first": first},
                    table=table,
                    record_id=key,
                )
        if source in self.rejected:
            return
        for (table, key), (values, path) in local.rows.items():
            staged = self.rows[table].get(key)
            if staged is None or not self._alive(staged):
                self.rows[table][key] = Staged(values, [source], {source: path})
            else:
                _merge(staged.values, values)
                staged.sources.append(source)
                staged.paths[source] = path
        for child, column, entity, parent in local.replaced:
            self.replaced[(child, column, entity)][parent].append(source)

    def _alive(self, staged: Staged) -> bool:
        return any(source not in self.rejected for source in staged.sources)

    # References ----------------------------------------------------------------------------

    def _references(self, table: str, values: Values) -> Iterator[tuple[str, str, Any]]:
        """(target table, column, id) for each reference of a record that must resolve."""
        for target, column in TABLES[table].references:
            yield target, column, values[column]
        if table in REFERENCES_BY_ENTITY:
            id_column, entity_column = REFERENCES_BY_ENTITY[table]
            yield values[entity_column], id_column, values[id_column]

    def _resolve(self) -> None:
        """Reject the sources of records that belong to a record of no source left and not in
        the directory, until none is left."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for table, rows in self.rows.items():
            for staged in rows.values():
                for target, _column, ref in self._references(table, staged.values):
                    if ref is not None and target in TABLES:
                        wanted[target].add(_key(ref))
        stored = {
            target: set(_existing_ids(self.network, target, ids)) for target, ids in wanted.items()
        }
        changed = True
        while changed:
            changed = False
            for table, rows in self.rows.items():
                for key, staged in rows.items():
                    if not self._alive(staged):
                        continue
                    for target, column, ref in self._references(table, staged.values):
                        if ref is None:
                            continue
                        if target not in TABLES:
                            column = REFERENCES_BY_ENTITY[table][1]
                            reason = _("%(value)r is not an HSDS table") % {"value": target}
                        else:
                            found = self.rows[target].get(_key(ref))
                            if (found and self._alive(found)) or _key(ref) in stored[target]:
                                continue
                            reason = _("no %(table)s of this directory has the id %(id)s") % {
                                "id": ref,
                                "table": target,
                            }
                        for source in staged.sources:
                            if source not in self.rejected:
                                path = staged.paths[source]
                                self._reject(
                                    source,
                                    f"{path}.{column}" if path else column,
                                    reason,
                                    table=table,
                                    record_id=key,
                                )
                        changed = True
                        break

    # Writing -------------------------------------------------------------------------------

    def write(self) -> ImportReport:
        # Resolving goes over the records until nothing more is rejected: it has no count.
        Stage(self.on_progress, ImportStage.CHECKING, 0).end()
        self._resolve()
        # Whether the network holds any record nested each way a list is replaced, asked
        # before writing: nothing can be removed where there is nothing (a first import), and
        # asking once spares a query per batch of parents.
        holdings = Holdings(self.network)
        self._stored = {key: holdings.any(*key) for key in self.replaced}
        tables = {
            table: [staged.values for staged in self.rows[table].values() if self._alive(staged)]
            for table in TABLES
        }
        stage = Stage(
            self.on_progress, ImportStage.WRITING, sum(len(alive) for alive in tables.values())
        )
        for table, alive in tables.items():
            # Into a table the network holds nothing in (a first import), everything is new:
            # no need to read what is stored, batch after batch.
            new = bool(alive) and not MODELS[table].objects.filter(network=self.network).exists()
            for start in tqdm(
                range(0, len(alive), BATCH),
                desc=f"writing {table}",
                unit="batch",
                disable=not self.progress or len(alive) <= BATCH,
            ):
                batch = alive[start : start + BATCH]
                self._write_batch(table, batch, new=new)
                stage.advance(len(batch))
        self._remove_replaced()
        stage.end()
        return self.report

    @transaction.atomic
    def _write_batch(self, table: str, batch: list[Values], *, new: bool) -> None:
        model = MODELS[table]
        columns = [column for column in TABLES[table].column_names if column != "id"]
        stored = (
            {}
            if new
            else {
                row["id"]: row
                for row in model.objects.filter(
                    network=self.network, id__in=[values["id"] for values in batch]
                ).values("key", "id", *columns)
            }
        )
        create: list[Values] = []
        update: list[Record] = []
        fields: set[str] = set()
        for values in batch:
            old = stored.get(values["id"])
            if old is None:
                create.append(values)
                continue
            different = {column for column in columns if old[column] != values[column]}
            if different:
                update.append(model(key=old["key"], network=self.network, **values))
                fields |= different
            else:
                self.report.unchanged[table] += 1
        if create:
            _insert(model, self.network, create, columns)
            self.report.created[table] += len(create)
        if update:
            model.objects.bulk_update(update, sorted(fields))
            self.report.updated[table] += len(update)

    def _remove_replaced(self) -> None:
        doomed: dict[str, set[str]] = defaultdict(set)
        keep: dict[str, set[str]] = {}
        for (child, column, entity), parents in self.replaced.items():
            if not self._stored[(child, column, entity)]:
                continue
            claimed = [
                parent
                for parent, sources in parents.items()
                if any(source not in self.rejected for source in sources)
            ]
            if child not in keep:
                # Whatever the import names, valid or not, stays: only a record it no longer
                # lists goes (an invalid newer version is reported, the stored one kept).
                keep[child] = set(self.rows[child]) | self.mentioned[child]
            for ids in _chunks(claimed, BATCH):
                rows = MODELS[child].objects.filter(network=self.network, **{f"{column}__in": ids})
                if entity:
                    rows = rows.filter(**{REFERENCES_BY_ENTITY[child][1]: entity})
                found = {_key(record_id) for record_id in rows.values_list("id", flat=True)}
                doomed[child].update(found - keep[child])
        remove(self.network, doomed, self.report.deleted)


def locate(kind: str, document: Any, parts: Iterable[str | int]) -> tuple[str, str | None]:
    """The table and id of the innermost record on a JSON path into a document of `kind`:
    the record a schema error is about."""
    table, node = kind, document
    found = (table, document.get("id") if isinstance(document, dict) else None)
    steps = list(parts)
    while steps and isinstance(node, dict):
        prop = steps.pop(0)
        nested = {r.prop: r.table for r in TABLES[table].many} | {
            r.prop: r.table for r in TABLES[table].one
        }
        if prop not in nested:
            break
        node = node.get(str(prop))
        if isinstance(node, list):
            index = steps.pop(0) if steps else None
            if not isinstance(index, int) or index >= len(node):
                break
            node = node[index]
        if not isinstance(node, dict):
            break
        table = nested[str(prop)]
        record_id = node.get("id")
        found = (table, record_id if isinstance(record_id, str) else None)
    return found


def _insert(model: type[Record], network: Network, rows: list[Values], columns: list[str]) -> None:
    """Insert rows with one prepared statement run for each. bulk_create would do, but builds
    a model instance and compiles every value of every row into its SQL: four fifths of the
    time of a first import went there (bench/directory.py). Each value is still prepared
    by its own field, as bulk_create would, so it works on every database Django supports."""
    by_name = {field.name: field for field in model._meta.concrete_fields}
    fields = [by_name[name] for name in ("network", "id", *columns)]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from our models
        quote(model._meta.db_table),
        ", ".join(quote(str(field.column)) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    prepare = [field.get_db_prep_save for field in fields[1:]]
    names = ("id", *columns)
    params = [
        [
            network.pk,
            *(to_db(row[name], connection) for to_db, name in zip(prepare, names, strict=True)),
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_ids(network: Network, table: str, ids: Iterable[str]) -> Iterator[str]:
    for chunk in _chunks(list(ids), BATCH * 4):
        for record_id in (
            MODELS[table].objects.filter(network=network, id__in=chunk).values_list("id", flat=True)
        ):
            yield _key(record_id)


# What belongs to a record, beyond what nests in it: a service at a location is nothing
# without its location.
_BELONGS = {"location": (("service_at_location", "location_id", None),)}


def remove(network: Network, doomed: dict[str, set[str]], counts: Counter[str]) -> None:
    """Remove records of the network's directory (by id), and whatever belongs to them."""
    pending = {table: set(ids) for table, ids in doomed.items() if ids}
    seen: dict[str, set[str]] = defaultdict(set)
    while pending:
        table, ids = pending.popitem()
        ids -= seen[table]
        if not ids:
            continue
        seen[table] |= ids
        relations = [(m.table, m.column, table if m.entity else None) for m in TABLES[table].many]
        relations += list(_BELONGS.get(table, ()))
        for child, column, entity in relations:
            for chunk in _chunks(sorted(ids), BATCH):
                rows = MODELS[child].objects.filter(network=network, **{f"{column}__in": chunk})
                if entity:
                    rows = rows.filter(**{REFERENCES_BY_ENTITY[child][1]: entity})
                found = {_key(record_id) for record_id in rows.values_list("id", flat=True)}
                found -= seen[child]
                if found:
                    pending.setdefault(child, set()).update(found)
    for table, ids in seen.items():
        for chunk in _chunks(sorted(ids), BATCH):
            with transaction.atomic():
                deleted, _by_model = (
                    MODELS[table].objects.filter(network=network, id__in=chunk).delete()
                )
            counts[table] += deleted


# Reading -------------------------------------------------------------------------------------


def _no_constant(name: str) -> Any:
    raise ValueError(_("%(name)s is not a JSON number") % {"name": name})


def read_json(text: str | bytes, *, where: str) -> Any:
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportFailed(
            _("%(where)s is not valid JSON: %(error)s") % {"where": where, "error": error}
        ) from error


_HINTS = {
    "service": {"status"},
    "service_at_location": {"location", "location_id", "service_id"},
    "organization": {
        "services",
        "locations",
        "programs",
        "organization_identifiers",
        "website",
        "legal_status",
        "year_incorporated",
        "parent_organization_id",
        "logo",
        "tax_status",
        "tax_id",
    },
    "taxonomy_term": {
        "taxonomy_detail",
        "taxonomy_id",
        "parent_id",
        "code",
        "term_uri",
        "taxonomy",
    },
    "taxonomy": {"version"},
}


def guess_kind(items: list[Any], name: str) -> str | None:
    """What the objects of a file are: from its name (services.json...), else from their keys."""
    stem = PurePosixPath(name).stem.lower()
    names = {**PLURALS, **{kind: kind for kind in OBJECT_KINDS}}
    for prefix in sorted(names, key=len, reverse=True):
        if stem.startswith(prefix):
            return names[prefix]
    keys = set().union(*(item.keys() for item in items if isinstance(item, dict)))
    matches = [kind for kind, hints in _HINTS.items() if keys & hints]
    return matches[0] if len(matches) == 1 else None


def add_json(importer: Importer, data: Any, *, where: str, kind: str | None = None) -> None:
    """A JSON file's documents: one object, an array of them, or a page of the HSDS API."""
    if isinstance(data, dict) and "contents" in data:
        envelope = {key: value for key, value in data.items() if key != "contents"}
        invalid = validation.errors(validation.page_validator(), envelope)
        if not isinstance(data["contents"], list):
            raise ImportFailed(_("%(where)s: contents is not a list") % {"where": where})
        if invalid:
            raise ImportFailed(
                _("%(where)s is not an HSDS page: %(problems)s")
                % {"where": where, "problems": "; ".join(map(str, invalid))}
            )
        items = data["contents"]
    elif isinstance(data, list):
        items = data
    elif isinstance(data, dict):
        items = [data]
    else:
        raise ImportFailed(_("%(where)s holds no HSDS object") % {"where": where})
    kind = kind or guess_kind(items, where)
    if kind is None:
        raise ImportFailed(
            _(
                "%(where)s: cannot tell which HSDS objects these are; say it with --objects "
                "(services, organizations, service_at_locations, taxonomies, taxonomy_terms)"
            )
            % {"where": where}
        )
    single = isinstance(data, dict) and "contents" not in data
    stage = Stage(importer.on_progress, ImportStage.VALIDATING, len(items), step=PROGRESS_STEP)
    for number, item in enumerate(
        tqdm(
            items, desc="validating", unit="doc", disable=not importer.progress or len(items) < 100
        ),
        start=1,
    ):
        importer.add_document(kind, item, where if single else f"{where}, item {number}")
        stage.advance()
    stage.end()


def _typed(column: Column, cell: str | None) -> Any:
    """A CSV cell as the JSON value the schema expects (absent when empty)."""
    if cell is None or cell == "":
        # An empty cell is an empty string where the schema requires a string, else absent.
        return "" if column.kind == "string" and column.required else None
    if column.kind == "number":
        try:
            number = float(cell)
        except ValueError:
            return cell
        return number if math.isfinite(number) else cell
    return cell


# A file this small is no bomb whatever its ratio (a short CSV of empty cells packs well).
RATIO_CHECKED_FROM = 1024 * 1024


def zip_refusal(archive: zipfile.ZipFile) -> str | None:
    """Why a zip must not be unpacked (a zip bomb, ASVS 12.1.2), or None if it may.

    Judged from the sizes the zip's directory declares, before anything is unpacked: each
    file's, and all of them together, against DIRECTORY_IMPORT_MAX_UNPACKED_BYTES; and how
    many times each file is compressed, against DIRECTORY_IMPORT_MAX_COMPRESSION_RATIO. A zip
    cannot give more than it declares: Package.read stops there."""
    most: int = settings.DIRECTORY_IMPORT_MAX_UNPACKED_BYTES
    ratio: int = settings.DIRECTORY_IMPORT_MAX_COMPRESSION_RATIO
    total = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        total += info.file_size
        if total > most:
            return _("it would unpack to more than %(most)s, the most an import may hold") % {
                "most": filesizeformat(most)
            }
        if info.file_size >= RATIO_CHECKED_FROM and info.file_size > ratio * info.compress_size:
            return _(
                "%(file)s is compressed more than %(ratio)d times, which only a zip bomb is"
            ) % {"file": info.filename, "ratio": ratio}
    return None


class Package:
    """A data package: a folder or a zip file of CSV files, with or without datapackage.json."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip = zipfile.ZipFile(path) if path.is_file() else None
        if self._zip:
            refusal = zip_refusal(self._zip)
            if refusal:
                raise ImportFailed(
                    _("%(path)s cannot be imported: %(reason)s")
                    % {"path": path.name, "reason": refusal}
                )
        names = (
            [name for name in self._zip.namelist() if not name.endswith("/")]
            if self._zip
            else [p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()]
        )
        # A zip may hold the package in a folder of its own: the one of datapackage.json, or
        # else of the first file named as an HSDS table.
        descriptor = sorted(
            (name for name in names if PurePosixPath(name).name == "datapackage.json"), key=len
        )
        tables = sorted(
            (name for name in names if PurePosixPath(name).name in TABLE_BY_PATH), key=len
        )
        anchor = descriptor or tables
        self.root = str(PurePosixPath(anchor[0]).parent) if anchor else ""
        if self.root == ".":
            self.root = ""
        self.names = names
        self.descriptor = json.loads(self.read("datapackage.json")) if descriptor else None

    def _full(self, name: str) -> str:
        return f"{self.root}/{name}" if self.root else name

    def read(self, name: str) -> str:
        full = self._full(name)
        if self._zip:
            # Never more than the zip declared (and zip_refusal allowed): a file whose data
            # unpacks past its declared size is cut there, and then fails its CRC check.
            info = self._zip.getinfo(full)
            with self._zip.open(info) as member:
                data = member.read(info.file_size + 1)
            if len(data) > info.file_size:
                raise zipfile.BadZipFile(_("%(file)s is larger than it says") % {"file": full})
            return data.decode("utf-8-sig")
        return (self.path / full).read_text(encoding="utf-8-sig")

    def tables(self) -> tuple[dict[str, str], list[str]]:
        """The CSV file of each table it holds, and what it holds or names that is no table."""
        found: dict[str, str] = {}
        others: list[str] = []
        if self.descriptor:
            for resource in self.descriptor.get("resources", []):
                name, path = resource.get("name"), resource.get("path")
                table = name if name in TABLES else TABLE_BY_PATH.get(str(path))
                if not isinstance(path, str) or self._full(path) not in self.names:
                    others.append(str(path))
                elif table:
                    found[table] = path
        else:
            prefix = f"{self.root}/" if self.root else ""
            for name in self.names:
                relative = name.removeprefix(prefix)
                if relative in TABLE_BY_PATH:
                    found[TABLE_BY_PATH[relative]] = relative
        prefix = f"{self.root}/" if self.root else ""
        others += [
            name.removeprefix(prefix)
            for name in self.names
            if name.endswith(".csv") and name.removeprefix(prefix) not in found.values()
        ]
        return found, others


def _count_rows(text: str) -> int:
    """The rows csv.DictReader gives of a CSV text: those after the header, less empty lines."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader, None)
    return sum(1 for row in reader if row)


def add_package(importer: Importer, path: Path) -> None:
    try:
        package = Package(path)
    except (OSError, zipfile.BadZipFile, ValueError) as error:
        raise ImportFailed(
            _("%(path)s is not a data package: %(error)s") % {"path": path, "error": error}
        ) from error
    tables, others = package.tables()
    if not tables:
        raise ImportFailed(
            _("%(path)s holds no CSV file of an HSDS table (organizations.csv, services.csv...)")
            % {"path": path}
        )
    for other in others:
        importer.report.warnings.append(
            _("%(file)s: not an HSDS table, or not in the package: left out") % {"file": other}
        )
    # Every table is read (and its rows counted, for the progress) before any is validated;
    # the texts are let go one by one as their rows are validated.
    order = sorted(tables, key=lambda name: TABLES[name].order)
    texts: dict[str, str] = {}
    counts: dict[str, int] = {}
    reading = Stage(importer.on_progress, ImportStage.READING, len(order))
    for table in order:
        try:
            text = package.read(tables[table])
        except (OSError, zipfile.BadZipFile, zlib.error, UnicodeDecodeError) as error:
            raise ImportFailed(
                _("%(file)s cannot be read: %(error)s") % {"file": tables[table], "error": error}
            ) from error
        texts[table] = text
        counts[table] = _count_rows(text)
        reading.advance()
    reading.end()
    validating = Stage(
        importer.on_progress,
        ImportStage.VALIDATING,
        sum(counts.values()),
        step=PROGRESS_STEP,
    )
    for table in order:
        file = tables[table]
        reader = csv.DictReader(io.StringIO(texts.pop(table), newline=""))
        header = reader.fieldnames or []
        spec = TABLES[table]
        if "id" not in header:
            importer.report.problems.append(
                Problem(file, table, None, "", _("has no id column: left out"))
            )
            validating.advance(counts[table])
            continue
        importer.tables_given.add(table)
        for extra in [name for name in header if name not in spec.column_names]:
            importer.report.warnings.append(
                _("%(file)s: column %(column)s is not an HSDS field of %(table)s: left out")
                % {"file": file, "column": extra, "table": table}
            )
        rows = list(reader)
        for number, cells in enumerate(
            tqdm(rows, desc=file, unit="row", disable=not importer.progress or len(rows) < 1000),
            start=2,
        ):
            row = {}
            for column in spec.columns:
                value = _typed(column, cells.get(column.name))
                if value is not None:
                    row[column.name] = value
            importer.add_row(table, row, f"{file}, row {number}")
            validating.advance()
    validating.end()
    _claim_tabular_lists(importer)


def _claim_tabular_lists(importer: Importer) -> None:
    """A package that holds a table gives, for each parent record it holds, the whole list of
    that parent's records in the table (as a document that holds the list does)."""
    for parent in importer.tables_given:
        for many in TABLES[parent].many:
            if many.table not in importer.tables_given:
                continue
            entity = parent if many.entity else None
            for record_id, staged in importer.rows[parent].items():
                importer.replaced[(many.table, many.column, entity)][record_id].extend(
                    staged.sources
                )


def import_path(
    network: Network,
    path: Path,
    *,
    form: str | None = None,
    kind: str | None = None,
    progress: bool = False,
    on_progress: OnProgress | None = None,
    log: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import a JSON file, or a data package (a folder or a .zip), into the network."""
    if not path.exists():
        raise ImportFailed(_("%(path)s does not exist") % {"path": path})
    if form is None:
        form = "json" if path.is_file() and path.suffix.lower() == ".json" else "tabular"
    importer = Importer(network, progress=progress, on_progress=on_progress)
    if form == "json":
        if not path.is_file():
            raise ImportFailed(_("%(path)s is not a JSON file") % {"path": path})
        reading = Stage(on_progress, ImportStage.READING, 1)
        data = read_json(path.read_bytes(), where=path.name)
        reading.advance()
        reading.end()
        add_json(importer, data, where=path.name, kind=kind)
        # Let go before writing: the parsed documents are freed once taken apart.
        del data
    else:
        add_package(importer, path)
    if log:
        log(
            _("validated %(count)d, invalid %(invalid)d; writing")
            % {"count": importer.report.sources, "invalid": importer.report.rejected}
        )
    return importer.write()
