"""Name one row by its primary key as text: ``value`` or, for composite keys, ``v1/v2/...`` in key order.

Used wherever a person or a table points at a row by key: ``cite --fact TABLE:ID`` and ``errata.row_key``.
"""

from __future__ import annotations

import pandas as pd

from .package_files import Package


class RowKeyError(ValueError):
    """A key text that does not fit its table's primary key."""


def split_key(package: Package, table: str, key: str) -> dict[str, str]:
    """Field -> value for ``key`` (composite keys joined with ``/``); raises ``RowKeyError``."""
    fields = package.table_schema(table).get("primaryKey", [])
    fields = [fields] if isinstance(fields, str) else list(fields)
    values = key.split("/") if len(fields) > 1 else [key]
    if len(values) != len(fields):
        raise RowKeyError(f"{table} has a key of {len(fields)} parts ({'/'.join(fields)}); got {key!r}")
    return dict(zip(fields, values, strict=True))


def rows_with_key(frame: pd.DataFrame, key: dict[str, str]) -> pd.DataFrame:
    """Rows of a loaded table whose key fields equal ``key`` (compared as text)."""
    mask = pd.Series(True, index=frame.index)
    for name, value in key.items():
        mask &= (frame[name].astype("string") == value).fillna(False)
    return frame[mask]
