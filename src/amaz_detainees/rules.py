"""Rules that span fields or tables: what a Table Schema cannot say.

Each rule takes the typed tables (indexed by CSV row number) and returns the problems it finds,
naming table, row and field. A rule whose tables failed to load is skipped: their own problems are
already reported. The rules are listed, with their reasons, in CODEBOOK.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd

from .report import Problem

Tables = dict[str, pd.DataFrame]
Suspect = set[tuple[str, int, str]]
DATE_PREFIXES = ("date", "published", "claimed", "as_of")

# The units a measure may be counted in.
MEASURE_UNITS = {
    "released": {"persons"},
    "captured": {"persons"},
    "held": {"persons"},
    "settlements_changed_control": {"settlements"},
    "sentence_length": {"years", "months"},
    "visit_interval": {"weeks"},
    "release_delay": {"years"},
    "states_supporting": {"states"},
    "group_members": {"states"},
    "held_unacknowledged": {"persons"},
    "missing": {"persons"},
    "wounded": {"persons"},
    "sentenced": {"persons"},
    "remains_returned": {"persons"},
    "mines_mapped": {"mines"},
    "messages_relayed": {"messages"},
}
# Check statuses that claim someone saw the document at its address.
SEEN_AT_URL = {"seed", "verified", "verified_alt_url"}
PERSON_FIELDS = ("population", "nationality", "held_by")


def usable(tables: Tables, table: str, columns: tuple[str, ...], suspect: Suspect) -> pd.DataFrame:
    """Rows of ``table`` whose ``columns`` hold no cell already reported as broken."""
    frame = tables[table]
    bad = {row for (t, row, f) in suspect if t == table and f in columns}
    return frame.drop(index=[r for r in bad if r in frame.index])


def _rows(frame: pd.DataFrame, mask: pd.Series) -> Iterator[tuple[int, pd.Series]]:
    for row, values in frame[mask.fillna(False).astype(bool)].iterrows():
        yield int(row), values


def date_precision(tables: Tables, suspect: Suspect) -> list[Problem]:
    """Every (start, end, precision) triple is consistent: precision fixes which ends are filled."""
    problems = []
    for table in tables:
        for prefix in DATE_PREFIXES:
            cols = f"{prefix}_start", f"{prefix}_end", f"{prefix}_precision"
            if not set(cols) <= set(tables[table].columns):
                continue
            frame = usable(tables, table, cols, suspect)
            start, end, precision = (frame[c] for c in cols)
            for row in frame.index:
                msg = _date_triple_error(start[row], end[row], precision[row])
                if msg:
                    problems.append(Problem(table, int(row), cols[2], "date-precision", msg))
    return problems


def _date_triple_error(start: Any, end: Any, precision: Any) -> str | None:
    has_start, has_end = not pd.isna(start), not pd.isna(end)
    if pd.isna(precision):
        return None  # reported as a required/enum problem
    if has_start and has_end and start > end:
        return f"start {start:%Y-%m-%d} is after end {end:%Y-%m-%d}"
    expected = {"day": (True, True), "month": (True, True), "year": (True, True), "range": (True, True),
                "after": (True, False), "before": (False, True), "unknown": (False, False)}[precision]
    if (has_start, has_end) != expected:
        want = {(True, True): "start and end", (True, False): "start only", (False, True): "end only",
                (False, False): "neither start nor end"}[expected]
        return f"precision {precision!r} needs {want}"
    if precision == "day" and start != end:
        return "precision 'day' needs start == end"
    if precision == "range" and start == end:
        return "precision 'range' needs start before end (use 'day')"
    if precision == "month" and not (start.day == 1 and start.to_period("M") == end.to_period("M")
                                     and end == end + pd.offsets.MonthEnd(0)):
        return "precision 'month' needs the first and last day of one month"
    if precision == "year" and not (start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31
                                    and start.year == end.year):
        return "precision 'year' needs 1 January to 31 December of one year"
    return None


def count_bounds(tables: Tables, suspect: Suspect) -> list[Problem]:
    """value_low <= value <= value_high, and the bounds fit the qualifier."""
    counts = usable(tables, "counts", ("value_low", "value", "value_high", "qualifier"), suspect)
    problems = []
    low, value, high, qual = counts["value_low"], counts["value"], counts["value_high"], counts["qualifier"]
    for row in counts.index:
        v, lo, hi, q = value[row], low[row], high[row], qual[row]
        if pd.isna(v) or pd.isna(q):
            continue
        if not pd.isna(lo) and lo > v:
            problems.append(Problem("counts", int(row), "value_low", "bounds", f"value_low {lo} is above value {v}"))
        if not pd.isna(hi) and hi < v:
            problems.append(Problem("counts", int(row), "value_high", "bounds", f"value_high {hi} is below value {v}"))
        if q == "exact" and not (pd.isna(lo) and pd.isna(hi)):
            problems.append(Problem("counts", int(row), "qualifier", "bounds",
                                    "an exact figure has no value_low/value_high"))
        if q == "at_least" and lo != v:
            problems.append(Problem("counts", int(row), "value_low", "bounds", "'at_least' needs value_low == value"))
        if q == "up_to" and hi != v:
            problems.append(Problem("counts", int(row), "value_high", "bounds", "'up_to' needs value_high == value"))
    return problems


def count_units(tables: Tables, suspect: Suspect) -> list[Problem]:
    """The unit fits the measure; person fields are filled exactly when people are counted."""
    counts = usable(tables, "counts", ("measure", "unit", *PERSON_FIELDS), suspect)
    problems = []
    for row, c in counts.iterrows():
        if pd.isna(c["measure"]) or pd.isna(c["unit"]):
            continue
        allowed = MEASURE_UNITS.get(c["measure"])
        if allowed is None:
            continue  # an unknown measure is an enum problem, reported already
        if c["unit"] not in allowed:
            problems.append(Problem("counts", int(row), "unit", "unit",
                                    f"measure {c['measure']!r} is counted in {sorted(allowed)}, not {c['unit']!r}"))
        persons = c["unit"] == "persons"
        for name in PERSON_FIELDS:
            if persons and pd.isna(c[name]):
                problems.append(Problem("counts", int(row), name, "unit", f"{name} is required when counting persons"))
            if not persons and not pd.isna(c[name]):
                problems.append(Problem("counts", int(row), name, "unit", f"{name} applies only to persons"))
    return problems


def _latest(frame: pd.DataFrame, prefix: str) -> pd.Series:
    """Latest possible date of a (start, end, precision) triple; NaT when open-ended ('after', 'unknown')."""
    return frame[f"{prefix}_end"]


def as_of_not_after_publication(tables: Tables, suspect: Suspect) -> list[Problem]:
    """A figure cannot apply to a date after its source could have been published."""
    counts = usable(tables, "counts", ("source_id", "as_of_start"), suspect)
    sources = usable(tables, "sources", ("source_id", "published_start", "published_end"), suspect)
    published = _latest(sources, "published")
    published.index = sources["source_id"]
    published = published[~published.index.duplicated()]
    problems = []
    for row, c in counts.iterrows():
        pub = published.get(c["source_id"], pd.NaT)
        if pd.isna(pub) or pd.isna(c["as_of_start"]):
            continue
        if c["as_of_start"] > pub:
            problems.append(Problem("counts", int(row), "as_of_start", "as-of-after-publication",
                                    f"as-of {c['as_of_start']:%Y-%m-%d} is after the source's latest publication "
                                    f"date {pub:%Y-%m-%d}"))
    return problems


def events_have_sources(tables: Tables, suspect: Suspect) -> list[Problem]:
    """Every event is reported by at least one source (event_sources)."""
    events, links = tables["events"], tables["event_sources"]
    sourced = set(links["event_id"].dropna())
    return [Problem("events", int(row), "event_id", "unsourced", f"event {e!r} has no row in event_sources")
            for row, e in events["event_id"].items() if not pd.isna(e) and e not in sourced]


def agreements_consistent(tables: Tables, suspect: Suspect) -> list[Problem]:
    """An agreement's date lies within its event's dates, and it has at least one provision."""
    agreements = usable(tables, "agreements", ("agreement_id", "agreement_date", "event_id"), suspect)
    events, provisions = tables["events"], tables["provisions"]
    by_id = events.drop_duplicates("event_id").set_index("event_id")
    problems = []
    for row, a in agreements.iterrows():
        if a["agreement_id"] not in set(provisions["agreement_id"]):
            problems.append(Problem("agreements", int(row), "agreement_id", "no-provisions",
                                    f"agreement {a['agreement_id']!r} has no provisions"))
        if a["event_id"] not in by_id.index or pd.isna(a["agreement_date"]):
            continue
        e = by_id.loc[a["event_id"]]
        if (not pd.isna(e["date_start"]) and a["agreement_date"] < e["date_start"]) or (
                not pd.isna(e["date_end"]) and a["agreement_date"] > e["date_end"]):
            problems.append(Problem("agreements", int(row), "agreement_date", "agreement-date",
                                    f"agreement date is outside the dates of event {a['event_id']!r}"))
    return problems


def provisions_implemented(tables: Tables, suspect: Suspect) -> list[Problem]:
    """An implemented provision names an event on or after its agreement's date; quantity matches its count."""
    provisions = usable(tables, "provisions", ("agreement_id", "implementation_status", "implemented_by_event_id",
                                               "quantity", "count_id"), suspect)
    agreements = tables["agreements"]
    events, counts = tables["events"], tables["counts"]
    agreement_date = agreements.drop_duplicates("agreement_id").set_index("agreement_id")["agreement_date"]
    ev = events.drop_duplicates("event_id").set_index("event_id")
    count_value = counts.drop_duplicates("count_id").set_index("count_id")["value"]
    problems = []
    for row, p in provisions.iterrows():
        row = int(row)
        status, event_id = p["implementation_status"], p["implemented_by_event_id"]
        if status == "implemented" and pd.isna(event_id):
            problems.append(Problem("provisions", row, "implemented_by_event_id", "implementation",
                                    "an implemented provision must name the event that carried it out"))
        if status == "no_record" and not pd.isna(event_id):
            problems.append(Problem("provisions", row, "implemented_by_event_id", "implementation",
                                    "status 'no_record' but an implementing event is named"))
        if not pd.isna(event_id) and event_id in ev.index and p["agreement_id"] in agreement_date.index:
            first = ev.loc[event_id, "date_start"]
            first = ev.loc[event_id, "date_end"] if pd.isna(first) else first
            agreed = agreement_date[p["agreement_id"]]
            if not pd.isna(first) and not pd.isna(agreed) and first < agreed:
                problems.append(Problem("provisions", row, "implemented_by_event_id", "implementation",
                                        f"event {event_id!r} ({first:%Y-%m-%d}) precedes the agreement "
                                        f"({agreed:%Y-%m-%d})"))
        if pd.isna(p["quantity"]) != pd.isna(p["count_id"]):
            problems.append(Problem("provisions", row, "count_id", "quantity",
                                    "quantity and count_id are filled together or not at all"))
        elif p["count_id"] in count_value.index and count_value[p["count_id"]] != p["quantity"]:
            problems.append(Problem("provisions", row, "quantity", "quantity",
                                    f"quantity {p['quantity']} differs from count {p['count_id']!r} "
                                    f"({count_value[p['count_id']]})"))
    return problems


def relays_not_self(tables: Tables, suspect: Suspect) -> list[Problem]:
    """A source does not relay itself."""
    relays = tables["source_relays"]
    same = relays["source_id"] == relays["relayed_source_id"]
    return [Problem("source_relays", row, "relayed_source_id", "self-relay", "a source cannot relay itself")
            for row, _ in _rows(relays, same)]


def sources_without_url(tables: Tables, suspect: Suspect) -> list[Problem]:
    """A source with no address is never marked as seen (seed/verified) and says why in its note."""
    sources = usable(tables, "sources", ("url", "check_status", "note"), suspect)
    problems = []
    for row, s in sources[sources["url"].isna()].iterrows():
        if s["check_status"] in SEEN_AT_URL:
            problems.append(Problem("sources", int(row), "check_status", "no-url",
                                    f"a source without url cannot be {s['check_status']!r}"))
        if pd.isna(s["note"]):
            problems.append(Problem("sources", int(row), "note", "no-url",
                                    "a source without url needs a note saying why"))
    return problems


def counted_from_before_as_of(tables: Tables, suspect: Suspect) -> list[Problem]:
    """A running total counts from a date on or before its as-of date."""
    counts = usable(tables, "counts", ("counted_from", "as_of_start", "as_of_end"), suspect)
    latest = counts["as_of_end"].fillna(counts["as_of_start"])
    bad = counts["counted_from"].notna() & latest.notna() & (counts["counted_from"] > latest)
    return [Problem("counts", row, "counted_from", "counted-from", "counted_from is after the as-of date")
            for row, _ in _rows(counts, bad)]


def return_items_consistent(tables: Tables, suspect: Suspect) -> list[Problem]:
    """An item given in return belongs to a release or exchange, and its sizing count is from the same source."""
    items = usable(tables, "return_items", ("event_id", "source_id", "count_id"), suspect)
    event_type = tables["events"].drop_duplicates("event_id").set_index("event_id")["event_type"]
    count_source = tables["counts"].drop_duplicates("count_id").set_index("count_id")["source_id"]
    problems = []
    for row, item in items.iterrows():
        kind = event_type.get(item["event_id"])
        if kind is not None and kind not in ("release", "exchange"):
            problems.append(Problem("return_items", int(row), "event_id", "return-item",
                                    f"event {item['event_id']!r} is a {kind!r}, not a release or exchange"))
        if not pd.isna(item["count_id"]) and count_source.get(item["count_id"], item["source_id"]) != item["source_id"]:
            problems.append(Problem("return_items", int(row), "count_id", "return-item",
                                    "the sizing count comes from another source"))
    return problems


RULES: dict[str, tuple[tuple[str, ...], Callable[[Tables, Suspect], list[Problem]]]] = {
    "date-precision": ((), date_precision),
    "count-bounds": (("counts",), count_bounds),
    "count-units": (("counts",), count_units),
    "as-of-after-publication": (("counts", "sources"), as_of_not_after_publication),
    "events-have-sources": (("events", "event_sources"), events_have_sources),
    "agreements": (("agreements", "events", "provisions"), agreements_consistent),
    "provisions": (("provisions", "agreements", "events", "counts"), provisions_implemented),
    "relays": (("source_relays",), relays_not_self),
    "no-url": (("sources",), sources_without_url),
    "counted-from": (("counts",), counted_from_before_as_of),
    "return-items": (("return_items", "events", "counts"), return_items_consistent),
}


def check_rules(tables: Tables, suspect: Suspect | None = None) -> list[Problem]:
    """Run every rule whose tables are all available, skipping rows that read already-broken cells."""
    problems: list[Problem] = []
    for needed, rule in RULES.values():
        if all(name in tables for name in needed):
            problems.extend(rule(tables, suspect or set()))
    return problems
