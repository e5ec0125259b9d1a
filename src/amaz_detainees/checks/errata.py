"""The errata table must agree with the data: corrections show in the rows, retracted keys stay retired.

This needs the primary keys and the package version, which the cross-table rules do not see, so it
runs beside them in ``validate``.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from ..package import Package
from ..report import Problem, row_number
from ..schema import RowKeyError, primary_key, split_key

TABLE = "errata"


def cell_text(value: Any) -> str:
    """A typed cell as it is written in the CSV file (dates ISO, booleans lower-case, empty for missing)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    return str(value)


def _semver(text: str) -> tuple[int, ...] | None:
    """MAJOR.MINOR.PATCH as numbers; None for anything else (a bad cell is reported by its pattern)."""
    parts = str(text).split(".")
    return tuple(int(part) for part in parts) if all(part.isdigit() for part in parts) else None


def errata_problems(package: Package, tables: dict[str, pd.DataFrame],
                    suspect: set[tuple[str, int, str]]) -> list[Problem]:
    """A correction names an existing row and field whose value is the latest erratum's new value; a
    retracted key is absent from its table; no erratum is dated to a version after the package's."""
    if TABLE not in tables:
        return []
    errata = tables[TABLE]
    bad_rows = {row for (t, row, _) in suspect if t == TABLE}
    version = str(package.descriptor.get("version", "0.0.0"))
    problems: list[Problem] = []
    latest: dict[tuple[str, str, str], tuple[tuple[int, ...], int]] = {}
    package_version = _semver(version)
    keys = _KeyIndex(package, tables)
    for row, e in errata.iterrows():
        if row in bad_rows or e[["version", "change_type", "table_name", "row_key"]].isna().any():
            continue  # a missing or unparsable cell is reported by the table checks
        where = row_number(row)
        erratum_version = _semver(str(e["version"]))
        if erratum_version is None:
            continue
        if package_version is not None and erratum_version > package_version:
            problems.append(Problem(TABLE, where, "version", "errata",
                                    f"version {e['version']} is later than the package version {version}"))
        table = str(e["table_name"])
        if table not in tables:
            if table not in package.names:
                problems.append(Problem(TABLE, where, "table_name", "errata", f"no table named {table!r}"))
            continue
        problem = _check_one(package, tables[table], keys.of(table), table, where, e)
        if problem:
            problems.append(problem)
        elif e["change_type"] == "correction":
            key = (table, str(e["row_key"]), str(e["field_name"]))
            order = (erratum_version, where)
            if key not in latest or order > latest[key]:
                latest[key] = order
    for (table, row_key, field), (_, where) in latest.items():
        label = keys.of(table)[tuple(split_key(package, table, row_key).values())]
        current = cell_text(tables[table].at[label, field])
        expected = cell_text(errata.loc[where, "new_value"])
        if current != expected:
            problems.append(Problem(TABLE, where, "new_value", "errata", f"{table} {row_key} {field} holds "
                                    f"{current!r}, not the corrected value {expected!r}"))
    return problems


class _KeyIndex:
    """Row label by primary-key values (as text), built once per table: an erratum is a dict lookup,
    not a scan of its table (hundreds of errata made those scans most of a validation's time)."""

    def __init__(self, package: Package, tables: dict[str, pd.DataFrame]) -> None:
        self.package, self.tables = package, tables
        self._built: dict[str, dict[tuple[str, ...], Hashable]] = {}

    def of(self, table: str) -> dict[tuple[str, ...], Hashable]:
        if table not in self._built:
            frame = self.tables[table]
            fields = primary_key(self.package.table_schema(table))
            columns = [frame[f].astype("string").tolist() for f in fields]
            index: dict[tuple[str, ...], Hashable] = {}
            for label, values in zip(frame.index, zip(*columns, strict=True), strict=True):
                if not any(v is pd.NA for v in values):
                    index.setdefault(tuple(str(v) for v in values), label)
            self._built[table] = index
        return self._built[table]


def _check_one(package: Package, frame: pd.DataFrame, keys: dict[tuple[str, ...], Hashable], table: str, where: int,
               e: pd.Series) -> Problem | None:
    key = str(e["row_key"])
    try:
        exists = tuple(split_key(package, table, key).values()) in keys
    except RowKeyError as exc:
        return Problem(TABLE, where, "row_key", "errata", str(exc))
    field = cell_text(e["field_name"])
    if e["change_type"] == "retraction":
        if exists:
            return Problem(TABLE, where, "row_key", "errata",
                           f"{table} {key} was retracted, but a row with that key exists (keys are never reused)")
        if field or cell_text(e["new_value"]):
            return Problem(TABLE, where, "field_name", "errata", "a retraction names no field and no new value")
        return None
    if not exists:
        return Problem(TABLE, where, "row_key", "errata", f"{table} has no row {key!r} to correct")
    if not field:
        return Problem(TABLE, where, "field_name", "errata", "a correction names the field it changed")
    if field not in frame.columns:
        return Problem(TABLE, where, "field_name", "errata", f"{table} has no field {field!r}")
    if cell_text(e["old_value"]) == cell_text(e["new_value"]):
        return Problem(TABLE, where, "new_value", "errata", "a correction must change the value")
    return None
