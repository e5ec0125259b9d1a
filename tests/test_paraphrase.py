"""The dataset's own words and the words it attributes paraphrase the founding documents: no run of eight or
more consecutive words of a seed reappears in the data (tests only: the seeds are not shipped).

The seeds live in the steering repository's ``shared/seeds/``, beside a checkout of this one. ``errata.old_value``
is left out: it records a published value as it was, including text that a correction replaced for this reason;
so is ``sources.title``, a document's own headline, kept as it stands because a citation needs it.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
RUN = 8
WORD = re.compile(r"[\w']+", re.UNICODE)
EXEMPT = {("errata", "old_value"), ("sources", "title")}


def shingles(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in WORD.findall(text)]
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def prose_fields() -> list[tuple[str, str]]:
    """(table, field) of every text field in the dataset's or an attributed voice."""
    found = []
    for schema in sorted((ROOT / "schemas").glob("*.schema.json")):
        table = schema.name.removesuffix(".schema.json")
        for spec in json.loads(schema.read_text(encoding="utf-8"))["fields"]:
            if spec.get("voice") in ("dataset", "attributed") and (table, spec["name"]) not in EXEMPT:
                found.append((table, spec["name"]))
    return found


def test_the_shingle_check_finds_a_copied_run() -> None:
    assert shingles("one two three four five six seven eight") & shingles("x one two three four five six seven eight y")
    assert not shingles("one two three four five six seven") & shingles("one two three four five six seven eight")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds (shared/seeds beside the checkout) are not here")
def test_no_value_copies_eight_words_of_a_seed() -> None:
    seeds = {path.name: shingles(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))}
    assert seeds, "no seed text found"
    copied = []
    for table, field in prose_fields():
        with (ROOT / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            for number, row in enumerate(csv.DictReader(fh), start=2):
                mine = shingles(row[field])
                copied += [(table, number, field, name) for name, theirs in seeds.items() if mine & theirs]
    assert copied == [], copied
