"""Rules that span fields or tables: what a Table Schema cannot say.

Each rule takes the typed tables (indexed by CSV row number) and returns the problems it finds,
naming table, row and field. A rule whose tables failed to load is skipped: their own problems are
already reported. The rules are listed, with their reasons, in CODEBOOK.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..read import true_where
from ..report import Problem, row_number

Tables = dict[str, pd.DataFrame]
Suspect = set[tuple[str, int, str]]
DATE_PREFIXES = ("date", "published", "claimed", "as_of", "agreement_date")

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
    return frame.drop(index=[r for r in bad if r in frame.index]) if bad else frame


def arrow(column: pd.Series) -> pa.Array | pa.ChunkedArray:
    """The Arrow data behind a column (no copy for the Arrow-backed text columns ``load`` gives)."""
    return pa.array(column.array)


def is_in(column: pd.Series, values: pd.Series | list[str]) -> np.ndarray:
    """``column.isin(values)`` as numpy booleans, in Arrow (pandas loops in Python for Arrow strings)."""
    data = arrow(column)
    value_set = arrow(values) if isinstance(values, pd.Series) else pa.array(values, type=data.type)
    if isinstance(value_set, pa.ChunkedArray):
        value_set = value_set.combine_chunks()
    found = pc.is_in(data, value_set=pc.drop_null(value_set).cast(data.type), skip_nulls=True)
    return true_where(found)


def keyed(frame: pd.DataFrame, key: str, wanted: pd.Series) -> pd.DataFrame:
    """The rows of ``frame`` whose ``key`` is among ``wanted``, first one per key, indexed by key.

    Rules on small tables look up rows of large ones; filtering first keeps that cheap at any size.
    """
    rows = frame[is_in(frame[key], wanted)]
    return rows.drop_duplicates(key).set_index(key)


def _flag(mask: pd.Series | np.ndarray, index: pd.Index) -> list[int]:
    """Row numbers where a (nullable) boolean mask is True."""
    values = np.asarray(pd.Series(mask, index=index).fillna(False), dtype=bool)
    return [int(r) for r in index[values]]


def date_precision(tables: Tables, suspect: Suspect) -> list[Problem]:
    """Every (start, end, precision) triple is consistent: precision fixes which ends are filled."""
    problems = []
    for table in tables:
        for prefix in DATE_PREFIXES:
            cols = f"{prefix}_start", f"{prefix}_end", f"{prefix}_precision"
            if not set(cols) <= set(tables[table].columns):
                continue
            frame = usable(tables, table, cols, suspect)
            for row, message in date_triple_errors(*(frame[c] for c in cols)):
                problems.append(Problem(table, row, cols[2], "date-precision", message))
    return problems


# Which ends a precision needs: (start, end).
NEEDED_ENDS = {"day": (True, True), "about": (True, True), "month": (True, True), "year": (True, True),
               "range": (True, True), "after": (True, False), "before": (False, True), "unknown": (False, False)}
ENDS_WORDS = {(True, True): "start and end", (True, False): "start only", (False, True): "end only",
              (False, False): "neither start nor end"}


def date_triple_errors(start: pd.Series, end: pd.Series, precision: pd.Series) -> list[tuple[int, str]]:
    """(row, message) for each inconsistent triple; the first failing test per row is reported.

    Columnar: each test is one comparison over the columns; only failing rows get a message.
    """
    index = start.index
    has_start, has_end = start.notna().to_numpy(), end.notna().to_numpy()
    codes = arrow(precision)
    is_ = {k: true_where(pc.equal(codes, k)) for k in NEEDED_ENDS}
    known = np.logical_or.reduce(list(is_.values()))
    need_start = np.logical_or.reduce([is_[k] for k, (s, _) in NEEDED_ENDS.items() if s])
    need_end = np.logical_or.reduce([is_[k] for k, (_, e) in NEEDED_ENDS.items() if e])
    first, last = start.to_numpy(), end.to_numpy()  # datetime64, NaT where missing (NaT compares False)
    both = has_start & has_end
    reversed_ = both & (first > last)
    wrong_ends = known & ~reversed_ & ((has_start != need_start) | (has_end != need_end))
    settled = reversed_ | wrong_ends | ~known
    same = both & (first == last)
    day_bad = ~settled & is_["day"] & ~same
    about_bad = ~settled & is_["about"] & ~same
    range_bad = ~settled & is_["range"] & same
    first_day, last_day = first.astype("datetime64[D]"), last.astype("datetime64[D]")
    month = first.astype("datetime64[M]")
    month_ok = (first_day == month.astype("datetime64[D]")) & (last_day == (month + 1).astype("datetime64[D]") - 1)
    month_bad = ~settled & is_["month"] & ~month_ok
    year = first.astype("datetime64[Y]")
    year_ok = (first_day == year.astype("datetime64[D]")) & (last_day == (year + 1).astype("datetime64[D]") - 1)
    year_bad = ~settled & is_["year"] & ~year_ok
    errors: list[tuple[int, str]] = []
    for i in np.flatnonzero(reversed_):
        errors.append((int(index[int(i)]), f"start {start.iloc[i]:%Y-%m-%d} is after end {end.iloc[i]:%Y-%m-%d}"))
    for i in np.flatnonzero(wrong_ends):
        p = str(precision.iloc[i])
        errors.append((int(index[int(i)]), f"precision {p!r} needs {ENDS_WORDS[NEEDED_ENDS[p]]}"))
    fixed = ((day_bad, "precision 'day' needs start == end"),
             (about_bad, "precision 'about' needs start == end (the day the source hedges around)"),
             (range_bad, "precision 'range' needs start before end (use 'day')"),
             (month_bad, "precision 'month' needs the first and last day of one month"),
             (year_bad, "precision 'year' needs 1 January to 31 December of one year"))
    for mask, message in fixed:
        errors += [(int(index[int(i)]), message) for i in np.flatnonzero(mask)]
    return sorted(errors)


def count_bounds(tables: Tables, suspect: Suspect) -> list[Problem]:
    """value_low <= value <= value_high, and the bounds fit the qualifier."""
    counts = usable(tables, "counts", ("value_low", "value", "value_high", "qualifier"), suspect)
    low, value, high, qual = counts["value_low"], counts["value"], counts["value_high"], counts["qualifier"]
    judged = value.notna() & qual.notna()
    tests: list[tuple[str, pd.Series, Callable[[int], str]]] = [
        ("value_low", judged & low.notna() & (low > value), lambda r: f"value_low {low[r]} is above value {value[r]}"),
        ("value_high", judged & high.notna() & (high < value),
         lambda r: f"value_high {high[r]} is below value {value[r]}"),
        ("qualifier", judged & (qual == "exact") & (low.notna() | high.notna()),
         lambda r: "an exact figure has no value_low/value_high"),
        ("value_low", judged & (qual == "at_least") & ~(low == value).fillna(False),
         lambda r: "'at_least' needs value_low == value"),
        ("value_high", judged & (qual == "up_to") & ~(high == value).fillna(False),
         lambda r: "'up_to' needs value_high == value"),
    ]
    found = [(row, order, field, message(row)) for order, (field, mask, message) in enumerate(tests)
             for row in _flag(mask, counts.index)]
    return [Problem("counts", row, field, "bounds", message) for row, _, field, message in sorted(found)]


def count_units(tables: Tables, suspect: Suspect) -> list[Problem]:
    """The unit fits the measure; person fields are filled exactly when people are counted."""
    counts = usable(tables, "counts", ("measure", "unit", *PERSON_FIELDS), suspect)
    measure, unit = counts["measure"], counts["unit"]
    judged = is_in(measure, list(MEASURE_UNITS)) & unit.notna().to_numpy()
    pairs = [f"{m}\t{u}" for m, units in MEASURE_UNITS.items() for u in units]
    codes = arrow(measure)
    joined = pc.binary_join_element_wise(codes, arrow(unit), pa.scalar("\t", type=codes.type))
    fits = true_where(pc.is_in(joined, value_set=pa.array(pairs, type=codes.type)))
    found = [(row, 0, "unit", f"measure {measure[row]!r} is counted in {sorted(MEASURE_UNITS[measure[row]])}, "
              f"not {unit[row]!r}") for row in _flag(judged & ~fits, counts.index)]
    persons = true_where(pc.equal(arrow(unit), "persons"))
    for order, name in enumerate(PERSON_FIELDS, start=1):
        filled = counts[name].notna().to_numpy()
        found += [(row, order, name, f"{name} is required when counting persons")
                  for row in _flag(judged & persons & ~filled, counts.index)]
        found += [(row, order, name, f"{name} applies only to persons")
                  for row in _flag(judged & ~persons & filled, counts.index)]
    return [Problem("counts", row, field, "unit", message) for row, _, field, message in sorted(found)]


def _latest(frame: pd.DataFrame, prefix: str) -> pd.Series:
    """Latest possible date of a (start, end, precision) triple; NaT when open-ended ('after', 'unknown')."""
    return frame[f"{prefix}_end"]


def as_of_not_after_publication(tables: Tables, suspect: Suspect) -> list[Problem]:
    """A figure cannot apply to a date after its source could have been published."""
    counts = usable(tables, "counts", ("source_id", "as_of_start"), suspect)
    sources = usable(tables, "sources", ("source_id", "published_start", "published_end"), suspect)
    where = pc.index_in(arrow(counts["source_id"]), value_set=pc.drop_null(arrow(sources["source_id"])))
    positions = pc.fill_null(where, -1).to_numpy(zero_copy_only=False)
    published = np.append(_latest(sources, "published").to_numpy()[sources["source_id"].notna().to_numpy()],
                          np.datetime64("NaT"))
    latest = pd.Series(published[positions], index=counts.index)  # position -1: no such source, NaT
    late = counts["as_of_start"].notna() & latest.notna() & (counts["as_of_start"] > latest)
    return [Problem("counts", row, "as_of_start", "as-of-after-publication",
                    f"as-of {counts['as_of_start'][row]:%Y-%m-%d} is after the source's latest publication "
                    f"date {latest[row]:%Y-%m-%d}") for row in _flag(late, counts.index)]


def events_have_sources(tables: Tables, suspect: Suspect) -> list[Problem]:
    """Every event is reported by at least one source (event_sources)."""
    events, links = tables["events"], tables["event_sources"]
    ids = events["event_id"]
    unsourced = ids.notna().to_numpy() & ~is_in(ids, links["event_id"])
    return [Problem("events", row, "event_id", "unsourced", f"event {ids[row]!r} has no row in event_sources")
            for row in _flag(unsourced, events.index)]


def agreements_consistent(tables: Tables, suspect: Suspect) -> list[Problem]:
    """An agreement has at least one provision, and its dates lie within those of the event it names."""
    agreements = usable(tables, "agreements", ("agreement_id", "agreement_date_start", "agreement_date_end",
                                               "event_id"), suspect)
    events, provisions = tables["events"], tables["provisions"]
    by_id = keyed(events, "event_id", agreements["event_id"])
    provided = set(provisions["agreement_id"])
    problems = []
    for row, a in agreements.iterrows():
        if a["agreement_id"] not in provided:
            problems.append(Problem("agreements", row_number(row), "agreement_id", "no-provisions",
                                    f"agreement {a['agreement_id']!r} has no provisions"))
        if pd.isna(a["event_id"]) or a["event_id"] not in by_id.index:
            continue
        e = by_id.loc[a["event_id"]]
        if (_before(a["agreement_date_start"], e["date_start"]) or _before(e["date_end"], a["agreement_date_end"])):
            problems.append(Problem("agreements", row_number(row), "agreement_date_start", "agreement-date",
                                    f"agreement dates are outside the dates of event {a['event_id']!r}"))
    return problems


def _before(first: Any, second: Any) -> bool:
    """``first < second`` where both dates are known (cells of a date column: a Timestamp, or NaT or None when
    unknown); an unknown end never conflicts."""
    return not pd.isna(first) and not pd.isna(second) and bool(first < second)


# Which implementation claims name the event that carried a provision out.
CARRIED_OUT = ("carried_out", "partly_carried_out")


def implementations_consistent(tables: Tables, suspect: Suspect) -> list[Problem]:
    """A claim that a provision was carried out names its event, which is not over before the agreement was
    reached; a provision's quantity equals the count it cites."""
    impl = usable(tables, "implementations", ("provision_id", "event_id", "status"), suspect)
    provisions = usable(tables, "provisions", ("agreement_id", "quantity", "count_id"), suspect)
    agreements = tables["agreements"].drop_duplicates("agreement_id").set_index("agreement_id")
    events = keyed(tables["events"], "event_id", impl["event_id"])
    agreement_of = provisions.drop_duplicates("provision_id").set_index("provision_id")["agreement_id"]
    problems = []
    for row, claim in impl.iterrows():
        row, event_id = row_number(row), claim["event_id"]
        if claim["status"] in CARRIED_OUT and pd.isna(event_id):
            problems.append(Problem("implementations", row, "event_id", "implementation",
                                    f"a {claim['status']!r} claim must name the event that carried it out"))
        agreement_id = agreement_of.get(claim["provision_id"])
        if pd.isna(event_id) or event_id not in events.index or agreement_id is None or pd.isna(agreement_id):
            continue
        agreed = agreements["agreement_date_start"].get(agreement_id)
        happened = events.loc[event_id, "date_end"]
        happened = events.loc[event_id, "date_start"] if pd.isna(happened) else happened
        if agreed is not None and _before(happened, agreed):
            problems.append(Problem("implementations", row, "event_id", "implementation",
                                    f"event {event_id!r} ({happened:%Y-%m-%d}) is over before its agreement "
                                    f"{agreement_id!r} ({agreed:%Y-%m-%d})"))
    count_value = keyed(tables["counts"], "count_id", provisions["count_id"])["value"]
    for row, p in provisions.iterrows():
        if pd.isna(p["quantity"]) != pd.isna(p["count_id"]):
            problems.append(Problem("provisions", row_number(row), "count_id", "quantity",
                                    "quantity and count_id are filled together or not at all"))
        elif (p["count_id"] in count_value.index and not pd.isna(count_value[p["count_id"]])
              and count_value[p["count_id"]] != p["quantity"]):
            problems.append(Problem("provisions", row_number(row), "quantity", "quantity",
                                    f"quantity {p['quantity']} differs from count {p['count_id']!r} "
                                    f"({count_value[p['count_id']]})"))
    return problems


def relays_not_self(tables: Tables, suspect: Suspect) -> list[Problem]:
    """A source does not relay itself."""
    relays = tables["source_relays"]
    same = relays["source_id"] == relays["relayed_source_id"]
    return [Problem("source_relays", row, "relayed_source_id", "self-relay", "a source cannot relay itself")
            for row in _flag(same, relays.index)]


def sources_without_url(tables: Tables, suspect: Suspect) -> list[Problem]:
    """A source with no address is never marked as seen (seed/verified) and says why in its note."""
    sources = usable(tables, "sources", ("url", "check_status", "note"), suspect)
    problems = []
    for row, s in sources[sources["url"].isna()].iterrows():
        if s["check_status"] in SEEN_AT_URL:
            problems.append(Problem("sources", row_number(row), "check_status", "no-url",
                                    f"a source without url cannot be {s['check_status']!r}"))
        if pd.isna(s["note"]):
            problems.append(Problem("sources", row_number(row), "note", "no-url",
                                    "a source without url needs a note saying why"))
    return problems


def checks_agree_with_status(tables: Tables, suspect: Suspect) -> list[Problem]:
    """A source's status says what its latest re-read found: not found then means ``not_found``, and a source
    that a re-read found is neither ``not_found`` nor ``not_checked``."""
    sources = usable(tables, "sources", ("source_id", "check_status"), suspect)
    checks = tables["source_checks"].dropna(subset=["source_id", "read_date", "result"])
    latest = checks.sort_values("read_date").drop_duplicates("source_id", keep="last").set_index("source_id")["result"]
    problems = []
    for row, s in sources[is_in(sources["source_id"], latest.index.to_series())].iterrows():
        found = latest[s["source_id"]] != "not_found"
        if found == (s["check_status"] in ("not_found", "not_checked")):
            problems.append(Problem("sources", row_number(row), "check_status", "source-check",
                                    f"the latest re-read ({latest[s['source_id']]}) does not agree with "
                                    f"check_status {s['check_status']!r}"))
    return problems


def counted_from_before_as_of(tables: Tables, suspect: Suspect) -> list[Problem]:
    """A running total counts from a date on or before its as-of date."""
    counts = usable(tables, "counts", ("counted_from", "as_of_start", "as_of_end"), suspect)
    latest = counts["as_of_end"].fillna(counts["as_of_start"])
    bad = counts["counted_from"].notna() & latest.notna() & (counts["counted_from"] > latest)
    return [Problem("counts", row, "counted_from", "counted-from", "counted_from is after the as-of date")
            for row in _flag(bad, counts.index)]


def return_items_consistent(tables: Tables, suspect: Suspect) -> list[Problem]:
    """An item given in return belongs to a release or exchange, and its sizing count is from the same source."""
    items = usable(tables, "return_items", ("event_id", "source_id", "count_id"), suspect)
    event_type = keyed(tables["events"], "event_id", items["event_id"])["event_type"]
    count_source = keyed(tables["counts"], "count_id", items["count_id"])["source_id"]
    problems = []
    for row, item in items.iterrows():
        kind = event_type.get(item["event_id"])
        if kind is not None and not pd.isna(kind) and kind not in ("release", "exchange"):
            problems.append(Problem("return_items", row_number(row), "event_id", "return-item",
                                    f"event {item['event_id']!r} is a {kind!r}, not a release or exchange"))
        sizing_source = count_source.get(item["count_id"]) if not pd.isna(item["count_id"]) else None
        if sizing_source is not None and not pd.isna(sizing_source) and sizing_source != item["source_id"]:
            problems.append(Problem("return_items", row_number(row), "count_id", "return-item",
                                    "the sizing count comes from another source"))
    return problems


RULES: dict[str, tuple[tuple[str, ...], Callable[[Tables, Suspect], list[Problem]]]] = {
    "date-precision": ((), date_precision),
    "count-bounds": (("counts",), count_bounds),
    "count-units": (("counts",), count_units),
    "as-of-after-publication": (("counts", "sources"), as_of_not_after_publication),
    "events-have-sources": (("events", "event_sources"), events_have_sources),
    "agreements": (("agreements", "events", "provisions"), agreements_consistent),
    "implementations": (("implementations", "provisions", "agreements", "events", "counts"),
                        implementations_consistent),
    "relays": (("source_relays",), relays_not_self),
    "no-url": (("sources",), sources_without_url),
    "source-checks": (("sources", "source_checks"), checks_agree_with_status),
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
