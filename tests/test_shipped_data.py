"""Figures of the shipped data, pinned: the package is valid, and holds the rows, values and ids it should.

A data change (a new row, a corrected figure, a retraction) fails here; the other modules test what the code
does with any package, using the shipped one as input without pinning its figures, so a code change fails
there. Each validation of the package takes about a second, so the reports are shared.
"""

from __future__ import annotations

import json

import frictionless
import pandas as pd
import pytest

import amaz_detainees as ad
from amaz_detainees.cli import main
from amaz_detainees.package import shipped_root
from amaz_detainees.views import held_over_time, reconcile, releases

ROOT = shipped_root()


@pytest.fixture(scope="module")
def report() -> ad.ValidationReport:
    return ad.validate()


@pytest.fixture(scope="module")
def report_without_conformance() -> ad.ValidationReport:
    return ad.validate(conformance=False)


# --- validity and relations -----------------------------------------------------------------------------------


def test_shipped_package_is_valid(report: ad.ValidationReport) -> None:
    assert report.ok, str(report)
    assert report.errors.empty
    assert set(report.rows) == set(ad.tables())


def test_frictionless_accepts_the_shipped_package() -> None:
    report = frictionless.validate(str(ROOT / "datapackage.json"), type="package")
    assert report.valid, report.flatten(["type", "message"])


def test_the_shipped_data_passes_both_checks(report: ad.ValidationReport) -> None:
    assert not [p for p in report.problems if p.check in ("neutral-voice", "privacy")]


@pytest.mark.parametrize("resource", json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"],
                         ids=lambda r: r["name"])
def test_row_count_expectations(resource: dict) -> None:
    n = len(ad.load(resource["name"]))
    expected = resource["expectations"]
    assert expected["minRows"] <= n <= expected["maxRows"], (resource["name"], n, expected)


def test_every_declared_relation_is_evaluated_and_within_source_ones_hold(
        report_without_conformance: ad.ValidationReport) -> None:
    report = report_without_conformance
    declared = set(ad.load("count_relations")["relation_id"])
    assert set(report.relations["relation_id"]) == declared
    within = report.relations[report.relations["scope"] == "within_source"]
    assert within["holds"].all() and len(within) > 0


def test_issue_relations_are_declared(report_without_conformance: ad.ValidationReport) -> None:
    expressions = set(report_without_conformance.relations["expression"])
    assert {"41 + 8 + 6 = 55", "26 + 6 = 32", "55 − 32 = 23"} <= expressions


def test_every_event_count_and_provision_traces_to_a_source_with_a_locator() -> None:
    sources = set(ad.load("sources")["source_id"])
    for table in ("counts", "event_sources", "event_actors", "provisions", "source_relays"):
        frame = ad.load(table)
        assert frame["source_id"].isin(sources).all(), table
        assert frame["locator"].notna().all(), table
    assert set(ad.load("events")["event_id"]) == set(ad.load("event_sources")["event_id"])


# --- counts, agreements and sources ---------------------------------------------------------------------------


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


def test_counts_keep_their_dates_and_qualifiers() -> None:
    counts = ad.load("counts").set_index("count_id")
    assert counts.loc["c-ar-p4-64", "as_of_start"] == pd.Timestamp("2020-11-09")
    assert counts.loc["c-js-32", "qualifier"] == "exact"  # the correction test's old value


def test_the_december_2023_provisions_are_implemented_by_the_handover() -> None:
    provisions = ad.load("provisions")
    mine = provisions[(provisions["agreement_id"] == "agr-2023-12-07-joint-statement")
                      & (provisions["action"] == "release_persons")]
    assert sorted(mine["quantity"].astype(int)) == [2, 32]
    impl = ad.load("implementations")
    carried = impl[impl["provision_id"].isin(mine["provision_id"]) & (impl["status"] == "carried_out")]
    assert set(carried["provision_id"]) == set(mine["provision_id"])
    assert set(carried["event_id"]) == {"ev-2023-12-13-handover"}


def test_every_release_provision_with_a_quantity_matches_its_handovers(report: ad.ValidationReport) -> None:
    compared = report.provisions
    assert len(compared) >= 12
    assert compared["agrees"].fillna(False).all(), compared[~compared["agrees"].fillna(False)]


def test_shipped_release_provisions_are_compared(report: ad.ValidationReport) -> None:
    assert report.ok
    compared = report.provisions.set_index("provision_id")
    assert bool(compared.loc["prov-2023-12-07-02-aze-release-32", "agrees"])
    assert not pd.isna(compared["moved_min"]).all()


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


# --- the views ------------------------------------------------------------------------------------------------

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
    assert len(view) == len(CHRONOLOGY)  # what `amaz-detainees show releases` lists (test_views.test_cli_show)


def test_mediators_and_items_of_named_releases(view: pd.DataFrame) -> None:
    assert "Hungary" in view.loc["ev-2021-12-29-release-hungary", "mediators"]
    assert "Irakli Garibashvili" in view.loc["ev-2021-06-12-release-aghdam-map", "mediators"]
    assert pd.isna(view.loc["ev-2023-12-13-handover", "mediators"])  # the statement names no mediator
    assert "97,000-100,000 mines" in view.loc["ev-2021-06-12-release-aghdam-map", "items_in_return"]
    syrians = view.loc["ev-2026-01-14-release", "items_in_return"]
    assert "in return per" in syrians and "not connected per Nikol Pashinyan" in syrians


def test_the_held_figures_of_the_notes_each_have_their_own_sources() -> None:
    held = held_over_time()
    # the 55 -> 23 -> 19 path of the notes is there, each figure from its own sources
    by_value = held[held["measure"] == "held"].groupby("value")["source_id"].nunique()
    assert by_value[55] >= 5 and by_value[23] >= 5 and by_value[19] >= 3


def test_reconciled_figures() -> None:
    low, high = reconcile("min").set_index("quantity"), reconcile("max").set_index("quantity")
    hadrut = "ev-2020-12-hadrut-capture|captured|persons|ARM|AZE|-|all"
    # 1.0.0: the 171 of Public Radio of Armenia counts the missing, not the captured (erratum)
    assert (int(low.loc[hadrut, "value"]), int(high.loc[hadrut, "value"])) == (57, 160)
    latest = reconcile("latest")
    held = latest[latest["quantity"] == "-|held|persons|ARM|AZE|-|all"]
    assert set(held["value"]) == {19} and set(held["source_id"]) == {"azatutyun-33685424"}


# --- citation and exports -------------------------------------------------------------------------------------


def test_the_handover_has_several_sources() -> None:
    """test_citation follows the handover's links; with one source that would prove little."""
    claims = ad.load("event_sources")
    mine = claims[claims["event_id"] == "ev-2023-12-13-handover"]
    assert len(set(zip(mine["source_id"], mine["locator"], strict=True))) > 1
    assert ad.cite_fact("events", "ev-2023-12-13-handover").sources["source_id"].nunique() >= 2


def test_the_joint_statement_count_cites_its_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cite", "--fact", "counts:c-js-32"]) == 0
    assert "menafn.com" in capsys.readouterr().out


def test_the_counts_value_field_has_its_title_and_description() -> None:
    """What the Parquet and database exports are checked to carry (test_exports)."""
    value = next(f for f in ad.table_schema("counts")["fields"] if f["name"] == "value")
    assert value["title"] == "Figure given by the source"
    assert value["description"] == "The figure the source gives."
