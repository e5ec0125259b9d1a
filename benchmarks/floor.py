"""The columnar floor: the same checks as ``amaz-detainees validate``, written directly in polars.

Why: a speed target needs a yardstick. This script is the plainest fast way we know to check what
our validator checks on a package (hashes, types, required, enums, ranges, patterns, lengths, keys,
references, the cross-table rules, the declared relations and the errata), using polars on both
cores and no per-row Python. It reports each problem as (table, row, field, check) and prints how
many it found, so ``run.py`` can confirm that both tools agree on the synthetic packages and on the
planted fault. It is a benchmark yardstick, not a second validator: the messages are terse.

Usage: ``python benchmarks/floor.py PACKAGE_DIR`` (exit 0 valid, 1 problems found).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

Problems = list[tuple[str, int | None, str | None, str]]
DATE_PREFIXES = ("date", "published", "claimed", "as_of", "agreement_date")
NEEDED_ENDS = {"day": (True, True), "about": (True, True), "month": (True, True), "year": (True, True),
               "range": (True, True), "after": (True, False), "before": (False, True), "unknown": (False, False)}
MEASURE_UNITS = {"released": ["persons"], "captured": ["persons"], "held": ["persons"],
                 "settlements_changed_control": ["settlements"], "sentence_length": ["years", "months"],
                 "visit_interval": ["weeks"], "release_delay": ["years"], "states_supporting": ["states"],
                 "group_members": ["states"], "held_unacknowledged": ["persons"], "missing": ["persons"],
                 "wounded": ["persons"], "sentenced": ["persons"], "remains_returned": ["persons"],
                 "mines_mapped": ["mines"], "messages_relayed": ["messages"]}
PERSON_FIELDS = ("population", "nationality", "held_by")
SEEN_AT_URL = ["seed", "verified", "verified_alt_url"]


def rows_where(frame: pl.DataFrame, condition: pl.Expr) -> list[int]:
    return frame.filter(condition.fill_null(False))["row"].to_list()


def typed(frame: pl.DataFrame, schema: dict[str, Any], table: str, problems: Problems) -> pl.DataFrame:
    """Cast every column to its type; a present cell that does not cast is a type problem."""
    casts = []
    for spec in schema["fields"]:
        name, kind = spec["name"], spec.get("type", "string")
        col = pl.col(name)
        if kind == "integer":
            cast = pl.when(col.str.contains(r"^[+-]?[0-9]+$")).then(col.str.strip_prefix("+")
                                                                      .cast(pl.Int64, strict=False))
        elif kind == "number":
            cast = col.cast(pl.Float64, strict=False)
        elif kind == "date":
            cast = pl.when(col.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")).then(
                col.str.to_date("%Y-%m-%d", strict=False))
        elif kind == "boolean":
            trues = spec.get("trueValues", ["true", "True", "TRUE", "1"])
            falses = spec.get("falseValues", ["false", "False", "FALSE", "0"])
            cast = pl.when(col.is_in(trues)).then(True).when(col.is_in(falses)).then(False)
        else:
            cast = col
        casts.append(cast.alias(name))
        if kind != "string":
            casts.append((col.is_not_null() & cast.is_null()).alias(f"__bad_{name}"))
    out = frame.select("row", *casts)
    for spec in schema["fields"]:
        if spec.get("type", "string") != "string":
            problems += [(table, r, spec["name"], "type") for r in rows_where(out, pl.col(f"__bad_{spec['name']}"))]
    return out.select("row", *[f["name"] for f in schema["fields"]])


def constraint_problems(frame: pl.DataFrame, schema: dict[str, Any], table: str) -> Problems:
    key = schema.get("primaryKey") or []
    key = [key] if isinstance(key, str) else key
    found: Problems = []
    checks: list[tuple[str, str, pl.Expr]] = []
    for spec in schema["fields"]:
        name, c = spec["name"], spec.get("constraints", {})
        col = pl.col(name)
        if c.get("required") or key == [name]:
            checks.append((name, "required", col.is_null()))
        if "enum" in c:
            checks.append((name, "enum", ~col.is_in(c["enum"])))
        if "minimum" in c:
            checks.append((name, "minimum", col < c["minimum"]))
        if "maximum" in c:
            checks.append((name, "maximum", col > c["maximum"]))
        if "pattern" in c:
            checks.append((name, "pattern", ~col.str.contains(f"^(?:{c['pattern']})$")))
        if "minLength" in c:
            checks.append((name, "minLength", col.str.len_chars() < c["minLength"]))
        if "maxLength" in c:
            checks.append((name, "maxLength", col.str.len_chars() > c["maxLength"]))
        if c.get("unique") or key == [name]:
            checks.append((name, "unique", col.is_not_null() & ~col.is_first_distinct()))
    flags = frame.select("row", *[expr.fill_null(False).alias(f"{i}") for i, (_, _, expr) in enumerate(checks)])
    hits = flags.filter(pl.any_horizontal(pl.exclude("row"))) if checks else flags.head(0)
    for i, (name, check, _) in enumerate(checks):
        found += [(table, r, name, check) for r in hits.filter(pl.col(f"{i}"))["row"].to_list()]
    if len(key) > 1:
        found += [(table, r, ", ".join(key), "primary-key")
                  for r in rows_where(frame, ~pl.struct(key).is_first_distinct())]
    return found


def reference_problems(tables: dict[str, pl.DataFrame], schemas: dict[str, dict]) -> Problems:
    found: Problems = []
    for name, schema in schemas.items():
        for fk in schema.get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            target = fk["reference"].get("resource") or name
            refs = fk["reference"]["fields"]
            refs = refs if isinstance(refs, list) else [refs]
            left = tables[name].select("row", *fields).drop_nulls(fields)
            if len(fields) == 1:  # the common case: one membership test, hashing the smaller side
                keys = tables[target][refs[0]].drop_nulls()
                if left.height * 4 < keys.len():
                    wanted = left[fields[0]].unique()
                    keys = keys.filter(keys.is_in(wanted.implode()))
                missing = left.filter(~pl.col(fields[0]).is_in(keys.implode()))
            else:
                right = tables[target].select(refs).unique().rename(dict(zip(refs, fields, strict=True)))
                missing = left.join(right, on=fields, how="anti")
            found += [(name, r, ", ".join(fields), "foreign-key") for r in missing["row"].to_list()]
    return found


def date_rules(tables: dict[str, pl.DataFrame]) -> Problems:
    found: Problems = []
    for table, frame in tables.items():
        for prefix in DATE_PREFIXES:
            start, end, precision = (pl.col(f"{prefix}_{x}") for x in ("start", "end", "precision"))
            if f"{prefix}_precision" not in frame.columns:
                continue
            need_start = precision.is_in([k for k, (s, _) in NEEDED_ENDS.items() if s])
            need_end = precision.is_in([k for k, (_, e) in NEEDED_ENDS.items() if e])
            month_ok = (start.dt.day() == 1) & (start.dt.month_end() == end)
            year_ok = (start.dt.ordinal_day() == 1) & (end.dt.month() == 12) & (end.dt.day() == 31) & (
                start.dt.year() == end.dt.year())
            bad = ((start > end)
                   | (start.is_not_null() != need_start) | (end.is_not_null() != need_end)
                   | (precision.is_in(["day", "about"]) & (start != end)) | ((precision == "range") & (start == end))
                   | ((precision == "month") & ~month_ok) | ((precision == "year") & ~year_ok))
            found += [(table, r, f"{prefix}_precision", "date-precision")
                      for r in rows_where(frame, precision.is_in(list(NEEDED_ENDS)) & bad)]
    return found


def count_rules(t: dict[str, pl.DataFrame]) -> Problems:
    counts, sources = t["counts"], t["sources"]
    v, lo, hi, q = (pl.col(c) for c in ("value", "value_low", "value_high", "qualifier"))
    found: Problems = []
    bounds = {"value_low": (lo > v) | ((q == "at_least") & ~(lo == v).fill_null(False)),
              "value_high": (hi < v) | ((q == "up_to") & ~(hi == v).fill_null(False)),
              "qualifier": (q == "exact") & (lo.is_not_null() | hi.is_not_null())}
    for field, expr in bounds.items():
        found += [("counts", r, field, "bounds") for r in rows_where(counts, expr)]
    pairs = [f"{m}\t{u}" for m, units in MEASURE_UNITS.items() for u in units]
    measure, unit = pl.col("measure"), pl.col("unit")
    judged = measure.is_in(list(MEASURE_UNITS)) & unit.is_not_null()
    found += [("counts", r, "unit", "unit")
              for r in rows_where(counts, judged & ~pl.concat_str([measure, unit], separator="\t").is_in(pairs))]
    for name in PERSON_FIELDS:
        found += [("counts", r, name, "unit")
                  for r in rows_where(counts, judged & ((unit == "persons") != pl.col(name).is_not_null()))]
    published = sources.select("source_id", "published_end").unique("source_id", keep="first")
    joined = counts.select("row", "source_id", "as_of_start").join(published, on="source_id", how="left")
    found += [("counts", r, "as_of_start", "as-of-after-publication")
              for r in rows_where(joined, pl.col("as_of_start") > pl.col("published_end"))]
    latest = pl.coalesce("as_of_end", "as_of_start")
    found += [("counts", r, "counted_from", "counted-from")
              for r in rows_where(counts, pl.col("counted_from") > latest)]
    return found


def link_rules(t: dict[str, pl.DataFrame]) -> Problems:
    found: Problems = []
    linked = t["event_sources"]["event_id"].unique().implode()
    found += [("events", r, "event_id", "unsourced")
              for r in rows_where(t["events"], ~pl.col("event_id").is_in(linked))]
    relays = t["source_relays"]
    found += [("source_relays", r, "relayed_source_id", "self-relay")
              for r in rows_where(relays, pl.col("source_id") == pl.col("relayed_source_id"))]
    no_url = pl.col("url").is_null()
    found += [("sources", r, "check_status", "no-url")
              for r in rows_where(t["sources"], no_url & pl.col("check_status").is_in(SEEN_AT_URL))]
    found += [("sources", r, "note", "no-url") for r in rows_where(t["sources"], no_url & pl.col("note").is_null())]
    # Only the events and counts that the small tables name are looked up (filter first, then join).
    naming = (("agreements", "event_id"), ("implementations", "event_id"), ("return_items", "event_id"))
    named_events = pl.concat([t[n][c] for n, c in naming]).drop_nulls().implode()
    named_counts = pl.concat([t["provisions"]["count_id"], t["return_items"]["count_id"]]).drop_nulls().implode()
    events = (t["events"].filter(pl.col("event_id").is_in(named_events))
              .select("event_id", "event_type", "date_start", "date_end").unique("event_id", keep="first"))
    counts = (t["counts"].filter(pl.col("count_id").is_in(named_counts))
              .select("count_id", "value", "source_id").unique("count_id", keep="first"))
    agreements = t["agreements"].join(events, on="event_id", how="left")
    found += [("agreements", r, "agreement_id", "no-provisions")
              for r in rows_where(agreements, ~pl.col("agreement_id").is_in(t["provisions"]["agreement_id"].implode()))]
    found += [("agreements", r, "agreement_date_start", "agreement-date")
              for r in rows_where(agreements, (pl.col("agreement_date_start") < pl.col("date_start"))
                                  | (pl.col("agreement_date_end") > pl.col("date_end")))]
    claims = (t["implementations"]
              .join(t["provisions"].select("provision_id", "agreement_id").unique("provision_id", keep="first"),
                    on="provision_id", how="left")
              .join(t["agreements"].select("agreement_id", "agreement_date_start").unique("agreement_id", keep="first"),
                    on="agreement_id", how="left")
              .join(events, on="event_id", how="left"))
    carried = pl.col("status").is_in(["carried_out", "partly_carried_out"])
    found += [("implementations", r, "event_id", "implementation")
              for r in rows_where(claims, (carried & pl.col("event_id").is_null())
                                  | (pl.coalesce("date_end", "date_start") < pl.col("agreement_date_start")))]
    p = t["provisions"].join(counts.select("count_id", pl.col("value").alias("count_value")), on="count_id", how="left")
    paired = pl.col("quantity").is_null() != pl.col("count_id").is_null()
    found += [("provisions", r, "count_id", "quantity") for r in rows_where(p, paired)]
    found += [("provisions", r, "quantity", "quantity")
              for r in rows_where(p, ~paired & (pl.col("count_value") != pl.col("quantity")))]
    items = (t["return_items"].join(events.select("event_id", "event_type"), on="event_id", how="left")
             .join(counts.select("count_id", pl.col("source_id").alias("count_source")), on="count_id", how="left"))
    found += [("return_items", r, "event_id", "return-item")
              for r in rows_where(items, ~pl.col("event_type").is_in(["release", "exchange"]))]
    found += [("return_items", r, "count_id", "return-item")
              for r in rows_where(items, pl.col("count_source") != pl.col("source_id"))]
    return found


def relation_problems(t: dict[str, pl.DataFrame]) -> Problems:
    named = t["count_relation_terms"]["count_id"].drop_nulls().implode()
    counts = (t["counts"].filter(pl.col("count_id").is_in(named)).select("count_id", "value", "unit", "source_id")
              .unique("count_id", keep="first"))
    terms = t["count_relation_terms"].join(counts, on="count_id", how="left")
    signed = pl.col("value") * pl.col("sign")
    sums = terms.group_by("relation_id").agg(
        lhs=signed.filter(pl.col("term_side") == "lhs").sum(), rhs=signed.filter(pl.col("term_side") == "rhs").sum(),
        sides=pl.col("term_side").n_unique(), units=pl.col("unit").n_unique(), sources=pl.col("source_id").n_unique())
    rel = t["count_relations"].join(sums, on="relation_id", how="left")
    op = pl.col("operator")
    holds = (((op == "eq") & (pl.col("lhs") == pl.col("rhs"))) | ((op == "le") & (pl.col("lhs") <= pl.col("rhs")))
             | ((op == "ge") & (pl.col("lhs") >= pl.col("rhs"))))
    actual = pl.when(pl.col("sources") == 1).then(pl.lit("within_source")).otherwise(pl.lit("across_sources"))
    bad = ((pl.col("sides") < 2) | (pl.col("units") > 1) | (pl.col("scope") != actual)
           | ((pl.col("scope") == "within_source") & ~holds))
    return [("count_relations", r, "relation_id", "relation") for r in rows_where(rel, bad)]


def errata_problems(t: dict[str, pl.DataFrame], schemas: dict[str, dict], version: str) -> Problems:
    """Small table: checked row by row, as any tool would."""
    found: Problems = []
    latest: dict[tuple[str, str, str], tuple[tuple[int, ...], int, str]] = {}
    for e in t["errata"].iter_rows(named=True):
        order = tuple(int(x) for x in e["version"].split("."))
        if order > tuple(int(x) for x in version.split(".")):
            found.append(("errata", e["row"], "version", "errata"))
        if e["table_name"] not in t:
            found.append(("errata", e["row"], "table_name", "errata"))
            continue
        key = schemas[e["table_name"]]["primaryKey"]
        key = [key] if isinstance(key, str) else key
        parts = e["row_key"].split("/") if len(key) > 1 else [e["row_key"]]
        match = t[e["table_name"]].filter(pl.all_horizontal(
            [pl.col(k).cast(pl.String) == v for k, v in zip(key, parts, strict=True)]))
        if e["change_type"] == "retraction":
            if match.height:
                found.append(("errata", e["row"], "row_key", "errata"))
        elif not match.height:
            found.append(("errata", e["row"], "row_key", "errata"))
        else:
            k = (e["table_name"], e["row_key"], e["field_name"])
            if k not in latest or (order, e["row"]) > latest[k][:2]:
                value = match[e["field_name"]][0]
                latest[k] = (order, e["row"], "" if value is None else str(value).lower()
                             if isinstance(value, bool) else str(value))
    for (_, _, _), (_, row, current) in latest.items():
        expected = t["errata"].filter(pl.col("row") == row)["new_value"][0] or ""
        if current != expected:
            found.append(("errata", row, "new_value", "errata"))
    return found


def check(root: Path) -> tuple[Problems, int]:
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    problems: Problems = []
    tables: dict[str, pl.DataFrame] = {}
    schemas: dict[str, dict] = {}
    for res in descriptor["resources"]:
        name = res["name"]
        schema = schemas[name] = json.loads((root / res["schema"]).read_text(encoding="utf-8"))
        data = (root / res["path"]).read_bytes()
        if res.get("bytes") != len(data) or res.get("hash") != "sha256:" + hashlib.sha256(data).hexdigest():
            problems.append((name, None, None, "hash"))
        frame = pl.read_csv(data, infer_schema=False).with_row_index("row", offset=2)
        del data
        missing = {f["name"] for f in schema["fields"]} ^ set(frame.columns[1:])
        problems += [(name, 1, m, "column") for m in sorted(missing)]
        frame = typed(frame, schema, name, problems)
        problems += constraint_problems(frame, schema, name)
        tables[name] = frame
    problems += reference_problems(tables, schemas)
    problems += date_rules(tables) + count_rules(tables) + link_rules(tables) + relation_problems(tables)
    problems += errata_problems(tables, schemas, descriptor["version"])
    return problems, sum(f.height for f in tables.values())


def main() -> int:
    problems, rows = check(Path(sys.argv[1]))
    print(f"floor: {len(problems)} problem(s) in {rows} rows")
    for p in problems[:20]:
        print("  ", p)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
