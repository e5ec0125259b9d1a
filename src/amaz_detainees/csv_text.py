"""Read a CSV file into text columns (Arrow strings), exactly as written.

Two readers give the same cells. The fast one is pyarrow's multi-threaded parser; it is used only
when a cheap scan shows the file is plain RFC 4180 (no byte-order mark, every quote opening or
closing a field, no blank line, every row as wide as the header). pyarrow is more lenient than the
standard on other input (it accepts ``"a"b``, an unclosed quote at the end of the file, and reads a
blank line as a row of empty cells), so anything else goes to the exact reader, Python's ``csv`` in
strict mode, which also names the row of every shape problem. Choosing a reader changes only the
speed, never the result.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .report import Problem

QUOTE, COMMA, LF, CR = 34, 44, 10, 13


class TableFileError(Exception):
    """A table file that cannot be read at all; carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class TextTable:
    """Cells as text, one Arrow string column per schema field, and what went wrong with the shape.

    Row ``i`` of every column is CSV row ``i + 2`` (the header is row 1). A column missing from the
    file, or a cell missing from a short row, is an empty string and is listed in ``bad_cells``.
    """

    name: str
    columns: dict[str, pa.Array | pa.ChunkedArray]
    n_rows: int
    problems: list[Problem] = field(default_factory=list)
    bad_cells: set[tuple[int, str]] = field(default_factory=set)


def read_bytes(table: str, path: Path) -> bytes:
    """The file's bytes; a missing or unreadable file raises ``TableFileError``."""
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise TableFileError(Problem(table, None, None, "file", f"{path.name} does not exist")) from exc
    except OSError as exc:
        raise TableFileError(Problem(table, None, None, "file", f"{path.name} cannot be read ({exc})")) from exc


def plain_quoting(data: bytes) -> bool:
    """True when every quote in ``data`` opens or closes a field, so pyarrow and strict ``csv`` agree.

    A quote must open a field (after a comma, a line break, the start or another quote) or close one
    (before a comma, a line break, the end or another quote), and quotes must pair up. A false "no"
    costs only speed (the exact reader runs), so the test is strict; a byte-order mark also says no.
    One vectorised pass over the bytes.
    """
    if not data or data.startswith(b"\xef\xbb\xbf"):
        return False
    raw = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(raw == QUOTE)
    if len(quotes) % 2:
        return False
    if not len(quotes):
        return True
    # The byte before each opening quote and after each closing one (the file's ends count as line breaks).
    opening, closing = quotes[0::2], quotes[1::2]
    before = raw[np.maximum(opening - 1, 0)]
    before[opening == 0] = LF
    after = raw[np.minimum(closing + 1, len(raw) - 1)]
    after[closing == len(raw) - 1] = LF
    return bool(_edge_or_quote(before).all() and _edge_or_quote(after).all())


def _edge_or_quote(chars: np.ndarray) -> np.ndarray:
    """Bytes that may stand next to a field's quote: comma, line break, or the other half of an escaped quote."""
    return (chars == COMMA) | (chars == LF) | (chars == CR) | (chars == QUOTE)


def header_of(data: bytes) -> list[str] | None:
    """The first record, read by the exact reader (None if the file has no first record)."""
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
    try:
        return next(csv.reader(text, strict=True))
    except (StopIteration, UnicodeDecodeError, csv.Error):
        return None


def fast_columns(data: bytes, width: int) -> pa.Table | None:
    """All records (header included) as string columns f0..f{width-1}; None if pyarrow objects."""
    import pyarrow.csv as pcsv

    names = [f"f{i}" for i in range(width)]
    try:
        return pcsv.read_csv(
            pa.BufferReader(data),
            read_options=pcsv.ReadOptions(column_names=names, block_size=1 << 22),
            parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None


def exact_rows(table: str, path_name: str, data: bytes) -> list[list[str]]:
    """Every record by strict ``csv``; unreadable text raises ``TableFileError`` naming the problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = Problem(table, None, None, "encoding", f"{path_name} is not UTF-8 ({exc.reason})")
        raise TableFileError(problem) from exc
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise TableFileError(Problem(table, None, None, "csv", f"{path_name} is not well-formed CSV: {exc}")) from exc
    if not rows:
        raise TableFileError(Problem(table, None, None, "csv", f"{path_name} is empty (no header row)"))
    return rows


def header_problems(table: str, names: list[str], header: list[str]) -> list[Problem]:
    problems = [Problem(table, 1, label, "extra-column", f"column {label!r} is not in the schema")
                for label in header if label not in names]
    problems += [Problem(table, 1, dup, "duplicate-column", f"column {dup!r} appears more than once")
                 for dup in sorted({h for h in header if header.count(h) > 1})]
    problems += [Problem(table, 1, name, "missing-column", f"the schema's column {name!r} is missing")
                 for name in names if name not in header]
    return problems


def has_blank_rows(body: pa.Table) -> bool:
    """True if a row has only empty cells: pyarrow reads a blank line so, where ``csv`` reads no cells."""
    first = body.column(0)
    candidates = np.flatnonzero(pc.equal(first, "").to_numpy(zero_copy_only=False)) if body.num_rows else []
    if not len(candidates):
        return False
    rows = body.take(pa.array(candidates))
    return any(all(value == "" for value in row.values()) for row in rows.to_pylist())


def read_text(table: str, path_name: str, data: bytes, schema: dict[str, Any]) -> TextTable:
    """Text columns in schema field order, by the fast reader when it is safe, else the exact one."""
    names = [f["name"] for f in schema["fields"]]
    header = header_of(data) if plain_quoting(data) else None
    if header is not None and sorted(header) == sorted(names) and len(set(header)) == len(header):
        records = fast_columns(data, len(header))
        if records is not None and records.num_rows and records.slice(0, 1).to_pylist()[0] == {
                f"f{i}": h for i, h in enumerate(header)}:
            body = records.slice(1)
            if not has_blank_rows(body):
                columns = {name: body.column(header.index(name)) for name in names}
                return TextTable(table, columns, body.num_rows)
    return exact_text(table, path_name, data, names)


def exact_text(table: str, path_name: str, data: bytes, names: list[str]) -> TextTable:
    """The exact reader: strict ``csv``, with every shape problem (columns, cell counts) named by row."""
    rows = exact_rows(table, path_name, data)
    header, body = rows[0], rows[1:]
    problems = header_problems(table, names, header)
    bad: set[tuple[int, str]] = set()
    position = {label: i for i, label in reversed(list(enumerate(header)))}
    width = len(header)
    cells: dict[str, list[str]] = {n: [] for n in names}
    for number, record in enumerate(body, start=2):
        if len(record) > width:
            problems.append(Problem(table, number, None, "extra-cell",
                                    f"row has {len(record)} cells but the header has {width}"))
        elif len(record) < width:
            short = [h for h in header[len(record):] if h in cells]
            problems.append(Problem(table, number, ", ".join(short) or None, "missing-cell",
                                    f"row has {len(record)} cells but the header has {width}"))
            bad.update((number, h) for h in short)
        for name in names:
            i = position.get(name)
            cells[name].append(record[i] if i is not None and i < len(record) else "")
    for name in names:
        if name not in position:
            bad.update((number, name) for number in range(2, len(body) + 2))
    columns = {n: pa.array(v, type=pa.string()) for n, v in cells.items()}
    return TextTable(table, columns, len(body), problems, bad)
