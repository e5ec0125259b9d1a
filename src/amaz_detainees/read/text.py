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
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from ..report import Problem

QUOTE, COMMA, LF, CR = 34, 44, 10, 13
BOM = b"\xef\xbb\xbf"
OTHER_DELIMITERS = (";", "\t", "|")
LINE_ENDINGS = ("LF", "CRLF", "CR")


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


def _edge_or_quote(chars: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Bytes that may stand next to a field's quote: comma, line break, or the other half of an escaped quote."""
    allowed: npt.NDArray[np.bool_] = (chars == COMMA) | (chars == LF) | (chars == CR) | (chars == QUOTE)
    return allowed


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


def exact_rows(table: str, path_name: str, data: bytes, names: list[str] | None = None) -> list[list[str]]:
    """Every record by strict ``csv``; unreadable text raises ``TableFileError`` naming row and field
    (``names``: the schema's columns, to name a field of a broken header)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        header = header_of(data[:exc.start])
        row, field_name = locate(data, exc.start, header if header and data[:exc.start].count(b"\n") else names)
        problem = Problem(table, row, field_name, "encoding",
                          f"{path_name} is not UTF-8: byte {data[exc.start]:#04x} at offset {exc.start} ({exc.reason})")
        raise TableFileError(problem) from exc
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        raise TableFileError(_csv_fault(table, path_name, text)) from None
    if not rows:
        raise TableFileError(Problem(table, None, None, "csv", f"{path_name} is empty (no header row)"))
    return rows


class _TrackedLines:
    """Lines of a text for ``csv.reader``, remembering how far it has read (to place a fault)."""

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self.offset = 0

    def __iter__(self) -> _TrackedLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.offset += len(line)
        return line


def _csv_fault(table: str, path_name: str, text: str) -> Problem:
    """The first record strict ``csv`` rejects, named by row and by the field holding the bad quote.

    Runs only after a failure: it reads again, tracking where each record starts.
    """
    lines = _TrackedLines(text)
    reader = csv.reader(lines, strict=True)
    rows: list[list[str]] = []
    start = 0
    try:
        for record in reader:
            rows.append(record)
            start = lines.offset
    except csv.Error as exc:
        index = _failing_field(text, start)
        header = rows[0] if rows else None
        name = header[index] if header and index < len(header) else None
        return Problem(table, len(rows) + 1, name, "csv", f"{path_name} is not well-formed CSV: {exc} "
                       "(a quote must open and close a whole field; a quote inside a field is doubled)")
    return Problem(table, None, None, "csv", f"{path_name} is not well-formed CSV")  # pragma: no cover


def _failing_field(text: str, start: int) -> int:
    """Position in its record of the field whose quoting is broken (the record begins at ``start``)."""
    field_index, i, at_start = 0, start, True
    while i < len(text):
        char = text[i]
        if at_start and char == '"':
            close = text.find('"', i + 1)
            while close != -1 and text.startswith('""', close):
                close = text.find('"', close + 2)
            if close == -1 or text[close + 1:close + 2] not in (",", "\r", "\n", ""):
                return field_index
            i, at_start = close + 1, False
            continue
        if char == ",":
            field_index, at_start = field_index + 1, True
        elif char in "\r\n":
            return field_index
        else:
            at_start = False
        i += 1
    return field_index


def _outside_quotes(positions: npt.NDArray[np.intp], quotes: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """The positions not inside a quoted field (an even number of quotes before them)."""
    outside: npt.NDArray[np.intp] = positions[np.searchsorted(quotes, positions) % 2 == 0]
    return outside


def _record_ends(raw: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int8]]:
    """Where each record ends (outside quotes) and how: 0 LF, 1 CRLF, 2 CR alone."""
    quotes = np.flatnonzero(raw == QUOTE)
    lf = _outside_quotes(np.flatnonzero(raw == LF), quotes)
    cr = _outside_quotes(np.flatnonzero(raw == CR), quotes)
    lone_cr = cr[~np.isin(cr + 1, lf)]
    ends = np.concatenate([lf, lone_cr])
    kinds = np.concatenate([np.isin(lf - 1, cr).astype(np.int8), np.full(len(lone_cr), 2, dtype=np.int8)])
    order = np.argsort(ends, kind="stable")
    return ends[order], kinds[order]


def locate(data: bytes, offset: int, header: list[str] | None) -> tuple[int, str | None]:
    """(row, field) of the byte at ``offset``, counting records as RFC 4180 does (the header is row 1)."""
    raw = np.frombuffer(data, dtype=np.uint8, count=min(offset, len(data)))
    ends, _ = _record_ends(raw)
    start = int(ends[-1]) + 1 if len(ends) else 0
    quotes = np.flatnonzero(raw[start:] == QUOTE)
    index = len(_outside_quotes(np.flatnonzero(raw[start:] == COMMA), quotes))
    return len(ends) + 1, header[index] if header and index < len(header) else None


def line_ending_problem(table: str, data: bytes, header: list[str]) -> Problem | None:
    """A file whose rows end in different ways (LF and CRLF mixed: usually a hand edit), at the first
    row that differs from the header row. One consistent ending, LF or CRLF, is fine."""
    if b"\r" not in data:
        return None
    _, kinds = _record_ends(np.frombuffer(data, dtype=np.uint8))
    differs: npt.NDArray[np.intp] | list[int] = np.flatnonzero(kinds != kinds[0]) if len(kinds) else []
    if not len(differs):
        return None
    first = int(differs[0])
    return Problem(table, first + 1, header[-1] if header else None, "line-ending",
                   f"row ends with {LINE_ENDINGS[kinds[first]]} but the header row with {LINE_ENDINGS[kinds[0]]}; "
                   "the rows of a file must end alike (`amaz-detainees fmt` rewrites them with LF)")


def other_delimiter(header: list[str], names: list[str]) -> str | None:
    """The delimiter a one-column header splits on into schema names (a file saved with ; or tabs)."""
    if len(header) != 1 or header[0] in names:
        return None
    for delimiter in OTHER_DELIMITERS:
        labels = header[0].split(delimiter)
        if len(labels) > 1 and set(labels) & set(names):
            return delimiter
    return None


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
    candidates: npt.NDArray[np.intp] | list[int] = (
        np.flatnonzero(pc.equal(first, "").to_numpy(zero_copy_only=False)) if body.num_rows else [])
    if not len(candidates):
        return False
    rows = body.take(pa.array(candidates))
    return any(all(value == "" for value in row.values()) for row in rows.to_pylist())


def file_notes(table: str, path_name: str, data: bytes, names: list[str]) -> tuple[bytes, list[Problem]]:
    """The bytes to parse (without a byte-order mark) and what is wrong with the file as a whole but
    still readable: a byte-order mark, mixed line endings. Each is named by row and field."""
    notes: list[Problem] = []
    if data.startswith(BOM):
        data = data[len(BOM):]
        labels = header_of(data) or names
        first = labels[0] if labels else None
        notes.append(Problem(table, 1, first, "encoding", f"{path_name} starts with a UTF-8 byte-order mark; "
                             "the package's files are UTF-8 without one (`amaz-detainees fmt` removes it)"))
    ending = line_ending_problem(table, data, header_of(data) or names)
    if ending is not None:
        notes.append(ending)
    return data, notes


def read_text(table: str, path_name: str, data: bytes, schema: dict[str, Any]) -> TextTable:
    """Text columns in schema field order, by the fast reader when it is safe, else the exact one.

    The file-wide problems of ``file_notes`` come first; the rows are still read, so every other
    problem is reported too.
    """
    names = [f["name"] for f in schema["fields"]]
    data, notes = file_notes(table, path_name, data, names)
    header = header_of(data) if plain_quoting(data) else None
    if header is not None and sorted(header) == sorted(names) and len(set(header)) == len(header):
        records = fast_columns(data, len(header))
        if records is not None and records.num_rows and records.slice(0, 1).to_pylist()[0] == {
                f"f{i}": h for i, h in enumerate(header)}:
            body = records.slice(1)
            if not has_blank_rows(body):
                columns = {name: body.column(header.index(name)) for name in names}
                return TextTable(table, columns, body.num_rows, notes)
    text = exact_text(table, path_name, data, names)
    text.problems[:0] = notes
    return text


def exact_text(table: str, path_name: str, data: bytes, names: list[str]) -> TextTable:
    """The exact reader: strict ``csv``, with every shape problem (columns, cell counts) named by row."""
    rows = exact_rows(table, path_name, data, names)
    header, body = rows[0], rows[1:]
    delimiter = other_delimiter(header, names)
    if delimiter is not None:
        raise TableFileError(Problem(table, 1, names[0], "delimiter",
                                     f"{path_name} is delimited by {delimiter!r}; the package's files use commas"))
    problems = header_problems(table, names, header)
    bad: set[tuple[int, str]] = set()
    position = {label: i for i, label in reversed(list(enumerate(header)))}
    width = len(header)
    cells: dict[str, list[str]] = {n: [] for n in names}
    for number, record in enumerate(body, start=2):
        if not record and width:
            problems.append(Problem(table, number, header[0], "blank-row", "row is blank (an empty line)"))
            bad.update((number, h) for h in header if h in cells)
        elif len(record) > width:
            problems.append(Problem(table, number, header[-1] if header else None, "extra-cell",
                                    f"row has {len(record)} cells but the header has {width} "
                                    f"(the extra ones come after {header[-1] if header else 'the header'!r})"))
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
