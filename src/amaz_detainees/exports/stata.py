"""Stata: one .dta file (format 118, Unicode) per table, with variable labels, value labels and dates.

Names must already fit Stata's 32 characters (nothing is renamed); labels are the field titles cut to
80 characters. Coded fields become labelled integers whose labels are the codes themselves; booleans
are 0/1 labelled false/true; dates are Stata dates (%td). Stata has no 64-bit integer: values beyond
2^53 cannot be stored exactly, nor doubles above Stata's maximum; either stops the export, naming
table, row and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .source import ExportError, ExportSource

EXACT_IN_DOUBLE = 2**53
STATA_LONG_MAX = 2_147_483_620
STATA_DOUBLE_MAX = 8.988465674311579e307  # Stata keeps the values above for its missing-value codes
STRL_FROM = 2045


def _refuse(bad: pd.Series, values: pd.Series, table: str, field: str, why: str) -> None:
    """Stop the export at the first value Stata cannot hold, naming table, row (CSV numbering) and field."""
    bad = bad.fillna(False).astype(bool)
    if bad.any():
        position = int(bad.to_numpy().argmax())
        raise ExportError(f"{table} row {position + 2} field {field}: {values.iloc[position]} is {why}")


def stata_frame(frame: pd.DataFrame, fields: list[dict[str, Any]],
                table: str) -> tuple[pd.DataFrame, dict[str, dict[float, str]]]:
    """The frame as Stata can hold it, and the value labels for its boolean columns."""
    out: dict[str, pd.Series] = {}
    value_labels: dict[str, dict[float, str]] = {}
    for f in fields:
        name, kind = f["name"], f.get("type", "string")
        if len(name) > 32:
            raise ExportError(f"{table}: field {name!r} is longer than Stata's 32-character limit")
        values = frame[name]
        if kind == "integer":
            _refuse(values.abs() > EXACT_IN_DOUBLE, values, table, name,
                    "beyond 2^53, which Stata cannot store exactly")
            fits_long = values.dropna().abs().le(STATA_LONG_MAX).all()
            out[name] = values.astype("Int32" if fits_long else "float64")
        elif kind == "number":
            _refuse(values.abs() > STATA_DOUBLE_MAX, values, table, name, "beyond Stata's largest double")
            out[name] = values.astype("float64")
        elif kind == "boolean":
            out[name] = values.astype("Int8")
            value_labels[name] = {0: "false", 1: "true"}
        elif kind == "date":
            out[name] = values.astype("datetime64[ns]")
        elif isinstance(values.dtype, pd.CategoricalDtype):
            out[name] = values.cat.rename_categories([str(c) for c in values.cat.categories])
        else:
            out[name] = values.astype(object).where(values.notna(), "")
    return pd.DataFrame(out, index=frame.index), value_labels


def write(source: ExportSource, out: Path) -> list[Path]:
    written = []
    for name in source.package.names:
        fields = source.fields(name)
        frame, value_labels = stata_frame(source.frames[name], fields, name)
        long_text = [c for c in frame.columns if frame[c].dtype == object and frame[c].str.len().max() > STRL_FROM]
        target = out / f"{name}.dta"
        frame.to_stata(target, write_index=False, version=118, convert_strl=long_text,
                       convert_dates={f["name"]: "td" for f in fields if f.get("type") == "date"},
                       data_label=source.package.resource(name).get("description", "")[:80],
                       variable_labels={f["name"]: str(f.get("title", f["name"]))[:80] for f in fields},
                       value_labels=value_labels or None)
        written.append(target)
    return written
