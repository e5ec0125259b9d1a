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

from ..read import ParsedTable, true_where
from ..report import Problem
from ..schema import UnsupportedSchema, primary_key


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
    seen: set[tuple[Any, ...]] = set()
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

    def add(position: int | np.integer[Any], name: str, check: str, message: str) -> None:
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
