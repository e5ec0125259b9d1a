"""What every exporter starts from: a validated package, its typed tables and their metadata."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..loading import DataValidationError, load
from ..package_files import Package, open_package


class ExportError(Exception):
    """An export that cannot be done (unwritable target, missing writer library, unrepresentable value)."""


@dataclass(frozen=True)
class ExportSource:
    """A package that passed validation, with every table loaded as ``load`` types it."""

    package: Package
    frames: dict[str, pd.DataFrame]

    @property
    def name(self) -> str:
        return str(self.package.descriptor.get("name", "data"))

    def fields(self, table: str) -> list[dict[str, Any]]:
        return list(self.package.table_schema(table)["fields"])

    def schema(self, table: str) -> dict[str, Any]:
        return self.package.table_schema(table)


def read_source(path: str | Path | None) -> ExportSource:
    """Validate the package (raising ``DataValidationError`` with every problem) and load its tables."""
    from ..validation import validate

    package = open_package(path)
    report = validate(package.root, conformance=False)
    if not report.ok:
        raise DataValidationError(report)
    return ExportSource(package, {name: load(name, path=package.root, validate=False) for name in package.names})


def require(module: str) -> Any:
    """Import a writer library from the ``export`` extra, or say how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ExportError(f"this format needs {module}: pip install 'amaz-detainees[export]'") from exc
