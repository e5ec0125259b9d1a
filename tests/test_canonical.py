"""``amaz-detainees fmt``: one canonical way to write the package, byte-identical on rebuild, never
losing a value."""

from __future__ import annotations

import csv
import hashlib
import io
import random
import subprocess
import sys
from pathlib import Path

import pytest

from amaz_detainees.checks import content_digest, hash_problems
from amaz_detainees.maintain import plan, write
from amaz_detainees.package import open_package, shipped_root

from .conftest import copy_package, read_csv, restamp

TRICKY = ["plain", "with, comma", 'with "quotes"', "two\nlines", "windows\r\nline", " leading space", "",
          "Şuşa / Շուշի", "=1+2", '"', ","]


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.cli_check  # `amaz-detainees fmt --check`
def test_the_shipped_package_is_canonical() -> None:
    assert plan(open_package(shipped_root())) == []


def test_formatting_restores_the_canonical_bytes_of_a_mangled_copy(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "pkg")
    before = tree(root)
    rng = random.Random(7)
    for path in sorted((root / "data").glob("*.csv")):
        rows = read_csv(path)
        header, body = rows[0], rows[1:]
        rng.shuffle(body)
        order = list(range(len(header)))
        rng.shuffle(order)
        out = io.StringIO()
        csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(
            [[r[i] for i in order] for r in [header, *body]])
        path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    (root / "schemas" / "events.schema.json").write_text(
        (root / "schemas" / "events.schema.json").read_text(encoding="utf-8").replace("\n  ", "\n    "),
        encoding="utf-8")
    restamp(root)
    assert plan(open_package(root))
    write(plan(open_package(root)))
    assert tree(root) == before  # every file byte-identical to the shipped one, hashes included
    assert plan(open_package(root)) == []


@pytest.mark.cli_check  # `amaz-detainees fmt` and `fmt --check` on an unchanged copy
def test_formatting_twice_changes_nothing(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "pkg")
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "fmt", str(root)],
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "already canonical", out.stdout + out.stderr
    check = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "fmt", str(root), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_values_survive_exactly(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "pkg")
    path = root / "data" / "places.csv"
    rows = read_csv(path)
    note = rows[0].index("note")
    for i, value in enumerate(TRICKY, start=1):
        rows[i][note] = value
    expected = sorted(map(tuple, rows[1:]))
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    restamp(root)
    write(plan(open_package(root)))
    assert sorted(map(tuple, read_csv(path)[1:])) == expected
    assert hash_problems(open_package(root), "places") == []


def test_check_lists_the_file_and_why(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "pkg")
    path = root / "data" / "counts.csv"
    rows = read_csv(path)
    rows[1], rows[2] = rows[2], rows[1]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    restamp(root)
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "fmt", str(root), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert "not canonical: data/counts.csv (rows not in primary-key order)" in out.stdout
    assert path.read_bytes() != (shipped_root() / "data" / "counts.csv").read_bytes()  # --check wrote nothing


@pytest.mark.parametrize(("data", "where"), [
    (b'\n"unclosed,quote\n', "places, row"), (b"\nx,y\n", "places, row"), (b"\n\xff\xfe\n", "places, row")])
def test_unreadable_files_are_refused_and_nothing_is_written(tmp_path: Path, data: bytes, where: str) -> None:
    root = copy_package(tmp_path / "pkg")
    with (root / "data" / "places.csv").open("ab") as fh:
        fh.write(data)
    (root / "data" / "events.csv").write_bytes(b"\xef\xbb\xbf" + (root / "data" / "events.csv").read_bytes())
    before = tree(root)
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "fmt", str(root)],
                         capture_output=True, text=True)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert where in out.stderr and "nothing was written" in out.stderr
    assert tree(root) == before


def test_content_digest_is_sha256sum_of_the_files(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "pkg")
    package = open_package(root)
    files = ["datapackage.json", *sorted(str(p.relative_to(root)) for p in (root / "data").glob("*.csv")),
             *sorted(str(p.relative_to(root)) for p in (root / "schemas").glob("*.json"))]
    lines = "".join(f"{hashlib.sha256((root / f).read_bytes()).hexdigest()}  {f}\n" for f in sorted(files))
    digest = content_digest(package)
    assert digest == "sha256:" + hashlib.sha256(lines.encode()).hexdigest()
    schema = root / "schemas" / "places.schema.json"
    schema.write_bytes(schema.read_bytes() + b" ")
    assert content_digest(package) != digest


def test_info_prints_the_content_digest() -> None:
    import amaz_detainees as ad

    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "info"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert f"content digest: {ad.content_digest()}" in out.stdout


def test_a_broken_schema_is_refused_not_a_crash(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "pkg")
    (root / "schemas" / "places.schema.json").write_text('{"fields": null}', encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "amaz_detainees.cli", "fmt", str(root)],
                         capture_output=True, text=True)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "places: [schema]" in out.stderr
