"""DuckDB: a database file with the same tables, keys, checks, comments, metadata tables and views."""

from __future__ import annotations

from graphlib import TopologicalSorter
from pathlib import Path
from typing import TYPE_CHECKING

from .arrow_types import to_arrow
from .source import ExportSource, require
from .sql import add_metadata, create_package_table, create_table, literal, quote, table_foreign_keys

if TYPE_CHECKING:  # duckdb is optional (the export extra) and imported only when writing
    from duckdb import DuckDBPyConnection


def creation_order(source: ExportSource) -> list[str]:
    """Referenced tables first: DuckDB checks a foreign key when the referencing table is created."""
    graph = {name: {fk.table for fk in table_foreign_keys(source, name) if fk.table != name}
             for name in source.package.names}
    return list(TopologicalSorter(graph).static_order())


def write(source: ExportSource, out: Path) -> list[Path]:
    duckdb = require("duckdb")
    target = out / f"{source.name}.duckdb"
    con: DuckDBPyConnection = duckdb.connect(str(target))
    try:
        for name in creation_order(source):
            # DuckDB enforces foreign keys row by row on insert and has no deferred checks, so a table's
            # reference to itself (actors.parent_actor_id) is described in meta_fields, not declared.
            con.execute(create_package_table(source, name, "duckdb", self_references=False))
            con.execute(f"COMMENT ON TABLE {quote(name)} IS "
                        f"{literal(source.package.resource(name).get('description', ''))}")
            for field in source.fields(name):
                con.execute(f"COMMENT ON COLUMN {quote(name)}.{quote(field['name'])} IS "
                            f"{literal(field.get('description', ''))}")
            con.register("staged_rows", to_arrow(source.frames[name], source.fields(name)))
            con.execute(f"INSERT INTO {quote(name)} SELECT * FROM staged_rows")
            con.unregister("staged_rows")
        for view in source.views:
            con.execute(create_table(view.name, view.fields, "duckdb"))
            con.execute(f"COMMENT ON TABLE {quote(view.name)} IS {literal(view.description)}")
            con.register("staged_rows", to_arrow(view.frame, view.fields))
            con.execute(f"INSERT INTO {quote(view.name)} SELECT * FROM staged_rows")
            con.unregister("staged_rows")
        add_metadata(con, source, "duckdb")
    finally:
        con.close()
    return [target]
