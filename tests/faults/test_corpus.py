"""Every planted fault is caught by ``amaz-detainees validate``, named by table, row, field and check,
and none crashes it. The run prints how many of the corpus were caught (see ``conftest``)."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from amaz_detainees import cli

from ..conftest import copy_package, restamp
from .corpus import FAULTS, FILE_LEVEL, Fault
from .planting import set_cell

# Filled as the tests run; tests/conftest.py prints the tally at the end of the session.
FAULT_CORPUS_RESULTS: dict[str, bool] = {}
TABLES = {"sources", "source_relays", "actors", "places", "events", "event_sources", "event_actors", "counts",
          "agreements", "agreement_parties", "provisions", "return_items", "count_relations",
          "count_relation_terms", "errata"}
KINDS = {"type", "required", "enum", "range", "pattern", "length", "key", "reference", "rule", "relation", "errata",
         "hash", "descriptor", "schema", "encoding", "csv-shape", "neutral-voice", "privacy"}


# Each fault takes a validation (about a second): the fast tier plants six (a cell type, a reference, a rule, a hash,
# the CSV shape, the descriptor), the slow tier all the others.
FAST = {"integer with a letter", "count from an unknown source", "high bound below the value", "tampered file",
        "stray quote", "unreadable descriptor"}
assert not FAST - {f.name for f in FAULTS}, FAST - {f.name for f in FAULTS}


def run_validate(root: Path, *options: str) -> tuple[int, list[dict], str]:
    """The CLI in this process: its exit code, its JSON errors and anything it printed to stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["validate", str(root), "--json", *options])
    return code, json.loads(out.getvalue())["errors"], err.getvalue()


def plant(fault: Fault, root: Path) -> tuple[str, int | None, str | None, str]:
    expected = fault.plant(root)
    if fault.restamp:
        restamp(root)
    return expected


@pytest.mark.parametrize("fault", [pytest.param(f, id=f.name, marks=[] if f.name in FAST else [pytest.mark.slow])
                                   for f in FAULTS])
def test_fault_is_caught_and_named(tmp_path: Path, fault: Fault) -> None:
    FAULT_CORPUS_RESULTS[fault.name] = False
    root = copy_package(tmp_path / "pkg")
    table, row, field, check = plant(fault, root)
    code, errors, stderr = run_validate(root)  # an exception here fails the test: no fault may crash it
    assert code == fault.exit_code, errors
    assert "Traceback" not in stderr
    found = [(e["table"], e["row"], e["field"], e["check"]) for e in errors]
    assert (table, row, field, check) in found, f"{fault.name}: expected {(table, row, field, check)}, got {found}"
    assert table and check
    assert (row is not None and field) or check in FILE_LEVEL, "only whole-file faults may lack a row or field"
    FAULT_CORPUS_RESULTS[fault.name] = True


def test_the_corpus_spans_every_table_and_kind_of_rule() -> None:
    assert len({f.name for f in FAULTS}) == len(FAULTS) >= 40
    assert {f.kind for f in FAULTS} == KINDS
    planted_in = set()
    for fault in FAULTS:
        root = copy_package(Path(__import__("tempfile").mkdtemp()) / "pkg")
        planted_in.add(plant(fault, root)[0])
    assert planted_in >= TABLES, sorted(TABLES - planted_in)


CELL_KINDS = {"type", "required", "enum", "range", "pattern", "reference", "neutral-voice", "privacy"}


@pytest.mark.slow  # the Frictionless pass
def test_faults_planted_together_are_all_reported(tmp_path: Path) -> None:
    """Problems do not hide each other: one package with every cell-level fault reports each of them,
    and Frictionless's own findings merge in without repeats."""
    root = copy_package(tmp_path / "pkg")
    together = [f for f in FAULTS if f.kind in CELL_KINDS and f.name not in ("sign out of its two values",)]
    expected = []
    for fault in together:
        where = fault.plant(root)
        assert (where[0], where[1], where[2]) not in {(t, r, f) for t, r, f, _ in expected}, fault.name
        expected.append(where)
    restamp(root)
    _, errors, _ = run_validate(root, "--frictionless")
    found = [(e["table"], e["row"], e["field"], e["check"]) for e in errors]
    assert [w for w in expected if w not in found] == []
    assert len(found) == len(set(found)), "a problem is reported twice"


@pytest.mark.parametrize(("name", "code"), [pytest.param("negative count", 1, marks=pytest.mark.slow),
                                            ("unreadable descriptor", 2),
                                            pytest.param("tampered file", 1, marks=pytest.mark.slow),
                                            pytest.param("stray quote", 1, marks=pytest.mark.slow)])
def test_the_command_exits_cleanly_in_a_fresh_process(tmp_path: Path, name: str, code: int) -> None:
    fault = next(f for f in FAULTS if f.name == name)
    root = copy_package(tmp_path / "pkg")
    table, row, field, check = plant(fault, root)
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "validate", str(root), "--json"],
                         capture_output=True, text=True)
    assert out.returncode == code, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    errors = json.loads(out.stdout)["errors"]
    assert {"table": table, "row": row, "field": field, "check": check} in [
        {k: e[k] for k in ("table", "row", "field", "check")} for e in errors]


@pytest.mark.slow  # load's refusal after validating is in the fast tier as test_loading's hash case
def test_load_refuses_a_planted_fault_naming_it(tmp_path: Path) -> None:
    import amaz_detainees as ad

    root = copy_package(tmp_path / "pkg")
    set_cell(root, "counts", "c-ar-title-32", "value", "32a")
    with pytest.raises(ad.DataValidationError, match=r"counts, row \d+, field value: \[type\]"):
        ad.load("counts", path=root)


def test_cli_validates_the_shipped_package() -> None:
    import amaz_detainees as ad

    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "validate"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith(f"valid: {len(ad.tables())} tables")


def test_cli_info_on_an_invalid_package_exits_1_without_traceback(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "pkg")
    row = set_cell(root, "counts", "c-ar-title-32", "value", "32a")
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "info", str(root)],
                         capture_output=True, text=True)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert f"counts, row {row}, field value: [type]" in out.stderr


def test_cli_usage_error_exits_2() -> None:
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "frobnicate"], capture_output=True, text=True)
    assert out.returncode == 2
