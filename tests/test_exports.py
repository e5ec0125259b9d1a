"""Exports: every format round-trips every table losslessly, keeps keys and descriptions, writes atomically."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import amaz_detainees as ad
from amaz_detainees.cli import main
from amaz_detainees.exports import FORMATS, ExportError, derived_fields, export
from amaz_detainees.package import shipped_root
from amaz_detainees.views import VIEWS

from .export_readers import READERS, rows_of


class _Exports(dict[str, Path]):
    """Format -> directory of the shipped package's export, written when a test first asks for it (each takes
    a second or two, and the fast tier, ``-m "not slow"``, reads only some)."""

    def __init__(self, base: Path) -> None:
        super().__init__()
        self.base = base

    def __missing__(self, fmt: str) -> Path:
        export(fmt, self.base / fmt)
        self[fmt] = self.base / fmt
        return self[fmt]


@pytest.fixture(scope="module")
def shipped_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _Exports(tmp_path_factory.mktemp("exports"))


def assert_round_trip(fmt: str, out: Path, package: Path | None) -> None:
    name = json.loads(((package or shipped_root()) / "datapackage.json").read_text(encoding="utf-8"))["name"]
    for table in ad.tables(package):
        fields = ad.table_schema(table, package)["fields"]
        expected = rows_of(ad.load(table, path=package), fields)
        assert READERS[fmt](out, name, table, fields) == expected, (fmt, table)


# Each export validates the package first (about 1.5 s in all), and reading the workbook back takes openpyxl
# 5 s: the fast tier round-trips the two databases (exported for the tests below too), Parquet and CSV; the Excel
# and Stata writers are in the fast tier through the small packages and `amaz-detainees export` below.
FAST_ROUND_TRIPS = ("sqlite", "duckdb", "parquet", "csv")


@pytest.mark.parametrize("fmt", [pytest.param(f, marks=[] if f in FAST_ROUND_TRIPS else [pytest.mark.slow])
                                 for f in FORMATS])
def test_shipped_package_round_trips(shipped_exports: dict[str, Path], fmt: str) -> None:
    assert_round_trip(fmt, shipped_exports[fmt], None)


@pytest.mark.slow
def test_parquet_keeps_arrow_types_and_passes_frictionless(shipped_exports: dict[str, Path]) -> None:
    import frictionless
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = shipped_exports["parquet"]
    schema = pq.read_schema(out / "data" / "counts.parquet")
    assert schema.field("value").type == pa.int64() and schema.field("as_of_start").type == pa.date32()
    assert pa.types.is_dictionary(schema.field("measure").type) and schema.field("subgroup").type == pa.bool_()
    value = next(f for f in ad.table_schema("counts")["fields"] if f["name"] == "value")
    assert schema.field("value").metadata[b"title"] == value["title"].encode()
    report = frictionless.validate(str(out / "datapackage.json"), type="package")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


@pytest.mark.parametrize("fmt", ["sqlite", "duckdb"])
def test_databases_declare_keys_and_keep_descriptions(shipped_exports: dict[str, Path], fmt: str) -> None:
    path = shipped_exports[fmt] / f"amaz-detainees.{fmt}"
    con: Any
    if fmt == "sqlite":
        con = sqlite3.connect(path)
        fks = {(r[2], r[3], r[4]) for r in con.execute("PRAGMA foreign_key_list(counts)")}
        assert ("sources", "source_id", "source_id") in fks
        assert [r[1] for r in con.execute("PRAGMA table_info(event_sources)") if r[5]] == [
            "event_id", "source_id", "locator"]
        with pytest.raises(sqlite3.IntegrityError):
            con.execute("INSERT INTO counts (count_id, measure) VALUES ('x', 'not-a-measure')")
    else:
        import duckdb

        con = duckdb.connect(str(path), read_only=True)
        constraints = con.execute("SELECT constraint_type, constraint_column_names FROM duckdb_constraints() "
                                  "WHERE table_name = 'counts'").fetchall()
        assert ("FOREIGN KEY", ["source_id"]) in constraints and ("PRIMARY KEY", ["count_id"]) in constraints
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'counts' "
                              "AND column_name = 'evidence'").fetchone()[0]
        assert comment == next(f for f in ad.table_schema("counts")["fields"] if f["name"] == "evidence")["description"]
    described = dict(con.execute("SELECT field_name, description FROM meta_fields WHERE table_name = 'counts'")
                     .fetchall())
    assert described["value"] == next(f for f in ad.table_schema("counts")["fields"]
                                      if f["name"] == "value")["description"]
    assert dict(con.execute("SELECT key, value FROM meta_package").fetchall())["version"] == ad.__version__
    codes = con.execute("SELECT COUNT(*) FROM meta_codes WHERE table_name = 'counts' AND field_name = 'measure'")
    assert codes.fetchone()[0] == len(ad.table_schema("counts")["fields"][6]["categories"])
    con.close()


@pytest.mark.parametrize("fmt", ["sqlite", "duckdb"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_sql_views_equal_the_python_views(shipped_exports: dict[str, Path], fmt: str, view: str) -> None:
    """Every derived view is in each database, column by column and row by row as ``views`` computes it."""
    frame = VIEWS[view]()
    sql_name = view.replace("-", "_") + ("_view" if view.replace("-", "_") in ad.tables() else "")
    fields = [{"name": c, "type": derived_fields(frame[[c]])[0]["type"]} for c in frame.columns]
    database = shipped_exports[fmt] / f"amaz-detainees.{fmt}"
    con: Any = sqlite3.connect(database) if fmt == "sqlite" else __import__("duckdb").connect(str(database),
                                                                                                read_only=True)
    columns = [r[0] for r in con.execute(f'SELECT * FROM "{sql_name}" LIMIT 0').description]
    kind = con.execute("SELECT kind FROM meta_tables WHERE table_name = ?", [sql_name]).fetchone()
    con.close()
    assert columns == list(frame.columns) and kind == ("view",)
    assert READERS[fmt](shipped_exports[fmt], "amaz-detainees", sql_name, fields) == rows_of(frame, fields)
    assert len(frame) > 0


@pytest.mark.slow  # exports the workbook (2 s)
def test_xlsx_has_a_codebook_and_no_formula_cells(shipped_exports: dict[str, Path]) -> None:
    import openpyxl

    book = openpyxl.load_workbook(shipped_exports["xlsx"] / "amaz-detainees.xlsx")
    assert book.sheetnames == [*ad.tables(), "codebook", "about"]
    codebook = list(book["codebook"].iter_rows(values_only=True))
    assert len(codebook) - 1 == sum(len(ad.table_schema(t)["fields"]) for t in ad.tables())
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows() for cell in row)


@pytest.mark.slow  # exports the Stata files (1.5 s)
def test_stata_labels_names_and_dates(shipped_exports: dict[str, Path]) -> None:
    with pd.io.stata.StataReader(shipped_exports["dta"] / "counts.dta") as reader:
        labels = reader.variable_labels()
        value_labels = reader.value_labels()
        frame = reader.read()
    fields = ad.table_schema("counts")["fields"]
    assert labels == {f["name"]: f["title"] for f in fields}
    assert all(len(name) <= 32 for name in frame.columns)
    assert "released" in set(next(v for k, v in value_labels.items() if k.startswith("measure")).values())
    assert str(frame["as_of_start"].dtype).startswith("datetime64")


def test_stata_refuses_integers_it_cannot_store_and_writes_nothing(tmp_path: Path) -> None:
    package = write_package(tmp_path / "pkg", [row(n=2**60)])
    out = tmp_path / "out"
    with pytest.raises(ExportError, match=r"things row 2 field n: .* beyond 2\^53"):
        export("dta", out, package)
    with pytest.raises(ExportError, match=r"things row 3 field share: .* beyond Stata's largest double"):
        export("dta", out, write_package(tmp_path / "pkg2", [row(), row(thing_id="b", share=1.7e308)]))
    assert list(out.iterdir()) == []  # atomic: no half-written file, no staging directory left


def test_unwritable_target_and_invalid_package_get_clear_errors(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["export", "--format", "sqlite", "--out", str(blocker / "sub")]) == 2
    assert "cannot write to" in capsys.readouterr().err
    package = write_package(tmp_path / "pkg", [row(), row()])  # duplicate primary key
    assert main(["export", str(package), "--format", "csv", "--out", str(tmp_path / "out")]) == 1
    assert "thing_id" in capsys.readouterr().err
    assert not any((tmp_path / "out").rglob("*.csv"))


def test_cli_export_lists_what_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "dta", "--out", str(tmp_path)]) == 0
    assert sorted(Path(p).name for p in capsys.readouterr().out.split()) == sorted(f"{t}.dta" for t in ad.tables())


# --- property-based round trips on generated packages with awkward text -------------------------------------

KINDS = ["alpha", "=beta", "gamma delta", "-minus", "Ŝŝ"]
THINGS = [
    {"name": "thing_id", "type": "string", "title": "Thing", "description": "Key.",
     "constraints": {"required": True}},
    {"name": "label", "type": "string", "title": "Label", "description": "Awkward text.",
     "constraints": {"required": True}},
    {"name": "note", "type": "string", "title": "Note", "description": "Optional text."},
    {"name": "n", "type": "integer", "title": "Number", "description": "Any 64-bit integer."},
    {"name": "share", "type": "number", "title": "Share", "description": "A decimal number."},
    {"name": "day", "type": "date", "title": "Day", "description": "A date."},
    {"name": "flag", "type": "boolean", "title": "Flag", "description": "Yes or no.",
     "constraints": {"required": True}},
    {"name": "kind", "type": "string", "title": "Kind", "description": "A code.",
     "categories": [{"value": k, "label": f"code {k}"} for k in KINDS],
     "constraints": {"required": True, "enum": KINDS}},
]
LINKS = [
    {"name": "link_id", "type": "string", "title": "Link", "description": "Key.", "constraints": {"required": True}},
    {"name": "thing_id", "type": "string", "title": "Thing", "description": "Key.", "constraints": {"required": True}},
]
AWKWARD = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
                  | st.sampled_from(list('"\n,;=+-@ \'ԱաՇշԽխƏəĞğÇçŞşÖöÜüİı')), min_size=1, max_size=30)


def row(n: int | None = 1, **overrides: Any) -> dict[str, Any]:
    base = {"thing_id": "a", "label": "x", "note": "", "n": n, "share": 0.5, "day": dt.date(2020, 1, 2), "flag": True,
            "kind": "alpha"}
    return base | overrides


def write_package(root: Path, things: list[dict[str, Any]]) -> Path:
    """A small valid-by-construction package (unless rows repeat a key) in the shipped layout."""
    (root / "data").mkdir(parents=True)
    (root / "schemas").mkdir()
    tables = {"things": (THINGS, ["thing_id"], []),
              "links": (LINKS, ["link_id"], [{"fields": ["thing_id"],
                                              "reference": {"resource": "things", "fields": ["thing_id"]}}])}
    data = {"things": [[_text(r[f["name"]]) for f in THINGS] for r in things],
            "links": [[f"l{i}", r["thing_id"]] for i, r in enumerate(things)]}
    resources = []
    for name, (fields, key, fks) in tables.items():
        schema = {"fields": fields, "primaryKey": key} | ({"foreignKeys": fks} if fks else {})
        (root / "schemas" / f"{name}.schema.json").write_text(json.dumps(schema, ensure_ascii=False),
                                                              encoding="utf-8")
        with (root / "data" / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow([f["name"] for f in fields])
            writer.writerows(data[name])
        resources.append({"name": name, "type": "table", "path": f"data/{name}.csv", "format": "csv",
                          "encoding": "utf-8", "description": f"The {name}.", "schema": f"schemas/{name}.schema.json"})
    descriptor = {"name": "generated", "title": "Generated", "version": "1.0.0", "resources": resources}
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    from amaz_detainees.maintain import stamp
    from amaz_detainees.package import open_package

    stamp(open_package(root))
    return root


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def things_strategy(max_int: int, max_float: float = 1.7976931348623157e308) -> st.SearchStrategy[list[dict[str, Any]]]:
    one = st.fixed_dictionaries({
        "label": AWKWARD, "note": st.none() | AWKWARD,
        "n": st.none() | st.integers(-max_int, max_int) | st.sampled_from([-max_int, max_int, 0]),
        "share": st.none() | st.floats(-max_float, max_float, allow_nan=False, allow_infinity=False),
        "day": st.none() | st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31)),
        "flag": st.booleans(), "kind": st.sampled_from(KINDS)})
    return st.lists(one, min_size=1, max_size=6).map(
        lambda rows: [r | {"thing_id": f"t{i}"} for i, r in enumerate(rows)])


def _round_trip_all(things: list[dict[str, Any]], formats: tuple[str, ...]) -> None:
    # a value that is only whitespace or starts/ends with it is kept as is; Table Schema reads "" as missing
    with tempfile.TemporaryDirectory() as tmp:
        package = write_package(Path(tmp) / "pkg", things)
        assert ad.validate(package, conformance=False).ok
        for fmt in formats:
            out = Path(tmp) / fmt
            export(fmt, out, package)
            assert_round_trip(fmt, out, package)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(things_strategy(2**63 - 1))
def test_generated_packages_round_trip_with_awkward_values(things: list[dict[str, Any]]) -> None:
    _round_trip_all(things, ("parquet", "sqlite", "duckdb", "xlsx", "csv"))


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(things_strategy(2**53, 8.988465674311579e307))
def test_generated_packages_round_trip_through_stata(things: list[dict[str, Any]]) -> None:
    _round_trip_all(things, ("dta",))


def test_xlsx_keeps_formula_like_text_as_quoted_text_and_refuses_control_characters(tmp_path: Path) -> None:
    import openpyxl

    package = write_package(tmp_path / "pkg", [row(label="=HYPERLINK(\"http://x\")", kind="=beta"),
                                                 row(thing_id="b", label="@SUM(A1)", note="+1", kind="-minus")])
    export("xlsx", tmp_path / "out", package)
    sheet = openpyxl.load_workbook(tmp_path / "out" / "generated.xlsx")["things"]
    cells = [c for r in sheet.iter_rows(min_row=2) for c in r if isinstance(c.value, str)
             and c.value.startswith(("=", "+", "-", "@"))]
    assert len(cells) == 5 and all(c.data_type == "s" and c.quotePrefix for c in cells)

    bad = write_package(tmp_path / "bad", [row(label="bell\x07")])
    with pytest.raises(ExportError, match=r"things row 2 field label: holds a control character"):
        export("xlsx", tmp_path / "bad-out", bad)
    assert list((tmp_path / "bad-out").iterdir()) == []
