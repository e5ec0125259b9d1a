"""The deals behind the releases: the agreements view, implementation claims, and the provision check.

Figures of the shipped data are pinned in test_shipped_data.py; these tests check what the code does with
any package (a copy with one planted change where a fault is needed).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import amaz_detainees as ad
from amaz_detainees.views import agreements, releases

from .conftest import read_csv, restamp, write_csv

VIEW_COLUMNS = ["agreement_id", "agreement_date", "form", "provision_id", "action", "quantity", "obligated",
                "beneficiary", "implemented_by", "implementation_dates", "status_claims", "mediators", "n_sources"]


def test_view_has_one_row_per_provision_with_the_asked_columns() -> None:
    view = agreements()
    assert set(VIEW_COLUMNS) <= set(view.columns)
    assert len(view) == len(ad.load("provisions")) and view["provision_id"].is_unique
    assert (view["n_sources"] >= 1).all()


def test_implemented_by_lists_exactly_the_events_of_carried_out_claims() -> None:
    impl = ad.load("implementations")
    carried = impl[impl["status"].isin(["carried_out", "partly_carried_out"]) & impl["event_id"].notna()]
    expected = carried.groupby("provision_id", observed=True)["event_id"].agg(lambda s: " ".join(sorted(set(s))))
    shown = agreements().set_index("provision_id")["implemented_by"].dropna()
    assert shown.sort_index().to_dict() == expected.astype(str).sort_index().to_dict()


def test_every_status_claim_is_shown_with_its_side() -> None:
    impl = ad.load("implementations")
    view = agreements().set_index("provision_id")
    for provision_id, group in impl.groupby("provision_id", observed=True):
        text = str(view.loc[provision_id, "status_claims"])
        assert text.count(" per ") == len(group), (provision_id, text)
        assert all(status.replace("_", " ") in text for status in group["status"].astype(str))


def test_releases_name_the_agreements_their_sources_tie_them_to() -> None:
    impl, provisions = ad.load("implementations"), ad.load("provisions").set_index("provision_id")
    view = releases().set_index("event_id")
    for claim in impl[impl["status"].eq("carried_out") & impl["event_id"].notna()].itertuples():
        if claim.event_id in view.index:
            assert provisions.loc[claim.provision_id, "agreement_id"] in str(view.loc[claim.event_id, "agreement_ids"])


def test_cli_shows_the_agreements_view() -> None:
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "show", "agreements", "--format", "csv"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0].startswith("agreement_id,agreement_date,")


def test_a_provision_that_differs_from_its_handovers_is_reported_not_failed(package_copy: Path) -> None:
    rows = read_csv(package_copy / "data" / "counts.csv")
    header = rows[0]
    for row in rows[1:]:  # every whole-group figure of 13 Dec 2023 to Armenia now says 31
        if row[header.index("event_id")] == "ev-2023-12-13-handover" and row[header.index("subgroup")] == "false" \
                and row[header.index("nationality")] == "ARM" and row[header.index("measure")] == "released":
            row[header.index("value")] = "31"
    write_csv(package_copy / "data" / "counts.csv", rows)
    restamp(package_copy)
    report = ad.validate(package_copy)
    found = report.provisions.set_index("provision_id").loc["prov-2023-12-07-02-aze-release-32"]
    assert (found["quantity"], found["moved_min"], found["moved_max"], bool(found["agrees"])) == (32, 31, 31, False)
    assert not any(p.table in ("provisions", "implementations") for p in report.problems)

