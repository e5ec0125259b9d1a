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
from typing import TYPE_CHECKING, Any

import pandas as pd

from .metadata import field_facts, package_facts
from .source import ExportError, ExportSource, require

if TYPE_CHECKING:  # openpyxl is optional (the export extra) and imported only when writing
    from openpyxl import Workbook

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


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[Any]], kinds: list[str]) -> None:
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
    workbook: Workbook = openpyxl.Workbook()
    default_sheet = workbook.active  # a new workbook's one empty sheet
    if default_sheet is not None:
        workbook.remove(default_sheet)
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
    codebook = [[f.table, f.name, f.type, f.title, f.description, f.unit, f.required,
                 "; ".join(f"{value}: {label or ''}" for value, label in f.codes) or None, f.example]
                for f in field_facts(source) if f.table in source.frames]
    _sheet(workbook, CODEBOOK_SHEET, CODEBOOK_COLUMNS, codebook, ["string"] * len(CODEBOOK_COLUMNS))
    _sheet(workbook, ABOUT_SHEET, ["key", "value"], [list(fact) for fact in package_facts(source)],
           ["string", "string"])
    target = out / f"{source.name}.xlsx"
    workbook.save(target)
    return [target]
