"""One model per HSDS table, with exactly the fields of the official schemas (schema.csv's,
and the JSON schemas' few more), their types and their enumerations."""

from django.db import models

from sameboat.directory.models import MODELS, Record
from sameboat.directory.tables import TABLES, schema_csv_rows

FIELD_CLASS = {
    "uuid": models.UUIDField,
    "string": models.TextField,
    "enum": models.CharField,
    "number": models.FloatField,
    "date": models.DateField,
    "datetime": models.DateTimeField,
}
OURS = {"key", "network"}


def test_every_table_of_schema_csv_has_a_model() -> None:
    tables = {row["table_name"] for row in schema_csv_rows()}
    assert tables == set(MODELS) == set(TABLES)


def test_each_model_has_the_tables_fields_and_no_other() -> None:
    for table, model in MODELS.items():
        fields = {field.name for field in model._meta.concrete_fields} - OURS
        assert fields == set(TABLES[table].column_names), table


def test_every_field_of_schema_csv_is_a_model_field() -> None:
    for row in schema_csv_rows():
        if row["type"] in ("string", "number"):
            model = MODELS[row["table_name"]]
            assert model._meta.get_field(row["name"]), row


def test_fields_have_the_types_of_the_json_schemas() -> None:
    for table, spec in TABLES.items():
        for column in spec.columns:
            field = MODELS[table]._meta.get_field(column.name)
            assert isinstance(field, FIELD_CLASS[column.kind]), (table, column.name)
            if column.choices:
                assert [value for value, _label in field.choices] == list(column.choices)


def test_fields_hsds_requires_cannot_be_null() -> None:
    for table, spec in TABLES.items():
        for column in spec.columns:
            field = MODELS[table]._meta.get_field(column.name)
            assert field.null == (not column.mandatory and column.kind not in ("string", "enum"))


def test_ids_are_uuids_unique_within_a_network_and_not_the_primary_key() -> None:
    for model in MODELS.values():
        assert issubclass(model, Record)
        assert model._meta.pk.name == "key"
        assert isinstance(model._meta.get_field("id"), models.UUIDField)
        unique = [
            constraint.fields
            for constraint in model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint)
        ]
        assert ("network", "id") in unique
