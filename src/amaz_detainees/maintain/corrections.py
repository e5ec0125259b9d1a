"""Apply corrections to published rows and record each one in ``errata``: never a silent edit.

A corrections file is a CSV with the columns ``table_name, row_key, field_name, new_value, reason,
source_id, locator``; an empty ``field_name`` retracts the row. Each change becomes one erratum naming
the old and the new value, so ``validate`` can check that the data shows every correction. A change to a
key field names the row by its new key; it is refused when earlier errata name the row by the old one
(retract the row and add a new one instead), so every erratum keeps pointing at a row.
Run ``amaz-detainees fmt`` afterwards to refresh hashes and row order.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..package import Package, PackageError
from ..schema import RowKeyError, split_key

COLUMNS = ["table_name", "row_key", "field_name", "new_value", "reason", "source_id", "locator"]


class CorrectionError(ValueError):
    """A correction that cannot be applied: it names no row, no field, or changes nothing."""


@dataclass(frozen=True)
class Correction:
    """One change: a new value for one field of one row, or (no field) the row's retraction."""

    table_name: str
    row_key: str
    field_name: str
    new_value: str
    reason: str
    source_id: str
    locator: str


def read_corrections(path: Path) -> list[Correction]:
    """The corrections in a CSV file, in file order; a missing column is an error, not a guess."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CorrectionError(f"{path}: missing column(s) {', '.join(missing)}")
        return [Correction(**{c: row[c] or "" for c in COLUMNS}) for row in reader]


def _read_table(package: Package, name: str) -> tuple[list[str], list[dict[str, str]]]:
    text = package.data_path(name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return list(reader.fieldnames or []), list(reader)


def _write_table(package: Package, name: str, header: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    package.data_path(name).write_text(out.getvalue(), encoding="utf-8", newline="")


def _erratum_id(version: str, c: Correction, taken: set[str]) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", f"err-{version}-{c.row_key}-{c.field_name or 'retracted'}".lower()).strip("-")
    stem = stem[:76].strip("-")
    candidate, n = stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem[:73].strip('-')}-{n}"
    taken.add(candidate)
    return candidate


def apply_corrections(package: Package, corrections: list[Correction], *, version: str | None = None,
                      change_date: date | None = None) -> int:
    """Apply every correction and append its erratum; all or nothing (nothing is written on an error).

    Returns the number of errata written. ``version`` defaults to the package's own version.
    """
    version = version or str(package.descriptor.get("version", ""))
    when = (change_date or date.today()).isoformat()
    tables: dict[str, tuple[list[str], list[dict[str, str]]]] = {}
    errata_header, errata_rows = _read_table(package, "errata")
    taken = {row["erratum_id"] for row in errata_rows}
    for number, c in enumerate(corrections, start=2):
        where = f"corrections row {number} ({c.table_name} {c.row_key})"
        if c.table_name not in package.names:
            raise CorrectionError(f"{where}: no table named {c.table_name!r}")
        header, rows = tables.setdefault(c.table_name, _read_table(package, c.table_name))
        try:
            key = split_key(package, c.table_name, c.row_key)
        except (RowKeyError, PackageError) as exc:
            raise CorrectionError(f"{where}: {exc}") from exc
        matches = [i for i, row in enumerate(rows) if all(row[f] == v for f, v in key.items())]
        if len(matches) != 1:
            raise CorrectionError(f"{where}: {len(matches)} rows have that key")
        row = rows[matches[0]]
        if not c.field_name:
            del rows[matches[0]]
            old = ""
        elif c.field_name not in header:
            raise CorrectionError(f"{where}: {c.table_name} has no field {c.field_name!r}")
        elif row[c.field_name] == c.new_value:
            raise CorrectionError(f"{where}: {c.field_name} already holds {c.new_value!r}")
        elif c.field_name in key and any(e["table_name"] == c.table_name and e["row_key"] == c.row_key
                                         for e in errata_rows):
            raise CorrectionError(f"{where}: {c.field_name} is part of the key, and errata already name the row by "
                                  "that key; retract the row and add a new one instead")
        else:
            old, row[c.field_name] = row[c.field_name], c.new_value
        # A changed key field gives the row a new key: the erratum names the row as it now is.
        row_key = "/".join(row[f] for f in key) if c.field_name in key else c.row_key
        errata_rows.append({
            "erratum_id": _erratum_id(version, c, taken), "version": version,
            "change_type": "correction" if c.field_name else "retraction", "table_name": c.table_name,
            "row_key": row_key, "field_name": c.field_name, "old_value": old,
            "new_value": c.new_value if c.field_name else "", "reason": c.reason, "source_id": c.source_id,
            "locator": c.locator, "change_date": when,
        })
    for name, (header, rows) in tables.items():
        _write_table(package, name, header, rows)
    _write_table(package, "errata", errata_header, errata_rows)
    return len(corrections)
