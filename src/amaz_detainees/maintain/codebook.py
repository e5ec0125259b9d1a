"""Generate CODEBOOK.md from datapackage.json and the Table Schemas (never edited by hand)."""

from __future__ import annotations

import json
from typing import Any

from ..checks import MEASURE_UNITS, RULES, SURNAME_ENDINGS, errata_problems, loaded_terms, policy_rows
from ..citation import ROUTES
from ..package import Package
from ..schema import foreign_keys, primary_key

HEADER = """# Codebook

Generated from `datapackage.json` and `schemas/*.schema.json` by `amaz-detainees codebook`;
do not edit by hand (a test fails when this file is stale).

## Conventions
- One row of `counts` is one source's figure for one quantity: a claim. Claims that disagree are kept
  side by side; nothing is averaged or deleted. `event_sources` does the same for dates.
- Dates come as `*_start`, `*_end` and `*_precision` (day, month, year, range, after, before, unknown).
- `locator` says where in a source a statement is: `title`, `dateline`, `¶N` (paragraphs counted from
  the first line of body text, blank lines separating them; a dateline is not counted) or `page`.
- `evidence` is always our paraphrase, never a quotation. A source's own wording, which may be loaded,
  is kept in `source_term` and attributed to that source; in our own words a loaded term appears only
  in quotation marks (see [Voice](#voice-neutral-wording-and-privacy)).
- Places carry the Armenian-usage and Azerbaijani-usage names; the dataset does not code sovereignty.
- Private detainees are never named. Some source URLs contain names in their slugs: cite them, do not
  display them.
- Identifiers are lower-case slugs and are never reused.
- Files are canonical (`amaz-detainees fmt`): UTF-8 without byte-order mark, LF line endings, rows
  sorted by primary key (text compared by code point), cells quoted only when they must be. The same
  data always gives the same bytes; `amaz-detainees info` prints the package's content digest.
- Figures that are ordinals or labels, not quantities (the "29th" session of the COP), are not counts.
"""


def _constraints(field: dict[str, Any], vocabularies: dict[str, str]) -> str:
    c = dict(field.get("constraints", {}))
    parts = ["required" if c.pop("required", False) else "optional"]
    if c.pop("enum", None) is not None:
        vocab = vocabularies[field["name"]]
        parts.append(f"one of [{vocab}](#vocabulary-{vocab})")
    parts += [k if v is True else f"{k} `{v}`" for k, v in c.items() if v is not False]
    if field.get("format", "default") != "default":
        parts.append(f"format `{field['format']}`")
    return ", ".join(parts)


def _cell(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _type(field: dict[str, Any]) -> str:
    return f"{field['type']} ({field['unit']})" if "unit" in field else field["type"]


def _table(package: Package, name: str, vocabularies: dict[str, str]) -> list[str]:
    schema = package.table_schema(name)
    resource = package.resource(name)
    lines = [f"## `{name}`", "", schema.get("description", resource.get("description", "")), ""]
    lines.append(f"- File: `{resource['path']}`; schema: `{resource['schema']}`")
    lines.append(f"- Primary key: {', '.join(f'`{k}`' for k in primary_key(schema))}")
    for fk in foreign_keys(schema, name):
        lines.append(f"- `{', '.join(fk.fields)}` → `{fk.table}.{', '.join(fk.reference_fields)}`")
    expect = resource.get("expectations", {})
    if expect:
        lines.append(f"- Rows expected: {expect.get('minRows', 0)} to {expect.get('maxRows', 'any')}")
    routes = [route.describe(name) for route in ROUTES.get(name, ())]
    if routes:
        lines.append(f"- Sources of a row (`cite --fact {name}:ID`): " + "; ".join(f"`{r}`" for r in routes))
    lines += ["", "| field | title | type (unit) | voice | constraints | description | example |",
              "|---|---|---|---|---|---|---|"]
    for field in schema["fields"]:
        example = f"`{_cell(field['example'])}`" if "example" in field else ""
        lines.append(f"| `{field['name']}` | {_cell(field.get('title', ''))} | {_type(field)} | "
                     f"{field.get('voice', '')} | {_cell(_constraints(field, vocabularies))} | "
                     f"{_cell(field['description'])} | {example} |")
    lines.append("")
    return lines


def vocabularies(package: Package) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Controlled vocabularies: fields with the same values and definitions share one, named by the
    fields' common suffix (``*_precision`` -> ``precision``) or by the field itself."""
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name in package.names:
        for field in package.table_schema(name)["fields"]:
            if "categories" in field:
                groups.setdefault(json.dumps(field["categories"], sort_keys=True), []).append((name, field))
    named: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for members in groups.values():
        names = sorted({f["name"] for _, f in members})
        suffix = "_".join(reversed(_common_words([n.split("_")[::-1] for n in names])))
        vocab = names[0] if len(names) == 1 or not suffix else suffix
        while vocab in named:
            vocab += "_"
        named[vocab] = members
    return dict(sorted(named.items()))


def _common_words(reversed_names: list[list[str]]) -> list[str]:
    common = []
    for words in zip(*reversed_names, strict=False):
        if len(set(words)) > 1:
            break
        common.append(words[0])
    return common


def _vocabulary_lines(vocabs: dict[str, list[tuple[str, dict[str, Any]]]]) -> list[str]:
    lines = ["## Controlled vocabularies", "",
             "Every coded field takes one value of a vocabulary; each value has a definition. Fields with the same "
             "values share a vocabulary.", ""]
    for vocab, members in vocabs.items():
        used = ", ".join(f"`{t}.{f['name']}`" for t, f in members)
        lines += [f"### Vocabulary `{vocab}`", "", f"Used by {used}.", "", "| value | definition |", "|---|---|"]
        lines += [f"| `{c['value']}` | {_cell(c['label'])} |" for c in members[0][1]["categories"]]
        lines.append("")
    return lines


VOICE_MEANINGS = {
    "dataset": "the editors' own words: loaded terms only inside quotation marks, places by their `name_en`",
    "attributed": "a source's or party's own wording (titles, official names, `source_term`, each side's place "
                  "names): loaded terms allowed",
    "mirrored": "an exact copy of a value another field holds or held (errata): kept as it was",
    "code": "identifiers, codes and URLs, not prose: URLs are citations, never displayed as text",
}


def _voice_lines() -> list[str]:
    lines = ["## Voice: neutral wording and privacy", "",
             "Every text field declares whose words it holds (`voice` in its Table Schema). "
             "`amaz-detainees validate` checks both rules below and reports each hit by table, row and field "
             "(checks `neutral-voice` and `privacy`).", ""]
    lines += [f"- `{v}`: {text}." for v, text in VOICE_MEANINGS.items()]
    lines += ["", "### Loaded terms", "",
              "The controlled list (`src/amaz_detainees/policy/loaded_terms.csv`; matched as whole words, any case). "
              "In `dataset` fields each may appear only inside quotation marks, as a source's word. A place named "
              "in one side's usage only (a `places` usage name that differs from the other side's) is flagged "
              "there too: write the place's `name_en`, which carries both names.", "",
              "| term | kind | used by | the dataset writes instead |", "|---|---|---|---|"]
    lines += [f"| {_cell(t.term)} | {t.kind} | {_cell(t.used_by)} | {_cell(t.dataset_wording)} |"
              for t in loaded_terms()]
    lines += ["", "Considered and not listed: *captive*, *detainee*, *prisoner*, *held* (descriptive words that "
              "all sides and neutral bodies use).", "", "### Names of people", "",
              "Only public officials, and people speaking publicly for an organisation, are named; each is an "
              "actor of kind `person`. In every field whose voice is not `code` (and is not `actors.name`), a "
              "capitalised word with a surname ending (" + ", ".join(f"-{e}" for e in SURNAME_ENDINGS)
              + ") must be part of the name of an actor or a place, or one of these words:", "",
              "| word | why it is not a private name |", "|---|---|"]
    lines += [f"| {_cell(r['word'])} | {_cell(r['reason'])} |" for r in policy_rows("not_names.csv")]
    lines += ["", "The check is a screen, not proof: it catches the surname forms common in this conflict's "
              "sources; editors read every new name (PRIVACY.md).", ""]
    return lines


def _views() -> list[str]:
    from .. import views

    lines = ["## Derived views", "", "Computed from the tables on demand (`amaz_detainees.views`, or "
             "`amaz-detainees show <view>`); nothing is stored in the package. The SQLite and DuckDB exports hold "
             "each as a table computed by the same code (its name with `_` for `-`, and `_view` added where a "
             "table has that name):", ""]
    for name, function in views.VIEWS.items():
        doc = (function.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        lines.append(f"- `{name}` (`{function.__name__}()`): {' '.join(doc.split())}")
    lines += ["", "## Reconciliation rules", "",
              "Claims are grouped into quantities by " + ", ".join(f"`{k}`" for k in views.QUANTITY_KEY)
              + " (`subgroup_population` is the population for a subgroup and `all` otherwise). "
              "`reconcile(rule)` or `amaz-detainees show claims --rule RULE`:", ""]
    lines += [f"- `{rule}`: {text}" for rule, text in views.RECONCILIATION_RULES.items()]
    lines.append("")
    return lines


def render(package: Package) -> str:
    """The whole codebook as Markdown."""
    d = package.descriptor
    vocabs = vocabularies(package)
    field_vocab = {f["name"]: v for v, members in vocabs.items() for _, f in members}
    lines = [HEADER, f"Data package `{d['name']}` version {d['version']}: {d['title']}.", ""]
    lines += ["## Tables", "", "| table | one row is |", "|---|---|"]
    lines += [f"| `{r['name']}` | {r.get('description', '')} |" for r in package.resources]
    lines.append("")
    for name in package.names:
        lines += _table(package, name, field_vocab)
    lines += _vocabulary_lines(vocabs)
    lines += ["## Rules beyond the Table Schemas", "",
              "Checked by `amaz-detainees validate` after types, constraints and keys:", ""]
    for key, (_, rule) in RULES.items():
        lines.append(f"- `{key}`: {(rule.__doc__ or '').strip()}")
    lines.append(f"- `errata`: {' '.join((errata_problems.__doc__ or '').split())}")
    lines.append("- `relation`: a declared relation whose counts all come from one source must hold; one across "
                 "sources is evaluated and reported (agreeing or not), never an error.")
    lines.append("- `hash` / `bytes`: every data file matches the sha256 and size recorded in datapackage.json.")
    lines.append("- `encoding`, `line-ending`, `delimiter`, `csv`, `blank-row`: each file is UTF-8 without "
                 "byte-order mark, its rows end alike, it is comma-separated and well quoted, with no blank line.")
    lines.append("- `neutral-voice`, `privacy`: see [Voice](#voice-neutral-wording-and-privacy).")
    lines.append("")
    lines += _voice_lines()
    lines += _views()
    lines.append("Measures and the units they are counted in: "
                 + "; ".join(f"`{m}` ({', '.join(sorted(u))})" for m, u in MEASURE_UNITS.items()) + ".")
    return "\n".join(lines).rstrip() + "\n"
