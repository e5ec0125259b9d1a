"""Loaders return typed frames that match their Table Schemas, offline and from any directory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import amaz_detainees as ad
from amaz_detainees.package import shipped_root

from .conftest import edit_cell, restamp

DESCRIPTOR = json.loads((shipped_root() / "datapackage.json").read_text(encoding="utf-8"))


def test_tables_are_the_descriptor_resources() -> None:
    assert ad.tables() == [r["name"] for r in DESCRIPTOR["resources"]]


@pytest.mark.parametrize("name", [r["name"] for r in DESCRIPTOR["resources"]])
def test_load_types_every_column_from_its_schema(name: str) -> None:
    frame = ad.load(name)
    fields = ad.table_schema(name)["fields"]
    assert list(frame.columns) == [f["name"] for f in fields]
    assert len(frame) > 0
    for field in fields:
        dtype = frame[field["name"]].dtype
        enum = field.get("constraints", {}).get("enum")
        if enum is not None and field["type"] == "string":
            assert isinstance(dtype, pd.CategoricalDtype) and list(dtype.categories) == enum
        elif field["type"] == "integer":
            assert str(dtype) == "Int64"
        elif field["type"] == "date":
            assert str(dtype) == "datetime64[s]"
        elif field["type"] == "boolean":
            assert str(dtype) == "boolean"
        else:
            assert isinstance(dtype, pd.StringDtype), (field["name"], dtype)
    ad.schema(name).validate(frame)  # the derived pandera schema accepts what load returns


def test_nullable_integers_and_dates_keep_missing_values() -> None:
    counts = ad.load("counts")
    assert counts["value_high"].isna().any() and counts["value_high"].notna().any()
    assert counts["as_of_end"].isna().any()
    assert counts["as_of_start"].notna().any()  # its dates are pinned in test_shipped_data.py


def test_load_works_from_any_directory(tmp_path: Path) -> None:
    code = "import amaz_detainees as ad; print(len(ad.load('counts')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert int(out.stdout) == len(ad.load("counts"))


def test_load_refuses_a_file_that_differs_from_its_hash(package_copy: Path) -> None:
    edit_cell(package_copy, "counts", 2, "evidence", "changed by hand")
    with pytest.raises(ad.DataValidationError) as info:
        ad.load("counts", path=package_copy)
    assert any(p.check == "hash" and p.table == "counts" for p in info.value.report.problems)


def test_load_accepts_a_valid_edit_once_restamped(package_copy: Path) -> None:
    edit_cell(package_copy, "counts", 2, "evidence", "changed by hand")
    restamp(package_copy)
    assert ad.load("counts", path=package_copy, validate=True)["evidence"].iloc[0] == "changed by hand"


def test_load_refuses_an_edited_package_that_fmt_restamped(package_copy: Path, monkeypatch) -> None:
    """The issue's reproduction: a dangling counts.source_id, then `fmt` refreshes bytes and hashes.
    Every recorded hash now matches, yet the package is invalid, so "auto" must validate and refuse."""
    from amaz_detainees.cli import main

    edit_cell(package_copy, "counts", 2, "source_id", "src-does-not-exist")
    assert main(["fmt", str(package_copy)]) == 0
    assert main(["stamp", "--check", str(package_copy)]) == 0  # hashes all current
    with pytest.raises(ad.DataValidationError) as info:
        ad.load("counts", path=package_copy)
    assert [(p.table, p.check, p.field) for p in info.value.report.problems] == [
        ("counts", "foreign-key", "source_id")]
    assert sorted(p.name for p in package_copy.iterdir()) == ["data", "datapackage.json", "schemas"]


def test_the_shipped_package_is_recorded_as_validated() -> None:
    """The record ships with the code (in the wheel too) and names the shipped package's current digest."""
    from amaz_detainees.checks import is_trusted, package_digest, shipped_record
    from amaz_detainees.package import shipped

    assert shipped_record() == package_digest(shipped()) and is_trusted(package_digest(shipped()))


def test_auto_trusts_only_what_passed_validation(package_copy: Path, monkeypatch) -> None:
    """An unchanged copy has the shipped digest (trusted); a valid edit is validated once, then remembered
    outside the package; a later edit changes the digest and is validated again."""
    import amaz_detainees.checks as checks

    calls: list[Path] = []
    real = checks.validate

    def counting(path, **kwargs):
        calls.append(Path(path))
        return real(path, **kwargs)

    monkeypatch.setattr(checks, "validate", counting)
    ad.load("counts", path=package_copy)
    assert calls == []
    edit_cell(package_copy, "counts", 2, "evidence", "changed by hand")
    restamp(package_copy)
    ad.load("counts", path=package_copy)
    ad.load("events", path=package_copy)
    assert len(calls) == 1
    edit_cell(package_copy, "counts", 2, "evidence", "changed again")
    restamp(package_copy)
    ad.load("counts", path=package_copy)
    assert len(calls) == 2
    assert sorted(p.name for p in package_copy.iterdir()) == ["data", "datapackage.json", "schemas"]


def test_load_never_coerces_a_bad_cell_even_without_validation(package_copy: Path) -> None:
    edit_cell(package_copy, "counts", 3, "value", "32a")
    with pytest.raises(ad.DataValidationError, match=r"counts, row 3, field value: \[type\]"):
        ad.load("counts", path=package_copy, validate=False)


def test_unknown_table_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no table named 'nope'"):
        ad.load("nope")
