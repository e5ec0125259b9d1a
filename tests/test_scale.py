"""The columnar validator at scale, and its two CSV readers agreeing on any input.

The synthetic packages come from ``benchmarks/synth.py`` (the same generator the benchmark uses), so
what is timed in ``benchmarks/RESULTS.md`` is what is tested here for correctness.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import amaz_detainees as ad
from amaz_detainees.read import TableFileError, exact_text, file_notes, plain_quoting, read_text

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = {"fields": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}


def synth(rows: int, out: Path, plant: str | None = None) -> dict[str, int]:
    path = ROOT / "benchmarks" / "synth.py"
    if not path.is_file():
        pytest.skip("benchmarks/ is not shipped in the wheel")
    spec = importlib.util.spec_from_file_location("synth", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build(rows, out, plant)


@pytest.mark.slow
def test_a_synthetic_package_is_valid_and_a_planted_duplicate_half_way_down_is_the_one_problem(
        tmp_path: Path) -> None:
    sizes = synth(100_000, tmp_path / "valid")
    report = ad.validate(tmp_path / "valid")
    assert report.ok, report.problems[:5]
    assert report.rows == {k: v for k, v in sizes.items()}

    row = synth(100_000, tmp_path / "planted", plant="duplicate-key")["planted_row"]
    assert row > 50_000
    report = ad.validate(tmp_path / "planted")
    assert [(p.table, p.row, p.field, p.check) for p in report.problems] == [("counts", row, "count_id", "unique")]


@pytest.mark.slow
def test_the_synthetic_package_is_deterministic_and_keeps_the_schemas(tmp_path: Path) -> None:
    synth(2_000, tmp_path / "one")
    synth(2_000, tmp_path / "two")
    for path in sorted((tmp_path / "one").rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "two" / path.relative_to(tmp_path / "one")).read_bytes()
    for schema in (ROOT / "schemas").glob("*.json"):
        assert (tmp_path / "one" / "schemas" / schema.name).read_bytes() == schema.read_bytes()


@pytest.mark.slow
def test_the_cli_can_add_the_frictionless_pass_and_accepts_the_old_flag() -> None:
    for flags in (["--frictionless"], ["--no-frictionless"], []):
        out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "validate", *flags],
                             capture_output=True, text=True)
        assert out.returncode == 0 and out.stdout.startswith("valid:"), (flags, out.stdout + out.stderr)


TEXT = st.text(alphabet=st.sampled_from(["a", "ə", "Շ", ",", '"', "\n", "\r", " "]), max_size=5)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """Mostly well-formed three-column CSV (quoted or not, LF or CRLF), sometimes with one stray byte
    or a missing/extra cell, so both readers and the line between them get exercised."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        cells = []
        for _ in range(draw(st.sampled_from([3, 3, 3, 3, 2, 4]))):
            text = draw(TEXT)
            quoted = draw(st.booleans()) or any(c in text for c in ',"\n\r')
            cells.append('"' + text.replace('"', '""') + '"' if quoted else text)
        lines.append(",".join(cells))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    data = ("a,b,c" + newline + newline.join(lines) + draw(st.sampled_from(["", newline]))).encode("utf-8")
    if draw(st.integers(0, 3)) == 0:  # one stray byte somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b'"', b"\n", b"\r", b",", b"\xef\xbb\xbf", b"\xff"])) + data[at:]
    return data


@given(csv_files())
def test_the_fast_reader_is_used_only_where_it_reads_what_strict_csv_reads(data: bytes) -> None:
    stripped, notes = file_notes("t", "t.csv", data, ["a", "b", "c"])
    try:
        exact = exact_text("t", "t.csv", stripped, ["a", "b", "c"])
    except TableFileError as exc:
        with pytest.raises(TableFileError) as caught:
            read_text("t", "t.csv", data, SCHEMA)
        assert caught.value.problem == exc.problem
        return
    got = read_text("t", "t.csv", data, SCHEMA)
    assert got.n_rows == exact.n_rows
    assert got.problems == notes + exact.problems
    assert got.bad_cells == exact.bad_cells
    assert {k: v.to_pylist() for k, v in got.columns.items()} == {k: v.to_pylist() for k, v in exact.columns.items()}


@pytest.mark.parametrize(("data", "plain"), [
    (b'a,b\n"x""y",2\n', True), (b'a,b\n"x"y,2\n', False), (b'a,b\nx"y,2\n', False), (b'a,b\n1,"2\n', False),
    (b'\xef\xbb\xbfa,b\n1,2\n', False), (b'"a","b"', True), (b'a,b\n1,"2\n3"\n', True), (b'a,b\n1,"2" \n', False),
])
def test_the_quote_scan_sends_anything_unusual_to_the_exact_reader(data: bytes, plain: bool) -> None:
    assert plain_quoting(data) is plain


@pytest.mark.parametrize(("text", "value"), [
    ("9223372036854775807", 2**63 - 1), ("-9223372036854775808", -(2**63)), ("+5", 5), ("007", 7),
    ("9223372036854775808", None), ("-9223372036854775809", None), ("99999999999999999999", None), ("5.0", None),
])
def test_integers_are_read_exactly_or_reported(tmp_path: Path, text: str, value: int | None) -> None:
    from amaz_detainees.checks import check_table

    path = tmp_path / "t.csv"
    path.write_text(f"n\n{text}\n", encoding="utf-8")
    parsed = check_table("t", path, {"fields": [{"name": "n", "type": "integer"}]})
    if value is None:
        assert [(p.row, p.field, p.check) for p in parsed.problems] == [(2, "n", "type")]
    else:
        assert parsed.problems == [] and parsed.frame.loc[2, "n"] == value
