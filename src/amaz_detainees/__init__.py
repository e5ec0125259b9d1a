"""Sourced, typed, validated data on Armenia–Azerbaijan detainee releases and the deals behind them.

>>> import amaz_detainees as ad
>>> "counts" in ad.tables()
True
"""

from pathlib import Path
from typing import TYPE_CHECKING

from ._version import __version__
from .checks import validate
from .loading import DataValidationError, load, schema, table_schema, tables
from .report import ValidationReport

__all__ = ["DataValidationError", "FactCitation", "ValidationReport", "__version__", "cite", "cite_fact",
           "content_digest", "load", "schema", "table_schema", "tables", "validate"]

if TYPE_CHECKING:
    from .citation import FactCitation, cite, cite_fact

_LAZY = {"cite": "citation", "cite_fact": "citation", "FactCitation": "citation"}


def content_digest(path: str | Path | None = None) -> str:
    """One sha256 over the descriptor, the schemas and the data files: quote it with the version in a
    paper, so readers can check they have exactly the data used (``sha256sum`` recomputes it)."""
    from .checks import content_digest as digest_of
    from .package import open_package

    return digest_of(open_package(path))


def __getattr__(name: str) -> object:
    """Citation helpers are imported on first use, so ``load`` starts as fast as plain pandas."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
