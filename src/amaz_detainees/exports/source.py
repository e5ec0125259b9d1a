"""What every exporter starts from: a validated package, its typed tables and their metadata."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd

from ..loading import DataValidationError, load
from ..package import Package, open_package


class ExportError(Exception):
    """An export that cannot be done (unwritable target, missing writer library, unrepresentable value)."""


@dataclass(frozen=True)
class DerivedView:
    """A derived view (``amaz_detainees.views``) as computed for the export: the same code as in Python,
    so the databases' copy cannot drift from it. ``name`` is the view's name in SQL."""

    name: str
    description: str
    frame: pd.DataFrame
    fields: list[dict[str, Any]]


@dataclass(frozen=True)
class ExportSource:
    """A package that passed validation, with every table loaded as ``load`` types it, and its derived views."""

    package: Package
    frames: dict[str, pd.DataFrame]

    @cached_property
    def views(self) -> list[DerivedView]:
        """The derived views, computed on first use (only the SQL exports and the site need them)."""
        return derived_views(self.package)

    @property
    def name(self) -> str:
        return str(self.package.descriptor.get("name", "data"))

    def fields(self, table: str) -> list[dict[str, Any]]:
        return list(self.package.table_schema(table)["fields"])

    def schema(self, table: str) -> dict[str, Any]:
        return self.package.table_schema(table)


def read_source(path: str | Path | None) -> ExportSource:
    """Validate the package (raising ``DataValidationError`` with every problem) and load its tables."""
    from ..checks import package_digest, remember, validate

    package = open_package(path)
    digest = package_digest(package)
    report = validate(package.root, conformance=False)
    if not report.ok:
        raise DataValidationError(report)
    remember(digest)  # it passed in full: the views' own loads of this package need not validate it again
    frames = {name: load(name, path=package.root, validate=False) for name in package.names}
    return ExportSource(package, frames)


def derived_views(package: Package) -> list[DerivedView]:
    """Every view in ``amaz_detainees.views.VIEWS`` whose tables the package has, computed from it.

    Its SQL name is the view's name with ``_`` for ``-``, and ``_view`` added where a table has that name.
    """
    from ..views import VIEWS, view_tables
    from .metadata import derived_fields

    out = []
    for name, function in VIEWS.items():
        if not set(view_tables(name)) <= set(package.names):
            continue
        sql_name = name.replace("-", "_")
        sql_name += "_view" if sql_name in package.names else ""
        frame = function(path=package.root)
        description = " ".join((function.__doc__ or "").split("\n\n")[0].split())
        out.append(DerivedView(sql_name, description, frame, derived_fields(frame)))
    return out


def require(module: str) -> ModuleType:
    """Import a writer library from the ``export`` extra, or say how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ExportError(f"this format needs {module}: pip install 'amaz-detainees[export]'") from exc
