"""Cite one row: the original sources behind it, with the dataset citation.

Each table has declared *routes* from a row to the ``sources`` it rests on. A route is a chain of
joins ending in a table that names a source; where that table has a ``locator``, it says where in the
source the statement is. The routes are listed in the codebook.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ..package import Package, open_package, shipped
from ..schema import RowKeyError, rows_with_key, split_key
from .dataset import dataset_cff, dataset_reference
from .formats import Format, PublicationDate, Reference, to_apa, to_bibtex, to_cff_reference, to_csl


@dataclass(frozen=True)
class Route:
    """From a row, follow ``joins`` (table, its field, field of the previous rows) to rows naming a source."""

    joins: tuple[tuple[str, str, str], ...]
    source_field: str = "source_id"

    def describe(self, table: str) -> str:
        if not self.joins:
            return f"{table}.{self.source_field}"
        steps = [table] + [f"{t}.{f}" for t, f, _ in self.joins]
        return " → ".join(steps) + f" → {self.joins[-1][0]}.{self.source_field}"


def _via(*joins: tuple[str, str, str], field: str = "source_id") -> Route:
    return Route(tuple(joins), field)


ROUTES: dict[str, tuple[Route, ...]] = {
    "sources": (_via(), _via(("source_relays", "source_id", "source_id"), field="relayed_source_id")),
    "source_relays": (_via(), _via(field="relayed_source_id")),
    "source_checks": (_via(),),
    "counts": (_via(),),
    "event_sources": (_via(),),
    "event_actors": (_via(),),
    "provisions": (_via(),),
    "return_items": (_via(),),
    "agreement_parties": (_via(),),
    "agreement_sources": (_via(),),
    "implementations": (_via(),),
    "errata": (_via(),),
    "events": (_via(("event_sources", "event_id", "event_id")),),
    "agreements": (_via(field="text_source_id"), _via(("agreement_parties", "agreement_id", "agreement_id")),
                   _via(("agreement_sources", "agreement_id", "agreement_id"))),
    "count_relations": (
        _via(("count_relation_terms", "relation_id", "relation_id"), ("counts", "count_id", "count_id")),
    ),
    "count_relation_terms": (_via(("counts", "count_id", "count_id")),),
    "actors": (
        _via(("event_actors", "actor_id", "actor_id")),
        _via(("counts", "attributed_to_actor_id", "actor_id")),
        _via(("source_relays", "relayed_actor_id", "actor_id")),
        _via(("agreement_parties", "actor_id", "actor_id")),
        _via(("return_items", "attributed_to_actor_id", "actor_id")),
        _via(("agreement_sources", "attributed_to_actor_id", "actor_id")),
        _via(("implementations", "attributed_to_actor_id", "actor_id")),
    ),
    "places": (
        _via(("events", "place_id", "place_id"), ("event_sources", "event_id", "event_id")),
        _via(("return_items", "place_id", "place_id")),
    ),
}

SOURCE_COLUMNS = ["source_id", "publisher", "title", "published", "url", "locator", "via", "check_status"]


class FactNotFound(KeyError):
    """The table or key given to ``cite_fact`` does not name a row."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class FactCitation:
    """The sources behind one row, and how to cite the dataset that records it."""

    table: str
    key: str
    row: dict[str, Any]
    sources: pd.DataFrame
    dataset: Reference
    references: tuple[Reference, ...]
    root: Path

    def __str__(self) -> str:
        lines = [f"{self.table} {self.key}", "", f"Original sources ({len(self.sources)}):"]
        for r in self.sources.itertuples(index=False):
            title = f'"{r.title}", ' if isinstance(r.title, str) and r.title else ""
            where = f" at {r.locator}" if isinstance(r.locator, str) and r.locator else ""
            url = r.url if isinstance(r.url, str) and r.url else "(no address recorded)"
            lines.append(f"- {r.publisher}, {title}{r.published}, {url}{where} [via {r.via}; {r.check_status}]")
        if self.sources.empty:
            lines.append("- none: this is a reference entry and no sourced row uses it")
        lines += ["", "Dataset:", to_apa(self.dataset)]
        return "\n".join(lines)

    def format(self, fmt: Format | Literal["text"] = "text") -> str:
        """``text`` (default), ``apa``, ``bibtex``, ``csl-json`` or ``cff``: the sources, then the dataset."""
        if fmt == "text":
            return str(self)
        refs = [*self.references, self.dataset]
        if fmt == "apa":
            return "\n".join(to_apa(r) for r in refs)
        if fmt == "bibtex":
            return "\n\n".join(to_bibtex(r) for r in refs)
        if fmt == "csl-json":
            return json.dumps([to_csl(r) for r in refs], indent=2, ensure_ascii=False)
        if fmt == "cff":
            return _cff_text(self)
        raise ValueError(f"unknown format {fmt!r}; choose text, apa, bibtex, csl-json or cff")


def _cff_text(fact: FactCitation) -> str:
    import yaml

    doc = dict(dataset_cff(fact.root))  # read only when CFF output is asked for
    doc["references"] = [to_cff_reference(r) for r in fact.references]
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def parse_fact(spec: str) -> tuple[str, str]:
    """Split ``TABLE:ID`` (composite keys joined with ``/`` in primary-key order)."""
    table, sep, key = spec.partition(":")
    if not sep or not table or not key:
        raise FactNotFound(f"expected TABLE:ID (e.g. counts:c-js-32), got {spec!r}")
    return table, key


def cite_fact(table: str, key: str, path: str | Path | None = None, *,
              tables: Mapping[str, pd.DataFrame] | None = None) -> FactCitation:
    """The original sources (publisher, title, date, URL, locator) behind one row, with the dataset citation.

    ``key`` is the row's primary key; for composite keys join the values with ``/`` in key order
    (``event_sources``: ``event_id/source_id/locator``). ``tables`` may hold frames already loaded from
    that package (as ``load`` gives them), so citing many facts reads each table once.

    >>> fact = cite_fact("counts", "c-js-32")
    >>> fact.sources["source_id"].tolist()
    ['menafn-azernews-joint-statement']
    """
    from ..loading import load

    package = shipped() if path is None else open_package(path)
    if table not in package.names:
        raise FactNotFound(f"no table named {table!r}; tables are: {', '.join(package.names)}")
    if table not in ROUTES:
        raise FactNotFound(f"table {table!r} has no declared route to its sources")
    frames: dict[str, pd.DataFrame] = dict(tables or {})

    def frame(name: str) -> pd.DataFrame:
        if name not in frames:
            frames[name] = load(name, path=path)
        return frames[name]

    row = _find_row(package, table, key, frame(table))
    found = [_follow(route, table, row, frame) for route in ROUTES[table]]
    links = pd.concat([f for f in found if not f.empty] or [pd.DataFrame(columns=["source_id", "locator", "via"])],
                      ignore_index=True).drop_duplicates()
    sources = frame("sources")
    merged = links.merge(sources, on="source_id", how="left", validate="many_to_one")
    merged["published"] = [
        _issued(r).text() for r in merged.itertuples(index=False)
    ] if len(merged) else pd.Series(dtype="string")
    table_out = merged.reindex(columns=SOURCE_COLUMNS).sort_values(["published", "source_id", "locator"],
                                                                   na_position="last").reset_index(drop=True)
    refs = tuple(_source_reference(r) for r in merged.drop_duplicates("source_id").itertuples(index=False))
    return FactCitation(table, key, row, table_out, dataset_reference(package.root), refs, package.root)


def _find_row(package: Package, table: str, key: str, frame: pd.DataFrame) -> dict[str, Any]:
    try:
        pairs = split_key(package, table, key)
    except RowKeyError as exc:
        raise FactNotFound(str(exc)) from exc
    hits = rows_with_key(frame, pairs)
    if hits.empty:
        raise FactNotFound(f"{table} has no row with {'/'.join(pairs)} = {key!r}")
    return {str(k): (None if pd.isna(v) else v) for k, v in hits.iloc[0].to_dict().items()}  # keys: field names


def _follow(route: Route, table: str, row: dict[str, Any], frame: Callable[[str], pd.DataFrame]) -> pd.DataFrame:
    current = pd.DataFrame([row])
    for next_table, next_field, previous_field in route.joins:
        values = set(current[previous_field].dropna().astype(str))
        rows = frame(next_table)
        current = rows[rows[next_field].astype("string").isin(values)]
    if current.empty:
        return pd.DataFrame(columns=["source_id", "locator", "via"])
    located = "locator" in current.columns and route.source_field == "source_id"
    out = pd.DataFrame({
        "source_id": current[route.source_field].astype("string").to_numpy(),
        "locator": current["locator"].astype("string").to_numpy() if located else pd.NA,
        "via": route.describe(table),
    })
    return out.dropna(subset=["source_id"])


def _issued(r: Any) -> PublicationDate:
    def day(value: Any) -> Any:
        return None if pd.isna(value) else pd.Timestamp(value).date()

    return PublicationDate(day(r.published_start), day(r.published_end), str(r.published_precision))


def _source_reference(r: Any) -> Reference:
    title = r.title if isinstance(r.title, str) and r.title else "[Title not recorded]"
    url = r.url if isinstance(r.url, str) and r.url else None
    note = "publication date inferred by the dataset editors" if bool(r.published_inferred) else None
    return Reference(key=str(r.source_id), title=title, author=str(r.publisher), issued=_issued(r),
                     kind=str(r.publisher_type), url=url, publisher=str(r.publisher), note=note)
