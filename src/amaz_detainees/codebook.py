"""Generate CODEBOOK.md from datapackage.json and the Table Schemas (never edited by hand)."""

from __future__ import annotations

from typing import Any

from . import rules
from .package_files import Package

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
  is kept only in `source_term` and attributed to that source.
- Places carry the Armenian-usage and Azerbaijani-usage names; the dataset does not code sovereignty.
- Private detainees are never named. Some source URLs contain names in their slugs: cite them, do not
  display them.
- Identifiers are lower-case slugs and are never reused.
- Figures that are ordinals or labels, not quantities (the "29th" session of the COP), are not counts.
"""


def _constraints(field: dict[str, Any]) -> str:
    c = dict(field.get("constraints", {}))
    parts = ["required" if c.pop("required", False) else "optional"]
    c.pop("enum", None)
    parts += [k if v is True else f"{k} `{v}`" for k, v in c.items() if v is not False]
    if field.get("format", "default") != "default":
        parts.append(f"format `{field['format']}`")
    return ", ".join(parts)


def _table(package: Package, name: str) -> list[str]:
    schema = package.table_schema(name)
    resource = package.resource(name)
    lines = [f"## `{name}`", "", schema.get("description", resource.get("description", "")), ""]
    lines.append(f"- File: `{resource['path']}`; schema: `{resource['schema']}`")
    lines.append(f"- Primary key: {', '.join(f'`{k}`' for k in schema.get('primaryKey', []))}")
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        lines.append(f"- `{', '.join(fk['fields'])}` → `{ref.get('resource') or name}."
                     f"{', '.join(ref['fields'])}`")
    lines += ["", "| field | type | constraints | description |", "|---|---|---|---|"]
    for field in schema["fields"]:
        lines.append(f"| `{field['name']}` | {field['type']} | {_constraints(field)} | {field['description']} |")
    for field in schema["fields"]:
        if "categories" in field:
            lines += ["", f"**`{name}.{field['name']}`** values:", ""]
            lines += [f"- `{c['value']}`: {c['label']}" for c in field["categories"]]
    lines.append("")
    return lines


def _views() -> list[str]:
    from . import views

    lines = ["## Derived views", "", "Computed from the tables on demand (`amaz_detainees.views`, or "
             "`amaz-detainees show <view>`); nothing is stored:", ""]
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
    lines = [HEADER, f"Data package `{d['name']}` version {d['version']}: {d['title']}.", ""]
    lines += ["## Tables", "", "| table | one row is |", "|---|---|"]
    lines += [f"| `{r['name']}` | {r.get('description', '')} |" for r in package.resources]
    lines.append("")
    for name in package.names:
        lines += _table(package, name)
    lines += ["## Rules beyond the Table Schemas", "",
              "Checked by `amaz-detainees validate` after types, constraints and keys:", ""]
    for key, (_, rule) in rules.RULES.items():
        lines.append(f"- `{key}`: {(rule.__doc__ or '').strip()}")
    lines.append("- `relation`: a declared relation whose counts all come from one source must hold; one across "
                 "sources is evaluated and reported (agreeing or not), never an error.")
    lines.append("- `hash` / `bytes`: every data file matches the sha256 and size recorded in datapackage.json.")
    lines.append("")
    lines += _views()
    lines.append("Measures and the units they are counted in: "
                 + "; ".join(f"`{m}` ({', '.join(sorted(u))})" for m, u in rules.MEASURE_UNITS.items()) + ".")
    return "\n".join(lines).rstrip() + "\n"
