"""The Table Schemas are the one source of truth: consistent, complete, and everything derived is current."""

from __future__ import annotations

import doctest
import importlib
import json
import re
from collections import defaultdict

import pytest

import amaz_detainees as ad
from amaz_detainees.cells import UnsupportedSchema
from amaz_detainees.codebook import render
from amaz_detainees.package_files import shipped, shipped_root
from amaz_detainees.pandera_schema import to_pandera

ROOT = shipped_root()


def all_fields() -> list[tuple[str, dict]]:
    return [(t, f) for t in ad.tables() for f in ad.table_schema(t)["fields"]]


def test_a_field_name_means_the_same_everywhere() -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for _, field in all_fields():
        seen[field["name"]].add(json.dumps([field["type"], field["description"], field.get("categories")]))
    assert {name: defs for name, defs in seen.items() if len(defs) > 1} == {}


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
    from amaz_detainees.cells import parser_for

    with pytest.raises(UnsupportedSchema, match="geopoint"):
        parser_for(schema["fields"][0])


def test_codebook_is_current() -> None:
    assert (ROOT / "CODEBOOK.md").read_text(encoding="utf-8") == render(shipped()), \
        "CODEBOOK.md is stale: run `amaz-detainees codebook`"


def test_every_field_is_in_the_codebook() -> None:
    text = (ROOT / "CODEBOOK.md").read_text(encoding="utf-8")
    for _, field in all_fields():
        assert f"| `{field['name']}` |" in text


def test_hashes_are_current() -> None:
    from amaz_detainees import integrity

    assert [p for t in ad.tables() for p in integrity.check(shipped(), t)] == []


def test_version_is_single_sourced() -> None:
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == ad.__version__
    citation = ROOT / "CITATION.cff"
    if citation.is_file():  # present in a source checkout, not inside the wheel
        assert re.search(rf"^version: \"?{re.escape(ad.__version__)}\"?$", citation.read_text(), re.M)
        changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
        assert f"## [{ad.__version__}]" in changelog


@pytest.mark.parametrize("module", ["amaz_detainees", "amaz_detainees.loading", "amaz_detainees.views"])
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
