"""SQL for the SQLite and DuckDB exports: tables with keys and checks, metadata tables, derived views.

Both databases get the same tables (declared PRIMARY KEY, FOREIGN KEY ... REFERENCES, NOT NULL, and a
CHECK for every enum), the same four metadata tables, so descriptions survive outside Python
(``meta_package`` (key, value), ``meta_tables``, ``meta_fields`` and ``meta_codes``), and the derived
views of ``amaz_detainees.views`` as tables computed by that same code when the export is written (so
the SQL ``releases`` is exactly ``views.releases()``; ``meta_tables.kind`` says which are views).
"""

from __future__ import annotations

import json
from typing import Any, Literal, Protocol

from ..schema import ForeignKey, field_type, foreign_keys, primary_key
from .metadata import field_facts, package_facts, table_facts
from .source import ExportSource

Dialect = Literal["sqlite", "duckdb"]
TYPES: dict[Dialect, dict[str, str]] = {
    "sqlite": {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT"},
    "duckdb": {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"},
}


class Connection(Protocol):
    """What the metadata tables need of a DB-API connection (sqlite3's or duckdb's)."""

    def execute(self, sql: str, /) -> object: ...

    def executemany(self, sql: str, rows: list[tuple[Any, ...]], /) -> object: ...


META_TABLES = {
    "meta_package": ["key", "value"],
    "meta_tables": ["table_name", "kind", "description", "primary_key", "row_count"],
    "meta_fields": ["table_name", "position", "field_name", "type", "title", "description", "unit", "example",
                    "required", "codes"],
    "meta_codes": ["table_name", "field_name", "value", "label"],
}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: Any) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else "'" + str(value).replace(
        "'", "''") + "'"


def table_foreign_keys(source: ExportSource, table: str) -> list[ForeignKey]:
    return foreign_keys(source.schema(table), table)


def create_table(table: str, fields: list[dict[str, Any]], dialect: Dialect, *, key: list[str] | None = None,
                 references: list[ForeignKey] | None = None) -> str:
    """CREATE TABLE with types, NOT NULL, enum CHECKs, the primary key and foreign keys."""
    lines = []
    for field in fields:
        kind = field_type(field)
        column = f"{quote(field['name'])} {TYPES[dialect][kind]}"
        constraints = field.get("constraints", {})
        if constraints.get("required"):
            column += " NOT NULL"
        if "enum" in constraints:
            column += f" CHECK ({quote(field['name'])} IN ({', '.join(literal(v) for v in constraints['enum'])}))"
        elif kind == "boolean" and dialect == "sqlite":
            column += f" CHECK ({quote(field['name'])} IN (0, 1))"
        lines.append(column)
    if key:
        lines.append(f"PRIMARY KEY ({', '.join(map(quote, key))})")
    for fk in references or []:
        lines.append(f"FOREIGN KEY ({', '.join(map(quote, fk.fields))}) REFERENCES {quote(fk.table)} "
                     f"({', '.join(map(quote, fk.reference_fields))})")
    return f"CREATE TABLE {quote(table)} (\n  " + ",\n  ".join(lines) + "\n)"


def create_package_table(source: ExportSource, table: str, dialect: Dialect, *, self_references: bool = True) -> str:
    """CREATE TABLE for one table of the package, with the keys its Table Schema declares."""
    references = [fk for fk in table_foreign_keys(source, table) if self_references or fk.table != table]
    return create_table(table, source.fields(table), dialect, key=primary_key(source.schema(table)),
                        references=references)


def metadata_rows(source: ExportSource) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of the four metadata tables."""
    fields = field_facts(source)
    return {
        "meta_package": package_facts(source),
        "meta_tables": [(t.name, t.kind, t.description, json.dumps(t.primary_key), t.row_count)
                        for t in table_facts(source)],
        "meta_fields": [(f.table, f.position, f.name, f.type, f.title, f.description, f.unit, f.example, f.required,
                         None if f.enum is None else json.dumps(f.enum, ensure_ascii=False)) for f in fields],
        "meta_codes": [(f.table, f.name, value, label) for f in fields for value, label in f.codes],
    }


def create_meta_tables(dialect: Dialect) -> list[str]:
    int_type, bool_type = TYPES[dialect]["integer"], TYPES[dialect]["boolean"]
    typed = {"position": int_type, "row_count": int_type, "required": bool_type}
    text = TYPES[dialect]["string"]
    return [f"CREATE TABLE {quote(t)} ({', '.join(f'{quote(c)} {typed.get(c, text)}' for c in cols)})"
            for t, cols in META_TABLES.items()]


def add_metadata(con: Connection, source: ExportSource, dialect: Dialect) -> None:
    """Create and fill the metadata tables (a DB-API connection: sqlite3 or duckdb)."""
    for statement in create_meta_tables(dialect):
        con.execute(statement)
    for table, rows in metadata_rows(source).items():
        if rows:
            con.executemany(f"INSERT INTO {quote(table)} VALUES ({', '.join('?' for _ in rows[0])})", rows)
