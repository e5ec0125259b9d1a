"""Full validation of a package: structure, types, constraints, keys, cross-table rules, relations.

Everything is collected and reported at once; nothing stops at the first problem and nothing raises
for bad data. Order: descriptor and files, then each table (hash, shape, types, Table Schema
constraints), then foreign keys, rules, errata, neutral wording and privacy (``voice``), relations,
then (if asked) Frictionless.

The work is columnar from the file up (pyarrow reads and checks each column; Python visits only the
rows that fail), so a million-row package validates in seconds, growing linearly with its size;
``benchmarks/RESULTS.md`` has the figures.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..package import DESCRIPTOR, Package, PackageError, open_package
from ..read import ParsedTable, TableFileError, parse_table, read_bytes, true_where
from ..report import Problem, ValidationReport
from ..schema import UnsupportedSchema, check_schema_keys, foreign_keys
from . import errata, hashes, relations, rules, voice
from .constraints import constraint_problems
from .parallel import WORKERS

NAME = re.compile(r"[a-z][a-z0-9_]*")


def descriptor_problems(package: Package) -> list[Problem]:
    """Naming convention (file stem = resource name = schema stem) and required resource properties."""
    problems = []
    names = package.names
    for dup in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(DESCRIPTOR, None, None, "descriptor", f"resource name {dup!r} is used twice"))
    for res in package.resources:
        name = res["name"]
        if not isinstance(name, str) or not NAME.fullmatch(name):
            problems.append(Problem(DESCRIPTOR, None, None, "descriptor", f"bad resource name {name!r}"))
            continue
        for key in ("path", "schema"):
            if key not in res:
                problems.append(Problem(name, None, key, "descriptor", f"resource {name!r} has no {key!r}"))
        if "path" in res and res["path"] != f"data/{name}.csv":
            problems.append(Problem(name, None, "path", "descriptor", f"path must be data/{name}.csv"))
        if "schema" in res and res["schema"] != f"schemas/{name}.schema.json":
            problems.append(Problem(name, None, "schema", "descriptor", f"schema must be schemas/{name}.schema.json"))
    return problems


def foreign_key_problems(package: Package, parsed: dict[str, ParsedTable]) -> list[Problem]:
    """Every foreign key value exists in the referenced table (empty values are not references).

    Columnar: one membership test (or anti-join, for composite keys) per key; only the rows that
    fail are visited.
    """
    problems = []
    for name, table in parsed.items():
        for fk in foreign_keys(package.table_schema(name), name):
            fields, target, ref_fields = list(fk.fields), fk.table, list(fk.reference_fields)
            if target not in parsed:
                continue
            unknown = [f for f in fields if f not in table.columns] + [
                f"{target}.{f}" for f in ref_fields if f not in parsed[target].columns]
            if unknown:
                problems.append(Problem(name, None, ", ".join(fields), "schema",
                                        f"a foreign key names fields that do not exist: {', '.join(unknown)}"))
                continue
            for position, values in dangling(table, fields, parsed[target], ref_fields):
                problems.append(Problem(name, position + 2, ", ".join(fields), "foreign-key",
                                        f"{', '.join(map(str, values))} is not in {target}.{', '.join(ref_fields)}"))
    return problems


def _known(values: pa.Array, keys: pa.Array) -> np.ndarray:
    """Which ``values`` are among ``keys``, hashing the smaller side (a few links into a million events
    should not hash the million)."""
    if len(values) * 4 < len(keys):
        wanted = pc.unique(pc.drop_null(values))
        found = pc.filter(keys, pc.is_in(keys, value_set=wanted))
        absent = pc.filter(wanted, pc.invert(pc.is_in(wanted, value_set=pc.unique(found))))
        if not len(absent):
            return np.ones(len(values), dtype=bool)
        return ~true_where(pc.is_in(values, value_set=absent))
    return true_where(pc.is_in(values, value_set=keys))


def dangling(table: ParsedTable, fields: list[str], target: ParsedTable,
             ref_fields: list[str]) -> list[tuple[int, tuple[Any, ...]]]:
    """(position, values) of the rows whose key, all present, is not among the target's keys."""
    def as_text(column: pa.Array) -> pa.Array:
        return column if column.type == pa.string() else pc.cast(column, pa.string())

    mine = [as_text(table.columns[f]) for f in fields]
    theirs = [as_text(target.columns[f]) for f in ref_fields]
    present = np.logical_and.reduce([true_where(pc.is_valid(c)) for c in mine])
    if len(mine) == 1:
        positions = np.flatnonzero(present & ~_known(mine[0], pc.drop_null(theirs[0])))
    else:
        names = [f"k{i}" for i in range(len(mine))]
        rows = pa.table({**dict(zip(names, mine, strict=True)), "position": np.arange(len(mine[0]))})
        rows = rows.filter(pa.array(present))
        keys = pa.table(dict(zip(names, theirs, strict=True))).group_by(names).aggregate([])
        missing = rows.join(keys, keys=names, join_type="left anti")
        positions = np.sort(missing["position"].to_numpy())
    return [(int(i), tuple(c[int(i)].as_py() for c in mine)) for i in positions]


def model_tables(package: Package, parsed: dict[str, ParsedTable]) -> tuple[dict[str, ParsedTable], list[Problem]]:
    """The tables the cross-table checks may read, and a problem for each field that keeps a table out.

    Rules, errata, relations and the voice checks are written for this package's data model: a table
    named as a shipped one must keep each of the shipped schema's fields with its type (it may add
    fields). A table whose schema drops or retypes one is reported here and left out of those checks,
    instead of failing inside them.
    """
    from ..package import shipped

    model = shipped()
    usable: dict[str, ParsedTable] = {}
    problems: list[Problem] = []
    for name, table in parsed.items():
        mismatched = _model_mismatches(name, package, model) if name in model.names else []
        problems += mismatched
        if not mismatched:
            usable[name] = table
    return usable, problems


def _model_mismatches(name: str, package: Package, model: Package) -> list[Problem]:
    """One ``schema`` problem per shipped field of ``name`` that the package's schema drops or retypes."""
    types = {f["name"]: f.get("type", "string") for f in package.table_schema(name)["fields"]}
    problems = []
    for spec in model.table_schema(name)["fields"]:
        field, kind = spec["name"], spec.get("type", "string")
        if types.get(field) != kind:
            what = "is missing" if field not in types else f"is {types[field]!r}"
            problems.append(Problem(name, None, field, "schema", f"the cross-table checks read {field!r} as {kind!r}, "
                                                                 f"but here it {what}; they were skipped for {name}"))
    return problems


def suspect_cells(problems: list[Problem]) -> set[tuple[str, int, str]]:
    """Cells already reported as broken: rules skip rows that read them, to avoid knock-on reports."""
    cells: set[tuple[str, int, str]] = set()
    for p in problems:
        if p.row is not None and p.field:
            cells.update((p.table, p.row, f) for f in p.field.split(", "))
    return cells


def check_table(name: str, path: Path, schema: dict[str, Any], data: bytes | None = None) -> ParsedTable:
    """One table on its own: shape, types and Table Schema constraints (all in ``.problems``)."""
    check_schema_keys(schema, name)
    parsed = parse_table(name, path, schema, data)
    parsed.problems.extend(constraint_problems(parsed, schema))
    return parsed


def _check_resource(package: Package, name: str) -> tuple[ParsedTable | None, list[Problem]]:
    """Read, hash, parse and check one resource; (None, problems) when it cannot be read."""
    problems: list[Problem] = []
    try:
        schema = package.table_schema(name)
        path = package.data_path(name)
        data = read_bytes(name, path)
        problems.extend(hashes.hash_problems_in(package, name, data))
        parsed = check_table(name, path, schema, data)
    except PackageError as exc:
        return None, [*problems, Problem(name, None, None, "schema", str(exc))]
    except UnsupportedSchema as exc:
        return None, [*problems, Problem(name, None, exc.field, "schema", str(exc))]
    except TableFileError as exc:
        return None, [*problems, exc.problem]
    return parsed, problems + parsed.problems


def check_tables(package: Package) -> tuple[dict[str, ParsedTable], list[Problem]]:
    """Parse and check every table on its own; the parsed tables of the readable ones.

    Each file is read once: the same bytes are hashed and parsed. Tables are checked two at a time
    (the work is in pyarrow and hashlib, which release the GIL); the report keeps package order.
    """
    names = [name for name in package.names
             if isinstance(package.resource(name).get("path"), str)
             and isinstance(package.resource(name).get("schema"), str)]  # others: descriptor_problems
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(lambda name: _check_resource(package, name), names))
    tables: dict[str, ParsedTable] = {}
    problems: list[Problem] = []
    for name, (parsed, found) in zip(names, results, strict=True):
        problems.extend(found)
        if parsed is not None:
            tables[name] = parsed
    return tables, problems


def validate(path: str | Path | None = None, *, conformance: bool = False) -> ValidationReport:
    """Validate the package at ``path`` (None: the shipped package) and report every problem.

    ``conformance=True`` adds a pass of Frictionless, the standard's reference implementation, over
    the descriptor and every row. Our own checks cover its row rules and more (a differential test
    keeps them in agreement) at a fraction of the time, so it is off by default; CI runs it on the
    shipped data.
    """
    try:
        package = open_package(path)
    except PackageError as exc:
        return ValidationReport([Problem(DESCRIPTOR, None, None, "descriptor", str(exc))])
    problems = descriptor_problems(package)
    parsed, table_problems = check_tables(package)
    problems += table_problems
    problems += foreign_key_problems(package, parsed)
    usable, model_problems = model_tables(package, parsed)
    problems += model_problems
    tables = {name: table.frame for name, table in usable.items()}
    suspect = suspect_cells(problems) | {(name, row, field) for name, table in usable.items()
                                         for row, field in table.bad_cells}
    problems += rules.check_rules(tables, suspect)
    problems += errata.errata_problems(package, tables, suspect)
    problems += voice.voice_problems(package, usable, suspect)
    results, relation_problems = relations.evaluate(tables)
    problems += relation_problems
    if conformance:
        from .conformance import frictionless_problems, merge

        problems = merge(problems, frictionless_problems(package.root))
    return ValidationReport(problems, results, {name: len(table.frame) for name, table in parsed.items()},
                            relations.compare_provisions(tables))
