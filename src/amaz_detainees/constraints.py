"""Table Schema constraints, checked column by column on the typed Arrow columns.

The same constraints are what ``amaz_detainees.schema(name)`` expresses as a pandera schema (for use
in your own pipelines); the validator checks them here in pyarrow compute, because at a million rows
pandera's per-check overhead and import cost (about half a second) were most of the run time. A
differential test plants one bad cell per constraint and requires Frictionless, this module and the
pandera schema to reject the same cell. Only cells that fail are ever visited in Python.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .cells import ParsedTable, UnsupportedSchema, true_where
from .report import Problem

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


def _fail(field: str, message: str) -> None:
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
                or not isinstance(ref.get("resource", ""), str)):
            raise UnsupportedSchema(f"schema {name!r}: each foreign key needs 'fields' of the table and a "
                                    "'reference' with a 'resource' and as many 'fields'")


def primary_key(table_schema: dict[str, Any]) -> list[str]:
    key = table_schema.get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def _violations(values: pa.Array, key: str, rule: Any) -> np.ndarray:
    """Positions of present values that break one constraint (a rule that does not fit the field's
    type, or a pattern that is not a regular expression, raises ``UnsupportedSchema``)."""
    try:
        return _broken(values, key, rule)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError) as exc:
        raise UnsupportedSchema(f"constraint {key!r} {rule!r} cannot be checked on a {values.type} column "
                                f"({exc})") from exc


def _broken(values: pa.Array, key: str, rule: Any) -> np.ndarray:
    if key == "enum":
        allowed = pa.array(rule, type=values.type)
        return np.flatnonzero(true_where(pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=allowed)))))
    if key == "minimum":
        return np.flatnonzero(true_where(pc.less(values, pa.scalar(rule, values.type))))
    if key == "maximum":
        return np.flatnonzero(true_where(pc.greater(values, pa.scalar(rule, values.type))))
    if key == "pattern":  # Table Schema patterns match the whole value
        return np.flatnonzero(true_where(pc.invert(pc.match_substring_regex(values, f"^(?:{rule})$"))))
    if key == "minLength":
        return np.flatnonzero(true_where(pc.less(pc.utf8_length(values), rule)))
    if key == "maxLength":
        return np.flatnonzero(true_where(pc.greater(pc.utf8_length(values), rule)))
    raise UnsupportedSchema(f"constraint {key!r} is not supported")


def rule_problems(parsed: ParsedTable, field: str, check: str, rule: Any) -> list[Problem]:
    """Present values of ``field`` that break one constraint, each named by row and field."""
    values = parsed.columns[field]
    try:
        broken = _violations(values, check, rule)
    except UnsupportedSchema as exc:
        raise UnsupportedSchema(f"field {field!r}: {exc}", field) from exc
    return [Problem(parsed.name, int(i) + 2, field, check, f"{values[int(i)].as_py()!r} breaks {check} {rule}")
            for i in broken]


def enum_problems(parsed: ParsedTable, table_schema: dict[str, Any]) -> list[Problem]:
    """Values outside their field's enum (``load`` checks only these when it trusts a file's hash,
    because a categorical column would silently turn them into NA)."""
    return [p for spec in table_schema["fields"] if "enum" in spec.get("constraints", {})
            for p in rule_problems(parsed, spec["name"], "enum", spec["constraints"]["enum"])]


def later_duplicates(columns: list[pa.Array]) -> np.ndarray:
    """Positions of rows whose values (all present) repeat an earlier row's; the first stays unflagged.

    Grouping runs in Arrow; only the rare repeated keys are then located.
    """
    names = [f"k{i}" for i in range(len(columns))]
    table = pa.table(dict(zip(names, columns, strict=True)))
    counted = table.group_by(names, use_threads=False).aggregate([([], "count_all")])
    repeated = counted.filter(pc.greater(counted["count_all"], 1))
    if not repeated.num_rows:
        return np.array([], dtype=np.int64)
    hit = np.ones(table.num_rows, dtype=bool)
    for name in names:
        hit &= true_where(pc.is_in(table[name], value_set=repeated[name].combine_chunks()))
    positions = np.flatnonzero(hit)
    seen: set[tuple] = set()
    later = []
    rows = table.take(pa.array(positions)).to_pylist()
    for position, row in zip(positions, rows, strict=True):
        key = tuple(row.values())
        if key in seen:
            later.append(position)
        seen.add(key)
    return np.array(later, dtype=np.int64)


def constraint_problems(parsed: ParsedTable, table_schema: dict[str, Any]) -> list[Problem]:
    """Every broken constraint of the table, named by row and field, with the Table Schema's word.

    Cells already reported as unreadable (shape or type) are skipped, so one bad cell is one problem.
    The schema's properties were checked (``check_schema_keys``) before the table was parsed.
    """
    key = primary_key(table_schema)
    problems: list[Problem] = []
    skip = parsed.bad_cells

    def add(position: int, name: str, check: str, message: str) -> None:
        row = int(position) + 2
        if (row, name) not in skip:
            problems.append(Problem(parsed.name, row, name, check, message))

    for spec in table_schema["fields"]:
        name = spec["name"]
        values = parsed.columns[name]
        constraints = spec.get("constraints", {})
        if constraints.get("required") or (len(key) == 1 and name == key[0]):
            for position in np.flatnonzero(true_where(pc.is_null(values))):
                add(position, name, "required", "a value is required")
        for check, rule in constraints.items():
            if check not in ("required", "unique"):
                problems += [p for p in rule_problems(parsed, name, check, rule) if (p.row, name) not in skip]
        if constraints.get("unique") or key == [name]:
            present = np.flatnonzero(true_where(pc.is_valid(values)))
            repeats = later_duplicates([values.take(pa.array(present))]) if len(present) else present
            for position in present[repeats]:
                add(position, name, "unique", f"{values[int(position)].as_py()!r} breaks unique")
    if len(key) > 1:
        for position in later_duplicates([parsed.columns[n] for n in key]):
            problems.append(Problem(parsed.name, int(position) + 2, ", ".join(key), "primary-key",
                                    "duplicates the primary key of an earlier row"))
    return problems
