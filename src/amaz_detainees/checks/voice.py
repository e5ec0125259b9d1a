"""Whose words a text field holds, and the two checks that follow: neutral wording and privacy.

Every string field of a Table Schema declares a ``voice``:

- ``dataset``: the editors' own words (summaries, evidence, notes). A loaded term (``policy/
  loaded_terms.csv``: the parties' labels for status, operations and places) may appear here only
  inside quotation marks, as a source's word; a place named in one side's usage only (``Shushi``)
  must be written as the place's ``name_en``, which carries both (``Shushi / Shusha``).
- ``attributed``: wording that belongs to a source or a party (``source_term``, titles, official
  names, each side's place names): loaded terms are allowed, since they are that source's.
- ``mirrored``: an exact copy of a value another field holds or held (``errata.old_value`` and
  ``new_value``): history is kept as it was, so only privacy is checked there.
- ``code``: identifiers, codes and URLs (citations), not prose: neither check reads them.

Privacy, in every voice but ``code``: a word that looks like a surname (a capitalised word ending in
-yan, -ov, -li and the like) must belong to the name of an actor (public officials are actors of kind
``person``), of a place, or to ``policy/not_names.csv``; anything else is flagged, because the people
a source names may be private detainees. ``actors.name`` is where public officials are named.

Both checks prefilter whole columns with one regular expression in pyarrow (RE2), so only the few
cells that might match are read in Python.

``text_problems`` applies the same two checks to free text that is no table cell (the site's pages and
templates), with a ``Vocabulary`` built once from the package (``Vocabulary.of_package``).
"""

from __future__ import annotations

import csv
import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..package import Package, PackageError
from ..read import ParsedTable, parse_table, true_where
from ..report import Problem
from .parallel import WORKERS

VOICES = ("dataset", "attributed", "mirrored", "code")
SURNAME_ENDINGS = ("yan", "ian", "yants", "unts", "ents", "ov", "ova", "ev", "eva", "li", "lı", "lu", "zade", "zada",
                   "shvili", "dze", "ян", "ов", "ова", "ев", "ева", "յան")
NAME_LIKE = re.compile(r"(?<![\w'’])([^\W\d_][\w'’-]*)")
NAME_PREFILTER = r"\p{Lu}[\p{L}'’-]*(?:" + "|".join(SURNAME_ENDINGS) + r")(?:[^\p{L}]|$)"
QUOTED_RE2 = r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|«[^»]*»"  # QUOTED without '…', which needs lookarounds
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|«[^»]*»|(?<!\w)'[^']*'(?!\w)")
PERSON_FIELD = ("actors", "name")


@dataclass(frozen=True)
class LoadedTerm:
    """One entry of the controlled list: a label one side (or a source) uses, and our wording."""

    term: str
    pattern: str
    kind: str
    used_by: str
    dataset_wording: str


def policy_rows(name: str) -> list[dict[str, str]]:
    policy = resources.files(__package__ or "amaz_detainees.checks").joinpath("policy", name)
    # Traversable.open promises no ``newline``: decode the bytes instead, keeping line endings for csv.
    return list(csv.DictReader(io.StringIO(policy.read_bytes().decode("utf-8"), newline="")))


@cache
def loaded_terms() -> tuple[LoadedTerm, ...]:
    """The controlled list of loaded terms (``policy/loaded_terms.csv``), as documented in the codebook."""
    return tuple(LoadedTerm(**row) for row in policy_rows("loaded_terms.csv"))


@cache
def not_names() -> frozenset[str]:
    """Words that look like surnames but name no private person (``policy/not_names.csv``)."""
    return frozenset(row["word"] for row in policy_rows("not_names.csv"))


def field_voices(package: Package) -> dict[tuple[str, str], str]:
    """(table, field) -> voice, for every string field that declares one."""
    voices = {}
    for name in package.names:
        try:
            fields = package.table_schema(name).get("fields", [])
        except (PackageError, KeyError):  # reported by the table checks
            continue
        for spec in fields if isinstance(fields, list) else []:
            if (isinstance(spec, dict) and isinstance(spec.get("name"), str) and spec.get("voice") in VOICES
                    and spec.get("type", "string") == "string"):
                voices[(name, spec["name"])] = spec["voice"]
    return voices


def _word_pattern(patterns: list[str]) -> str:
    return r"(?i)\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b"


@dataclass(frozen=True)
class Vocabulary:
    """What the checks need from the package itself: place names and the names of actors."""

    place_terms: dict[str, str]  # one side's name for a place -> the place's name_en
    names_en: tuple[str, ...]
    allowed_words: frozenset[str]

    @classmethod
    def of(cls, parsed: dict[str, ParsedTable]) -> Vocabulary:
        place_terms: dict[str, str] = {}
        names_en: list[str] = []
        words: set[str] = set(not_names())
        places = parsed.get("places")
        if places is not None:
            rows = pa.table({k: places.columns[k] for k in ("name_en", "name_armenian_usage",
                                                            "name_azerbaijani_usage") if k in places.columns})
            for row in rows.to_pylist():
                name_en = row.get("name_en") or ""
                names_en.append(name_en)
                usages = [u for u in (row.get("name_armenian_usage"), row.get("name_azerbaijani_usage")) if u]
                words.update(w for text in [name_en, *usages] for w in NAME_LIKE.findall(text))
                if len(set(usages)) == 2:
                    place_terms.update({u: name_en for u in usages if u != name_en and name_en})
        actors = parsed.get("actors")
        if actors is not None and "name" in actors.columns:
            for name in actors.columns["name"].to_pylist():
                words.update(NAME_LIKE.findall(name or ""))
        return cls(place_terms, tuple(n for n in names_en if n), frozenset(words))

    @classmethod
    def of_package(cls, package: Package) -> Vocabulary:
        """The vocabulary of a package on disk, read from its ``places`` and ``actors`` tables (for text that
        is not a table cell, such as the pages of the site; ``validate`` builds it from what it already read)."""
        return cls.of({name: parse_table(name, package.data_path(name), package.table_schema(name))
                       for name in ("places", "actors") if name in package.names})

    @cached_property
    def place_pattern(self) -> re.Pattern[str] | None:
        """One side's names for places (longest first), as whole words; None when no place has two."""
        if not self.place_terms:
            return None
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in sorted(self.place_terms, key=len,
                                                                                 reverse=True)) + r")(?!\w)")


@cache
def _term_patterns() -> tuple[re.Pattern[str], ...]:
    """One compiled pattern per loaded term, in the order of ``loaded_terms()``."""
    return tuple(re.compile(_word_pattern([t.pattern])) for t in loaded_terms())


def _candidates(column: pa.Array, pattern: str) -> np.ndarray:
    """Positions of the cells that may match ``pattern`` (a superset; RE2 in pyarrow)."""
    return np.flatnonzero(true_where(pc.match_substring_regex(column, pattern)))


def _masked(text: str, keep_out: tuple[str, ...]) -> str:
    """``text`` with quoted spans and the given names blanked (same length, so offsets stay)."""
    text = QUOTED.sub(lambda m: " " * len(m.group()), text)
    for name in keep_out:
        text = text.replace(name, " " * len(name))
    return text


def voice_problems(package: Package, parsed: dict[str, ParsedTable],
                   suspect: set[tuple[str, int, str]]) -> list[Problem]:
    """Loaded terms outside quotes and one-sided place names in the dataset's voice; surname-like
    words that belong to no listed actor or place, in any prose field."""
    voices = field_voices(package)
    vocabulary = Vocabulary.of(parsed)
    terms = loaded_terms()
    term_patterns = list(_term_patterns())
    place_pattern = vocabulary.place_pattern
    neutral_prefilter = r"\b(?i:" + "|".join(
        [f"(?:{t.pattern})" for t in terms] + [re.escape(p) for p in vocabulary.place_terms]) + r")\b"
    prefilters = {"dataset": f"{NAME_PREFILTER}|{neutral_prefilter}"}
    mask = "|".join([QUOTED_RE2, *(re.escape(n) for n in sorted(vocabulary.names_en, key=len, reverse=True))])
    checked = [(table, field, voice) for (table, field), voice in voices.items()
               if voice != "code" and table in parsed and field in parsed[table].columns]

    def candidates(item: tuple[str, str, str]) -> np.ndarray:
        """Cells that may hold a hit, found in pyarrow (RE2, releasing the GIL): quoted spans and
        places' name_en, which the exact checks ignore anyway, are blanked first."""
        table, field, voice = item
        column = pc.replace_substring_regex(parsed[table].columns[field], mask, " ")
        return _candidates(column, prefilters.get(voice, NAME_PREFILTER))

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        found = list(pool.map(candidates, checked))
    problems: list[Problem] = []
    for (table, field, voice), positions in zip(checked, found, strict=True):
        column = parsed[table].columns[field]
        for position in positions:
            where = (table, int(position) + 2, field)
            if where in suspect:
                continue
            text = column[int(position)].as_py() or ""
            if voice == "dataset":
                problems += _neutral_problems(where, text, terms, term_patterns, place_pattern, vocabulary)
            if (table, field) != PERSON_FIELD:
                problems += _name_problems(where, text, vocabulary)
    return problems


def _neutral_problems(where: tuple[str, int | None, str | None], text: str, terms: tuple[LoadedTerm, ...],
                      patterns: list[re.Pattern[str]], place_pattern: re.Pattern[str] | None,
                      vocabulary: Vocabulary) -> list[Problem]:
    masked = _masked(text, vocabulary.names_en)
    problems = []
    for term, pattern in zip(terms, patterns, strict=True):
        for match in pattern.finditer(masked):
            problems.append(Problem(*where, "neutral-voice",
                                    f"{text[match.start():match.end()]!r} is a loaded {term.kind} term (used by "
                                    f"{term.used_by}); in the dataset's own words write: {term.dataset_wording}; "
                                    "or quote it as the source's word"))
    if place_pattern is not None:
        for match in place_pattern.finditer(masked):
            name = match.group()
            problems.append(Problem(*where, "neutral-voice",
                                    f"{name!r} is one side's name for a place; write "
                                    f"{vocabulary.place_terms[name]!r} (places.name_en), or quote the source"))
    return problems


def _name_problems(where: tuple[str, int | None, str | None], text: str, vocabulary: Vocabulary) -> list[Problem]:
    problems = []
    for word in dict.fromkeys(NAME_LIKE.findall(text)):
        bare = word.rstrip("'’-").removesuffix("'s").removesuffix("’s")
        if (len(bare) >= 5 and bare[0].isupper() and bare.lower().endswith(SURNAME_ENDINGS)
                and bare not in vocabulary.allowed_words):
            problems.append(Problem(*where, "privacy",
                                    f"{bare!r} looks like a person's name; only public officials listed in actors "
                                    "(kind person) may be named (see PRIVACY.md)"))
    return problems


def text_problems(text: str, where: str, vocabulary: Vocabulary, voice: str = "dataset") -> list[Problem]:
    """The checks of ``voice_problems`` on free text (a page of the site, a template), located at ``where``.

    In the ``dataset`` voice: loaded terms outside quotes and one-sided place names (neutral-voice), and
    surname-like words that name no listed actor or place (privacy). ``attributed`` and ``mirrored`` text
    is checked for privacy only, ``code`` not at all. Build ``vocabulary`` once with
    ``Vocabulary.of_package``.
    """
    if voice not in VOICES:
        raise ValueError(f"unknown voice {voice!r}; choose one of {', '.join(VOICES)}")
    location = (where, None, None)
    problems: list[Problem] = []
    if voice == "dataset":
        problems += _neutral_problems(location, text, loaded_terms(), list(_term_patterns()),
                                      vocabulary.place_pattern, vocabulary)
    if voice != "code":
        problems += _name_problems(location, text, vocabulary)
    return problems
