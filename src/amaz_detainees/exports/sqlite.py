"""SQLite: one database with keys, checks, metadata tables and the derived views (ready for Datasette)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from .source import ExportError, ExportSource
from .sql import add_metadata, create_package_table, create_table, quote


def python_rows(frame: pd.DataFrame, fields: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    """Rows as SQLite values: dates as ISO text, booleans as 0/1, missing as NULL."""
    columns = []
    for f in fields:
        values = frame[f["name"]]
        kind = f.get("type", "string")
        if kind == "date":
            values = values.dt.strftime("%Y-%m-%d")
        elif kind == "boolean":
            values = values.astype("Int64")
        elif kind not in ("integer", "number"):
            values = values.astype("string")
        columns.append(values.astype(object).where(values.notna(), None).tolist())
    return zip(*columns, strict=True) if columns else iter(())


def _insert(con: sqlite3.Connection, table: str, frame: pd.DataFrame, fields: list[dict[str, Any]]) -> None:
    marks = ", ".join("?" for _ in fields)
    con.executemany(f"INSERT INTO {quote(table)} VALUES ({marks})", python_rows(frame, fields))


def write(source: ExportSource, out: Path) -> list[Path]:
    target = out / f"{source.name}.sqlite"
    con = sqlite3.connect(target)
    try:
        with con:
            for name in source.package.names:
                con.execute(create_package_table(source, name, "sqlite"))
                _insert(con, name, source.frames[name], source.fields(name))
            for view in source.views:
                con.execute(create_table(view.name, view.fields, "sqlite"))
                _insert(con, view.name, view.frame, view.fields)
            add_metadata(con, source, "sqlite")
        broken = con.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise ExportError(f"foreign keys do not hold in the SQLite export: {broken[:5]}")
    finally:
        con.close()
    return [target]
