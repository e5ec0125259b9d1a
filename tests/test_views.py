"""The derived views agree with the research chronology and with an independent reading of the CSV files."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

import amaz_detainees as ad
from amaz_detainees.package_files import shipped_root
from amaz_detainees.views import HELD_MEASURES, RECONCILIATION_RULES, claims, held_over_time, reconcile, releases

ROOT = shipped_root()


def rows(table: str) -> list[dict[str, str]]:
    with (ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# The chronology of ../shared/research/sources.md §7 (rows 1-26 and 20a, less 12): event, first date, persons each way
# as (min, max) across the sources the notes list, None where nobody went that way.
CHRONOLOGY = {
    "1": ("ev-2020-12-09-release-3-civilians", "2020-12-09", (3, 3), None),
    "2": ("ev-2020-12-14-exchange", "2020-12-14", (44, 44), (12, 14)),  # 1.0.0: the list of 45 spans 14-15 Dec
    "3": ("ev-2020-12-15-release-shepherd", "2020-12-15", (1, 1), None),
    "4": ("ev-2020-12-28-exchange", "2020-12-28", (4, 4), (2, 2)),
    "5": ("ev-2021-01-28-exchange", "2021-01-28", (5, 5), (1, 1)),
    "6": ("ev-2021-02-09-exchange", "2021-02-09", (5, 5), (1, 1)),
    "7": ("ev-2021-05-04-release", "2021-05-04", (3, 3), None),
    "8": ("ev-2021-06-09-release-lachin", "2021-06-08", (1, 1), None),
    "9": ("ev-2021-06-12-release-aghdam-map", "2021-06-12", (15, 15), None),
    "10": ("ev-2021-07-03-release-fuzuli-zangilan-maps", "2021-07-03", (15, 15), None),
    "11": ("ev-2021-09-07-exchange", "2021-09-07", (2, 2), (1, 1)),
    # "12", the officer's release of October 2021, was retracted in 1.0.0: no stored page reports it.
    "13": ("ev-2021-10-19-release", "2021-10-19", (5, 5), None),
    "14": ("ev-2021-11-26-release", "2021-11-26", (2, 2), None),
    "15": ("ev-2021-12-04-release-maps", "2021-12-04", (10, 11), None),
    "16": ("ev-2021-12-19-release", "2021-12-19", (10, 10), None),
    "17": ("ev-2021-12-20-release-to-azerbaijan", "2021-12-20", None, (2, 2)),
    "18": ("ev-2021-12-29-release-hungary", "2021-12-28", (5, 5), None),
    "19": ("ev-2021-12-29-release-nk-civilian", "2021-12-29", (1, 1), None),
    "20": ("ev-2022-02-07-release", "2022-02-07", (8, 8), None),
    "20a": ("ev-2022-05-26-release", "2022-05-26", (1, 1), None),
    "21": ("ev-2022-08-02-release-to-azerbaijan", "2022-08-02", None, (1, 1)),
    "22": ("ev-2022-09-08-release", "2022-09-08", (5, 5), None),
    "23": ("ev-2022-10-04-release", "2022-10-04", (17, 17), None),
    "24": ("ev-2023-12-13-handover", "2023-12-13", (32, 32), (2, 2)),
    "25": ("ev-2024-03-release-to-azerbaijan", "2024-03-04", None, (1, 1)),
    "26": ("ev-2026-01-14-release", "2026-01-14", (4, 4), None),
}


@pytest.fixture(scope="module")
def view() -> pd.DataFrame:
    return releases().set_index("event_id")


@pytest.mark.parametrize("row", list(CHRONOLOGY))
def test_every_chronology_row_is_a_sourced_release(view: pd.DataFrame, row: str) -> None:
    event_id, date, to_armenia, to_azerbaijan = CHRONOLOGY[row]
    r = view.loc[event_id]
    assert r["date"] == pd.Timestamp(date)
    for (low, high), expected in (((r["to_armenia_min"], r["to_armenia_max"]), to_armenia),
                                  ((r["to_azerbaijan_min"], r["to_azerbaijan_max"]), to_azerbaijan)):
        if expected is None:
            assert pd.isna(low) and pd.isna(high)
        else:
            assert (int(low), int(high)) == expected
    assert r["n_sources"] >= 1


def test_releases_are_exactly_the_chronology(view: pd.DataFrame) -> None:
    assert set(view.index) == {v[0] for v in CHRONOLOGY.values()}


def test_releases_agree_with_an_independent_reading_of_the_csv(view: pd.DataFrame) -> None:
    kinds = {e["event_id"]: e["event_type"] for e in rows("events")}
    spans: dict[tuple[str, str], list[int]] = defaultdict(list)
    sources: dict[str, set[str]] = defaultdict(set)
    for c in rows("counts"):
        if kinds.get(c["event_id"]) not in ("release", "exchange"):
            continue
        sources[c["event_id"]].add(c["source_id"])
        if c["measure"] != "released" or c["subgroup"] == "true":
            continue
        if c["held_by"] == "AZE" and c["nationality"] in ("ARM", "mixed"):
            way = "to_armenia"
        elif c["held_by"] == "ARM" and c["nationality"] == "AZE":
            way = "to_azerbaijan"
        else:
            continue
        spans[(c["event_id"], way)] += [int(c["value_low"] or c["value"]), int(c["value_high"] or c["value"])]
    for table in ("event_sources", "event_actors", "return_items"):
        for r in rows(table):
            sources[r["event_id"]].add(r["source_id"])
    for event_id, r in view.iterrows():
        for way in ("to_armenia", "to_azerbaijan"):
            values = spans.get((event_id, way))
            got = (r[f"{way}_min"], r[f"{way}_max"])
            assert (None if values is None else (min(values), max(values))) == (
                None if pd.isna(got[0]) else (int(got[0]), int(got[1]))), (event_id, way)
        assert r["n_sources"] == len(sources[event_id]), event_id
        assert set(r["source_ids"].split()) == sources[event_id]


def test_mediators_and_items_come_from_their_tables(view: pd.DataFrame) -> None:
    assert "Hungary" in view.loc["ev-2021-12-29-release-hungary", "mediators"]
    assert "Irakli Garibashvili" in view.loc["ev-2021-06-12-release-aghdam-map", "mediators"]
    assert pd.isna(view.loc["ev-2023-12-13-handover", "mediators"])  # the statement names no mediator
    assert "97,000-100,000 mines" in view.loc["ev-2021-06-12-release-aghdam-map", "items_in_return"]
    syrians = view.loc["ev-2026-01-14-release", "items_in_return"]
    assert "in return per" in syrians and "not connected per Nikol Pashinyan" in syrians


def test_held_over_time_agrees_with_the_csv() -> None:
    held = held_over_time()
    expected = {c["count_id"]: int(c["value"]) for c in rows("counts")
                if c["measure"] in HELD_MEASURES and c["nationality"] == "ARM" and c["held_by"] == "AZE"
                and c["subgroup"] == "false"}
    assert dict(zip(held["count_id"], held["value"].astype(int), strict=True)) == expected
    dated = held.dropna(subset=["as_of"])
    assert dated["as_of"].is_monotonic_increasing
    # the 55 -> 23 -> 19 path of the notes is there, each figure from its own sources
    by_value = held[held["measure"] == "held"].groupby("value")["source_id"].nunique()
    assert by_value[55] >= 5 and by_value[23] >= 5 and by_value[19] >= 3


def test_reconciliation_rules() -> None:
    every = reconcile("all")
    assert len(every) == len(rows("counts"))
    low, high = reconcile("min").set_index("quantity"), reconcile("max").set_index("quantity")
    assert (low["value"] <= high.loc[low.index, "value"]).all()
    hadrut = "ev-2020-12-hadrut-capture|captured|persons|ARM|AZE|-|all"
    # 1.0.0: the 171 of Public Radio of Armenia counts the missing, not the captured (erratum)
    assert (int(low.loc[hadrut, "value"]), int(high.loc[hadrut, "value"])) == (57, 160)
    sides = reconcile("by_side")
    assert set(sides["claimant_group"]) <= {"armenian_government", "azerbaijani_government",
                                            "nagorno_karabakh_authorities", "third_party", "joint", "ngo",
                                            "academic", "media", "other"}
    latest = reconcile("latest")
    held = latest[latest["quantity"] == "-|held|persons|ARM|AZE|-|all"]
    assert set(held["value"]) == {19} and set(held["source_id"]) == {"azatutyun-33685424"}
    with pytest.raises(ValueError, match="unknown rule"):
        reconcile("mean")  # type: ignore[arg-type]


def test_claim_ranges_are_ordered() -> None:
    c = claims()
    assert (c["low"] <= c["value"]).all() and (c["value"] <= c["high"]).all()


@pytest.mark.parametrize("resource", json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"],
                         ids=lambda r: r["name"])
def test_row_count_expectations(resource: dict) -> None:
    n = len(ad.load(resource["name"]))
    expected = resource["expectations"]
    assert expected["minRows"] <= n <= expected["maxRows"], (resource["name"], n, expected)


@pytest.mark.parametrize(("view_name", "extra"), [("releases", []), ("held-over-time", []),
                                                  *[("claims", ["--rule", r]) for r in RECONCILIATION_RULES]])
def test_cli_show(view_name: str, extra: list[str], tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "show", view_name, *extra, "--format", "csv"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    shown = list(csv.DictReader(out.stdout.splitlines()))
    assert len(shown) > 0
    if view_name == "releases":
        assert len(shown) == len(CHRONOLOGY)
