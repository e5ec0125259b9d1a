"""Read an export back with each ecosystem's own reader, as plain Python values per table.

Values are normalised the same way for the source and every reload (str, int, bool, datetime.date
or None), so a round trip compares exactly: nothing may be lost, rounded or re-typed.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pandas as pd

Rows = list[tuple[Any, ...]]


def normalise(value: Any, kind: str) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        return value if isinstance(value, dt.date) else pd.Timestamp(value).date()
    if kind == "integer":
        if isinstance(value, float):  # a reader that widened to float must not have rounded
            assert value.is_integer(), value
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, value) if isinstance(value, str) else bool(value)
    return str(value)


def rows_of(frame: pd.DataFrame, fields: list[dict[str, Any]]) -> Rows:
    kinds = [f.get("type", "string") for f in fields]
    return [tuple(normalise(v, k) for v, k in zip(record, kinds, strict=True))
            for record in frame[[f["name"] for f in fields]].itertuples(index=False, name=None)]


def read_parquet(out: Path, table: str, fields: list[dict[str, Any]]) -> Rows:
    import pyarrow.parquet as pq

    data = pq.read_table(out / "data" / f"{table}.parquet")
    kinds = [f.get("type", "string") for f in fields]
    columns = [data.column(f["name"]).to_pylist() for f in fields]
    rows = list(zip(*columns, strict=True))
    check_types(rows, fields, ARROW_TYPES)
    return [tuple(normalise(v, k) for v, k in zip(r, kinds, strict=True)) for r in rows]


# The Python type each reader must hand back per Table Schema type: a value of another type (say the
# text "1" for an integer) fails the round trip even when it would normalise to the same value.
ARROW_TYPES = {"string": str, "integer": int, "number": float, "boolean": bool, "date": dt.date}
SQLITE_TYPES = ARROW_TYPES | {"boolean": int, "date": str}
XLSX_TYPES = ARROW_TYPES | {"integer": (int, str), "number": (int, float, str), "date": dt.datetime}


def check_types(rows: list[tuple[Any, ...]], fields: list[dict[str, Any]], types: dict[str, Any]) -> None:
    for row in rows:
        for value, field in zip(row, fields, strict=True):
            expected = types[field.get("type", "string")]
            assert value is None or isinstance(value, expected), (field["name"], value, expected)


def read_sql(rows: list[tuple[Any, ...]], fields: list[dict[str, Any]], types: dict[str, Any] | None = None) -> Rows:
    if types is not None:
        check_types(rows, fields, types)
    kinds = [f.get("type", "string") for f in fields]
    return [tuple(normalise(v, k) for v, k in zip(r, kinds, strict=True)) for r in rows]


def select_all(con: Any, table: str, fields: list[dict[str, Any]], types: dict[str, Any]) -> Rows:
    try:
        names = ", ".join(f'"{f["name"]}"' for f in fields)
        return read_sql(con.execute(f'SELECT {names} FROM "{table}"').fetchall(), fields, types)
    finally:
        con.close()


def read_sqlite(database: Path, table: str, fields: list[dict[str, Any]]) -> Rows:
    return select_all(sqlite3.connect(database), table, fields, SQLITE_TYPES)


def read_duckdb(database: Path, table: str, fields: list[dict[str, Any]]) -> Rows:
    import duckdb

    return select_all(duckdb.connect(str(database), read_only=True), table, fields, ARROW_TYPES)


def read_xlsx(workbook: Path, table: str, fields: list[dict[str, Any]]) -> Rows:
    import openpyxl

    sheet = openpyxl.load_workbook(workbook)[table]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [f["name"] for f in fields]
    return read_sql(rows[1:], fields, XLSX_TYPES)


def read_dta(out: Path, table: str, fields: list[dict[str, Any]]) -> Rows:
    frame = pd.read_stata(out / f"{table}.dta", convert_categoricals=True)
    for f in fields:  # Stata's own types: numbers, labelled codes, %td dates, text
        kind, dtype = f.get("type", "string"), frame[f["name"]].dtype
        coded = ("enum" in f.get("constraints", {}) and kind == "string") or kind == "boolean"
        expected = "category" if coded else {"integer": "if", "number": "f", "date": "M"}.get(kind, "O")
        assert (str(dtype) == "category") if coded else dtype.kind in expected, (table, f["name"], dtype)
    for f in fields:
        column = frame[f["name"]]
        if f.get("type", "string") == "string":  # Stata has no missing string: an empty string is missing
            frame[f["name"]] = column.astype(object).where(column.astype(str) != "", None)
    return rows_of(frame, fields)


def read_csv_package(out: Path, table: str, fields: list[dict[str, Any]]) -> Rows:
    import amaz_detainees as ad

    return rows_of(ad.load(table, path=out), fields)


READERS = {
    "parquet": lambda out, name, t, f: read_parquet(out, t, f),
    "sqlite": lambda out, name, t, f: read_sqlite(out / f"{name}.sqlite", t, f),
    "duckdb": lambda out, name, t, f: read_duckdb(out / f"{name}.duckdb", t, f),
    "xlsx": lambda out, name, t, f: read_xlsx(out / f"{name}.xlsx", t, f),
    "dta": lambda out, name, t, f: read_dta(out, t, f),
    "csv": lambda out, name, t, f: read_csv_package(out, t, f),
}


def descriptor_name(root: Path) -> str:
    return str(json.loads((root / "datapackage.json").read_text(encoding="utf-8"))["name"])
