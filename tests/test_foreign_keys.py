"""Foreign keys of one and of several fields, on a tiny package built for the purpose.

Its tables are named apart from the shipped ones (`sites`, not `places`): a table that borrows a shipped
name must keep that table's fields, or the cross-table checks report it.

The shipped schemas only use one-field references; the validator also supports composite ones
(an anti-join in Arrow), and both paths, including the one that hashes the smaller side, are pinned here.
"""

from __future__ import annotations

import json
from pathlib import Path

import amaz_detainees as ad
from amaz_detainees.maintain import stamp
from amaz_detainees.package import open_package

from .conftest import write_csv


def package(root: Path, places: list[list[str]], visits: list[list[str]]) -> Path:
    (root / "data").mkdir(parents=True)
    (root / "schemas").mkdir()
    schemas = {
        "sites": {"fields": [{"name": "country"}, {"name": "place"}], "primaryKey": ["country", "place"]},
        "visits": {"fields": [{"name": "visit_id"}, {"name": "country"}, {"name": "place"}],
                   "primaryKey": ["visit_id"],
                   "foreignKeys": [{"fields": ["country", "place"],
                                    "reference": {"resource": "sites", "fields": ["country", "place"]}},
                                   {"fields": ["country"],
                                    "reference": {"resource": "sites", "fields": ["country"]}}]},
    }
    for name, rows in (("sites", places), ("visits", visits)):
        (root / "schemas" / f"{name}.schema.json").write_text(json.dumps(schemas[name]), encoding="utf-8")
        write_csv(root / "data" / f"{name}.csv", [[f["name"] for f in schemas[name]["fields"]], *rows])
    resources = [{"name": n, "path": f"data/{n}.csv", "schema": f"schemas/{n}.schema.json"} for n in schemas]
    (root / "datapackage.json").write_text(json.dumps({"name": "t", "resources": resources}), encoding="utf-8")
    stamp(open_package(root))
    return root


def test_composite_and_single_field_references_are_checked_row_by_row(tmp_path: Path) -> None:
    places = [["AM", "Goris"], ["AZ", "Shusha"], ["AZ", "Aghdam"], ["AM", "Yerevan"], ["AM", "Kapan"]]
    visits = [["v1", "AM", "Goris"], ["v2", "AZ", "Goris"], ["v3", "GE", "Tbilisi"], ["v4", "", "Goris"]]
    report = ad.validate(package(tmp_path, places, visits))
    found = [(p.table, p.row, p.field, p.check, p.message) for p in report.problems]
    assert found == [
        ("visits", 3, "country, place", "foreign-key", "AZ, Goris is not in sites.country, place"),
        ("visits", 4, "country, place", "foreign-key", "GE, Tbilisi is not in sites.country, place"),
        ("visits", 4, "country", "foreign-key", "GE is not in sites.country"),
    ]


def test_a_few_links_into_many_keys_are_checked_the_same_way(tmp_path: Path) -> None:
    places = [["AM", f"p{i}"] for i in range(200)]  # many keys, few references: the smaller side is hashed
    visits = [["v1", "AM", "p7"], ["v2", "AZ", "p7"]]
    report = ad.validate(package(tmp_path, places, visits))
    assert [(p.row, p.field) for p in report.problems] == [(3, "country, place"), (3, "country")]
