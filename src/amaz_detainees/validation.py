"""Full validation of a package: structure, types, constraints, keys, cross-table rules, relations.

Everything is collected and reported at once; nothing stops at the first problem and nothing raises
for bad data. Order: descriptor and files, then each table (shape, types, Table Schema constraints
via the derived pandera schema), then foreign keys, rules and relations, then Frictionless.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from . import errata, integrity, relations, rules
from .cells import ParsedTable, TableFileError, UnsupportedSchema, parse_table
from .package_files import DESCRIPTOR, Package, PackageError, open_package
from .report import Problem, ValidationReport

NAME = re.compile(r"[a-z][a-z0-9_]*")
PANDERA_CHECKS = {"not_nullable": "required", "field_uniqueness": "unique",
                  "multiple_fields_uniqueness": "primary-key"}


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
                problems.append(Problem(DESCRIPTOR, None, name, "descriptor", f"resource {name!r} has no {key!r}"))
        if res.get("path") != f"data/{name}.csv":
            problems.append(Problem(DESCRIPTOR, None, name, "descriptor", f"path must be data/{name}.csv"))
        if res.get("schema") != f"schemas/{name}.schema.json":
            problems.append(Problem(DESCRIPTOR, None, name, "descriptor", f"schema must be schemas/{name}.schema.json"))
    return problems


def pandera_problems(parsed: ParsedTable, table_schema: dict) -> list[Problem]:
    """Constraint problems from the pandera schema derived from the Table Schema."""
    import pandera.errors

    from .pandera_schema import to_pandera

    schema = to_pandera(table_schema, name=parsed.name, categorical=False)
    try:
        schema.validate(parsed.frame, lazy=True)
        return []
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    specs = {f["name"]: f for f in table_schema["fields"]}
    problems: dict[tuple, Problem] = {}
    for case in cases.itertuples(index=False):
        row = None if pd.isna(case.index) else int(case.index)
        field = None if pd.isna(case.column) else str(case.column)
        check = PANDERA_CHECKS.get(str(case.check), str(case.check))
        if check == "primary-key":
            field = ", ".join(table_schema["primaryKey"])
            message = "duplicates the primary key of an earlier row"
        else:
            rule = specs.get(field, {}).get("constraints", {}).get(check, "")
            rule = f" {rule}" if check not in ("required", "unique") else ""
            message = "a value is required" if check == "required" else f"{case.failure_case!r} breaks {check}{rule}"
        if row is not None and field is not None and (row, field) in parsed.bad_cells:
            continue  # already reported as a type or shape problem
        problems.setdefault((row, field, check), Problem(parsed.name, row, field, check, message))
    return list(problems.values())


def foreign_key_problems(package: Package, tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every foreign key value exists in the referenced table (empty values are not references).

    Vectorised: one membership test per key; only the rows that fail are visited.
    """
    problems = []
    for name, frame in tables.items():
        for fk in package.table_schema(name).get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            ref = fk["reference"]
            target = ref.get("resource") or name
            ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
            if target not in tables:
                continue
            values = frame[fields].dropna().astype("string")
            known = pd.MultiIndex.from_frame(tables[target][ref_fields].dropna().astype("string"))
            missing = ~pd.MultiIndex.from_frame(values).isin(known) if len(values) else []
            for row, bad in values[missing].iterrows():
                problems.append(Problem(name, int(row), ", ".join(fields), "foreign-key",
                                        f"{', '.join(map(str, bad))} is not in {target}.{', '.join(ref_fields)}"))
    return problems


def suspect_cells(problems: list[Problem]) -> set[tuple[str, int, str]]:
    """Cells already reported as broken: rules skip rows that read them, to avoid knock-on reports."""
    cells = set()
    for p in problems:
        if p.row is not None and p.field:
            cells.update((p.table, p.row, f) for f in p.field.split(", "))
    return cells


def check_tables(package: Package) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Parse and check every table on its own; the typed frames of the readable ones."""
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name in package.names:
        resource = package.resource(name)
        if not isinstance(resource.get("path"), str) or not isinstance(resource.get("schema"), str):
            continue  # reported by descriptor_problems
        try:
            schema = package.table_schema(name)
            problems.extend(integrity.check(package, name))
            parsed = parse_table(name, package.data_path(name), schema)
            problems.extend(parsed.problems)
            problems.extend(pandera_problems(parsed, schema))
        except PackageError as exc:
            problems.append(Problem(name, None, None, "schema", str(exc)))
            continue
        except UnsupportedSchema as exc:
            problems.append(Problem(name, None, None, "schema", str(exc)))
            continue
        except TableFileError as exc:
            problems.append(exc.problem)
            continue
        tables[name] = parsed.frame
    return tables, problems


def validate(path: str | Path | None = None, *, conformance: bool = True) -> ValidationReport:
    """Validate the package at ``path`` (None: the shipped package) and report every problem.

    ``conformance=False`` skips the Frictionless pass (our own checks cover the same rules and more).
    """
    try:
        package = open_package(path)
    except PackageError as exc:
        return ValidationReport([Problem(DESCRIPTOR, None, None, "descriptor", str(exc))])
    problems = descriptor_problems(package)
    tables, table_problems = check_tables(package)
    problems += table_problems
    problems += foreign_key_problems(package, tables)
    suspect = suspect_cells(problems)
    problems += rules.check_rules(tables, suspect)
    problems += errata.errata_problems(package, tables, suspect)
    results, relation_problems = relations.evaluate(tables)
    problems += relation_problems
    if conformance:
        from .conformance import frictionless_problems, merge

        problems = merge(problems, frictionless_problems(package.root))
    return ValidationReport(problems, results, {name: len(frame) for name, frame in tables.items()})
