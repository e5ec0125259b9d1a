"""Small tools to plant one fault in a copy of the package, returning where it must be reported.

Rows are found by primary key, not by position, so the corpus holds when rows are added or
``amaz-detainees fmt`` reorders them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from amaz_detainees.schema import primary_key

Where = tuple[str, int | None, str | None, str]


def table_path(root: Path, table: str) -> Path:
    return root / "data" / f"{table}.csv"


def read_rows(root: Path, table: str) -> list[list[str]]:
    with table_path(root, table).open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(root: Path, table: str, rows: list[list[str]]) -> None:
    with table_path(root, table).open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _key_fields(root: Path, table: str) -> list[str]:
    schema = json.loads((root / "schemas" / f"{table}.schema.json").read_text(encoding="utf-8"))
    return primary_key(schema)


def row_of(root: Path, table: str, key: str) -> int:
    """CSV row number (header = 1) of the row whose primary key, joined with '/', is ``key``."""
    rows = read_rows(root, table)
    columns = [rows[0].index(k) for k in _key_fields(root, table)]
    for number, record in enumerate(rows[1:], start=2):
        if "/".join(record[i] for i in columns) == key:
            return number
    raise LookupError(f"{table} has no row {key!r}")


def key_at(root: Path, table: str, row: int) -> str:
    """The primary key of CSV row ``row`` (to aim at 'some row' of a table without hard-coding one)."""
    rows = read_rows(root, table)
    columns = [rows[0].index(k) for k in _key_fields(root, table)]
    return "/".join(rows[row - 1][i] for i in columns)


def get_cell(root: Path, table: str, key: str, field: str) -> str:
    rows = read_rows(root, table)
    return rows[row_of(root, table, key) - 1][rows[0].index(field)]


def set_cell(root: Path, table: str, key: str, field: str, value: str) -> int:
    """Set one cell of the row with primary key ``key``; returns its row number."""
    rows = read_rows(root, table)
    row = row_of(root, table, key)
    rows[row - 1][rows[0].index(field)] = value
    write_rows(root, table, rows)
    return row


def row_where(root: Path, table: str, field: str, test: Callable[[str], bool]) -> str:
    """The key of the first row whose ``field`` passes ``test``."""
    rows = read_rows(root, table)
    column = rows[0].index(field)
    for number, record in enumerate(rows[1:], start=2):
        if test(record[column]):
            return key_at(root, table, number)
    raise LookupError(f"no row of {table} fits")


def edit_bytes(root: Path, table: str, change: Callable[[bytes], bytes]) -> None:
    path = table_path(root, table)
    path.write_bytes(change(path.read_bytes()))


def edit_json(root: Path, relative: str, change: Callable[[Any], Any]) -> None:
    path = root / relative
    document = json.loads(path.read_text(encoding="utf-8"))
    document = change(document) or document
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def line_count(root: Path, table: str) -> int:
    return len(read_rows(root, table))
