"""Shared fixtures: a private copy of the shipped package to plant faults in."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from amaz_detainees.package import shipped_root


def copy_package(target: Path) -> Path:
    root = shipped_root()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "datapackage.json", target / "datapackage.json")
    shutil.copytree(root / "data", target / "data")
    shutil.copytree(root / "schemas", target / "schemas")
    return target


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def edit_cell(root: Path, table: str, row: int, field: str, value: str) -> str:
    """Set one cell (``row`` numbered as in reports: header = 1); returns the old value."""
    path = root / "data" / f"{table}.csv"
    rows = read_csv(path)
    column = rows[0].index(field)
    old = rows[row - 1][column]
    rows[row - 1][column] = value
    write_csv(path, rows)
    return old


def restamp(root: Path) -> None:
    """Record the edited files' hashes, so only the planted fault itself is wrong."""
    from amaz_detainees.maintain import stamp
    from amaz_detainees.package import open_package

    stamp(open_package(root))


def pytest_configure(config: pytest.Config) -> None:
    # Records of passed validations (see amaz_detainees.checks.trust) go to a private directory per run,
    # never to the user's cache: a test must see load validate what it has not validated itself.
    import os
    import tempfile

    os.environ.setdefault("AMAZ_DETAINEES_CACHE_DIR", tempfile.mkdtemp(prefix="amaz-detainees-cache-"))
    # Registered here, not in pyproject.toml, so they hold when the tests run against the installed wheel.
    # `make check` runs -m "not slow and not cli_check"; `make test` adds -m slow, then the wheel with -m "not slow".
    config.addinivalue_line("markers", "slow: takes seconds (fuzzing, the Frictionless differential, property-based "
                            "exports, large synthetic packages), or is one more case of a kind the fast tier covers")
    config.addinivalue_line("markers", "cli_check: what `make check` already runs as `amaz-detainees ... --check` on "
                            "the source tree; run against the installed wheel")
    config.addinivalue_line("markers", "browser: drives Debian's /usr/bin/chromium through playwright (`make browser` "
                            "installs it); skipped where it is missing, failed instead when CI is set")


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    return copy_package(tmp_path / "pkg")


# In CI, property-based tests replay the same examples every run, so a red run always reproduces;
# locally they explore new examples each time.
def _hypothesis_profiles() -> None:
    import os

    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI"):
        settings.load_profile("ci")


_hypothesis_profiles()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how many planted faults the corpus caught (tests/faults), whenever it ran."""
    import sys

    results = next((m.FAULT_CORPUS_RESULTS for m in list(sys.modules.values())
                    if hasattr(m, "FAULT_CORPUS_RESULTS")), None)
    if results:
        caught = sum(results.values())
        terminalreporter.write_line(f"fault corpus: {caught} of {len(results)} planted faults caught "
                                    "(each named by table, row, field and check; none crashed validate)")
        missed = sorted(name for name, ok in results.items() if not ok)
        if missed:
            terminalreporter.write_line("  not caught: " + "; ".join(missed))
