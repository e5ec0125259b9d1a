"""Write a valid synthetic copy of the package with ``events`` and ``counts`` scaled to N rows each.

Why: the shipped data is small, but the validator must stay fast on packages people grow or build
themselves. The copy keeps every shipped row and file (``schemas/`` byte-identical, the same
descriptor structure) and adds synthetic events, counts and one event_sources link per new event.
The new rows obey every rule the validator checks (keys, references, date precision, bounds, units,
as-of before publication), carry hedged ranges and dates of every precision, and have Armenian and
Azerbaijani letters in their text. Nothing random escapes the seed, so a given N always gives the
same bytes.

``--plant duplicate-key`` copies the key of the first synthetic count into the count half-way down,
for checking that one fault is still found among a million rows.

Usage: ``python benchmarks/synth.py --rows 1000000 --out /tmp/synth-1m [--plant duplicate-key]``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FIRST_DAY = date(2020, 9, 27)
PRECISIONS = ["day", "month", "year", "range", "after", "before", "unknown"]
PRECISION_WEIGHTS = [0.45, 0.15, 0.05, 0.15, 0.08, 0.07, 0.05]
# (measure, unit) pairs the count-units rule allows.
MEASURE_UNITS = [("released", "persons"), ("captured", "persons"), ("held", "persons"), ("missing", "persons"),
                 ("held_unacknowledged", "persons"), ("remains_returned", "persons"),
                 ("settlements_changed_control", "settlements"), ("sentence_length", "years"),
                 ("sentence_length", "months"), ("visit_interval", "weeks"), ("states_supporting", "states"),
                 ("mines_mapped", "mines"), ("messages_relayed", "messages")]
QUALIFIERS = ["exact", "about", "at_least", "up_to", "range"]
POPULATIONS = ["servicemen", "civilians", "former_officials", "mixed", "unspecified"]
NATIONALITIES = ["ARM", "AZE", "mixed"]
HELD_BY = ["ARM", "AZE", "both"]
EVENT_TYPES = ["capture", "release", "exchange", "statement", "announcement", "sentencing", "monitoring_visit",
               "diplomatic_meeting", "transfer", "access_change", "disappearance", "evacuation"]
# Words a source might use; they go only in source_term, which attributes wording to the source.
SOURCE_TERMS = ["POWs", "detainees", "captives", "prisoners", "hostages", "saboteurs", "servicemen"]
# Place names in Armenian script and in Azerbaijani Latin letters, for realistic text (quoted: a source's spelling).
ARMENIAN_NAMES = ["Շուշի", "Հադրութ", "Ստեփանակերտ", "Երևան", "Գորիս", "Ջաբրայիլ"]
AZERBAIJANI_NAMES = ["Şuşa", "Hadrut", "Xankəndi", "Bakı", "Ağdam", "Cəbrayıl"]
SYNTHETIC_TABLES = ("events", "counts", "event_sources")


def read_table(name: str) -> tuple[list[str], list[list[str]]]:
    with (ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def iso(day: np.datetime64) -> str:
    return str(day)


def date_triples(rng: np.random.Generator, latest: np.ndarray) -> list[tuple[str, str, str]]:
    """(start, end, precision) triples, each consistent with its precision, with start <= ``latest``."""
    n = len(latest)
    back = rng.integers(0, 400, n)
    base = np.maximum(latest - back.astype("timedelta64[D]"), np.datetime64(FIRST_DAY))
    precision = rng.choice(len(PRECISIONS), n, p=PRECISION_WEIGHTS)
    span = rng.integers(1, 30, n).astype("timedelta64[D]")
    month_start = base.astype("datetime64[M]")
    month_end = (month_start + 1).astype("datetime64[D]") - 1
    year_start = base.astype("datetime64[Y]")
    year_end = (year_start + 1).astype("datetime64[D]") - 1
    triples = []
    for i in range(n):
        kind, day = PRECISIONS[precision[i]], base[i]
        if kind == "day":
            triples.append((iso(day), iso(day), kind))
        elif kind == "month":
            triples.append((iso(month_start[i].astype("datetime64[D]")), iso(month_end[i]), kind))
        elif kind == "year":
            triples.append((iso(year_start[i].astype("datetime64[D]")), iso(year_end[i]), kind))
        elif kind == "range":
            triples.append((iso(day - span[i]), iso(day), kind))
        elif kind == "after":
            triples.append((iso(day), "", kind))
        elif kind == "before":
            triples.append(("", iso(day), kind))
        else:
            triples.append(("", "", kind))
    return triples


def synthetic_events(rng: np.random.Generator, n: int, places: list[list[str]]) -> list[list[str]]:
    latest = np.full(n, np.datetime64("2026-06-30"))
    triples = date_triples(rng, latest)
    kinds = rng.integers(0, len(EVENT_TYPES), n)
    where = rng.integers(0, len(places), n)
    no_place = rng.random(n) < 0.2
    hy, az = rng.integers(0, len(ARMENIAN_NAMES), n), rng.integers(0, len(AZERBAIJANI_NAMES), n)
    rows = []
    for i in range(n):
        place = places[where[i]]
        place_names = place[1] or place[0]  # name_en, which carries both sides' names (neutral voice)
        summary = (f"Synthetic {EVENT_TYPES[kinds[i]].replace('_', ' ')} record {i} for benchmarking, near "
                   f"{place_names}; sources spell nearby places \"{ARMENIAN_NAMES[hy[i]]}\" and "
                   f"\"{AZERBAIJANI_NAMES[az[i]]}\". Not a real event.")
        start, end, precision = triples[i]
        rows.append([f"syn-ev-{i:07d}", EVENT_TYPES[kinds[i]], start, end, precision,
                     "" if no_place[i] else place[0], summary])
    return rows


def synthetic_links(rng: np.random.Generator, events: list[list[str]], source_ids: list[str]) -> list[list[str]]:
    """One event_sources row per synthetic event; the claimed dates are the event's own."""
    n = len(events)
    which = rng.integers(0, len(source_ids), n)
    para = rng.integers(1, 40, n)
    inferred = rng.random(n) < 0.2
    term = rng.integers(0, len(SOURCE_TERMS) * 4, n)
    rows = []
    for i, event in enumerate(events):
        source_term = SOURCE_TERMS[term[i]] if term[i] < len(SOURCE_TERMS) else ""
        rows.append([event[0], source_ids[which[i]], f"¶{para[i]}", event[2], event[3], event[4],
                     "true" if inferred[i] else "false", source_term,
                     f"Synthetic link {i}: the source reports the event in paragraph {para[i]}."])
    return rows


def synthetic_counts(rng: np.random.Generator, n: int, sources: list[list[str]], source_header: list[str],
                     event_ids: list[str], actor_ids: list[str]) -> list[list[str]]:
    pub_end = source_header.index("published_end")
    source_ids = [s[0] for s in sources]
    which = rng.integers(0, len(sources), n)
    latest = np.array([sources[w][pub_end] or "2026-06-30" for w in which], dtype="datetime64[D]")
    triples = date_triples(rng, latest)
    mu = rng.integers(0, len(MEASURE_UNITS), n)
    qual = rng.integers(0, len(QUALIFIERS), n)
    value = rng.integers(0, 5000, n)
    spread = rng.integers(1, 60, n)
    pop, nat, held = (rng.integers(0, len(x), n) for x in (POPULATIONS, NATIONALITIES, HELD_BY))
    event = rng.integers(0, len(event_ids), n)
    has_event, has_origin = rng.random(n) < 0.8, rng.random(n) < 0.05
    actor = rng.integers(0, len(actor_ids), n)
    has_actor = rng.random(n) < 0.5
    para = rng.integers(1, 40, n)
    counted_back = rng.integers(1, 900, n)
    has_counted = rng.random(n) < 0.1
    term = rng.integers(0, len(SOURCE_TERMS) * 4, n)
    flags = rng.random((n, 2)) < 0.2
    hy, az = rng.integers(0, len(ARMENIAN_NAMES), n), rng.integers(0, len(AZERBAIJANI_NAMES), n)
    rows = []
    for i in range(n):
        measure, unit = MEASURE_UNITS[mu[i]]
        persons = unit == "persons"
        q, v = QUALIFIERS[qual[i]], int(value[i])
        low = high = ""
        if q == "at_least":
            low = str(v)
        elif q == "up_to":
            high = str(v)
        elif q == "range":
            low, high = str(max(v - int(spread[i]), 0)), str(v + int(spread[i]))
        start, end, precision = triples[i]
        counted = ""
        if has_counted[i] and start:
            counted = iso(np.datetime64(start) - np.timedelta64(int(counted_back[i]), "D"))
        source_term = SOURCE_TERMS[term[i]] if term[i] < len(SOURCE_TERMS) else ""
        evidence = (f"Synthetic figure {i}: the source gives {v} ({q.replace('_', ' ')}) for "
                    f"{measure.replace('_', ' ')}, in a passage naming \"{ARMENIAN_NAMES[hy[i]]}\" / "
                    f"\"{AZERBAIJANI_NAMES[az[i]]}\". Not a real claim.")
        rows.append([
            f"syn-c-{i:07d}", source_ids[which[i]], f"¶{para[i]}", actor_ids[actor[i]] if has_actor[i] else "",
            event_ids[event[i]] if has_event[i] else "", event_ids[event[-1 - i]] if has_origin[i] else "",
            measure, unit, POPULATIONS[pop[i]] if persons else "", NATIONALITIES[nat[i]] if persons else "",
            HELD_BY[held[i]] if persons else "", "true" if flags[i, 0] else "false", str(v), q, low, high,
            start, end, precision, "true" if flags[i, 1] else "false", counted, source_term, evidence,
        ])
    return rows


def write_table(path: Path, header: list[str], rows: Iterator[list[str]] | list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def digest(path: Path) -> tuple[int, str]:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            sha.update(block)
    return path.stat().st_size, "sha256:" + sha.hexdigest()


def plant_duplicate_key(rows: list[list[str]]) -> int:
    """Give the count half-way down the key of the first synthetic count; its CSV row number."""
    middle = len(rows) // 2
    rows[middle][0] = rows[0][0]
    return middle


def build(rows: int, out: Path, plant: str | None = None) -> dict[str, int]:
    """Write the package to ``out``; returns the row count of every table (and the planted row, if any)."""
    if out.exists():
        shutil.rmtree(out)
    (out / "data").mkdir(parents=True)
    shutil.copytree(ROOT / "schemas", out / "schemas")
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    rng = np.random.default_rng(rows)
    tables = {res["name"]: read_table(res["name"]) for res in descriptor["resources"]}
    events, counts, links = (tables[n][1] for n in SYNTHETIC_TABLES)
    new_events = synthetic_events(rng, max(rows - len(events), 0), tables["places"][1])
    source_ids = [s[0] for s in tables["sources"][1]]
    event_ids = [e[0] for e in events] + [e[0] for e in new_events]
    actor_ids = [a[0] for a in tables["actors"][1]]
    new_counts = synthetic_counts(rng, max(rows - len(counts), 0), tables["sources"][1], tables["sources"][0],
                                  event_ids, actor_ids)
    scaled = {"events": events + new_events, "counts": counts + new_counts,
              "event_sources": links + synthetic_links(rng, new_events, source_ids)}
    sizes = {}
    planted = None
    if plant == "duplicate-key":
        planted = len(counts) + plant_duplicate_key(new_counts) + 2  # header is row 1
    elif plant is not None:
        raise SystemExit(f"unknown fault {plant!r}; known: duplicate-key")
    for res in descriptor["resources"]:
        name = res["name"]
        header, body = (tables[name][0], scaled[name]) if name in scaled else tables[name]
        path = out / res["path"]
        if name in scaled:
            write_table(path, header, body)
            res["expectations"] = {"minRows": len(body), "maxRows": len(body)}
        else:
            shutil.copyfile(ROOT / res["path"], path)
        res["bytes"], res["hash"] = digest(path)
        sizes[name] = len(body)
    (out / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    if planted is not None:
        sizes["planted_row"] = planted
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True, help="rows in events and in counts")
    parser.add_argument("--out", type=Path, required=True, help="directory to (re)create")
    parser.add_argument("--plant", choices=["duplicate-key"], help="plant one fault")
    args = parser.parse_args()
    sizes = build(args.rows, args.out, args.plant)
    total = sum(v for k, v in sizes.items() if k != "planted_row")
    csv_bytes = sum(p.stat().st_size for p in (args.out / "data").glob("*.csv"))
    print(f"wrote {args.out}: {total} rows in {len(sizes) - ('planted_row' in sizes)} tables, "
          f"{csv_bytes / 1e6:.1f} MB of CSV" + (f"; planted at counts row {sizes['planted_row']}"
                                                 if "planted_row" in sizes else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
