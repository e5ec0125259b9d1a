"""Canonical files: one way to write the package, so equal data gives equal bytes.

A table is canonical when it is UTF-8 without a byte-order mark, its columns are in schema order, its
rows are sorted by primary key, every row ends with LF and a cell is quoted only when it must be
(it holds a comma, a quote or a line break; quotes are doubled). JSON files are indented by two
spaces, keep their key order and end with a newline. The descriptor's ``bytes`` and ``hash`` are
those of the canonical files. Nothing here depends on the clock or the machine, so formatting an
unchanged package changes no byte, and a diff between two versions shows only real changes.

Formatting never drops or alters a value: a file that cannot be read exactly (bad UTF-8, broken
quoting, rows of the wrong width, columns that differ from the schema) is refused, naming table,
row and field, and nothing is written.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..package import DESCRIPTOR, Package, PackageError, json_bytes
from ..read import BOM, TableFileError, exact_rows
from ..report import Problem
from ..schema import UnsupportedSchema, check_schema_keys, primary_key
from .stamping import stamped_descriptor

NUMERIC = {"integer", "number", "year"}


class NotFormattable(Exception):
    """The package cannot be rewritten without losing or guessing something; carries the problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Rewrite:
    """A file whose canonical bytes differ from what is on disk, and how."""

    path: Path
    data: bytes
    reasons: tuple[str, ...]


def canonical_table(package: Package, name: str, data: bytes) -> bytes:
    """The canonical bytes of table ``name`` (its current bytes are ``data``)."""
    schema = package.table_schema(name)
    check_schema_keys(schema, name)
    names = [f["name"] for f in schema["fields"]]
    path_name = package.data_path(name).name
    rows = exact_rows(name, path_name, data.removeprefix(BOM), names)
    header, body = rows[0], rows[1:]
    problems = [Problem(name, 1, label, "fmt", f"column {label!r} is not in the schema")
                for label in header if label not in names or header.count(label) > 1]
    problems += [Problem(name, 1, n, "fmt", f"the schema's column {n!r} is missing") for n in names if n not in header]
    problems += [Problem(name, number, None, "fmt", f"row has {len(record)} cells but the header has {len(header)}")
                 for number, record in enumerate(body, start=2) if len(record) != len(header)]
    if problems:
        raise NotFormattable(problems)
    order = [header.index(n) for n in names]
    body = [[record[i] for i in order] for record in body]
    body.sort(key=row_order(schema))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(names)
    writer.writerows(body)
    return out.getvalue().encode("utf-8")


def row_order(schema: dict[str, Any]) -> Callable[[list[str]], tuple[tuple[int, float, str] | str, ...]]:
    """Sort key for rows in schema column order: the primary key, numeric fields as numbers, text by
    code point (as ``LC_ALL=C sort``). Without a primary key the file's order is kept."""
    key = primary_key(schema)
    fields = [f["name"] for f in schema["fields"]]
    positions = [(fields.index(k), schema["fields"][fields.index(k)].get("type") in NUMERIC) for k in key]

    def as_number(text: str) -> tuple[int, float, str]:
        try:
            return (0, float(text), text)
        except ValueError:
            return (1, 0.0, text)

    def order(record: list[str]) -> tuple[tuple[int, float, str] | str, ...]:
        return tuple(as_number(record[i]) if numeric else record[i] for i, numeric in positions)

    return order


def _reasons(old: bytes, new: bytes) -> tuple[str, ...]:
    """Why a table file is not canonical, in words a reviewer can act on."""
    reasons = []
    if old.startswith(BOM):
        reasons.append("byte-order mark")
    if b"\r" in old.removeprefix(BOM) and b"\r" not in new:
        reasons.append("CR line endings")
    if sorted(old.removeprefix(BOM).replace(b"\r\n", b"\n").splitlines()) != sorted(new.splitlines()):
        reasons.append("quoting, column order or final newline")
    elif old.removeprefix(BOM).replace(b"\r\n", b"\n") != new:
        reasons.append("rows not in primary-key order")
    return tuple(reasons) or ("bytes differ",)


def plan(package: Package) -> list[Rewrite]:
    """Every file whose canonical form differs from disk (tables, schemas, then the descriptor).

    Raises ``NotFormattable`` listing every table that cannot be rewritten exactly.
    """
    rewrites: list[Rewrite] = []
    problems: list[Problem] = []
    canonical: dict[str, bytes] = {}
    for name in package.names:
        try:
            path = package.data_path(name)
            data = path.read_bytes()
            canonical[name] = canonical_table(package, name, data)
        except (OSError, PackageError, KeyError) as exc:
            problems.append(Problem(name, None, None, "fmt", f"cannot be read ({exc})"))
            continue
        except TableFileError as exc:
            problems.append(exc.problem)
            continue
        except NotFormattable as exc:
            problems.extend(exc.problems)
            continue
        except UnsupportedSchema as exc:
            problems.append(Problem(name, None, exc.field, "schema", str(exc)))
            continue
        if canonical[name] != data:
            rewrites.append(Rewrite(path, canonical[name], _reasons(data, canonical[name])))
        schema_path = package.schema_path(name)
        schema_text = json_bytes(package.table_schema(name))
        if schema_path.read_bytes() != schema_text:
            rewrites.append(Rewrite(schema_path, schema_text, ("JSON layout",)))
    if problems:
        raise NotFormattable(problems)
    descriptor_path = package.root / DESCRIPTOR
    descriptor_text = json_bytes(stamped_descriptor(package, canonical))
    if descriptor_path.read_bytes() != descriptor_text:
        rewrites.append(Rewrite(descriptor_path, descriptor_text, ("bytes/hash or JSON layout",)))
    return rewrites


def write(rewrites: list[Rewrite]) -> None:
    """Write each file whole (to a temporary file, then renamed), so a crash leaves no half file."""
    for rewrite in rewrites:
        temporary = rewrite.path.with_name(rewrite.path.name + ".fmt-tmp")
        temporary.write_bytes(rewrite.data)
        os.replace(temporary, rewrite.path)
