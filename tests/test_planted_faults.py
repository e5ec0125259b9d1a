"""Each planted fault is caught and named by table, row, field and check; none crashes the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import amaz_detainees as ad

from .conftest import edit_cell, read_csv, restamp, write_csv


def duplicate_key(root: Path) -> None:
    edit_cell(root, "counts", 3, "count_id", edit_cell(root, "counts", 2, "count_id", "c-ar-title-32"))


def append_cell(root: Path) -> None:
    path = root / "data" / "actors.csv"
    rows = read_csv(path)
    rows[3].append("surplus")
    write_csv(path, rows)


def drop_column(root: Path) -> None:
    path = root / "data" / "places.csv"
    write_csv(path, [r[:-1] for r in read_csv(path)])


def add_column(root: Path) -> None:
    path = root / "data" / "places.csv"
    rows = read_csv(path)
    write_csv(path, [rows[0] + ["extra"]] + [[*r, "x"] for r in rows[1:]])


def break_relation(root: Path) -> None:
    edit_cell(root, "counts", row_of(root, "counts", "c-ar-p5-41"), "value", "40")


def drop_resource_path(root: Path) -> None:
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    del descriptor["resources"][0]["path"]
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def append_text(table: str, data: bytes) -> Callable[[Path], object]:
    def plant(root: Path) -> None:
        with (root / "data" / f"{table}.csv").open("ab") as fh:
            fh.write(data)
    return plant


def row_of(root: Path, table: str, key: str) -> int:
    return [r[0] for r in read_csv(root / "data" / f"{table}.csv")].index(key) + 1


Fault = tuple[Callable[[Path], object], bool, tuple[str, int | None, str | None, str]]
FAULTS: dict[str, Fault] = {
    "duplicate key": (duplicate_key, True, ("counts", 3, "count_id", "unique")),
    "dangling reference": (lambda r: edit_cell(r, "counts", 4, "source_id", "no-such-source"), True,
                           ("counts", 4, "source_id", "foreign-key")),
    "bad enum": (lambda r: edit_cell(r, "events", 2, "event_type", "unknown-type"), True,
                 ("events", 2, "event_type", "enum")),
    "negative": (lambda r: edit_cell(r, "counts", 6, "value", "-3"), True, ("counts", 6, "value", "minimum")),
    "non-integer": (lambda r: edit_cell(r, "counts", 5, "value", "32a"), True, ("counts", 5, "value", "type")),
    "impossible date": (lambda r: edit_cell(r, "events", 3, "date_start", "2023-02-30"), True,
                        ("events", 3, "date_start", "type")),
    "missing required": (lambda r: edit_cell(r, "sources", 2, "publisher", ""), True,
                         ("sources", 2, "publisher", "required")),
    "missing column": (drop_column, True, ("places", 1, "note", "missing-column")),
    "extra column": (add_column, True, ("places", 1, "extra", "extra-column")),
    "extra cell": (append_cell, True, ("actors", 4, None, "extra-cell")),
    "tampered file": (lambda r: edit_cell(r, "sources", 2, "note", "edited"), False, ("sources", None, None, "hash")),
    "broken must-hold relation": (break_relation, True, ("count_relations", 2, "relation_id", "relation")),
    "bad precision": (lambda r: edit_cell(r, "events", 2, "date_precision", "day"), True,
                      ("events", 2, "date_precision", "date-precision")),
    "as-of after publication": (lambda r: edit_cell(r, "counts", 2, "as_of_start", "2024-01-01") and
                                edit_cell(r, "counts", 2, "as_of_end", "2024-01-01"), True,
                                ("counts", 2, "as_of_start", "as-of-after-publication")),
    "pattern": (lambda r: edit_cell(r, "sources", 3, "language", "english"), True,
                ("sources", 3, "language", "pattern")),
    "resource without path": (drop_resource_path, False, ("datapackage.json", None, "sources", "descriptor")),
    "stray quote": (append_text("places", b'"unclosed,quote\n'), True, ("places", None, None, "csv")),
    "not utf-8": (append_text("actors", b"\xff\xfe\n"), True, ("actors", None, None, "encoding")),
    "verified source without url": (lambda r: edit_cell(r, "sources", row_of(r, "sources", "apnews-2020-12-14"),
                                                        "url", ""), True,
                                    ("sources", 78, "check_status", "no-url")),
    "running total counted from after its as-of": (
        lambda r: edit_cell(r, "counts", row_of(r, "counts", "c-jamnews-2021-05-05-released-66-total"),
                            "counted_from", "2021-06-01"), True, ("counts", 108, "counted_from", "counted-from")),
    "item in return for a capture": (
        lambda r: edit_cell(r, "return_items", 2, "event_id", "ev-2020-12-hadrut-capture"), True,
        ("return_items", 2, "event_id", "return-item")),
    "correction not in the data": (
        lambda r: edit_cell(r, "events", row_of(r, "events", "ev-2020-11-shushi-civilian-captures"), "date_end", "")
        and edit_cell(r, "events", row_of(r, "events", "ev-2020-11-shushi-civilian-captures"), "date_precision",
                      "after"), True, ("errata", 3, "new_value", "errata")),
    "retracted key still in use": (
        lambda r: edit_cell(r, "errata", 2, "change_type", "retraction") is not None
        and edit_cell(r, "errata", 2, "field_name", "") is not None
        and edit_cell(r, "errata", 2, "new_value", "") is not None, True, ("errata", 2, "row_key", "errata")),
    "erratum from a later version": (lambda r: edit_cell(r, "errata", 4, "version", "9.0.0"), True,
                                     ("errata", 4, "version", "errata")),
    "erratum for an unknown table": (lambda r: edit_cell(r, "errata", 4, "table_name", "count"), True,
                                     ("errata", 4, "table_name", "errata")),
    "unreadable descriptor": (lambda r: (r / "datapackage.json").write_text("{not json", encoding="utf-8"), False,
                              ("datapackage.json", None, None, "descriptor")),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault_is_caught_and_named(package_copy: Path, fault: str) -> None:
    plant, stamp, expected = FAULTS[fault]
    plant(package_copy)
    if stamp:
        restamp(package_copy)
    report = ad.validate(package_copy, conformance=False)
    assert not report.ok
    found = {(p.table, p.row, p.field, p.check) for p in report.problems}
    assert expected in found, f"{fault}: {sorted(found, key=str)}"


def test_all_faults_at_once_are_all_reported(package_copy: Path) -> None:
    planted = [f for f in FAULTS if f not in ("unreadable descriptor", "duplicate key", "extra column",
                                              "resource without path", "stray quote", "not utf-8")]
    for fault in planted:
        FAULTS[fault][0](package_copy)
    report = ad.validate(package_copy, conformance=True)  # Frictionless's findings merge in without repeats
    found = {(p.table, p.row, p.field, p.check) for p in report.problems}
    missing = [f for f in planted if FAULTS[f][2] not in found and FAULTS[f][2][3] not in ("hash",)]
    assert not missing, missing
    assert any(p.check == "hash" for p in report.problems)


@pytest.mark.parametrize(("fault", "code"), [("negative", 1), ("unreadable descriptor", 2), ("tampered file", 1)])
def test_cli_exit_codes_and_no_traceback(package_copy: Path, fault: str, code: int) -> None:
    plant, stamp, (table, row, field, check) = FAULTS[fault]
    plant(package_copy)
    if stamp:
        restamp(package_copy)
    cmd = [sys.executable, "-m", "amaz_detainees.cli", "validate", str(package_copy), "--json"]
    out = subprocess.run(cmd, capture_output=True, text=True)
    assert out.returncode == code, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    errors = json.loads(out.stdout)["errors"]
    assert {"table": table, "row": row, "field": field, "check": check} in [
        {k: e[k] for k in ("table", "row", "field", "check")} for e in errors]


def test_cli_validates_the_shipped_package() -> None:
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "validate"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith(f"valid: {len(ad.tables())} tables")


def test_cli_info_on_an_invalid_package_exits_1_without_traceback(package_copy: Path) -> None:
    edit_cell(package_copy, "counts", 2, "value", "32a")
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "info", str(package_copy)],
                         capture_output=True, text=True)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "counts, row 2, field value: [type]" in out.stderr


def test_cli_usage_error_exits_2() -> None:
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "frobnicate"], capture_output=True, text=True)
    assert out.returncode == 2
