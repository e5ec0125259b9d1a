"""Sourced, typed, validated data on Armenia–Azerbaijan detainee releases and the deals behind them.

>>> import amaz_detainees as ad
>>> "counts" in ad.tables()
True
"""

from ._version import __version__
from .citation import cite
from .fact_citation import FactCitation, cite_fact
from .loading import DataValidationError, load, schema, table_schema, tables
from .report import ValidationReport
from .validation import validate

__all__ = ["DataValidationError", "FactCitation", "ValidationReport", "__version__", "cite", "cite_fact", "load",
           "schema", "table_schema", "tables", "validate"]
