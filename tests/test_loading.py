"""Loaders return typed frames that match their Table Schemas, offline and from any directory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import amaz_detainees as ad
from amaz_detainees.package_files import shipped_root

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
    assert counts.loc[counts["count_id"] == "c-ar-p4-64", "as_of_start"].iloc[0] == pd.Timestamp("2020-11-09")


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


def test_load_never_coerces_a_bad_cell_even_without_validation(package_copy: Path) -> None:
    edit_cell(package_copy, "counts", 3, "value", "32a")
    with pytest.raises(ad.DataValidationError, match=r"counts, row 3, field value: \[type\]"):
        ad.load("counts", path=package_copy, validate=False)


def test_unknown_table_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no table named 'nope'"):
        ad.load("nope")
