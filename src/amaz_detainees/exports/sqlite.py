"""SQLite: one database with keys, checks, metadata tables and the derived views (ready for Datasette)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from .source import ExportError, ExportSource
from .sql import add_metadata_and_views, create_table, quote


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


def write(source: ExportSource, out: Path) -> list[Path]:
    target = out / f"{source.name}.sqlite"
    con = sqlite3.connect(target)
    try:
        with con:
            for name in source.package.names:
                fields = source.fields(name)
                con.execute(create_table(source, name, "sqlite"))
                marks = ", ".join("?" for _ in fields)
                con.executemany(f"INSERT INTO {quote(name)} VALUES ({marks})",
                                python_rows(source.frames[name], fields))
            add_metadata_and_views(con, source, "sqlite")
        broken = con.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise ExportError(f"foreign keys do not hold in the SQLite export: {broken[:5]}")
    finally:
        con.close()
    return [target]
