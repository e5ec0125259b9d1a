"""Excel: one sheet per table, a codebook sheet and an about sheet; no cell is ever a formula.

Text starting with ``=``, ``+``, ``-`` or ``@`` is stored as text with Excel's quote prefix, so a
spreadsheet shows it and never runs it. Excel holds numbers as doubles and shows 15 significant digits,
so an integer of 16 or more digits, or a decimal that needs more than 15, is stored as text (its exact
digits) rather than rounded. Characters that XML cannot hold (control characters) stop the export
with the table, row and field named, rather than being dropped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from .source import ExportError, ExportSource, require

FORMULA_START = ("=", "+", "-", "@")
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EXCEL_EXACT_DIGITS = 10**15
CODEBOOK_SHEET, ABOUT_SHEET = "codebook", "about"
CODEBOOK_COLUMNS = ["table", "field", "type", "title", "description", "unit", "required", "codes", "example"]


def _cell_value(value: Any, kind: str, where: str) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "date":
        return pd.Timestamp(value).date()
    if kind == "integer":
        return int(value) if abs(int(value)) < EXCEL_EXACT_DIGITS else str(int(value))
    if kind == "number":
        number = float(value)
        return number if float(f"{number:.15g}") == number else repr(number)
    if kind == "boolean":
        return bool(value)
    text = str(value)
    if ILLEGAL_XML.search(text):
        raise ExportError(f"{where}: holds a control character that an xlsx file cannot store")
    return text


def _sheet(workbook: Any, title: str, header: list[str], rows: list[list[Any]], kinds: list[str]) -> None:
    sheet = workbook.create_sheet(title=title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for column, kind in enumerate(kinds, start=1):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if kind == "date" and cell.value is not None:
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                if cell.value.startswith(FORMULA_START):
                    cell.quotePrefix = True
    sheet.freeze_panes = "A2"


def write(source: ExportSource, out: Path) -> list[Path]:
    openpyxl = require("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name in source.package.names:
        if len(name) > 31 or name in (CODEBOOK_SHEET, ABOUT_SHEET):
            raise ExportError(f"table {name!r} cannot be an Excel sheet name (at most 31 characters, not reserved)")
        fields = source.fields(name)
        kinds = [f.get("type", "string") for f in fields]
        frame = source.frames[name]
        rows = []
        for number, record in enumerate(frame.itertuples(index=False, name=None), start=2):
            rows.append([_cell_value(v, k, f"{name} row {number} field {f['name']}")
                         for v, k, f in zip(record, kinds, fields, strict=True)])
        _sheet(workbook, name, [f["name"] for f in fields], rows, kinds)
    codebook = []
    for name in source.package.names:
        for f in source.fields(name):
            c = f.get("constraints", {})
            codes = "; ".join(f"{cat['value']}: {cat.get('label', '')}" for cat in f.get("categories", []))
            codebook.append([name, f["name"], f.get("type", "string"), f.get("title"), f.get("description"),
                             f.get("unit"), bool(c.get("required", False)), codes or None, f.get("example")])
    _sheet(workbook, CODEBOOK_SHEET, CODEBOOK_COLUMNS, codebook, ["string"] * len(CODEBOOK_COLUMNS))
    from ..citation import cite

    d = source.package.descriptor
    about = [["name", d.get("name")], ["title", d.get("title")], ["version", d.get("version")],
             ["description", d.get("description")], ["citation", cite(path=source.package.root)],
             ["licence", ", ".join(x.get("name", "") for x in d.get("licenses", []))]]
    _sheet(workbook, ABOUT_SHEET, ["key", "value"], [[k, None if v is None else str(v)] for k, v in about],
           ["string", "string"])
    target = out / f"{source.name}.xlsx"
    workbook.save(target)
    return [target]
