"""The derived views agree with an independent reading of the CSV files.

The research chronology they must also match, and other figures of the shipped data, are pinned in
test_shipped_data.py.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from amaz_detainees.package import shipped_root
from amaz_detainees.views import HELD_MEASURES, RECONCILIATION_RULES, claims, held_over_time, reconcile, releases

ROOT = shipped_root()


def rows(table: str) -> list[dict[str, str]]:
    with (ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def view() -> pd.DataFrame:
    return releases().set_index("event_id")


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
    names = {a["actor_id"]: a["name"] for a in rows("actors")}
    mediators: dict[str, set[str]] = defaultdict(set)
    for link in rows("event_actors"):
        if link["role"] == "mediator":
            mediators[link["event_id"]].add(names[link["actor_id"]])
    items: dict[str, set[str]] = defaultdict(set)
    for item in rows("return_items"):
        items[item["event_id"]].add(item["item"])
    for event_id, r in view.iterrows():
        assert (None if pd.isna(r["mediators"]) else r["mediators"]) == (
            "; ".join(sorted(mediators[event_id])) or None), event_id
        assert pd.isna(r["items_in_return"]) == (not items[event_id]), event_id
        assert all(f"{item} (" in str(r["items_in_return"]) for item in items[event_id]), event_id


def test_held_over_time_agrees_with_the_csv() -> None:
    held = held_over_time()
    expected = {c["count_id"]: int(c["value"]) for c in rows("counts")
                if c["measure"] in HELD_MEASURES and c["nationality"] == "ARM" and c["held_by"] == "AZE"
                and c["subgroup"] == "false"}
    assert dict(zip(held["count_id"], held["value"].astype(int), strict=True)) == expected
    dated = held.dropna(subset=["as_of"])
    assert dated["as_of"].is_monotonic_increasing


def test_reconciliation_rules() -> None:
    every = reconcile("all")
    assert len(every) == len(rows("counts"))
    low, high = reconcile("min").set_index("quantity"), reconcile("max").set_index("quantity")
    assert (low["value"] <= high.loc[low.index, "value"]).all()
    sides = reconcile("by_side")
    assert set(sides["claimant_group"]) <= {"armenian_government", "azerbaijani_government",
                                            "nagorno_karabakh_authorities", "third_party", "joint", "ngo",
                                            "academic", "media", "other"}
    latest = reconcile("latest")
    assert set(latest["quantity"]) == set(every["quantity"])  # every quantity keeps its newest claim(s)
    with pytest.raises(ValueError, match="unknown rule"):
        reconcile("mean")  # type: ignore[arg-type]


def test_claim_ranges_are_ordered() -> None:
    c = claims()
    assert (c["low"] <= c["value"]).all() and (c["value"] <= c["high"]).all()


# One rule is enough for the fast tier: the rules themselves are tested in process (test_reconciliation_rules).
@pytest.mark.parametrize(("view_name", "extra"), [
    ("releases", []), ("held-over-time", []),
    *[pytest.param("claims", ["--rule", r], marks=[pytest.mark.slow] if i else []) for i, r in
      enumerate(RECONCILIATION_RULES)]])
def test_cli_show(view_name: str, extra: list[str], tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "show", view_name, *extra, "--format", "csv"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    shown = list(csv.DictReader(out.stdout.splitlines()))
    assert len(shown) > 0
    if view_name == "releases":
        assert len(shown) == len(releases())
