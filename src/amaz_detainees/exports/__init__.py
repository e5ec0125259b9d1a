"""Export a validated package to the tools people use: Parquet, SQLite, DuckDB, Excel, Stata, CSV.

Every export is lossless for the package's data (the round-trip tests reload each format with its own
ecosystem's reader and compare every table), and atomic: files are written to a staging directory beside
``out`` and moved into place only when all of them are complete.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .metadata import derived_fields
from .source import ExportError, ExportSource, read_source
from .staging import staged

FORMATS: tuple[str, ...] = ("parquet", "sqlite", "duckdb", "xlsx", "dta", "csv")


def _writer(fmt: str) -> Callable[[ExportSource, Path], list[Path]]:
    if fmt == "parquet":
        from .parquet import write
    elif fmt == "sqlite":
        from .sqlite import write
    elif fmt == "duckdb":
        from .duckdb_db import write
    elif fmt == "xlsx":
        from .xlsx import write
    elif fmt == "dta":
        from .stata import write
    elif fmt == "csv":
        from .csv_copy import write
    else:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return write


def export(fmt: str, out: str | Path, path: str | Path | None = None) -> list[Path]:
    """Validate the package at ``path`` (None: the shipped one) and write it to ``out`` as ``fmt``.

    Returns the files written (inside ``out``). Raises ``DataValidationError`` for an invalid package
    and ``ExportError`` for an unknown format, a missing writer library or an unwritable ``out``.
    """
    writer = _writer(fmt)
    with staged(Path(out)) as staging:  # an unwritable target fails before the validation work
        written = writer(read_source(path), staging.directory)
    return [staging.final(p) for p in written]


def write_format(source: ExportSource, fmt: str, out: Path) -> list[Path]:
    """Write an already validated package (``read_source``) as ``fmt`` straight into ``out``, so a caller that
    needs several formats (the website's downloads) validates and loads the package once."""
    out.mkdir(parents=True, exist_ok=True)
    return _writer(fmt)(source, out)


__all__ = ["FORMATS", "ExportError", "ExportSource", "derived_fields", "export", "read_source", "write_format"]
