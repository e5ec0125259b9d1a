"""Typed loaders: one call gives a table as pandas with the dtypes its Table Schema declares."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from .checks import enum_problems, is_trusted, package_digest, remember
from .package import Package, open_package, shipped
from .read import TableFileError, parse_table
from .report import Problem, ValidationReport
from .schema import UnsupportedSchema, check_schema_keys

if TYPE_CHECKING:  # pandera is imported on first use of `schema`, not with the package
    from pandera.pandas import DataFrameSchema

Validate = bool | Literal["auto"]


class DataValidationError(ValueError):
    """Raised by ``load`` when the data breaks its rules; ``.report`` holds every problem."""

    def __init__(self, report: ValidationReport) -> None:
        self.report: ValidationReport = report
        super().__init__(str(report))


def _package(path: str | Path | None) -> Package:
    return shipped() if path is None else open_package(path)


def tables(path: str | Path | None = None) -> list[str]:
    """Names of the tables in the package (the shipped one by default).

    >>> "counts" in tables()
    True
    """
    return _package(path).names


def table_schema(name: str, path: str | Path | None = None) -> dict[str, Any]:
    """The Table Schema (as a dict) that defines the columns of ``name``."""
    return _package(path).table_schema(name)


def schema(name: str, path: str | Path | None = None) -> DataFrameSchema:
    """The pandera ``DataFrameSchema`` derived from the Table Schema of ``name``.

    It describes frames as ``load`` returns them, so ``schema(name).validate(load(name))`` passes.
    """
    from .pandera_schema import to_pandera

    return to_pandera(table_schema(name, path), name=name, categorical=True)


def load(name: str, *, path: str | Path | None = None, validate: Validate = "auto") -> pd.DataFrame:
    """Load one table as a typed DataFrame (nullable integers, dates, enums as categoricals).

    ``validate="auto"`` skips validation only for a package whose content digest has passed full
    validation before: the shipped package (validated in CI and recorded at release), or a package
    this machine has already validated in full (recorded in the user cache, never in the package).
    Any other package, an edited and restamped one included, is validated in full first. ``True``
    always validates; ``False`` only parses (a cell that does not parse still raises). Raises
    ``DataValidationError``.

    >>> counts = load("counts")
    >>> str(counts["value"].dtype)
    'Int64'
    """
    package = _package(path)
    digest = package_digest(package) if validate == "auto" else None
    if validate is True or (validate == "auto" and not is_trusted(digest)):
        from .checks import validate as validate_package

        report = validate_package(package.root, conformance=False)
        if not report.ok:
            raise DataValidationError(report)
        remember(digest)
    spec = package.table_schema(name)
    try:
        check_schema_keys(spec, name)
        parsed = parse_table(name, package.data_path(name), spec)
    except TableFileError as exc:
        raise DataValidationError(ValidationReport([exc.problem])) from exc
    except UnsupportedSchema as exc:
        raise DataValidationError(ValidationReport([Problem(name, None, exc.field, "schema", str(exc))])) from exc
    if parsed.problems:
        raise DataValidationError(ValidationReport(parsed.problems))
    frame = parsed.frame.reset_index(drop=True)
    outside = enum_problems(parsed, spec)
    if outside:  # a categorical would turn them into NA: refuse instead of losing them
        raise DataValidationError(ValidationReport(outside))
    for field in spec["fields"]:
        enum = field.get("constraints", {}).get("enum")
        if enum is not None and field.get("type", "string") == "string":
            frame[field["name"]] = frame[field["name"]].astype(pd.CategoricalDtype(enum))
    return frame
