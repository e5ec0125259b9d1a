"""The shipped package is valid by our rules and by Frictionless, and its relations hold."""

from __future__ import annotations

import frictionless
import pandas as pd

import amaz_detainees as ad
from amaz_detainees.package_files import shipped_root


def test_shipped_package_is_valid() -> None:
    report = ad.validate()
    assert report.ok, str(report)
    assert report.errors.empty
    assert set(report.rows) == set(ad.tables())


def test_frictionless_accepts_the_shipped_package() -> None:
    report = frictionless.validate(str(shipped_root() / "datapackage.json"), type="package")
    assert report.valid, report.flatten(["type", "message"])


def test_every_declared_relation_is_evaluated_and_within_source_ones_hold() -> None:
    report = ad.validate(conformance=False)
    declared = set(ad.load("count_relations")["relation_id"])
    assert set(report.relations["relation_id"]) == declared
    within = report.relations[report.relations["scope"] == "within_source"]
    assert within["holds"].all() and len(within) > 0


def test_issue_relations_are_declared() -> None:
    expressions = set(ad.validate(conformance=False).relations["expression"])
    assert {"41 + 8 + 6 = 55", "26 + 6 = 32", "55 − 32 = 23"} <= expressions


def test_every_event_count_and_provision_traces_to_a_source_with_a_locator() -> None:
    sources = set(ad.load("sources")["source_id"])
    for table in ("counts", "event_sources", "event_actors", "provisions", "source_relays"):
        frame = ad.load(table)
        assert frame["source_id"].isin(sources).all(), table
        assert frame["locator"].notna().all(), table
    assert set(ad.load("events")["event_id"]) == set(ad.load("event_sources")["event_id"])


def test_every_seed_figure_is_a_count() -> None:
    counts = ad.load("counts")
    seed = {
        "armenian-report-2023-12-swap": {32, 2, 6, 64, 26, 55, 41, 8},
        "libertas-2023-12-08": {32, 26, 23, 20, 3, 5, 8},
    }
    for source, figures in seed.items():
        assert figures <= set(counts.loc[counts["source_id"] == source, "value"].astype(int)), source
    units = set(counts.loc[counts["source_id"].isin(list(seed)), "unit"])
    assert {"persons", "settlements", "years", "weeks"} <= units


def test_the_december_2023_provisions_are_implemented_by_the_handover() -> None:
    provisions = ad.load("provisions")
    mine = provisions[(provisions["agreement_id"] == "agr-2023-12-07-joint-statement")
                      & (provisions["action"] == "release_persons")]
    assert sorted(mine["quantity"].astype(int)) == [2, 32]
    impl = ad.load("implementations")
    carried = impl[impl["provision_id"].isin(mine["provision_id"]) & (impl["status"] == "carried_out")]
    assert set(carried["provision_id"]) == set(mine["provision_id"])
    assert set(carried["event_id"]) == {"ev-2023-12-13-handover"}


def test_every_release_provision_with_a_quantity_matches_its_handovers() -> None:
    compared = ad.validate().provisions
    assert len(compared) >= 12
    assert compared["agrees"].fillna(False).all(), compared[~compared["agrees"].fillna(False)]


def test_agreements_span_2020_to_2026() -> None:
    deals = ad.load("agreements")
    dates = deals["agreement_date_start"].fillna(deals["agreement_date_end"])
    assert dates.min().year == 2020 and dates.max().year >= 2025 and len(deals) >= 15


def test_both_datings_of_the_hadrut_captures_are_kept() -> None:
    claims = ad.load("event_sources")
    hadrut = claims[claims["event_id"].isin(["ev-2020-12-hadrut-capture", "ev-2020-12-hadrut-control-change"])]
    starts = {str(d.date()) for d in hadrut["claimed_start"].dropna()}
    assert {"2020-11-09", "2020-12-13"} <= starts


def test_every_source_of_0_6_was_re_read() -> None:
    """1.0.0 re-read every source that 0.6.0 had; sources added since were read when they were added."""
    sources, checks = ad.load("sources"), ad.load("source_checks")
    read = set(checks["source_id"])
    unread = sources[~sources["source_id"].isin(read) & (sources["check_date"] < pd.Timestamp("2026-12-03"))]
    assert unread.empty, list(unread["source_id"])
    assert set(checks["result"]) <= {"confirmed", "corrected", "partial", "not_found"}
