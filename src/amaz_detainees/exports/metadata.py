"""The metadata every export carries beside the data, built once: what the package is, its tables and
derived views, each field with its type, description and codes.

The SQL databases store it as ``meta_*`` tables, the Excel workbook as its ``about`` and ``codebook``
sheets; both read it from here, so a format never describes the data differently from another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..schema import field_type, primary_key
from .source import ExportSource


@dataclass(frozen=True)
class FieldFacts:
    """One field (column) of a table or derived view, as the codebook describes it."""

    table: str
    position: int
    name: str
    type: str
    title: str | None
    description: str | None
    unit: str | None
    example: str | None
    required: bool
    enum: list[Any] | None
    codes: list[tuple[str, str | None]]


@dataclass(frozen=True)
class TableFacts:
    """One table or derived view: ``kind`` tells them apart (a view is computed by ``amaz_detainees.views``)."""

    name: str
    kind: str
    description: str
    primary_key: list[str]
    row_count: int


def package_facts(source: ExportSource) -> list[tuple[str, str | None]]:
    """(key, value) pairs that say what the package is and how to cite it."""
    from ..citation import cite

    d = source.package.descriptor
    licences = d.get("licenses", [])
    facts = [("name", d.get("name")), ("title", d.get("title")), ("version", d.get("version")),
             ("description", d.get("description")), ("citation", cite(path=source.package.root)),
             ("licence", ", ".join(str(x.get("name", "")) for x in licences)),
             ("licenses", json.dumps(licences, ensure_ascii=False))]
    return [(key, None if value is None else str(value)) for key, value in facts]


def table_facts(source: ExportSource) -> list[TableFacts]:
    """Every table, then every derived view, with its description and row count."""
    tables = [TableFacts(name, "table", str(source.package.resource(name).get("description", "")),
                         primary_key(source.schema(name)), len(source.frames[name])) for name in source.package.names]
    views = [TableFacts(view.name, "view", view.description, [], len(view.frame)) for view in source.views]
    return tables + views


def field_facts(source: ExportSource) -> list[FieldFacts]:
    """Every field of every table, then of every derived view, in column order."""
    out = []
    for table, fields in [(n, source.fields(n)) for n in source.package.names] + [
            (v.name, v.fields) for v in source.views]:
        for position, f in enumerate(fields, start=1):
            c = f.get("constraints", {})
            out.append(FieldFacts(table, position, f["name"], field_type(f), f.get("title"), f.get("description"),
                                  f.get("unit"), None if f.get("example") is None else str(f["example"]),
                                  bool(c.get("required", False)), c.get("enum"),
                                  [(str(cat["value"]), cat.get("label")) for cat in f.get("categories", [])]))
    return out


def derived_fields(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Table Schema fields for a derived view, from the dtypes its pandas definition gives its columns."""
    def kind(dtype: Any) -> str:
        if pd.api.types.is_bool_dtype(dtype):
            return "boolean"
        if pd.api.types.is_integer_dtype(dtype):
            return "integer"
        if pd.api.types.is_float_dtype(dtype):
            return "number"
        if pd.api.types.is_datetime64_any_dtype(dtype):
            return "date"
        return "string"

    return [{"name": str(column), "type": kind(frame[column].dtype)} for column in frame.columns]
