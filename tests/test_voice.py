"""Neutral wording and privacy: which fields speak for the dataset, and what the checks flag there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import amaz_detainees as ad
from amaz_detainees.checks import VOICES, loaded_terms, not_names, policy_rows

from .conftest import restamp
from .faults.corpus import FICTITIOUS_NAME
from .faults.planting import get_cell, row_where, set_cell


def string_fields() -> list[tuple[str, dict]]:
    return [(name, spec) for name in ad.tables() for spec in ad.table_schema(name)["fields"]]


def test_every_string_field_says_whose_words_it_holds() -> None:
    for table, spec in string_fields():
        if spec.get("type", "string") == "string":
            assert spec.get("voice") in VOICES, (table, spec["name"])
        else:
            assert "voice" not in spec, (table, spec["name"])


def test_each_loaded_term_matches_its_own_pattern_and_no_code_uses_one() -> None:
    patterns = [re.compile(rf"(?i)\b(?:{t.pattern})\b") for t in loaded_terms()]
    for term, pattern in zip(loaded_terms(), patterns, strict=True):
        assert pattern.search(term.term), term
        assert term.kind and term.used_by and term.dataset_wording, term
    codes = [str(v) for _, spec in string_fields() for v in spec.get("constraints", {}).get("enum", [])]
    assert [c for c in codes for p in patterns if p.search(c.replace("_", " "))] == []


def checks_at(root: Path, table: str, row: int, field: str) -> set[str]:
    return {p.check for p in ad.validate(root).problems if (p.table, p.row, p.field) == (table, row, field)}


# Each case validates a copy (about a second): the first quoted and the first bare one are the fast tier.
@pytest.mark.parametrize(("text", "flagged"), [
    ('Of the 23, 6 the NGO calls "prisoners of war".', False),
    pytest.param("Of the 23, 6 the NGO calls “POWs”.", False, marks=pytest.mark.slow),
    ("Of the 23, 6 are prisoners of war.", True),
    pytest.param("Armenia's 'hostages' count was 9.", False, marks=pytest.mark.slow),
    pytest.param("Armenia's hostages numbered 9.", True, marks=pytest.mark.slow),
    pytest.param("Handed over at the Hakari / Khakari bridge.", False, marks=pytest.mark.slow),
    pytest.param("Handed over near Shushi / Shusha.", False, marks=pytest.mark.slow),
    pytest.param("Handed over near Shusha.", True, marks=pytest.mark.slow),
    pytest.param("Held in Artsakh.", True, marks=pytest.mark.slow),
])
def test_loaded_terms_are_allowed_only_in_quotes_in_the_dataset_voice(package_copy: Path, text: str,
                                                                      flagged: bool) -> None:
    key = row_where(package_copy, "counts", "evidence", bool)
    row = set_cell(package_copy, "counts", key, "evidence", text)
    restamp(package_copy)
    assert ("neutral-voice" in checks_at(package_copy, "counts", row, "evidence")) is flagged


def test_attributed_fields_may_carry_a_sources_words(package_copy: Path) -> None:
    key = row_where(package_copy, "counts", "source_term", bool)
    row = set_cell(package_copy, "counts", key, "source_term", "prisoners of war in occupied Artsakh")
    restamp(package_copy)
    assert checks_at(package_copy, "counts", row, "source_term") == set()


def test_public_officials_may_be_named_and_others_not(package_copy: Path) -> None:
    key = row_where(package_copy, "event_sources", "evidence", bool)
    row = set_cell(package_copy, "event_sources", key, "evidence", "Pashinyan and Hikmet Hajiyev's office commented.")
    restamp(package_copy)
    assert "privacy" not in checks_at(package_copy, "event_sources", row, "evidence")
    set_cell(package_copy, "event_sources", key, "evidence", f"{FICTITIOUS_NAME} and Pashinyan commented.")
    restamp(package_copy)
    problems = [p for p in ad.validate(package_copy).problems if p.check == "privacy"]
    assert [(p.row, p.field) for p in problems] == [(row, "evidence")]
    assert "Fictionyan" in problems[0].message and "Pashinyan" not in problems[0].message


def test_urls_are_citations_not_text(package_copy: Path) -> None:
    key = row_where(package_copy, "sources", "url", bool)
    url = get_cell(package_copy, "sources", key, "url")
    set_cell(package_copy, "sources", key, "url", url.rstrip("/") + "/Fictionyan-returns")
    restamp(package_copy)
    assert not [p for p in ad.validate(package_copy).problems if p.check == "privacy"]


def test_every_word_that_is_not_a_name_says_why() -> None:
    rows = policy_rows("not_names.csv")
    assert rows and all(r["word"] and r["reason"] for r in rows)
    assert {r["word"] for r in rows} == not_names()
