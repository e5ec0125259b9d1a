"""SQL for the SQLite and DuckDB exports: tables with keys and checks, metadata tables, derived views.

Both databases get the same tables (declared PRIMARY KEY, FOREIGN KEY ... REFERENCES, NOT NULL, and a
CHECK for every enum) and the same four metadata tables, so descriptions survive outside Python:
``meta_package`` (key, value), ``meta_tables``, ``meta_fields`` and ``meta_codes``.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from .source import ExportSource

Dialect = Literal["sqlite", "duckdb"]
TYPES: dict[Dialect, dict[str, str]] = {
    "sqlite": {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT"},
    "duckdb": {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"},
}
META_TABLES = {
    "meta_package": ["key", "value"],
    "meta_tables": ["table_name", "description", "primary_key", "row_count"],
    "meta_fields": ["table_name", "position", "field_name", "type", "title", "description", "unit", "example",
                    "required", "codes"],
    "meta_codes": ["table_name", "field_name", "value", "label"],
}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: Any) -> str:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else "'" + str(value).replace(
        "'", "''") + "'"


def foreign_keys(source: ExportSource, table: str) -> list[tuple[list[str], str, list[str]]]:
    out = []
    for fk in source.schema(table).get("foreignKeys", []):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]
        ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
        out.append((fields, ref.get("resource") or table, ref_fields))
    return out


def create_table(source: ExportSource, table: str, dialect: Dialect, *, self_references: bool = True) -> str:
    """CREATE TABLE with types, NOT NULL, enum CHECKs, the primary key and foreign keys."""
    lines = []
    for field in source.fields(table):
        kind = field.get("type", "string")
        column = f"{quote(field['name'])} {TYPES[dialect][kind]}"
        constraints = field.get("constraints", {})
        if constraints.get("required"):
            column += " NOT NULL"
        if "enum" in constraints:
            column += f" CHECK ({quote(field['name'])} IN ({', '.join(literal(v) for v in constraints['enum'])}))"
        elif kind == "boolean" and dialect == "sqlite":
            column += f" CHECK ({quote(field['name'])} IN (0, 1))"
        lines.append(column)
    key = source.schema(table).get("primaryKey", [])
    key = [key] if isinstance(key, str) else key
    if key:
        lines.append(f"PRIMARY KEY ({', '.join(map(quote, key))})")
    for fields, target, ref_fields in foreign_keys(source, table):
        if target == table and not self_references:
            continue
        lines.append(f"FOREIGN KEY ({', '.join(map(quote, fields))}) REFERENCES {quote(target)} "
                     f"({', '.join(map(quote, ref_fields))})")
    return f"CREATE TABLE {quote(table)} (\n  " + ",\n  ".join(lines) + "\n)"


def metadata_rows(source: ExportSource) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of the four metadata tables."""
    from ..citation import cite

    d = source.package.descriptor
    package = [("name", d.get("name")), ("title", d.get("title")), ("version", d.get("version")),
               ("description", d.get("description")),
               ("licenses", json.dumps(d.get("licenses", []), ensure_ascii=False)),
               ("citation", cite(path=source.package.root))]
    tables, fields, codes = [], [], []
    for name in source.package.names:
        schema = source.schema(name)
        key = schema.get("primaryKey", [])
        tables.append((name, source.package.resource(name).get("description", ""), json.dumps(key),
                       len(source.frames[name])))
        for position, f in enumerate(schema["fields"], start=1):
            c = f.get("constraints", {})
            fields.append((name, position, f["name"], f.get("type", "string"), f.get("title"), f.get("description"),
                           f.get("unit"), f.get("example"), bool(c.get("required", False)),
                           json.dumps(c["enum"], ensure_ascii=False) if "enum" in c else None))
            codes += [(name, f["name"], str(cat["value"]), cat.get("label")) for cat in f.get("categories", [])]
    return {"meta_package": [(k, None if v is None else str(v)) for k, v in package], "meta_tables": tables,
            "meta_fields": fields, "meta_codes": codes}


def create_meta_tables(dialect: Dialect) -> list[str]:
    int_type, bool_type = TYPES[dialect]["integer"], TYPES[dialect]["boolean"]
    typed = {"position": int_type, "row_count": int_type, "required": bool_type}
    text = TYPES[dialect]["string"]
    return [f"CREATE TABLE {quote(t)} ({', '.join(f'{quote(c)} {typed.get(c, text)}' for c in cols)})"
            for t, cols in META_TABLES.items()]


# Derived views (see amaz_detainees.views), created when the tables they read exist.
VIEWS: dict[str, tuple[tuple[str, ...], str]] = {
    "claims": (("counts", "sources", "actors"), """
CREATE VIEW claims AS
SELECT c.*, s.publisher, s.side AS source_side,
  COALESCE(s.published_end, s.published_start) AS published,
  a.name AS attributed_to,
  COALESCE(a.claimant_group, CASE
    WHEN s.publisher_type = 'government' AND s.side = 'armenian' THEN 'armenian_government'
    WHEN s.publisher_type = 'government' AND s.side = 'azerbaijani' THEN 'azerbaijani_government'
    WHEN s.publisher_type IN ('government', 'intergovernmental') THEN 'third_party'
    WHEN s.publisher_type IN ('ngo', 'academic') THEN s.publisher_type
    ELSE 'media' END) AS claimant_group,
  COALESCE(c.value_low, c.value) AS low,
  COALESCE(c.value_high, c.value) AS high,
  CASE WHEN c.subgroup THEN COALESCE(c.population, 'all') ELSE 'all' END AS subgroup_population,
  COALESCE(c.as_of_end, c.as_of_start, s.published_end, s.published_start) AS as_of_latest
FROM counts c
JOIN sources s ON s.source_id = c.source_id
LEFT JOIN actors a ON a.actor_id = c.attributed_to_actor_id"""),
    "held_over_time": (("counts", "sources", "actors"), """
CREATE VIEW held_over_time AS
SELECT as_of_start AS as_of, as_of_end, as_of_precision, measure, value, qualifier, value_low, value_high,
  population, source_id, publisher, attributed_to, claimant_group, count_id, evidence
FROM claims
WHERE measure IN ('held', 'held_unacknowledged') AND nationality = 'ARM' AND held_by = 'AZE' AND NOT subgroup"""),
    "event_source_links": (("event_sources", "counts", "event_actors", "return_items"), """
CREATE VIEW event_source_links AS
SELECT event_id, source_id FROM event_sources
UNION SELECT event_id, source_id FROM counts WHERE event_id IS NOT NULL
UNION SELECT event_id, source_id FROM event_actors
UNION SELECT event_id, source_id FROM return_items"""),
    "releases": (("events", "places", "counts", "sources", "actors", "event_sources", "event_actors",
                  "return_items"), """
CREATE VIEW releases AS
WITH released AS (
  SELECT * FROM claims WHERE measure = 'released' AND NOT subgroup),
to_arm AS (
  SELECT event_id, MIN(low) AS lo, MAX(high) AS hi FROM released
  WHERE held_by = 'AZE' AND nationality IN ('ARM', 'mixed') GROUP BY event_id),
to_aze AS (
  SELECT event_id, MIN(low) AS lo, MAX(high) AS hi FROM released
  WHERE held_by = 'ARM' AND nationality = 'AZE' GROUP BY event_id),
n AS (SELECT event_id, COUNT(*) AS n_sources FROM event_source_links GROUP BY event_id)
SELECT e.event_id, e.event_type, e.date_start AS date, e.date_end, e.date_precision, p.name_en AS place,
  to_arm.lo AS to_armenia_min, to_arm.hi AS to_armenia_max,
  to_aze.lo AS to_azerbaijan_min, to_aze.hi AS to_azerbaijan_max,
  COALESCE(n.n_sources, 0) AS n_sources, e.summary
FROM events e
LEFT JOIN places p ON p.place_id = e.place_id
LEFT JOIN to_arm ON to_arm.event_id = e.event_id
LEFT JOIN to_aze ON to_aze.event_id = e.event_id
LEFT JOIN n ON n.event_id = e.event_id
WHERE e.event_type IN ('release', 'exchange')"""),
}


def view_statements(source: ExportSource) -> list[str]:
    """CREATE VIEW statements for the derived views whose tables are all in the package."""
    names = set(source.package.names)
    return [sql.strip() for needed, sql in VIEWS.values() if set(needed) <= names]


def add_metadata_and_views(con: Any, source: ExportSource, dialect: Dialect) -> None:
    """Create and fill the metadata tables, then the views (a DB-API connection: sqlite3 or duckdb)."""
    for statement in create_meta_tables(dialect):
        con.execute(statement)
    for table, rows in metadata_rows(source).items():
        if rows:
            con.executemany(f"INSERT INTO {quote(table)} VALUES ({', '.join('?' for _ in rows[0])})", rows)
    for statement in view_statements(source):
        con.execute(statement)
