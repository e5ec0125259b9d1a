"""What each page shows, computed from the tables and views: one context per page, no text typed by hand.

Templates only lay these out. A figure is always a range over its sources; a source's own words
(titles, evidence, terms) are passed as such, for the templates to mark as the source's voice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..citation import FactCitation
from ..exports import ExportSource
from ..schema import primary_key

Cite = Callable[[str, str], FactCitation]
Row = dict[str, Any]


@dataclass(frozen=True)
class Page:
    """One HTML file: its path under the site root, its template and what the template shows."""

    path: str
    template: str
    context: dict[str, Any]


def records(frame: pd.DataFrame) -> list[Row]:
    """Rows as dicts with missing values as None (templates test ``is none``, never NaN)."""
    return [{str(k): (None if not isinstance(v, (list, tuple)) and pd.isna(v) else v) for k, v in r.items()}
            for r in frame.to_dict(orient="records")]


def clean(value: Any) -> Any:
    """A cell as the templates take it: None for a missing value."""
    return None if not isinstance(value, (list, tuple)) and pd.isna(value) else value


def citation(fact: FactCitation) -> dict[str, str]:
    return {"apa": fact.format("apa"), "bibtex": fact.format("bibtex")}


def value_range(low: Any, high: Any) -> str:
    if low is None or pd.isna(low):
        return "—"
    return f"{int(low):,}" if low == high else f"{int(low):,}–{int(high):,}"


class Pages:
    """Every page of the site, from one validated package and its views."""

    def __init__(self, source: ExportSource, views: dict[str, pd.DataFrame], cite: Cite) -> None:
        self.t = source.frames
        self.package = source.package
        self.views = views
        self.cite = cite
        self.actor = self.t["actors"].set_index("actor_id")["name"].astype("string")
        self.publisher = self.t["sources"].set_index("source_id")["publisher"].astype("string")
        release_ids = set(views["releases"]["event_id"])
        self.event_page = {e: f"releases/{e}.html" for e in release_ids}
        self.agreement_ids = set(self.t["agreements"]["agreement_id"])

    def all(self, extra: dict[str, Any]) -> Iterator[Page]:
        yield self.home(extra)
        yield self.releases_index()
        yield from self.release_pages()
        yield self.agreements_index()
        yield from self.agreement_pages()
        yield self.held(extra)
        yield self.sources_index()
        yield from self.source_pages()
        yield self.places()
        yield self.codebook()
        yield Page("downloads/index.html", "downloads.html", {"title": "Downloads", "downloads": extra["downloads"],
                                                               "tables": self.package.names})
        yield self.errata()
        yield self.changelog()

    # --- home -------------------------------------------------------------------------------------
    def home(self, extra: dict[str, Any]) -> Page:
        r = self.views["releases"]
        held = self.views["held"].dropna(subset=["as_of"])
        latest_day = held["as_of"].max()
        latest = held[held["as_of"] == latest_day]
        figures = [
            ("Releases and exchanges recorded", f"{len(r):,}",
             f"from {r['date'].min():%d %B %Y} to {r['date'].max():%d %B %Y}"),
            ("Persons handed over to Armenia", self._sum_range(r, "to_armenia"),
             "the sum over releases of the lowest and of the highest figure any source gives; "
             f"{int(r['to_armenia_max'].isna().sum())} releases have no figure that way"),
            ("Persons handed over to Azerbaijan", self._sum_range(r, "to_azerbaijan"),
             "the same sums for the other direction; "
             f"{int(r['to_azerbaijan_max'].isna().sum())} releases have no figure that way"),
            ("Latest figures of Armenians held in Azerbaijan",
             value_range(latest["value_low"].fillna(latest["value"]).min(),
                         latest["value_high"].fillna(latest["value"]).max()),
             f"as of {latest_day:%d %B %Y}, from {latest['source_id'].nunique()} source(s)"),
            ("Agreements", f"{len(self.t['agreements']):,}",
             f"with {len(self.t['provisions']):,} provisions and {len(self.t['implementations']):,} claims of "
             "what carried them out"),
            ("Sources", f"{len(self.t['sources']):,}",
             f"from {self.t['sources']['publisher'].nunique():,} publishers; "
             f"{len(self.t['source_checks']):,} re-reads logged"),
        ]
        d = self.package.descriptor
        return Page("index.html", "home.html", {"title": "Home", "description": d.get("description", ""),
                                                 "figures": figures, **extra})

    @staticmethod
    def _sum_range(r: pd.DataFrame, direction: str) -> str:
        known = r[r[f"{direction}_max"].notna()]
        return value_range(known[f"{direction}_min"].sum(), known[f"{direction}_max"].sum())

    # --- releases ---------------------------------------------------------------------------------
    def _agreement_titles(self) -> dict[str, str]:
        return dict(zip(self.t["agreements"]["agreement_id"], self.t["agreements"]["agreement_title"], strict=True))

    def releases_index(self) -> Page:
        titles = self._agreement_titles()
        rows = []
        for r in records(self.views["releases"]):
            directions = [d for d in ("armenia", "azerbaijan") if r[f"to_{d}_max"] is not None]
            rows.append({**r, "year": f"{r['date']:%Y}",
                         "direction": "both" if len(directions) == 2 else (directions[0] if directions else "none"),
                         "armenia": value_range(r["to_armenia_min"], r["to_armenia_max"]),
                         "azerbaijan": value_range(r["to_azerbaijan_min"], r["to_azerbaijan_max"]),
                         "mediator_list": (r["mediators"] or "").split("; ") if r["mediators"] else [],
                         "agreement_list": [(a, titles[a]) for a in (r["agreement_ids"] or "").split()]})
        filters = [  # (control name, row attribute, label, (value, text) options)
            ("year", "year", "Year", [(y, y) for y in sorted({row["year"] for row in rows})]),
            ("direction", "direction", "Direction",
             [("armenia", "to Armenia only"), ("azerbaijan", "to Azerbaijan only"), ("both", "both ways")]),
            ("mediator", "mediators", "Mediator",
             [(m, m) for m in sorted({m for row in rows for m in row["mediator_list"]})]),
            ("agreement", "agreements", "Agreement", sorted({a for row in rows for a in row["agreement_list"]})),
        ]
        return Page("releases/index.html", "releases.html", {"title": "Releases", "rows": rows, "filters": filters})

    def release_pages(self) -> Iterator[Page]:
        c = self.views["claims"]
        es = self.t["event_sources"]
        sources = self.t["sources"].set_index("source_id")
        places = self.t["places"].set_index("place_id")
        events = self.t["events"].set_index("event_id")
        titles = self._agreement_titles()
        impl = self.t["implementations"]
        provisions = self.t["provisions"].set_index("provision_id")
        for r in records(self.views["releases"]):
            event_id = r["event_id"]
            event = events.loc[event_id]
            place = None
            if clean(event["place_id"]) is not None:
                p = places.loc[event["place_id"]]
                place = {"en": clean(p["name_en"]), "am": clean(p["name_armenian_usage"]),
                         "az": clean(p["name_azerbaijani_usage"])}
            dates = []
            for d in records(es[es["event_id"] == event_id]):
                s = sources.loc[d["source_id"]]
                dates.append({**d, "publisher": clean(s["publisher"]), "side": clean(s["side"]),
                              "publisher_type": clean(s["publisher_type"])})
            claim_rows = records(c[c["event_id"] == event_id].sort_values(["measure", "count_id"]))
            for row in claim_rows:
                s = sources.loc[row["source_id"]]
                row["publisher_type"] = clean(s["publisher_type"])
                row["range"] = value_range(row["low"], row["high"])
            mine = impl[impl["event_id"] == event_id]
            deals = sorted({provisions.loc[p, "agreement_id"] for p in mine["provision_id"]})
            yield Page(f"releases/{event_id}.html", "release.html", {
                "title": f"Release of {r['date']:%d %B %Y}", "r": r, "place": place, "dates": dates,
                "claims": claim_rows, "agreements": [(a, titles[a]) for a in deals],
                "implementations": records(mine), "cite": citation(self.cite("events", event_id))})

    # --- agreements -------------------------------------------------------------------------------
    def agreements_index(self) -> Page:
        view = self.views["agreements"]
        rows = []
        for a in records(self.t["agreements"].sort_values(["agreement_date_start", "agreement_id"])):
            mine = view[view["agreement_id"] == a["agreement_id"]]
            rows.append({**a, "n_provisions": len(mine),
                         "n_sources": int(mine["n_sources"].max()) if len(mine) else 0,
                         "mediators": mine["mediators"].dropna().iloc[0] if mine["mediators"].notna().any() else None})
        return Page("agreements/index.html", "agreements.html", {"title": "Agreements", "rows": rows})

    def agreement_pages(self) -> Iterator[Page]:
        view = self.views["agreements"]
        parties, accounts = self.t["agreement_parties"], self.t["agreement_sources"]
        for a in records(self.t["agreements"]):
            aid = a["agreement_id"]
            role_rows = records(parties[parties["agreement_id"] == aid].sort_values(["party_role", "actor_id"]))
            for row in role_rows:
                row["actor"] = clean(self.actor.get(row["actor_id"]))
                row["publisher"] = clean(self.publisher.get(row["source_id"]))
            account_rows = records(accounts[accounts["agreement_id"] == aid].sort_values("source_id"))
            for row in account_rows:
                row["publisher"] = clean(self.publisher.get(row["source_id"]))
                actor = row["attributed_to_actor_id"]
                row["attributed"] = clean(self.actor.get(actor)) if actor else None
            provisions = records(view[view["agreement_id"] == aid])
            for row in provisions:
                row["events"] = [(e, self.event_page.get(e)) for e in (row["implemented_by"] or "").split()]
            text_publisher = clean(self.publisher.get(a["text_source_id"])) if a["text_source_id"] else None
            yield Page(f"agreements/{aid}.html", "agreement.html", {
                "title": a["agreement_title"], "a": a, "text_publisher": text_publisher, "roles": role_rows,
                "accounts": account_rows,
                "provisions": provisions, "event_link": self.event_page.get(a["event_id"]) if a["event_id"] else None,
                "cite": citation(self.cite("agreements", aid))})

    # --- held over time ---------------------------------------------------------------------------
    def held(self, extra: dict[str, Any]) -> Page:
        rows = records(self.views["held"])
        for row in rows:
            row["range"] = value_range(row["value_low"] if row["value_low"] is not None else row["value"],
                                       row["value_high"] if row["value_high"] is not None else row["value"])
            row["cite"] = citation(self.cite("counts", row["count_id"]))
        return Page("held/index.html", "held.html", {"title": "Held over time", "rows": rows,
                                                      "chart": extra["held_chart_page"]})

    # --- sources ----------------------------------------------------------------------------------
    def sources_index(self) -> Page:
        rows = records(self.t["sources"].sort_values(["publisher", "source_id"]))
        filters = [(key, key.replace("_", "-"), label,
                    [(v, v.replace("_", " ")) for v in sorted({str(r[key]) for r in rows if r[key] is not None})])
                   for key, label in (("side", "Side"), ("publisher_type", "Type"), ("language", "Language"),
                                      ("check_status", "Re-check"))]
        return Page("sources/index.html", "sources.html", {"title": "Sources", "rows": rows, "filters": filters})

    def _rows_by_source(self) -> dict[str, list[dict[str, Any]]]:
        """Source id -> every row of every table that names it, as (table, key, link, evidence) groups.

        Built in one pass over each table, so a page per source costs a lookup, not a scan of every table."""
        by_source: dict[str, list[dict[str, Any]]] = {}
        for name in self.package.names:
            frame = self.t[name]
            if name == "sources" or "source_id" not in frame.columns:
                continue
            key = primary_key(self.package.table_schema(name))
            grouped: dict[str, list[dict[str, Any]]] = {}
            for row in records(frame[frame["source_id"].notna()]):
                text = "/".join("" if row[k] is None else (f"{row[k]:%Y-%m-%d}" if isinstance(row[k], pd.Timestamp)
                                                           else str(row[k])) for k in key)
                link = None
                if row.get("event_id") in self.event_page:
                    link = self.event_page[row["event_id"]]
                elif row.get("agreement_id") in self.agreement_ids:
                    link = f"agreements/{row['agreement_id']}.html"
                grouped.setdefault(str(row["source_id"]), []).append(
                    {"key": text, "link": link, "evidence": row.get("evidence") or row.get("reason")})
            for source_id, items in grouped.items():
                by_source.setdefault(source_id, []).append({"table": name, "rows": items})
        return by_source

    def source_pages(self) -> Iterator[Page]:
        checks = self.t["source_checks"]
        relays = self.t["source_relays"]
        backed = self._rows_by_source()
        for s in records(self.t["sources"]):
            sid = s["source_id"]
            relayed = records(relays[relays["source_id"] == sid])
            for row in relayed:
                row["actor"] = self.actor.get(row["relayed_actor_id"]) if row["relayed_actor_id"] else None
            yield Page(f"sources/{sid}.html", "source.html", {
                "title": s["publisher"], "title_voice": "attributed", "s": s,
                "checks": records(checks[checks["source_id"] == sid]),
                "relays": relayed, "backed": backed.get(sid, []), "cite": citation(self.cite("sources", sid))})

    # --- reference pages --------------------------------------------------------------------------
    def places(self) -> Page:
        rows = records(self.t["places"].sort_values(["place_kind", "name_en"]))
        names = dict(zip(self.t["places"]["place_id"], self.t["places"]["name_en"], strict=True))
        for row in rows:
            row["parent"] = names.get(row["parent_place_id"]) if row["parent_place_id"] else None
        return Page("places/index.html", "places.html", {"title": "Places", "rows": rows})

    def codebook(self) -> Page:
        tables = []
        for name in self.package.names:
            schema = self.package.table_schema(name)
            tables.append({"name": name, "description": self.package.resource(name).get("description", ""),
                           "key": primary_key(schema), "fields": schema["fields"]})
        return Page("codebook/index.html", "codebook.html", {"title": "Codebook", "tables": tables})

    def errata(self) -> Page:
        rows = records(self.t["errata"].sort_values(["version", "erratum_id"], ascending=[False, True]))
        return Page("errata/index.html", "errata.html", {"title": "Errata", "rows": rows})

    def changelog(self) -> Page:
        from markdown_it import MarkdownIt

        path = self.package.root / "CHANGELOG.md"
        text = path.read_text(encoding="utf-8") if path.is_file() else "No changelog ships with this package."
        html = MarkdownIt("commonmark", {"html": False}).render(text)
        return Page("changelog/index.html", "changelog.html", {"title": "Changelog", "html": html})
