"""Mutation fuzzing: a corrupted copy of the shipped package is reported, never a crash.

Why: ``validate`` promises to report every problem and never raise for bad data, the CLI promises an
exit code (0, 1, 2) and no traceback, and ``load`` promises a frame or ``DataValidationError``
(``PackageError`` for an unreadable package, ``KeyError`` for a table the package does not name).
The planted faults in tests/faults are the faults we thought of; this file throws the ones we did
not: stray quotes, CR, NUL, byte-order marks and invalid UTF-8 at any offset of any CSV, truncations,
duplicated, swapped and deleted lines, other delimiters, mixed line endings, empty files, and
arbitrary edits anywhere in datapackage.json or a Table Schema (keys deleted, values of any JSON
type, files that are not JSON objects or not JSON at all).

A mutation is plain data (a list of operations applied by a pure function), so a failing example as
Hypothesis prints it is its own reproducer: ``apply_csv(<file bytes>, ops)`` or
``apply_json(<file bytes>, ops)``. Each example works in its own temporary directory (function-scoped
fixtures are not reset between Hypothesis examples). One validation of the package takes about half a
second and every example needs one, so the example counts are small, to keep the file near a minute;
locally each run draws new examples, in CI (profile "ci") the same ones replay.
"""
from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import amaz_detainees as ad
from amaz_detainees import cli
from amaz_detainees.loading import DataValidationError
from amaz_detainees.package import PackageError, shipped_root

from .conftest import copy_package, restamp

pytestmark = pytest.mark.slow  # about two and a half minutes

SHIPPED = shipped_root()
TABLES = sorted(p.stem for p in (SHIPPED / "data").glob("*.csv"))
JSON_FILES = ["datapackage.json", *(f"schemas/{t}.schema.json" for t in TABLES)]
ORIGINAL_JSON = {f: (SHIPPED / f).read_bytes() for f in JSON_FILES}

# Checks that only reading and typing a table makes (a table ``load`` returns has none of them).
PARSE_CHECKS = {"file", "encoding", "csv", "type", "extra-cell", "missing-cell", "extra-column",
                "duplicate-column", "missing-column"}

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- CSV mutations ------------------------------------------------------------------------------

STRESS = [b'"', b",", b"\r", b"\n", b"\r\n", b"\x00", b"\xef\xbb\xbf", b"\xff", "ə".encode(), b";", b"\t", b" "]
CHUNKS = st.one_of(
    st.lists(st.sampled_from(STRESS), min_size=1, max_size=3).map(b"".join),
    st.binary(min_size=1, max_size=4),
)
OFFSETS = st.one_of(st.integers(0, 300), st.integers(0, 1 << 17))  # the header region, or anywhere

CSV_OPS = st.one_of(
    st.tuples(st.just("insert"), OFFSETS, CHUNKS),
    st.tuples(st.just("replace"), OFFSETS, CHUNKS),
    st.tuples(st.just("delete"), OFFSETS, st.integers(1, 8)),
    st.tuples(st.just("truncate"), OFFSETS),
    st.tuples(st.just("dup_line"), OFFSETS),
    st.tuples(st.just("del_line"), OFFSETS),
    st.tuples(st.just("swap_lines"), OFFSETS, OFFSETS),
    st.tuples(st.just("crlf"), OFFSETS, st.integers(1, 50)),
    st.just(("semicolons",)),
    st.just(("bom",)),
    st.just(("empty",)),
)


def _at(offset: int, size: int) -> int:
    return offset % (size + 1)


def apply_csv(data: bytes, ops: list[tuple]) -> bytes:
    """Apply CSV mutation operations in order (offsets wrap around the current length)."""
    for op in ops:
        kind, args = op[0], op[1:]
        lines = data.splitlines(keepends=True)
        if kind == "insert":
            at = _at(args[0], len(data))
            data = data[:at] + args[1] + data[at:]
        elif kind == "replace":
            at = _at(args[0], len(data))
            data = data[:at] + args[1] + data[at + len(args[1]):]
        elif kind == "delete":
            at = _at(args[0], len(data))
            data = data[:at] + data[at + args[1]:]
        elif kind == "truncate":
            data = data[:_at(args[0], len(data))]
        elif kind in ("dup_line", "del_line", "swap_lines", "crlf") and lines:
            i = args[0] % len(lines)
            if kind == "dup_line":
                lines.insert(i, lines[i])
            elif kind == "del_line":
                del lines[i]
            elif kind == "swap_lines":
                j = args[1] % len(lines)
                lines[i], lines[j] = lines[j], lines[i]
            else:  # some LF line endings become CRLF
                for k in range(i, min(i + args[1], len(lines))):
                    if lines[k].endswith(b"\n") and not lines[k].endswith(b"\r\n"):
                        lines[k] = lines[k][:-1] + b"\r\n"
            data = b"".join(lines)
        elif kind == "semicolons":
            data = data.replace(b",", b";")
        elif kind == "bom":
            data = b"\xef\xbb\xbf" + data
        elif kind == "empty":
            data = b""
    return data


csv_mutations = st.tuples(st.sampled_from(TABLES), st.lists(CSV_OPS, min_size=1, max_size=3))

# --- descriptor and Table Schema mutations ------------------------------------------------------

TOKENS = ["integer", "number", "date", "string", "boolean", "year", "datetime", "any", "default", "uri", "email",
          "", " ", "sha256:", "data/counts.csv", "schemas/counts.schema.json", "../datapackage.json", "data",
          "count_id", "event_id", "source_id", "value", "[", "(", "*", "\\", "ə", *TABLES]
KEYS = ["name", "type", "format", "constraints", "fields", "primaryKey", "foreignKeys", "reference", "resource",
        "path", "schema", "hash", "bytes", "enum", "required", "unique", "minimum", "maximum", "pattern",
        "minLength", "maxLength", "missingValues", "trueValues", "falseValues", "bareNumber", "decimalChar",
        "resources", "version", "relations", "x"]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-(2**70), 2**70), st.floats(),
    st.text(max_size=12), st.sampled_from(TOKENS),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6),
                                                                inner, max_size=3),
    max_leaves=6,
)
RAW_JSON = st.one_of(
    st.binary(max_size=24),
    st.sampled_from([b"", b"[]", b"[{}]", b"null", b"42", b'"text"', b"{", b"{}", b'{"resources": {}}',
                     b'{"resources": [{"name": 1}]}', b"\xef\xbb\xbf{}", b"\xff\xfe{\x00}\x00"]),
)


def paths_in(doc: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (keys and indices) into a JSON document, the root included."""
    found = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += paths_in(value, (*prefix, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            found += paths_in(value, (*prefix, i))
    return found


def apply_json(text: bytes, ops: list[tuple]) -> bytes:
    """Apply JSON mutation operations: ("delete", path), ("set", path, value), ("raw", bytes),
    ("truncate", offset) of the serialised text."""
    for op in ops:
        kind = op[0]
        if kind == "raw":
            text = op[1]
            continue
        if kind == "truncate":
            text = text[:_at(op[1], len(text))]
            continue
        doc = json.loads(text)
        path = op[1]
        if kind == "set" and not path:
            doc = op[2]
        else:
            parent = doc
            for key in path[:-1]:
                parent = parent[key]
            if kind == "delete":
                del parent[path[-1]]
            else:
                parent[path[-1]] = op[2]
        text = (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return text


@st.composite
def json_mutations(draw: st.DrawFn) -> tuple[str, list[tuple]]:
    """(file, ops): structural edits at random paths, now and then a file that is not a JSON object."""
    file = draw(st.one_of(st.just("datapackage.json"), st.sampled_from(JSON_FILES)))
    text = ORIGINAL_JSON[file]
    ops: list[tuple] = []
    for _ in range(draw(st.integers(1, 3))):
        try:
            doc = json.loads(text)
        except ValueError:
            break
        if not isinstance(doc, dict | list) or draw(st.integers(0, 9)) == 0:
            op = draw(st.one_of(st.tuples(st.just("raw"), RAW_JSON), st.tuples(st.just("truncate"), OFFSETS)))
        else:
            path = draw(st.sampled_from(paths_in(doc)))
            op = ("delete", path) if path and draw(st.booleans()) else ("set", path, draw(JSON_VALUES))
        ops.append(op)
        text = apply_json(text, [op])
    return file, ops


# --- the properties -----------------------------------------------------------------------------


def check_report(report: Any) -> None:
    assert isinstance(report, ad.ValidationReport), report
    for p in report.problems:
        assert isinstance(p.table, str) and p.table, p
        assert isinstance(p.check, str) and p.check, p
        assert isinstance(p.message, str), p
        assert p.field is None or isinstance(p.field, str), p
        assert p.row is None or (isinstance(p.row, int) and p.row >= 1), p


def validate_by_cli(root: Path, as_json: bool) -> ad.ValidationReport:
    """``amaz-detainees validate`` on the copy: an exit code that matches the report, never a traceback.

    Returns the report of ``validate(root)``. The CLI makes that very call, so a spy keeps its result
    and one validation (the costly part, 0.5 s) serves both properties; should the CLI stop calling
    it (or swallow its exception), the report comes from a call of our own.
    """
    reports: list[Any] = []
    real = getattr(cli, "validate", None)

    def spy(*args: Any, **kwargs: Any) -> Any:
        reports.append(real(*args, **kwargs))
        return reports[-1]

    out, err = io.StringIO(), io.StringIO()
    watch = mock.patch.object(cli, "validate", spy) if real is not None else contextlib.nullcontext()
    with watch, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["validate", str(root), *(["--json"] if as_json else [])])
    report = reports[0] if reports else ad.validate(root)
    check_report(report)
    assert code in (0, 1, 2), (code, out.getvalue()[-2000:], err.getvalue()[-2000:])
    assert (code == 0) == report.ok, (code, out.getvalue()[-2000:], err.getvalue()[-2000:])
    if as_json:
        assert json.loads(out.getvalue())["valid"] is report.ok
    else:
        assert out.getvalue().strip()
    return report


def fmt_by_cli(root: Path) -> int:
    """``amaz-detainees fmt --check`` on the copy: it lists or refuses, never a traceback, never a write."""
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["fmt", str(root), "--check"])
    assert code in (0, 1, 2), (code, out.getvalue()[-2000:], err.getvalue()[-2000:])
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    return code


def check_load(table: str, root: Path, *, may_be_unknown: bool = False,
               validate: bool | str = "auto") -> pd.DataFrame | DataValidationError | None:
    """``load`` returns a frame or raises a documented error; the frame or the error is returned.

    ``KeyError`` is documented for a table the package does not name, so it passes only then.
    """
    try:
        return ad.load(table, path=root, validate=validate)
    except DataValidationError as exc:
        return exc
    except PackageError:
        return None
    except KeyError:
        if not may_be_unknown:
            raise
        return None


def names_in(descriptor: Path) -> list[Any]:
    """Resource names in a (possibly broken) descriptor, for telling a documented KeyError from a crash."""
    try:
        resources = json.loads(descriptor.read_bytes()).get("resources")
        return [r.get("name") for r in resources if isinstance(r, dict)]
    except (ValueError, AttributeError, TypeError):
        return []


def mutate_file(path: Path, mutate: Any) -> bytes:
    """Rewrite one file of the copy through ``mutate`` (bytes -> bytes); the original bytes are returned."""
    original = path.read_bytes()
    path.write_bytes(mutate(original))
    return original


@settings(FUZZ, max_examples=30)
@given(mutation=csv_mutations, as_json=st.booleans())
def test_a_byte_mutation_is_caught_by_the_hash_and_never_crashes(mutation: tuple[str, list[tuple]],
                                                                    as_json: bool) -> None:
    table, ops = mutation
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_package(Path(tmp) / "pkg")
        path = root / "data" / f"{table}.csv"
        assume(mutate_file(path, lambda data: apply_csv(data, ops)) != path.read_bytes())
        report = validate_by_cli(root, as_json)
        assert any(p.table == table and p.check in ("hash", "bytes") for p in report.problems), report
        # ``load`` would validate the whole package again first (the file differs from its record),
        # which is the call just checked: parse only, as it does for a trusted file.
        check_load(table, root, validate=False)


@settings(FUZZ, max_examples=30)
@given(mutation=csv_mutations, as_json=st.booleans())
def test_a_restamped_byte_mutation_is_parsed_or_reported_never_a_crash(mutation: tuple[str, list[tuple]],
                                                                         as_json: bool) -> None:
    table, ops = mutation
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_package(Path(tmp) / "pkg")
        mutate_file(root / "data" / f"{table}.csv", lambda data: apply_csv(data, ops))
        restamp(root)
        report = validate_by_cli(root, as_json)
        assert not any(p.check in ("hash", "bytes") for p in report.problems), report
        fmt_by_cli(root)
        # Restamped, ``load`` trusts the hash and only parses, with the parser ``validate`` ran: what
        # it refuses, validate reported; what it returns, validate read the same and found unbroken.
        loaded = check_load(table, root)
        if isinstance(loaded, DataValidationError):
            assert loaded.report.problems, loaded
            assert [p for p in loaded.report.problems if p not in report.problems] == []
        if isinstance(loaded, pd.DataFrame):
            assert [p for p in report.problems if p.table == table and p.check in PARSE_CHECKS] == []
            assert len(loaded) == report.rows.get(table)


@settings(FUZZ, max_examples=40)
@given(mutation=json_mutations(), table=st.sampled_from(TABLES), as_json=st.booleans())
def test_a_mutated_descriptor_or_table_schema_is_reported_never_a_crash(mutation: tuple[str, list[tuple]],
                                                                          table: str, as_json: bool) -> None:
    file, ops = mutation
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_package(Path(tmp) / "pkg")
        # The paths were drawn from the file as it was at import; a file edited since is not fuzzed.
        assume((root / file).read_bytes() == ORIGINAL_JSON[file])
        (root / file).write_bytes(apply_json(ORIGINAL_JSON[file], ops))
        if file.startswith("schemas/"):  # load the table whose schema was mutated
            table = file.removeprefix("schemas/").removesuffix(".schema.json")
        validate_by_cli(root, as_json)
        fmt_by_cli(root)
        check_load(table, root, may_be_unknown=table not in names_in(root / "datapackage.json"))
