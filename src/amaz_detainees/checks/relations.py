"""Evaluate declared arithmetic between counts (``count_relations`` + ``count_relation_terms``).

A relation whose counts all come from one source must hold: if it does not, the source (or our
transcription of it) is inconsistent and validation fails. A relation across sources is evaluated
and reported, agreeing or not: disagreement between outlets is data, not an error.
"""

from __future__ import annotations

import operator
from typing import SupportsInt, cast

import pandas as pd

from ..report import Problem
from .rules import CARRIED_OUT, keyed

OPERATORS = {"eq": operator.eq, "le": operator.le, "ge": operator.ge}
SYMBOLS = {"eq": "=", "le": "≤", "ge": "≥"}
RESULT_COLUMNS = ["relation_id", "scope", "expression", "lhs", "rhs", "holds", "sources"]


def _expression(terms: pd.DataFrame, op: str) -> str:
    """The relation in figures, e.g. ``41 + 8 + 6 = 55``: on each side added terms come before
    subtracted ones, larger before smaller, so the text does not depend on the order of the rows."""
    def side(name: str) -> str:
        part = terms[terms["term_side"] == name].sort_values(["sign", "value", "count_id"],
                                                             ascending=[False, False, True])
        text = ""
        for i, (value, sign_value) in enumerate(zip(part["value"], part["sign"], strict=True)):
            sign = "−" if sign_value == -1 else "+"
            text += (f"{'-' if sign == '−' else ''}{value}" if i == 0 else f" {sign} {value}")
        return text
    return f"{side('lhs')} {SYMBOLS[op]} {side('rhs')}"


def evaluate(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, list[Problem]]:
    """One result row per relation, and the problems (broken within-source relations, bad declarations)."""
    needed = ("count_relations", "count_relation_terms", "counts")
    if not all(n in tables for n in needed):
        return pd.DataFrame(columns=RESULT_COLUMNS), []
    relations, terms, counts = (tables[n] for n in needed)
    facts = keyed(counts, "count_id", terms["count_id"])[["value", "unit", "source_id"]]
    terms = terms.join(facts, on="count_id").reset_index()
    results, problems = [], []
    by_relation = {rid: group for rid, group in terms.groupby("relation_id", sort=False, observed=True)}
    empty = terms.iloc[0:0]
    for row, rid, op, scope in zip(relations.index, relations["relation_id"], relations["operator"],
                                   relations["scope"], strict=True):
        mine = by_relation.get(rid, empty)
        if (mine[["value", "sign", "term_side", "source_id"]].isna().any().any() or pd.isna(op) or op not in OPERATORS
                or pd.isna(scope)):
            continue  # dangling, unparsable or unknown values are reported by the table checks
        if not {"lhs", "rhs"} <= set(mine["term_side"]):
            problems.append(Problem("count_relations", int(row), "relation_id", "relation",
                                    f"relation {rid!r} needs at least one lhs and one rhs term"))
            continue
        if mine["unit"].nunique() > 1:
            problems.append(Problem("count_relations", int(row), "relation_id", "relation",
                                    f"relation {rid!r} mixes units {sorted(mine['unit'].unique())}"))
            continue
        sources = sorted(mine["source_id"].unique())
        actual_scope = "within_source" if len(sources) == 1 else "across_sources"
        if scope != actual_scope:
            problems.append(Problem("count_relations", int(row), "scope", "relation",
                                    f"relation {rid!r} is declared {scope} but its counts come from "
                                    f"{len(sources)} source(s)"))
        signed = mine["value"].astype("int64") * mine["sign"].astype("int64")
        lhs = int(signed[mine["term_side"] == "lhs"].sum())
        rhs = int(signed[mine["term_side"] == "rhs"].sum())
        holds = bool(OPERATORS[op](lhs, rhs))
        expression = _expression(mine, op)
        results.append({"relation_id": rid, "scope": scope, "expression": expression, "lhs": lhs, "rhs": rhs,
                        "holds": holds, "sources": ", ".join(sources)})
        if not holds and scope == "within_source":
            problems.append(Problem("count_relations", int(row), "relation_id", "relation",
                                    f"relation {rid!r} does not hold within its source: {expression} "
                                    f"({lhs} vs {rhs})"))
    return pd.DataFrame(results, columns=RESULT_COLUMNS), problems


# Who hands people to whom: the counts that say persons went each way (whole groups only).
DIRECTIONS = {"to_armenia": ("AZE", ("ARM", "mixed")), "to_azerbaijan": ("ARM", ("AZE",))}
# The direction a release provision moves people in, by the party obliged to release.
PROVISION_DIRECTION = {"aze": ("to_armenia",), "arm": ("to_azerbaijan",)}
RELEASE_ACTIONS = ("release_persons", "exchange_persons", "return_strays")
PROVISION_COLUMNS = ["provision_id", "quantity", "events", "moved_min", "moved_max", "agrees"]


def carried_out_claims(implementations: pd.DataFrame) -> pd.DataFrame:
    """The claims that name an event which carried a provision out, in full or in part."""
    return implementations[implementations["status"].isin(CARRIED_OUT) & implementations["event_id"].notna()]


def persons_moved(counts: pd.DataFrame) -> pd.DataFrame:
    """Per event, the lowest and highest number of persons any source says went each way.

    Columns ``to_armenia_min/max`` and ``to_azerbaijan_min/max`` (nullable): a range across the claims,
    never one chosen figure. Only whole-group ``released`` counts attached to an event are used.
    """
    released = counts[counts["measure"].eq("released") & counts["subgroup"].eq(False) & counts["event_id"].notna()]
    low = released["value_low"].fillna(released["value"])
    high = released["value_high"].fillna(released["value"])
    out = pd.DataFrame(index=pd.Index(pd.unique(released["event_id"]), name="event_id"))
    for name, (held_by, nationality) in DIRECTIONS.items():
        mask = released["held_by"].eq(held_by) & released["nationality"].isin(nationality)
        out[f"{name}_min"] = low[mask].groupby(released.loc[mask, "event_id"], observed=True).min().astype("Int64")
        out[f"{name}_max"] = high[mask].groupby(released.loc[mask, "event_id"], observed=True).max().astype("Int64")
    return out


def compare_provisions(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each release provision with a quantity, against the persons its linked handovers moved.

    Reported, never failed (like a relation across sources): a deal for 15 carried out by handovers of
    14 or 16 is data. ``agrees`` is NA when no linked handover has a figure in that direction.
    """
    needed = ("provisions", "implementations", "counts")
    if not all(n in tables for n in needed):
        return pd.DataFrame(columns=PROVISION_COLUMNS)
    provisions, impl, counts = (tables[n] for n in needed)
    moved = persons_moved(counts)
    carried = carried_out_claims(impl)
    rows = []
    for p in provisions[provisions["action"].isin(RELEASE_ACTIONS) & provisions["quantity"].notna()].itertuples():
        events = sorted(set(carried.loc[carried["provision_id"] == p.provision_id, "event_id"]))
        ways = PROVISION_DIRECTION.get(str(p.obligated_actor_id), tuple(DIRECTIONS))
        quantity = int(cast(SupportsInt, p.quantity))  # an Int64 cell, filtered to present ones above
        low = high = 0
        known = False
        for event in (e for e in events if e in moved.index):
            for way in ways:
                least, most = moved[f"{way}_min"][event], moved[f"{way}_max"][event]
                if not pd.isna(least):
                    low += int(least)
                    high += int(most)
                    known = True
        rows.append({"provision_id": p.provision_id, "quantity": quantity, "events": " ".join(events),
                     "moved_min": low if known else pd.NA, "moved_max": high if known else pd.NA,
                     "agrees": (low <= quantity <= high) if known else pd.NA})
    return pd.DataFrame(rows, columns=PROVISION_COLUMNS)
