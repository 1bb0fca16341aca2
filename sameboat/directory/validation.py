"""Validation against the official HSDS 3.0 schemas (no Django).

Every schema file is registered, once, in a `referencing` registry under the address the
HSDS OpenAPI document uses for it, so the OpenAPI document's own $refs (the paginated list
forms, the `Page` envelope) resolve to the local copies, and so do the relative $refs of the
table schemas (`taxonomy_term.json` names `taxonomy.json`). Each validator is built once and
kept. The schemas declare no dialect; the OpenAPI document declares JSON Schema 2020-12.

Formats: JSON Schema 2020-12 treats `format` as a note unless asked, so we ask for the ones a
record cannot be stored without: `uuid` (every id and reference), `date-time`
(`service.last_modified`) and `email` (jsonschema's check: it holds an @). `uri` stays a
note, as jsonschema cannot check it without an extra library.
"""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from sameboat.directory.tables import DOCUMENTS, LIST_PATHS, SCHEMA_BASE_URI, SCHEMA_DIR, load_json

MESSAGE_MAX = 200

_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _uuid(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    try:
        uuid.UUID(instance)
    except ValueError:
        return False
    # uuid.UUID also takes braces, URNs and undashed hex: HSDS means the canonical form.
    return len(instance) == 36 and all(instance[i] == "-" for i in (8, 13, 18, 23))


def _date_time(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not _DATE_TIME.match(instance):
        return False
    try:
        datetime.fromisoformat(instance.replace("z", "Z"))
    except ValueError:
        return False
    return True


def _email(instance: object) -> bool:
    return not isinstance(instance, str) or "@" in instance


FORMATS = FormatChecker(formats=())
FORMATS.checks("uuid")(_uuid)
FORMATS.checks("date-time")(_date_time)
FORMATS.checks("email")(_email)


def uri(relative: str) -> str:
    """The address a schema file is registered under."""
    return SCHEMA_BASE_URI + relative


@cache
def registry() -> Registry[Any]:
    resources = []
    for path in sorted(SCHEMA_DIR.rglob("*.json")):
        relative = path.relative_to(SCHEMA_DIR).as_posix()
        resource = Resource.from_contents(load_json(relative), default_specification=DRAFT202012)
        resources.append((uri(relative), resource))
    return Registry().with_resources(resources).crawl()


@cache
def validator(reference: str) -> Draft202012Validator:
    """A validator for the schema at `reference` (an address, with a fragment or not)."""
    return Draft202012Validator({"$ref": reference}, registry=registry(), format_checker=FORMATS)


def document_validator(kind: str) -> Draft202012Validator:
    """For one document of a kind of `tables.DOCUMENTS`: a full service, a list item..."""
    return validator(uri(DOCUMENTS[kind][1]))


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def page_validator(kind: str | None = None) -> Draft202012Validator:
    """The HSDS API's paginated list holding items of `kind` (its whole answer, as the
    OpenAPI document defines it), or, without a kind, the `Page` envelope alone."""
    if kind is None:
        return validator(uri("openapi.json") + "#/components/schemas/Page")
    path = _pointer("paths", LIST_PATHS[kind], "get", "responses", "200", "content")
    return validator(uri("openapi.json") + f"#/{path}/{_pointer('application/json')}/schema")


def row_validator(table: str) -> Draft202012Validator:
    """For one row of a table in the tabular form."""
    return validator(uri("compiled/tabular.json") + f"#/properties/{table}/items")


@dataclass(frozen=True)
class Invalid:
    path: str  # where in the document or row, as a JSON path ("$.phones[0].number")
    reason: str
    parts: tuple[str | int, ...] = ()  # the same path, step by step

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def json_path(parts: Any) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _short(message: str) -> str:
    return message if len(message) <= MESSAGE_MAX else message[: MESSAGE_MAX - 1] + "…"


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    # "is not valid under any of the given schemas" says little: its context says why.
    if error.context:
        for inner in error.context:
            yield from _leaves(inner)
    else:
        yield error


def errors(checker: Draft202012Validator, instance: Any, *, prefix: str = "$") -> list[Invalid]:
    """What is wrong with `instance`, deepest first, one line each (nothing if it is valid)."""
    found = []
    for error in checker.iter_errors(instance):
        for leaf in _leaves(error):
            path = json_path(leaf.absolute_path)
            found.append(
                Invalid(prefix + path[1:], _short(leaf.message), tuple(leaf.absolute_path))
            )
    return sorted(set(found), key=lambda invalid: (invalid.path, invalid.reason))
