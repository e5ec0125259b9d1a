"""Read a CSV table exactly as written and turn its text cells into typed columns.

One parser serves both loading and validation, so what ``load`` returns is what ``validate``
checked. Nothing is coerced silently: a cell that does not parse as its Table Schema type is
reported (and left empty in the typed frame), never guessed at.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .report import Problem

STRING = pd.StringDtype()
DATE_DTYPE = "datetime64[s]"
TRUE_VALUES = ["true", "True", "TRUE", "1"]
FALSE_VALUES = ["false", "False", "FALSE", "0"]
INT64_MAX = 2**63 - 1


class UnsupportedSchema(Exception):
    """A Table Schema uses a type or property this package does not implement (fail loudly)."""


@dataclass
class ParsedTable:
    """A table read from CSV: typed columns indexed by CSV row number, and what went wrong."""

    name: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    bad_cells: set[tuple[int, str]] = field(default_factory=set)


class TableFileError(Exception):
    """A table file that cannot be read at all; carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_rows(table: str, path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and data rows of a UTF-8 CSV file; raises ``TableFileError`` if it cannot be read."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh, strict=True))
    except FileNotFoundError as exc:
        raise TableFileError(Problem(table, None, None, "file", f"{path.name} does not exist")) from exc
    except UnicodeDecodeError as exc:
        problem = Problem(table, None, None, "encoding", f"{path.name} is not UTF-8 ({exc.reason})")
        raise TableFileError(problem) from exc
    except csv.Error as exc:
        raise TableFileError(Problem(table, None, None, "csv", f"{path.name} is not well-formed CSV: {exc}")) from exc
    if not rows:
        raise TableFileError(Problem(table, None, None, "csv", f"{path.name} is empty (no header row)"))
    return rows[0], rows[1:]


def text_frame(table: str, schema: dict[str, Any], header: list[str], rows: list[list[str]]) -> ParsedTable:
    """Cells as text in schema field order; shape problems (columns, cell counts) reported."""
    names = [f["name"] for f in schema["fields"]]
    problems: list[Problem] = []
    bad: set[tuple[int, str]] = set()
    for label in header:
        if label not in names:
            problems.append(Problem(table, 1, label, "extra-column", f"column {label!r} is not in the schema"))
    for dup in sorted({h for h in header if header.count(h) > 1}):
        problems.append(Problem(table, 1, dup, "duplicate-column", f"column {dup!r} appears more than once"))
    position = {label: i for i, label in reversed(list(enumerate(header)))}
    missing = [n for n in names if n not in position]
    for name in missing:
        problems.append(Problem(table, 1, name, "missing-column", f"the schema's column {name!r} is missing"))
    width = len(header)
    columns: dict[str, list[str]] = {n: [] for n in names}
    row_numbers = list(range(2, len(rows) + 2))
    for number, cells in zip(row_numbers, rows, strict=True):
        if len(cells) > width:
            problems.append(Problem(table, number, None, "extra-cell",
                                    f"row has {len(cells)} cells but the header has {width}"))
        elif len(cells) < width:
            short = [h for h in header[len(cells):] if h in columns]
            problems.append(Problem(table, number, ", ".join(short) or None, "missing-cell",
                                    f"row has {len(cells)} cells but the header has {width}"))
            bad.update((number, h) for h in short)
        for name in names:
            i = position.get(name)
            columns[name].append(cells[i] if i is not None and i < len(cells) else "")
    for name in missing:
        bad.update((number, name) for number in row_numbers)
    index = pd.Index(row_numbers, name="row", dtype="int64")
    frame = pd.DataFrame({n: pd.Series(v, index=index, dtype=STRING) for n, v in columns.items()}, index=index)
    return ParsedTable(table, frame, problems, bad)


def _parse_integer(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    ok = text.str.fullmatch(r"[+-]?[0-9]+").fillna(False).astype(bool)
    long = ok & (text.str.lstrip("+-").str.len() > 18).fillna(False).astype(bool)
    for idx in long[long].index:
        if abs(int(text[idx])) > INT64_MAX:
            ok[idx] = False
    return text.where(ok).astype("Int64"), ok


def _parse_number(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    values = pd.to_numeric(text.astype(object), errors="coerce")
    ok = values.notna() | text.isin(["NaN", "nan"])
    return pd.Series(values, index=text.index, dtype="Float64"), ok


def _parse_date(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    shaped = text.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fillna(False).astype(bool)
    values = pd.to_datetime(text.where(shaped).astype(object), format="%Y-%m-%d", errors="coerce")
    return values.astype(DATE_DTYPE), values.notna()


def _boolean_parser(spec: dict[str, Any]) -> Callable[[pd.Series], tuple[pd.Series, pd.Series]]:
    trues = spec.get("trueValues", TRUE_VALUES)
    falses = spec.get("falseValues", FALSE_VALUES)

    def parse(text: pd.Series) -> tuple[pd.Series, pd.Series]:
        is_true, is_false = text.isin(trues), text.isin(falses)
        values = pd.Series(pd.NA, index=text.index, dtype="boolean")
        values[is_true] = True
        values[is_false] = False
        return values, is_true | is_false

    return parse


def _parse_string(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    return text, pd.Series(True, index=text.index)


def parser_for(spec: dict[str, Any]) -> Callable[[pd.Series], tuple[pd.Series, pd.Series]]:
    """The parser for one Table Schema field; unknown types and formats raise ``UnsupportedSchema``."""
    kind = spec.get("type", "string")
    fmt = spec.get("format", "default")
    if kind == "string" and fmt in ("default", "uri"):
        return _parse_string
    if kind == "integer" and fmt == "default" and spec.get("bareNumber", True):
        return _parse_integer
    if kind == "number" and fmt == "default" and spec.get("bareNumber", True) and "decimalChar" not in spec:
        return _parse_number
    if kind == "date" and fmt == "default":
        return _parse_date
    if kind == "boolean":
        return _boolean_parser(spec)
    raise UnsupportedSchema(f"field {spec.get('name')!r}: type {kind!r} with format {fmt!r} is not supported")


def dtype_for(spec: dict[str, Any]) -> str | pd.api.extensions.ExtensionDtype:
    """The pandas dtype a field is loaded as (before enums become categoricals)."""
    return {"integer": "Int64", "number": "Float64", "date": DATE_DTYPE, "boolean": "boolean"}.get(
        spec.get("type", "string"), STRING)


def coerce(parsed: ParsedTable, schema: dict[str, Any]) -> ParsedTable:
    """Type every column; report each cell that is not a valid value of its type."""
    missing_values = schema.get("missingValues", [""])
    typed: dict[str, pd.Series] = {}
    for spec in schema["fields"]:
        name = spec["name"]
        text = parsed.frame[name]
        present = ~text.isin(missing_values)
        values, ok = parser_for(spec)(text.where(present))
        broken = present & ~ok
        for row in broken[broken].index:
            if (row, name) not in parsed.bad_cells:
                parsed.problems.append(Problem(parsed.name, int(row), name, "type",
                                               f"{text[row]!r} is not a valid {spec.get('type', 'string')}"))
                parsed.bad_cells.add((int(row), name))
        typed[name] = values.where(present & ok).astype(dtype_for(spec))
    parsed.frame = pd.DataFrame(typed, index=parsed.frame.index)
    return parsed


def parse_table(table: str, path: Path, schema: dict[str, Any]) -> ParsedTable:
    """Read and type one table; file-level failures raise ``TableFileError``."""
    header, rows = read_rows(table, path)
    return coerce(text_frame(table, schema, header, rows), schema)
