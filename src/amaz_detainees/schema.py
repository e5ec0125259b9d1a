"""The Table Schema: the one place that knows its shape, its keys and its field types.

Everything that reads a schema's ``primaryKey`` or ``foreignKeys`` goes through ``primary_key`` and
``foreign_keys`` here, which give field lists whether the schema wrote a key as one name or a list.
``check_schema_keys`` refuses any property or constraint this package would otherwise ignore, so a
hand-edited schema is reported, never half-applied. Row keys as text (``cite --fact TABLE:ID``,
``errata.row_key``) are split here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    import pandas as pd

    from .package import Package

TableSchema = dict[str, Any]
FieldSpec = dict[str, Any]


class UnsupportedSchema(Exception):
    """A Table Schema uses a type or property this package does not implement (fail loudly);
    ``field`` names the field concerned, if one is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RowKeyError(ValueError):
    """A key text that does not fit its table's primary key."""


@dataclass(frozen=True)
class ForeignKey:
    """One foreign key with its field lists normalised (``table`` is the referenced resource; a
    self-reference names its own table)."""

    fields: tuple[str, ...]
    table: str
    reference_fields: tuple[str, ...]


KNOWN_FIELD_KEYS = {"name", "type", "format", "title", "description", "constraints", "categories",
                    "example", "trueValues", "falseValues", "bareNumber", "unit", "voice"}
KNOWN_SCHEMA_KEYS = {"$schema", "fields", "primaryKey", "foreignKeys", "missingValues", "description", "title"}
KNOWN_CONSTRAINTS = {"required", "unique", "enum", "minimum", "maximum", "pattern", "minLength", "maxLength"}


def check_schema_keys(table_schema: dict[str, Any], name: str | None = None) -> None:
    """Raise ``UnsupportedSchema`` for any property or constraint this package would silently ignore,
    or whose value has the wrong shape (so a hand-edited schema is reported, never a crash)."""
    if not isinstance(table_schema, dict):
        raise UnsupportedSchema(f"schema {name!r}: must be a JSON object")
    unknown = set(table_schema) - KNOWN_SCHEMA_KEYS
    if unknown:
        raise UnsupportedSchema(f"schema {name!r}: unsupported properties {sorted(unknown)}")
    fields = table_schema.get("fields")
    if not isinstance(fields, list) or not fields or not all(isinstance(f, dict) for f in fields):
        raise UnsupportedSchema(f"schema {name!r}: 'fields' must be a non-empty list of objects")
    for spec in fields:
        field = spec.get("name")
        if not isinstance(field, str) or not field:
            raise UnsupportedSchema(f"schema {name!r}: every field needs a 'name' (text)")
        unknown = set(spec) - KNOWN_FIELD_KEYS
        if unknown:
            raise UnsupportedSchema(f"field {field!r}: unsupported properties {sorted(unknown)}", field)
        _check_field_shape(spec, field)
    names = [f["name"] for f in fields]
    if len(set(names)) != len(names):
        raise UnsupportedSchema(f"schema {name!r}: a field name is used twice")
    _check_keys_shape(table_schema, names, name)


def _fail(field: str, message: str) -> NoReturn:
    raise UnsupportedSchema(f"field {field!r}: {message}", field)


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _check_field_shape(spec: dict[str, Any], field: str) -> None:
    for key in ("type", "format", "title", "description", "voice"):
        if key in spec and not isinstance(spec[key], str):
            _fail(field, f"{key!r} must be text")
    for key in ("trueValues", "falseValues"):
        if key in spec and not _texts(spec[key]):
            _fail(field, f"{key!r} must be a list of text")
    if "categories" in spec and not isinstance(spec["categories"], list):
        _fail(field, "'categories' must be a list")
    constraints = spec.get("constraints", {})
    if not isinstance(constraints, dict):
        _fail(field, "'constraints' must be an object")
    for key in set(constraints) - KNOWN_CONSTRAINTS:
        _fail(field, f"constraint {key!r} is not supported")
    for key in ("required", "unique"):
        if key in constraints and not isinstance(constraints[key], bool):
            _fail(field, f"constraint {key!r} must be true or false")
    enum = constraints.get("enum")
    if "enum" in constraints and (not isinstance(enum, list) or not all(
            isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in enum)):
        _fail(field, "constraint 'enum' must be a list of values of the field's type")
    for key in ("minLength", "maxLength"):
        if key in constraints and (not isinstance(constraints[key], int) or isinstance(constraints[key], bool)):
            _fail(field, f"constraint {key!r} must be an integer")
    if "pattern" in constraints and not isinstance(constraints["pattern"], str):
        _fail(field, "constraint 'pattern' must be text")


def _as_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    return value if _texts(value) and value else None


def _check_keys_shape(table_schema: dict[str, Any], names: list[str], name: str | None) -> None:
    if "primaryKey" in table_schema:
        key = _as_list(table_schema["primaryKey"])
        if key is None or not set(key) <= set(names):
            raise UnsupportedSchema(f"schema {name!r}: 'primaryKey' must name fields of the table")
    if "missingValues" in table_schema and not _texts(table_schema["missingValues"]):
        raise UnsupportedSchema(f"schema {name!r}: 'missingValues' must be a list of text")
    foreign_keys = table_schema.get("foreignKeys", [])
    if not isinstance(foreign_keys, list):
        raise UnsupportedSchema(f"schema {name!r}: 'foreignKeys' must be a list")
    for fk in foreign_keys:
        fields = _as_list(fk.get("fields")) if isinstance(fk, dict) else None
        ref = fk.get("reference") if isinstance(fk, dict) else None
        ref_fields = _as_list(ref.get("fields")) if isinstance(ref, dict) else None
        if (fields is None or ref_fields is None or len(fields) != len(ref_fields) or not set(fields) <= set(names)
                or not isinstance(ref, dict) or not isinstance(ref.get("resource", ""), str)):
            raise UnsupportedSchema(f"schema {name!r}: each foreign key needs 'fields' of the table and a "
                                    "'reference' with a 'resource' and as many 'fields'")


def _names(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def field_type(spec: FieldSpec) -> str:
    """A field's Table Schema type (``string`` when the schema leaves it out)."""
    return str(spec.get("type", "string"))


def primary_key(table_schema: TableSchema) -> list[str]:
    """The primary-key fields, in key order (empty when the table declares none)."""
    return _names(table_schema.get("primaryKey"))


def foreign_keys(table_schema: TableSchema, table: str) -> list[ForeignKey]:
    """The foreign keys of ``table``, each with field lists (a reference without a resource is to ``table``)."""
    out = []
    for fk in table_schema.get("foreignKeys", []):
        ref = fk["reference"]
        out.append(ForeignKey(tuple(_names(fk["fields"])), ref.get("resource") or table,
                              tuple(_names(ref["fields"]))))
    return out


def split_key(package: Package, table: str, key: str) -> dict[str, str]:
    """Field -> value for ``key`` (composite keys joined with ``/``, in key order); raises ``RowKeyError``."""
    fields = primary_key(package.table_schema(table))
    values = key.split("/") if len(fields) > 1 else [key]
    if len(values) != len(fields):
        raise RowKeyError(f"{table} has a key of {len(fields)} parts ({'/'.join(fields)}); got {key!r}")
    return dict(zip(fields, values, strict=True))


def rows_with_key(frame: pd.DataFrame, key: dict[str, str]) -> pd.DataFrame:
    """Rows of a loaded table whose key fields equal ``key`` (compared as text)."""
    import pandas as pd

    mask = pd.Series(True, index=frame.index)
    for name, value in key.items():
        mask &= (frame[name].astype("string") == value).fillna(False)
    return frame[mask]
