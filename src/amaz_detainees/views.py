"""Derived views: the releases, the agreements behind them, the number held over time, and claims reconciled
by a rule you choose.

Every view is computed from the tables at call time; nothing is stored. None of them picks a "true"
figure: ``releases`` and ``held_over_time`` show every claim's range, and ``reconcile`` applies the
rule you name (see ``RECONCILIATION_RULES``, also in the codebook).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pandas as pd

from .checks import carried_out_claims, persons_moved
from .loading import load

PathLike = str | Path | None
Rule = Literal["all", "min", "max", "by_side", "latest"]

RELEASE_TYPES = ("release", "exchange")
HELD_MEASURES = ("held", "held_unacknowledged")
# What makes two counts figures for the same quantity. A subgroup is also told apart by its population.
QUANTITY_KEY = ("event_id", "measure", "unit", "nationality", "held_by", "origin_event_id", "subgroup_population")
RECONCILIATION_RULES: dict[str, str] = {
    "all": "every claim, one row each, with its quantity key; nothing dropped (the default).",
    "min": "per quantity, the lowest figure any source gives (value_low where a source gives a range or bound).",
    "max": "per quantity, the highest figure any source gives (value_high where given; for 'at least' the stated "
           "bound, the highest figure actually claimed).",
    "by_side": "per quantity and claimant group (armenian_government, azerbaijani_government, "
               "nagorno_karabakh_authorities, third_party, joint, ngo, academic, media, other), the lowest and highest "
               "figure. The group is that of the actor the figure is attributed to; for a source's own figure, it is "
               "derived from the source (a government source by its side, an intergovernmental one as third_party, "
               "NGO, academic, and every news outlet or aggregator as media).",
    "latest": "per quantity, the claim(s) with the latest as-of date (the end of its range, or its start when "
              "open-ended; a figure with no as-of date counts at its source's latest publication date). Ties are "
              "all kept.",
}
# The tables each view reads: a view is available (in Python and in the SQL exports) when all of them are.
VIEW_TABLES: dict[str, tuple[str, ...]] = {
    "releases": ("events", "counts", "event_sources", "event_actors", "return_items", "actors", "places", "sources",
                 "implementations", "provisions"),
    "agreements": ("agreements", "agreement_parties", "agreement_sources", "provisions", "implementations", "events",
                   "actors", "sources"),
    "held-over-time": ("counts", "sources", "actors"),
    "claims": ("counts", "sources", "actors"),
}
_SOURCE_GROUP = {"intergovernmental": "third_party", "ngo": "ngo", "academic": "academic"}


def _load(path: PathLike, *names: str) -> dict[str, pd.DataFrame]:
    return {name: load(name, path=path) for name in names}


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string")


def _source_group(sources: pd.DataFrame) -> pd.Series:
    """Claimant group of a source speaking in its own voice."""
    kind, side = _text(sources["publisher_type"]), _text(sources["side"])
    group = kind.map(_SOURCE_GROUP).fillna("media")
    government = kind.eq("government")
    group[government & side.eq("armenian")] = "armenian_government"
    group[government & side.eq("azerbaijani")] = "azerbaijani_government"
    group[government & ~side.isin(["armenian", "azerbaijani"])] = "third_party"
    return group


def claims(path: PathLike = None, *, tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Every count with who claims it: source, publisher, attributed actor, claimant group and quantity key.

    >>> c = claims()
    >>> bool((c["low"] <= c["high"]).all())
    True
    """
    t = tables if tables is not None else _load(path, *VIEW_TABLES["claims"])
    counts, sources, actors = t["counts"], t["sources"], t["actors"]
    src = sources.set_index("source_id")
    src_group = _source_group(sources).set_axis(sources["source_id"])
    act = actors.set_index("actor_id")
    out = counts.copy()
    for column in ("measure", "unit", "population", "nationality", "held_by", "qualifier"):
        out[column] = _text(out[column])
    attributed = out["attributed_to_actor_id"]
    out["publisher"] = out["source_id"].map(src["publisher"]).astype("string")
    out["source_side"] = out["source_id"].map(_text(src["side"])).astype("string")
    out["published"] = out["source_id"].map(src["published_end"].fillna(src["published_start"]))
    out["attributed_to"] = attributed.map(act["name"]).astype("string")
    out["claimant_group"] = attributed.map(_text(act["claimant_group"])).fillna(
        out["source_id"].map(src_group)).astype("string")
    out["low"] = out["value_low"].fillna(out["value"])
    out["high"] = out["value_high"].fillna(out["value"])
    out["subgroup_population"] = out["population"].where(out["subgroup"], "all").fillna("all")
    key = out[list(QUANTITY_KEY)].astype("string").fillna("-")
    out["quantity"] = key.agg("|".join, axis=1)
    out["as_of_latest"] = out["as_of_end"].fillna(out["as_of_start"]).fillna(out["published"])
    return out.reset_index(drop=True)


def reconcile(rule: Rule = "all", *, path: PathLike = None, claims_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Apply one reconciliation rule (see ``RECONCILIATION_RULES``) to the claims.

    >>> lowest = reconcile("min")
    >>> int(lowest.loc[lowest["quantity"].str.startswith("ev-2020-12-14-exchange|released|persons|AZE"),
    ...                "value"].iloc[0])
    12
    """
    if rule not in RECONCILIATION_RULES:
        raise ValueError(f"unknown rule {rule!r}; choose one of {sorted(RECONCILIATION_RULES)}")
    c = claims(path) if claims_frame is None else claims_frame
    keys = ["quantity", *QUANTITY_KEY]
    if rule == "all":
        return c.sort_values(["quantity", "as_of_latest", "count_id"], na_position="last").reset_index(drop=True)
    if rule == "latest":
        newest = c.groupby("quantity", dropna=False)["as_of_latest"].transform("max")
        pick = c["as_of_latest"].eq(newest) | (newest.isna() & c["as_of_latest"].isna())
        return c[pick].sort_values(["quantity", "count_id"]).reset_index(drop=True)
    by = keys + (["claimant_group"] if rule == "by_side" else [])
    grouped = c.groupby(by, dropna=False, sort=True)
    out = grouped.agg(value_min=("low", "min"), value_max=("high", "max"), n_claims=("count_id", "size"),
                      source_ids=("source_id", lambda s: " ".join(sorted(set(s))))).reset_index()
    if rule == "min":
        out = out.drop(columns="value_max").rename(columns={"value_min": "value"})
    elif rule == "max":
        out = out.drop(columns="value_min").rename(columns={"value_max": "value"})
    return out


def _join(values: pd.Series) -> str | None:
    items = sorted({str(v) for v in values.dropna()})
    return "; ".join(items) if items else None


def _items_in_return(items: pd.DataFrame, counts: pd.DataFrame, who: pd.Series) -> pd.Series:
    """One text per event: each item, its size range and how each source links it to the release."""
    sizes = counts.set_index("count_id")
    texts: dict[str, str] = {}
    for event_id, rows in items.groupby("event_id", observed=True):
        parts = []
        for item, group in rows.groupby("item", sort=True):
            detail = []
            size = sizes.loc[group["count_id"].dropna()] if group["count_id"].notna().any() else None
            if size is not None and len(size):
                low = size["value_low"].fillna(size["value"]).min()
                high = size["value_high"].fillna(size["value"]).max()
                detail.append(f"{low:,}" if low == high else f"{low:,}-{high:,}")
                detail[-1] += f" {size['unit'].iloc[0]}"
            links = sorted({f"{str(claim).replace('_', ' ')} per {who[item_id]}"
                            for claim, item_id in zip(group["link_claim"], group["item_id"], strict=True)})
            detail.append(", ".join(links))
            parts.append(f"{item} ({'; '.join(detail)})")
        texts[str(event_id)] = "; ".join(parts)
    return pd.Series(texts, dtype="string")


def releases(path: PathLike = None) -> pd.DataFrame:
    """One row per release or exchange: persons each way (min and max across claims), items, mediators, sources.

    ``to_armenia_*`` counts people Azerbaijan handed over; ``to_azerbaijan_*`` Azerbaijanis Armenia handed over.
    Both are null where no source reports anyone going that way. Only whole-group figures count (subgroup false).
    ``agreement_ids``: the deals that at least one source says the release carried out (see ``agreements()``).

    >>> r = releases().set_index("event_id")
    >>> int(r.loc["ev-2023-12-13-handover", "to_armenia_max"])
    32
    """
    t = _load(path, *VIEW_TABLES["releases"])
    events = t["events"][t["events"]["event_type"].isin(RELEASE_TYPES)].copy()
    c = claims(tables=t)
    moved = persons_moved(t["counts"])
    actor_name = t["actors"].set_index("actor_id")["name"]
    source_publisher = t["sources"].set_index("source_id")["publisher"]
    links = t["event_actors"]
    mediators = links[links["role"].eq("mediator")].assign(name=lambda f: f["actor_id"].map(actor_name))
    items = t["return_items"]
    who = items.set_index("item_id")["attributed_to_actor_id"].map(actor_name).fillna(
        items.set_index("item_id")["source_id"].map(source_publisher))
    source_sets = pd.concat([frame[["event_id", "source_id"]] for frame in
                             (t["event_sources"], c[["event_id", "source_id"]], links, items)])
    source_sets = source_sets.dropna().drop_duplicates()
    ev = events["event_id"]
    out = pd.DataFrame({
        "event_id": ev.astype("string"),
        "event_type": events["event_type"].astype("string"),
        "date": events["date_start"], "date_end": events["date_end"],
        "date_precision": events["date_precision"].astype("string"),
        "place": events["place_id"].map(t["places"].set_index("place_id")["name_en"]).astype("string"),
        **{column: ev.map(moved[column]).astype("Int64") for column in
           ("to_armenia_min", "to_armenia_max", "to_azerbaijan_min", "to_azerbaijan_max")},
        "items_in_return": ev.map(_items_in_return(items, t["counts"], who)).astype("string"),
        "mediators": ev.map(mediators.groupby("event_id", observed=True)["name"].agg(_join)).astype("string"),
        "agreement_ids": ev.map(_agreements_by_event(t["implementations"], t["provisions"])).astype("string"),
        "n_sources": ev.map(source_sets.groupby("event_id", observed=True).size()).fillna(0).astype("Int64"),
        "source_ids": ev.map(source_sets.groupby("event_id", observed=True)["source_id"]
                             .agg(lambda s: " ".join(sorted(s)))).astype("string"),
        "summary": events["summary"].astype("string"),
    })
    return out.sort_values(["date", "event_id"]).reset_index(drop=True)


THIRD_PARTY_ROLES = ("host", "mediator", "facilitator")


def _agreements_by_event(impl: pd.DataFrame, provisions: pd.DataFrame) -> pd.Series:
    """Event id -> the agreement ids that some source says the event carried out (space-separated)."""
    carried = carried_out_claims(impl)
    agreement = carried["provision_id"].map(provisions.set_index("provision_id")["agreement_id"])
    return agreement.groupby(carried["event_id"], observed=True).agg(lambda s: " ".join(sorted(set(s))))


def agreements(path: PathLike = None) -> pd.DataFrame:
    """One row per provision: the deal, the commitment, what carried it out and who says so.

    ``implemented_by`` lists the events that at least one source says carried the provision out, with their
    dates in ``implementation_dates``; ``status_claims`` keeps every source's claim with its side (a claim
    that a clause is fulfilled and one that it is not are both shown). ``mediators`` names the hosts,
    mediators and facilitators the sources give; ``n_sources`` counts the documents behind the row.

    >>> a = agreements().set_index("provision_id")
    >>> a.loc["prov-2023-12-07-02-aze-release-32", "implemented_by"]
    'ev-2023-12-13-handover'
    """
    t = _load(path, *VIEW_TABLES["agreements"])
    deals, provisions, impl = t["agreements"], t["provisions"], t["implementations"]
    name = t["actors"].set_index("actor_id")["name"]
    src = t["sources"].set_index("source_id")
    event_date = t["events"].set_index("event_id")["date_start"]
    carried = carried_out_claims(impl)
    by_provision = carried.groupby("provision_id", observed=True)["event_id"]
    claim_text = (impl["status"].astype("string").str.replace("_", " ") + " ("
                  + impl["event_id"].astype("string").fillna("no event") + ") per "
                  + impl["attributed_to_actor_id"].map(name).fillna(impl["source_id"].map(src["publisher"]))
                  .astype("string") + " [" + impl["source_id"].map(src["side"]).astype("string") + "; "
                  + impl["source_id"].astype("string") + "]")
    parties = t["agreement_parties"]
    third = parties[parties["party_role"].isin(THIRD_PARTY_ROLES)]
    helpers = (third["actor_id"].map(name).astype("string") + " (" + third["party_role"].astype("string") + ")")
    deal_sources = pd.concat([
        deals[["agreement_id", "text_source_id"]].rename(columns={"text_source_id": "source_id"}),
        parties[["agreement_id", "source_id"]], t["agreement_sources"][["agreement_id", "source_id"]],
        provisions[["agreement_id", "source_id"]],
        carried.assign(agreement_id=carried["provision_id"].map(provisions.set_index("provision_id")["agreement_id"]))[
            ["agreement_id", "source_id"]],
    ]).dropna().drop_duplicates()
    deal = deals.set_index("agreement_id")
    pid, aid = provisions["provision_id"], provisions["agreement_id"]
    out = pd.DataFrame({
        "agreement_id": aid.astype("string"),
        "agreement_date": aid.map(deal["agreement_date_start"]),
        "agreement_date_precision": aid.map(deal["agreement_date_precision"]).astype("string"),
        "form": aid.map(deal["form"]).astype("string"),
        "agreement_title": aid.map(deal["agreement_title"]).astype("string"),
        "provision_id": pid.astype("string"),
        "seq": provisions["seq"],
        "action": provisions["action"].astype("string"),
        "quantity": provisions["quantity"],
        "obligated": provisions["obligated_actor_id"].map(name).astype("string"),
        "beneficiary": provisions["beneficiary_actor_id"].map(name).astype("string"),
        "object": provisions["object"].astype("string"),
        "implemented_by": pid.map(by_provision.agg(lambda s: " ".join(sorted(set(s))))).astype("string"),
        "implementation_dates": pid.map(by_provision.agg(
            lambda s: " ".join(sorted({f"{event_date[e]:%Y-%m-%d}" for e in s if not pd.isna(event_date.get(e))}))
        )).replace({"": pd.NA}).astype("string"),
        "status_claims": pid.map(claim_text.groupby(impl["provision_id"], observed=True).agg(_join)).astype("string"),
        "mediators": aid.map(helpers.groupby(third["agreement_id"], observed=True).agg(_join)).astype("string"),
        "n_sources": aid.map(deal_sources.groupby("agreement_id", observed=True).size()).fillna(0).astype("Int64"),
    })
    return out.sort_values(["agreement_date", "agreement_id", "seq"]).reset_index(drop=True)


def held_over_time(path: PathLike = None, measures: tuple[str, ...] = HELD_MEASURES) -> pd.DataFrame:
    """Reported numbers of Armenians held in Azerbaijan, one row per claim, by as-of date.

    ``measure`` tells acknowledged custody (``held``) from unofficial figures (``held_unacknowledged``).

    >>> h = held_over_time()
    >>> set(h["measure"]) == {"held", "held_unacknowledged"}
    True
    """
    c = claims(path)
    mask = c["measure"].isin(measures) & c["nationality"].eq("ARM") & c["held_by"].eq("AZE") & ~c["subgroup"]
    columns = ["as_of_start", "as_of_end", "as_of_precision", "measure", "value", "qualifier", "value_low",
               "value_high", "population", "source_id", "publisher", "attributed_to", "claimant_group", "count_id",
               "evidence"]
    out = c.loc[mask, columns].rename(columns={"as_of_start": "as_of"})
    return out.sort_values(["as_of", "source_id", "count_id"], na_position="last").reset_index(drop=True)


VIEWS: dict[str, Callable[..., pd.DataFrame]] = {
    "releases": releases,
    "agreements": agreements,
    "held-over-time": held_over_time,
    "claims": reconcile,
}


def view_tables(name: str) -> tuple[str, ...]:
    """The tables the view ``name`` (a key of ``VIEWS``) reads."""
    return VIEW_TABLES[name]
