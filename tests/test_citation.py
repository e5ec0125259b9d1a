"""Citation: CITATION.cff is valid CFF 1.2.0, the version agrees everywhere, and any row cites its sources."""

from __future__ import annotations

import csv
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import yaml

import amaz_detainees as ad
from amaz_detainees.citation import ROUTES, FactNotFound
from amaz_detainees.cli import main
from amaz_detainees.package import shipped_root
from amaz_detainees.schema import primary_key

ROOT = shipped_root()
CFF_SCHEMA = json.loads((Path(__file__).parent / "vendor" / "cff-1.2.0.schema.json").read_text(encoding="utf-8"))


def cff_errors(doc: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(CFF_SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def rows(table: str) -> list[dict[str, str]]:
    with (ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_citation_cff_is_valid_cff_1_2_0() -> None:
    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff_errors(doc) == []
    assert doc["type"] == "dataset"


def test_cff_validation_catches_a_broken_file() -> None:
    doc = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    del doc["authors"]
    doc["date-released"] = "23 Nov 2026"
    errors = cff_errors(doc)
    assert any("authors" in e for e in errors) and any("date-released" in e for e in errors)


def test_version_agrees_everywhere() -> None:
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    latest = re.search(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", changelog, re.M)
    assert latest, "the CHANGELOG has no '## [x.y.z] - YYYY-MM-DD' entry"
    version, released = latest.groups()
    assert descriptor["version"] == ad.__version__ == version
    installed = importlib.metadata.version("amaz-detainees")
    assert installed == version, f"installed metadata says {installed}: reinstall (pip install -e .) after a bump"
    assert str(citation["version"]) == version
    assert str(citation["date-released"]) == released
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)


def test_every_changelog_release_has_data_and_code_sections() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.split(r"^## ", changelog, flags=re.M)[1:]
    assert releases
    for release in releases:
        heading = release.splitlines()[0]
        assert re.fullmatch(r"\[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}", heading), heading
        assert "\n### Data\n" in release and "\n### Code\n" in release, heading


def test_every_table_declares_how_to_reach_its_sources() -> None:
    assert set(ad.tables()) <= set(ROUTES)


def test_dataset_citation_formats() -> None:
    apa = ad.cite()
    assert f"(Version {ad.__version__}) [Data set]" in apa
    entries = bibtexparser.parse_string(ad.cite("bibtex")).entries
    assert len(entries) == 1 and entries[0]["version"] == ad.__version__
    assert entries[0].key == f"amaz-detainees-{ad.__version__}"
    csl = json.loads(ad.cite("csl-json"))
    assert csl[0]["type"] == "dataset" and csl[0]["version"] == ad.__version__
    assert ad.cite("cff") == (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="unknown citation format"):
        ad.cite("mla")  # type: ignore[arg-type]


def test_cite_fact_for_a_count_lists_its_source_with_locator() -> None:
    row = next(r for r in rows("counts") if r["count_id"] == "c-js-32")
    source = next(s for s in rows("sources") if s["source_id"] == row["source_id"])
    fact = ad.cite_fact("counts", "c-js-32")
    assert fact.sources[["source_id", "locator", "url"]].values.tolist() == [
        [row["source_id"], row["locator"], source["url"]]]
    assert source["url"] in str(fact) and ad.cite() in str(fact)


def test_cite_fact_follows_links_to_the_sources_of_an_event_and_a_relation() -> None:
    event = "ev-2023-12-13-handover"
    expected = {(r["source_id"], r["locator"]) for r in rows("event_sources") if r["event_id"] == event}
    got = set(ad.cite_fact("events", event).sources[["source_id", "locator"]].itertuples(index=False, name=None))
    assert got == expected  # the handover has several sources (pinned in test_shipped_data.py)

    relation = "rel-ar-55-breakdown"
    terms = {r["count_id"] for r in rows("count_relation_terms") if r["relation_id"] == relation}
    expected_sources = {r["source_id"] for r in rows("counts") if r["count_id"] in terms}
    assert set(ad.cite_fact("count_relations", relation).sources["source_id"]) == expected_sources


@pytest.mark.parametrize("table", ["sources", "source_relays", "actors", "places", "events", "event_sources",
                                   "event_actors", "counts", "agreements", "agreement_parties", "provisions",
                                   "return_items", "count_relations", "count_relation_terms"])
def test_cite_fact_works_for_the_first_row_of_every_table(table: str) -> None:
    schema = ad.table_schema(table)
    first = rows(table)[0]
    if table == "places":  # countries are reference entries; take the place of the first event
        first = {"place_id": rows("events")[0]["place_id"]}
    key = "/".join(first[k] for k in primary_key(schema))
    fact = ad.cite_fact(table, key)
    known = {r["source_id"] for r in rows("sources")}
    assert len(fact.sources) >= 1 and set(fact.sources["source_id"]) <= known
    cff = yaml.safe_load(fact.format("cff"))
    assert cff_errors(cff) == [] and len(cff["references"]) == fact.sources["source_id"].nunique()
    bib = bibtexparser.parse_string(fact.format("bibtex"))
    assert len(bib.entries) == fact.sources["source_id"].nunique() + 1 and not bib.failed_blocks
    assert len(json.loads(fact.format("csl-json"))) == len(bib.entries)


def test_a_reference_entry_no_sourced_row_uses_says_so() -> None:
    used = {r["place_id"] for r in rows("events")} | {r["place_id"] for r in rows("return_items")}
    unused = next(r["place_id"] for r in rows("places") if r["place_id"] not in used)
    fact = ad.cite_fact("places", unused)
    assert fact.sources.empty and "no sourced row uses it" in str(fact)


def test_cite_fact_rejects_unknown_rows_clearly() -> None:
    with pytest.raises(FactNotFound, match="no row with count_id = 'nope'"):
        ad.cite_fact("counts", "nope")
    with pytest.raises(FactNotFound, match="key of 3 parts"):
        ad.cite_fact("event_sources", "ev-2023-12-13-handover")
    with pytest.raises(FactNotFound, match="no table named 'count'"):
        ad.cite_fact("count", "c-js-32")


def test_cli_cite(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cite", "--format", "bibtex"]) == 0
    assert "@misc{amaz-detainees-" in capsys.readouterr().out
    assert main(["cite", "--fact", "counts:c-js-32"]) == 0
    source = next(r["source_id"] for r in rows("counts") if r["count_id"] == "c-js-32")
    assert next(s["url"] for s in rows("sources") if s["source_id"] == source) in capsys.readouterr().out
    assert main(["cite", "--fact", "counts:nope"]) == 2
    assert "no row with count_id" in capsys.readouterr().err
    assert main(["cite", "--fact", "counts"]) == 2


def test_installed_command_cites_a_fact() -> None:
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "cite", "--fact",
                          "events:ev-2023-12-13-handover", "--format", "csl-json"],
                         capture_output=True, text=True, check=True)
    items = json.loads(out.stdout)
    sources = ad.cite_fact("events", "ev-2023-12-13-handover").sources["source_id"].nunique()
    assert items[-1]["type"] == "dataset" and len(items) == sources + 1


def test_stamp_copies_the_version_into_citation_cff(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT, pkg, ignore=shutil.ignore_patterns("*.py", "__pycache__", "src", "tests", ".*", "dist",
                                                              "notebooks", "benchmarks", "docs"))
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = "9.9.9"
    (pkg / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    changelog = pkg / "CHANGELOG.md"
    assert main(["stamp", str(pkg), "--check"]) == 2  # no CHANGELOG entry for 9.9.9 yet
    changelog.write_text(changelog.read_text(encoding="utf-8").replace(
        "## [", "## [9.9.9] - 2030-01-02\n\n## [", 1), encoding="utf-8")
    assert main(["stamp", str(pkg), "--check"]) == 1
    assert main(["stamp", str(pkg)]) == 0
    assert main(["stamp", str(pkg), "--check"]) == 0
    cff = yaml.safe_load((pkg / "CITATION.cff").read_text(encoding="utf-8"))
    assert (cff["version"], cff["date-released"]) == ("9.9.9", "2030-01-02")
    assert cff_errors(cff) == []
