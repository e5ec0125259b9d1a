"""Three readings of each Table Schema agree: one planted bad cell per constraint, all reject it.

For every field of every table and every constraint (plus the type itself), a copy of the table gets
one bad cell. Frictionless (the reference implementation), our columnar checks (what ``validate``
runs) and the derived pandera schema (what ``ad.schema`` gives users) must each flag that cell, at the
same row and field. This keeps both of ours from drifting away from the standard.
"""

from __future__ import annotations

import json
from pathlib import Path

import frictionless
import pandera.errors
import pytest

import amaz_detainees as ad
from amaz_detainees.checks import check_table
from amaz_detainees.package import shipped_root
from amaz_detainees.pandera_schema import to_pandera

from .conftest import read_csv, write_csv

BAD_TYPE = {"integer": "1x", "date": "2023-02-30", "boolean": "maybe", "number": "one"}


def bad_value(field: dict, constraint: str, rows: list[list[str]]) -> tuple[str, int]:
    """(bad text, row number that must be flagged) for planting ``constraint`` of ``field`` in row 2."""
    c = field.get("constraints", {})
    if constraint == "type":
        return BAD_TYPE[field["type"]], 2
    if constraint in ("required", "minLength"):
        return "", 2
    if constraint == "enum":
        return ("2" if field["type"] == "integer" else "not-a-code"), 2
    if constraint == "minimum":
        return str(c["minimum"] - 1), 2
    if constraint == "maximum":
        return str(c["maximum"] + 1), 2
    if constraint == "pattern":
        return "!!", 2
    if constraint == "maxLength":
        return "x" * (c["maxLength"] + 1), 2
    if constraint == "unique":
        column = rows[0].index(field["name"])
        return rows[1][column], 3  # row 3 repeats row 2's value: the later row is the duplicate
    raise AssertionError(f"no bad value for {constraint}")


def cases() -> list[tuple[str, str, str]]:
    out = []
    for table in ad.tables():
        for field in ad.table_schema(table)["fields"]:
            constraints = [k for k, v in field.get("constraints", {}).items() if v is not False]
            if field["type"] != "string":
                constraints.append("type")
            out += [(table, field["name"], k) for k in constraints]
    return out


def tiered(all_cases: list[tuple[str, str, str]]) -> list:
    """The first case of each constraint runs in the fast tier; the rest (over 300) are slow."""
    seen: set[str] = set()
    out = []
    for case in all_cases:
        out.append(pytest.param(*case, marks=[pytest.mark.slow] if case[2] in seen else []))
        seen.add(case[2])
    return out


@pytest.mark.parametrize(("table", "field_name", "constraint"), tiered(cases()))
def test_frictionless_ours_and_pandera_reject_the_same_cell(tmp_path: Path, table: str, field_name: str,
                                                       constraint: str) -> None:
    schema = json.loads((shipped_root() / "schemas" / f"{table}.schema.json").read_text(encoding="utf-8"))
    schema.pop("foreignKeys", None)  # references are checked at package level, in test_planted_faults
    field = next(f for f in schema["fields"] if f["name"] == field_name)
    rows = read_csv(shipped_root() / "data" / f"{table}.csv")
    if len(rows) < 3:
        rows.append(list(rows[1]))  # a second data row, so a duplicate can be planted
    text, flagged_row = bad_value(field, constraint, rows)
    target_row = 3 if constraint == "unique" else 2
    rows[target_row - 1][rows[0].index(field_name)] = text
    (tmp_path / "data").mkdir()
    write_csv(tmp_path / "data" / f"{table}.csv", rows)
    (tmp_path / "table.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    resource = {"name": table, "path": f"data/{table}.csv", "schema": "table.schema.json", "format": "csv"}

    theirs = frictionless.validate(frictionless.Resource(resource, basepath=str(tmp_path)))
    their_cells = {(e.row_number, getattr(e, "field_name", None)) for e in theirs.tasks[0].errors}
    parsed = check_table(table, tmp_path / "data" / f"{table}.csv", schema)
    our_cells = {(p.row, p.field) for p in parsed.problems}
    assert (flagged_row, field_name) in our_cells, parsed.problems

    if constraint != "type":  # pandera sees typed frames, where an unparsable cell is already empty
        with pytest.raises(pandera.errors.SchemaErrors) as caught:
            to_pandera(schema, name=table, categorical=False).validate(parsed.frame, lazy=True)
        cases = caught.value.failure_cases
        pandera_cells = set(zip(cases["index"], cases["column"], strict=True))
        assert (flagged_row, field_name) in pandera_cells, cases

    found = theirs.flatten(["rowNumber", "fieldName", "type"])
    assert (flagged_row, field_name) in their_cells or (
        constraint == "unique" and (flagged_row, None) in their_cells), found
