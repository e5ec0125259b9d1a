"""Arrow types for Table Schema fields, shared by the Parquet and DuckDB exports."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa


def arrow_type(field: dict[str, Any]) -> pa.DataType:
    """The Arrow type a field is exported as: enums of strings become dictionaries, dates date32."""
    kind = field.get("type", "string")
    if kind == "integer":
        return pa.int64()
    if kind == "number":
        return pa.float64()
    if kind == "boolean":
        return pa.bool_()
    if kind == "date":
        return pa.date32()
    if "enum" in field.get("constraints", {}):
        return pa.dictionary(pa.int32(), pa.string())
    return pa.string()


def to_arrow(frame: pd.DataFrame, fields: list[dict[str, Any]], description: str = "") -> pa.Table:
    """A typed table with each field's title and description kept as Arrow field metadata."""
    arrow_fields = []
    for f in fields:
        meta = {k: str(f[k]) for k in ("title", "description", "unit") if k in f}
        arrow_fields.append(pa.field(f["name"], arrow_type(f), nullable=True, metadata=meta))
    schema = pa.schema(arrow_fields, metadata={"description": description} if description else None)
    data = {}
    for f in fields:
        values = frame[f["name"]]
        if f.get("type") == "date":
            values = values.dt.date.astype(object).where(values.notna(), None) if len(values) else values
        data[f["name"]] = values
    # from_pandas records pandas metadata, so readers that go back to pandas get nullable Int64 and
    # boolean columns instead of floats with NaN (Frictionless's Parquet reader relies on that).
    table = pa.Table.from_pandas(pd.DataFrame(data, index=frame.index), schema=schema, preserve_index=False)
    return table
