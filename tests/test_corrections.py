"""`amaz-detainees correct`: every change to a published row lands in errata, all or nothing."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

import amaz_detainees as ad
from amaz_detainees.cli import main
from amaz_detainees.maintain import Correction, CorrectionError, apply_corrections
from amaz_detainees.package import open_package


def _fix(table: str, key: str, field: str, value: str) -> Correction:
    return Correction(table, key, field, value, "test: the page says otherwise", "libertas-2023-12-08", "¶3")


def _errata(root: Path) -> list[dict[str, str]]:
    with (root / "data" / "errata.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_correction_changes_the_cell_and_records_old_and_new(package_copy: Path) -> None:
    before = len(_errata(package_copy))
    with (package_copy / "data" / "counts.csv").open(encoding="utf-8", newline="") as fh:
        old = next(r["qualifier"] for r in csv.DictReader(fh) if r["count_id"] == "c-js-32")
    apply_corrections(open_package(package_copy), [_fix("counts", "c-js-32", "qualifier", "about")],
                      change_date=date(2026, 12, 3))
    assert main(["fmt", str(package_copy)]) == 0
    assert len(_errata(package_copy)) == before + 1
    found = [e for e in _errata(package_copy) if e["row_key"] == "c-js-32" and e["field_name"] == "qualifier"]
    assert [(e["old_value"], e["new_value"], e["change_type"]) for e in found] == [(old, "about", "correction")]
    assert ad.load("counts", path=package_copy).set_index("count_id").loc["c-js-32", "qualifier"] == "about"
    assert ad.validate(package_copy).ok


def test_a_retraction_removes_the_row_and_retires_its_key(package_copy: Path) -> None:
    apply_corrections(open_package(package_copy), [_fix("source_relays", "aljazeera-2023-12-13/arm/page", "", "")])
    main(["fmt", str(package_copy)])
    relays = ad.load("source_relays", path=package_copy)
    assert not ((relays["source_id"] == "aljazeera-2023-12-13") & (relays["relayed_actor_id"] == "arm")).any()
    retracted = [e for e in _errata(package_copy) if e["row_key"] == "aljazeera-2023-12-13/arm/page"]
    assert [e["change_type"] for e in retracted] == ["retraction"]
    assert ad.validate(package_copy).ok


def test_changing_a_key_field_names_the_row_by_its_new_key(package_copy: Path) -> None:
    key = "ev-2023-12-13-handover/ctvnews-ap-2023-12-13/page"
    apply_corrections(open_package(package_copy), [_fix("event_sources", key, "locator", "¶2")])
    main(["fmt", str(package_copy)])
    assert any(e["row_key"] == "ev-2023-12-13-handover/ctvnews-ap-2023-12-13/¶2" for e in _errata(package_copy))
    assert ad.validate(package_copy).ok


def test_a_key_that_errata_already_name_is_not_changed(package_copy: Path) -> None:
    key = "ev-2023-12-13-handover/aljazeera-2023-12-13/page"  # an erratum of 1.0.0 names this row
    with pytest.raises(CorrectionError, match="retract the row"):
        apply_corrections(open_package(package_copy), [_fix("event_sources", key, "locator", "¶2")])


@pytest.mark.parametrize(("correction", "message"), [
    (_fix("counts", "c-no-such-count", "value", "1"), "0 rows"),
    (_fix("counts", "c-js-32", "no_such_field", "1"), "no field"),
    (_fix("counts", "c-js-32", "value", "32"), "already holds"),
    (_fix("nowhere", "x", "value", "1"), "no table"),
])
def test_a_bad_correction_writes_nothing(package_copy: Path, correction: Correction, message: str) -> None:
    before = {p.name: p.read_bytes() for p in (package_copy / "data").iterdir()}
    good = _fix("counts", "c-js-32", "qualifier", "about")
    with pytest.raises(CorrectionError, match=message):
        apply_corrections(open_package(package_copy), [good, correction])
    assert {p.name: p.read_bytes() for p in (package_copy / "data").iterdir()} == before
