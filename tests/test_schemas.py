"""The Table Schemas are the one source of truth: consistent, complete, and everything derived is current."""

from __future__ import annotations

import csv
import doctest
import importlib
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

import amaz_detainees as ad
from amaz_detainees.checks import hash_problems
from amaz_detainees.maintain import render
from amaz_detainees.package import shipped, shipped_root
from amaz_detainees.pandera_schema import to_pandera
from amaz_detainees.schema import UnsupportedSchema

ROOT = shipped_root()


def all_fields() -> list[tuple[str, dict]]:
    return [(t, f) for t in ad.tables() for f in ad.table_schema(t)["fields"]]


def test_a_field_name_means_the_same_everywhere() -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for _, field in all_fields():
        meaning = [field.get(k) for k in ("type", "title", "description", "unit", "categories", "example")]
        seen[field["name"]].add(json.dumps(meaning))
    assert {name: defs for name, defs in seen.items() if len(defs) > 1} == {}


def test_every_field_has_a_short_unique_title_and_an_example() -> None:
    for table in ad.tables():
        fields = ad.table_schema(table)["fields"]
        titles = [f.get("title", "") for f in fields]
        assert all(0 < len(t) <= 80 for t in titles), (table, titles)  # Stata's variable-label limit
        assert len(set(titles)) == len(titles), table
        assert all(isinstance(f.get("example"), str) and f["example"] for f in fields), table
        for f in fields:
            if f["type"] in ("integer", "number"):
                assert f.get("unit"), (table, f["name"])


def test_every_example_is_a_valid_value_of_its_field(tmp_path: Path) -> None:
    from amaz_detainees.checks import check_table

    for table in ad.tables():
        schema = json.loads(json.dumps(ad.table_schema(table)))
        schema.pop("primaryKey", None)
        path = tmp_path / f"{table}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow([f["name"] for f in schema["fields"]])
            writer.writerow([f["example"] for f in schema["fields"]])
        problems = check_table(table, path, schema).problems
        assert problems == [], problems


def test_a_bad_example_is_caught(tmp_path: Path) -> None:
    from amaz_detainees.checks import check_table

    schema = json.loads(json.dumps(ad.table_schema("counts")))
    path = tmp_path / "counts.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([f["name"] for f in schema["fields"]])
        writer.writerow(["-1" if f["name"] == "value" else f["example"] for f in schema["fields"]])
    assert [(p.field, p.check) for p in check_table("counts", path, schema).problems] == [("value", "minimum")]


def test_every_enum_value_has_a_definition() -> None:
    for table, field in all_fields():
        if "enum" in field.get("constraints", {}):
            assert "categories" in field, (table, field["name"])


def test_categories_are_mirrored_in_enum() -> None:
    for table, field in all_fields():
        if "categories" in field:
            assert [c["value"] for c in field["categories"]] == field["constraints"]["enum"], (table, field["name"])
            assert all(c.get("label") for c in field["categories"]), (table, field["name"])


def test_patterns_group_their_alternations() -> None:
    # frictionless anchors patterns as ^p$, so a top-level a|b would accept "axyz"
    for table, field in all_fields():
        pattern = field.get("constraints", {}).get("pattern")
        if pattern and "|" in pattern:
            assert re.fullmatch(r"\(.*\)", pattern), (table, field["name"], pattern)


def test_file_stem_resource_name_and_schema_stem_agree() -> None:
    for resource in json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"]:
        assert resource["path"] == f"data/{resource['name']}.csv"
        assert resource["schema"] == f"schemas/{resource['name']}.schema.json"
    assert {p.stem.removesuffix(".schema") for p in (ROOT / "schemas").glob("*.json")} == set(ad.tables())
    assert {p.stem for p in (ROOT / "data").glob("*.csv")} == set(ad.tables())


def test_every_table_has_keys_and_every_id_is_referenced_by_key() -> None:
    for table in ad.tables():
        schema = ad.table_schema(table)
        assert schema.get("primaryKey"), table
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"].get("resource") or table
            assert fk["reference"]["fields"] == ad.table_schema(target)["primaryKey"], (table, fk)


def test_the_converter_fails_loudly_on_what_it_does_not_know() -> None:
    schema = json.loads(json.dumps(ad.table_schema("counts")))
    schema["fields"][0]["constraints"]["exclusiveMinimum"] = 0
    with pytest.raises(UnsupportedSchema, match="exclusiveMinimum"):
        to_pandera(schema)
    schema = json.loads(json.dumps(ad.table_schema("counts")))
    schema["fields"][0]["type"] = "geopoint"
    from amaz_detainees.read import parser_for

    with pytest.raises(UnsupportedSchema, match="geopoint"):
        parser_for(schema["fields"][0])


@pytest.mark.cli_check  # `amaz-detainees codebook --check`
def test_codebook_is_current() -> None:
    assert (ROOT / "CODEBOOK.md").read_text(encoding="utf-8") == render(shipped()), \
        "CODEBOOK.md is stale: run `amaz-detainees codebook`"


def test_every_field_is_in_the_codebook_with_title_example_and_vocabulary() -> None:
    text = (ROOT / "CODEBOOK.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## `(\w+)`\n(.*?)(?=^## )", text, re.M | re.S))
    assert set(sections) == set(ad.tables())
    for table, field in all_fields():
        row = next((line for line in sections[table].splitlines() if line.startswith(f"| `{field['name']}` |")), None)
        assert row, (table, field["name"])
        assert field["title"] in row and f"`{field['example'].replace('|', chr(92) + '|')}`" in row, row
        for category in field.get("categories", []):
            assert f"| `{category['value']}` | {category['label']} |" in text, (table, field["name"], category)


@pytest.mark.cli_check  # part of `amaz-detainees stamp --check`
def test_hashes_are_current() -> None:
    assert [p for t in ad.tables() for p in hash_problems(shipped(), t)] == []


@pytest.mark.parametrize("module", ["amaz_detainees", "amaz_detainees.loading", "amaz_detainees.views",
                                    "amaz_detainees.citation.dataset", "amaz_detainees.citation.facts"])
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
