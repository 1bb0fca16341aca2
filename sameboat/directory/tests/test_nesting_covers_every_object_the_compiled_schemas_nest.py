"""The importer and the exporter know every array and object the official compiled schemas
nest, at every depth: nothing a document may hold is silently dropped."""

from typing import Any

from sameboat.directory.tables import DOCUMENTS, TABLES, load_json


# Which table each nested property of a table holds records of.
def _nested(table: str) -> dict[str, str]:
    spec = TABLES[table]
    return {relation.prop: relation.table for relation in (*spec.many, *spec.one)}


def _walk(schema: dict[str, Any], table: str, path: str, seen: list[str]) -> None:
    for prop, inner in schema["properties"].items():
        if prop in TABLES[table].column_names:
            continue
        nested = _nested(table)
        assert prop in nested, f"{path}.{prop} is not known"
        child = inner.get("items", inner)
        assert child.get("type") == "object" and "properties" in child, f"{path}.{prop}"
        seen.append(f"{path}.{prop}")
        _walk(child, nested[prop], f"{path}.{prop}", seen)


def test_every_nested_property_of_the_compiled_schemas_is_known() -> None:
    for kind, (shape, schema_file) in DOCUMENTS.items():
        if not schema_file.startswith("compiled/"):
            continue
        seen: list[str] = []
        _walk(load_json(schema_file), shape.table, kind, seen)
        assert seen or kind.endswith("_list")


def test_every_column_is_a_property_of_its_table_schema() -> None:
    for table, spec in TABLES.items():
        properties = load_json(f"{table}.json")["properties"]
        for column in spec.columns:
            assert properties[column.name]["type"] in ("string", "number")
