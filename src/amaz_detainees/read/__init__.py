"""Read a table: CSV bytes to text cells (``text``), text cells to typed Arrow columns (``columns``).

Both loading and validation read through here, so what ``load`` returns is what ``validate`` checked.
"""

from .columns import ParsedTable, dtype_for, parse_table, parser_for, true_where
from .text import BOM, TableFileError, exact_rows, exact_text, file_notes, plain_quoting, read_bytes, read_text

__all__ = ["BOM", "ParsedTable", "TableFileError", "dtype_for", "exact_rows", "exact_text", "file_notes",
           "parse_table", "parser_for", "plain_quoting", "read_bytes", "read_text", "true_where"]
