"""The planted faults: at least 40, across every table and every kind of rule.

Each entry plants one fault in a copy of the shipped package and returns where ``validate`` must
report it: (table, row, field, check). Only faults in a whole file or in the descriptor have no row;
the test enforces that. ``restamp`` records the planted file's new hash, so that only the fault
itself is wrong (the "tampered file" fault leaves the old hash, which is its point).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .planting import (
    Where,
    edit_bytes,
    edit_json,
    get_cell,
    key_at,
    line_count,
    read_rows,
    row_of,
    row_where,
    set_cell,
    write_rows,
)

FICTITIOUS_NAME = "Testo Fictionyan"  # an invented surname-shaped name; never a real person's
FILE_LEVEL = {"hash", "bytes", "descriptor", "schema"}  # the only checks that may lack a row


@dataclass(frozen=True)
class Fault:
    name: str
    kind: str  # the kind of rule it breaks
    plant: Callable[[Path], Where]
    restamp: bool = True
    exit_code: int = 1


def cell(table: str, field: str, value: str, check: str, row: int = 2) -> Callable[[Path], Where]:
    """Set ``field`` of CSV row ``row`` (by position: any row will do) to ``value``."""
    def plant(root: Path) -> Where:
        return (table, set_cell(root, table, key_at(root, table, row), field, value), field, check)
    return plant


def at_key(table: str, key: str, field: str, value: str, check: str,
           reported: tuple[str, str, str] | None = None) -> Callable[[Path], Where]:
    """Set one cell of the row with ``key``; the fault is reported there, or at ``reported``
    (table, key, field) when a rule names another row."""
    def plant(root: Path) -> Where:
        row = set_cell(root, table, key, field, value)
        if reported is None:
            return (table, row, field, check)
        other, other_key, other_field = reported
        return (other, row_of(root, other, other_key), other_field, check)
    return plant


def duplicate_key(root: Path) -> Where:
    first = key_at(root, "counts", 2)
    return ("counts", set_cell(root, "counts", key_at(root, "counts", 3), "count_id", first), "count_id", "unique")


def duplicate_composite_key(root: Path) -> Where:
    rows = read_rows(root, "event_actors")
    rows[2] = list(rows[1])
    write_rows(root, "event_actors", rows)
    return ("event_actors", 3, "event_id, actor_id, role, source_id", "primary-key")


def unsourced_event(root: Path) -> Where:
    rows = read_rows(root, "events")
    rows.append(["ev-9999-01-01-planted", *rows[1][1:]])
    write_rows(root, "events", rows)
    return ("events", len(rows), "event_id", "unsourced")


def self_relay(root: Path) -> Where:
    rows = read_rows(root, "source_relays")
    header = rows[0]
    number = next(i for i, r in enumerate(rows[1:], start=2) if r[header.index("relayed_source_id")])
    rows[number - 1][header.index("relayed_source_id")] = rows[number - 1][header.index("source_id")]
    write_rows(root, "source_relays", rows)
    return ("source_relays", number, "relayed_source_id", "self-relay")


def provision_quantity(root: Path) -> Where:
    key = row_where(root, "provisions", "count_id", bool)
    return ("provisions", set_cell(root, "provisions", key, "quantity", "999"), "quantity", "quantity")


def implemented_before_agreed(root: Path) -> Where:
    """A handover of 2020 claimed to carry out the joint statement of 7 Dec 2023."""
    key = row_where(root, "implementations", "provision_id", lambda v: v == "prov-2023-12-07-02-aze-release-32")
    return ("implementations", set_cell(root, "implementations", key, "event_id", "ev-2020-12-14-exchange"),
            "event_id", "implementation")


def carried_out_without_event(root: Path) -> Where:
    key = row_where(root, "implementations", "status", lambda v: v == "carried_out")
    return ("implementations", set_cell(root, "implementations", key, "event_id", ""), "event_id", "implementation")


def status_against_latest_check(root: Path) -> Where:
    """A source that the latest re-read did not find, still marked as seen at its address."""
    key = row_where(root, "source_checks", "result", lambda v: v == "not_found").split("/")[0]
    return ("sources", set_cell(root, "sources", key, "check_status", "verified"), "check_status", "source-check")


def date_precision(root: Path) -> Where:
    key = row_where(root, "events", "date_precision", lambda v: v == "month")
    return ("events", set_cell(root, "events", key, "date_precision", "day"), "date_precision", "date-precision")


def as_of_after_publication(root: Path) -> Where:
    row = set_cell(root, "counts", "c-ar-title-32", "as_of_start", "2024-01-01")
    set_cell(root, "counts", "c-ar-title-32", "as_of_end", "2024-01-01")
    return ("counts", row, "as_of_start", "as-of-after-publication")


def bounds(root: Path) -> Where:
    key = row_where(root, "counts", "value_high", bool)
    value = int(get_cell(root, "counts", key, "value"))
    return ("counts", set_cell(root, "counts", key, "value_high", str(value - 1)), "value_high", "bounds")


def retracted_key_in_use(root: Path) -> Where:
    key = "err-0-2-0-shushi-captures-date-end"
    row = set_cell(root, "errata", key, "change_type", "retraction")
    set_cell(root, "errata", key, "field_name", "")
    set_cell(root, "errata", key, "new_value", "")
    return ("errata", row, "row_key", "errata")


def drop_column(root: Path) -> Where:
    rows = read_rows(root, "places")
    write_rows(root, "places", [r[:-1] for r in rows])
    return ("places", 1, rows[0][-1], "missing-column")


def add_column(root: Path) -> Where:
    rows = read_rows(root, "provisions")
    write_rows(root, "provisions", [rows[0] + ["extra"]] + [[*r, "x"] for r in rows[1:]])
    return ("provisions", 1, "extra", "extra-column")


def extra_cell(root: Path) -> Where:
    rows = read_rows(root, "actors")
    rows[3].append("surplus")
    write_rows(root, "actors", rows)
    return ("actors", 4, rows[0][-1], "extra-cell")


def bom(root: Path) -> Where:
    edit_bytes(root, "places", lambda data: b"\xef\xbb\xbf" + data)
    return ("places", 1, "place_id", "encoding")


def crlf_mix(root: Path) -> Where:
    def change(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[4] += b"\r"  # the fifth line (row 5) alone ends with CRLF
        return b"\n".join(lines)
    edit_bytes(root, "events", change)
    return ("events", 5, read_rows(root, "events")[0][-1], "line-ending")


def stray_quote(root: Path) -> Where:
    rows = read_rows(root, "agreement_parties")
    edit_bytes(root, "agreement_parties", lambda data: data.replace(b"\n", b'\nx,"y"z,', 1))
    return ("agreement_parties", 2, rows[0][1], "csv")


def unclosed_quote(root: Path) -> Where:
    count = line_count(root, "count_relations")
    edit_bytes(root, "count_relations", lambda data: data + b'rel-x,eq,within_source,"never closed\n')
    return ("count_relations", count + 1, "relation_text", "csv")


def wrong_delimiter(root: Path) -> Where:
    rows = read_rows(root, "agreements")
    edit_bytes(root, "agreements", lambda data: data.replace(b",", b";"))
    return ("agreements", 1, rows[0][0], "delimiter")


def truncated(root: Path) -> Where:
    rows = read_rows(root, "count_relation_terms")
    edit_bytes(root, "count_relation_terms", lambda data: data[:-4])  # cuts the last row's sign cell
    return ("count_relation_terms", len(rows), "sign", "missing-cell")


def not_utf8(root: Path) -> Where:
    rows = read_rows(root, "actors")
    edit_bytes(root, "actors", lambda data: data.replace(b"\n", b"\n\xff", 2).replace(b"\n\xff", b"\n", 1))
    return ("actors", 3, rows[0][0], "encoding")


def blank_line(root: Path) -> Where:
    edit_bytes(root, "source_relays", lambda data: data.replace(b"\n", b"\n\n", 2).replace(b"\n\n", b"\n", 1))
    return ("source_relays", 3, read_rows(root, "source_relays")[0][0], "blank-row")


def tampered(root: Path) -> Where:
    set_cell(root, "sources", key_at(root, "sources", 2), "note", "edited after stamping")
    return ("sources", None, None, "hash")


def resource_without_path(root: Path) -> Where:
    def change(descriptor: dict) -> None:
        del descriptor["resources"][0]["path"]
    edit_json(root, "datapackage.json", change)
    return ("sources", None, "path", "descriptor")


def unreadable_descriptor(root: Path) -> Where:
    (root / "datapackage.json").write_text("{not json", encoding="utf-8")
    return ("datapackage.json", None, None, "descriptor")


def unknown_field_type(root: Path) -> Where:
    def change(schema: dict) -> None:
        schema["fields"][2]["type"] = "geopoint3d"
    edit_json(root, "schemas/events.schema.json", change)
    return ("events", None, "date_start", "schema")


def unknown_constraint(root: Path) -> Where:
    def change(schema: dict) -> None:
        schema["fields"][0]["constraints"]["exclusiveMaximum"] = 3
    edit_json(root, "schemas/return_items.schema.json", change)
    return ("return_items", None, "item_id", "schema")


def retyped_field(root: Path) -> Where:
    def change(schema: dict) -> None:
        del schema["fields"][3]["type"]  # claimed_start: still a legal schema (the type defaults to string)
    edit_json(root, "schemas/event_sources.schema.json", change)
    return ("event_sources", None, "claimed_start", "schema")


def dropped_field(root: Path) -> Where:
    def change(schema: dict) -> None:
        schema["fields"] = [f for f in schema["fields"] if f["name"] != "scope"]
    edit_json(root, "schemas/count_relations.schema.json", change)
    rows = read_rows(root, "count_relations")
    write_rows(root, "count_relations", [[v for h, v in zip(rows[0], r, strict=True) if h != "scope"] for r in rows])
    return ("count_relations", None, "scope", "schema")


def resource_without_schema(root: Path) -> Where:
    def change(descriptor: dict) -> None:
        del next(r for r in descriptor["resources"] if r["name"] == "actors")["schema"]
    edit_json(root, "datapackage.json", change)
    return ("actors", None, "schema", "descriptor")


def damaged_header_label(root: Path) -> Where:
    edit_bytes(root, "counts", lambda data: data.replace(b",source_id,", b",sourceid,", 1))
    return ("counts", 1, "source_id", "missing-column")


FAULTS: list[Fault] = [
    # types
    Fault("integer with a letter", "type", cell("counts", "value", "32a", "type")),
    Fault("impossible date", "type", cell("events", "date_start", "2023-02-30", "type")),
    Fault("boolean spelled out", "type", cell("sources", "published_inferred", "maybe", "type")),
    Fault("fractional sign", "type", cell("count_relation_terms", "sign", "1.5", "type")),
    Fault("date in words", "type", cell("errata", "change_date", "yesterday", "type")),
    # required
    Fault("missing publisher", "required", cell("sources", "publisher", "", "required")),
    Fault("missing actor profile", "required", cell("actors", "profile", "", "required")),
    Fault("missing event summary", "required", cell("events", "summary", "", "required")),
    # enums
    Fault("unknown event type", "enum", cell("events", "event_type", "unknown-type", "enum")),
    Fault("unknown agreement form", "enum", cell("agreements", "form", "memorandum", "enum")),
    Fault("unknown implementation status", "enum", cell("implementations", "status", "done", "enum")),
    Fault("unknown item kind", "enum", cell("return_items", "item_kind", "gift", "enum")),
    Fault("sign out of its two values", "enum", cell("count_relation_terms", "sign", "2", "enum")),
    # ranges, patterns, lengths
    Fault("negative count", "range", cell("counts", "value", "-3", "minimum", row=3)),
    Fault("language not a code", "pattern", cell("sources", "language", "english", "pattern")),
    Fault("locator not a locator", "pattern", cell("event_sources", "locator", "para 3", "pattern")),
    Fault("relay locator not a locator", "pattern", cell("source_relays", "locator", "somewhere", "pattern")),
    Fault("identifier too long", "length", cell("errata", "erratum_id", "err-" + "x" * 90, "maxLength")),
    # keys
    Fault("duplicate key", "key", duplicate_key),
    Fault("duplicate composite key", "key", duplicate_composite_key),
    # references
    Fault("count from an unknown source", "reference", cell("counts", "source_id", "no-such-source", "foreign-key")),
    Fault("link to an unknown event", "reference",
          cell("event_sources", "event_id", "ev-no-such-event", "foreign-key")),
    Fault("unknown relayed actor", "reference",
          cell("source_relays", "relayed_actor_id", "no-such-actor", "foreign-key")),
    Fault("unknown parent place", "reference", cell("places", "parent_place_id", "atlantis", "foreign-key")),
    Fault("unknown agreement party", "reference",
          cell("agreement_parties", "actor_id", "no-such-actor", "foreign-key")),
    Fault("unknown actor in an event", "reference", cell("event_actors", "actor_id", "no-such-actor", "foreign-key")),
    # cross-table rules
    Fault("date precision does not fit the dates", "rule", date_precision),
    Fault("as-of after publication", "rule", as_of_after_publication),
    Fault("high bound below the value", "rule", bounds),
    Fault("verified source without url", "rule",
          at_key("sources", "apnews-2020-12-14", "url", "", "no-url",
                 ("sources", "apnews-2020-12-14", "check_status"))),
    Fault("running total counted from after its as-of", "rule",
          at_key("counts", "c-jamnews-2021-05-05-released-66-total", "counted_from", "2021-06-01", "counted-from")),
    Fault("item in return for a capture", "rule",
          cell("return_items", "event_id", "ev-2020-12-hadrut-capture", "return-item")),
    Fault("event without a source", "rule", unsourced_event),
    Fault("source relaying itself", "rule", self_relay),
    Fault("provision quantity differs from its count", "rule", provision_quantity),
    Fault("provision carried out by an event before its agreement", "rule", implemented_before_agreed),
    Fault("carried-out claim naming no event", "rule", carried_out_without_event),
    Fault("source status against its latest re-read", "rule", status_against_latest_check),
    # relations
    Fault("broken within-source relation", "relation",
          at_key("counts", "c-ar-p5-41", "value", "40", "relation",
                 ("count_relations", "rel-ar-55-breakdown", "relation_id"))),
    Fault("relation scope misdeclared", "relation",
          at_key("count_relations", "rel-ar-55-breakdown", "scope", "across_sources", "relation")),
    # errata
    Fault("correction not in the data", "errata",
          at_key("events", "ev-2020-11-shushi-civilian-captures", "summary", "Rewritten without an erratum.", "errata",
                 ("errata", "err-0-6-0-shushi-captures-summary-wording", "new_value"))),
    Fault("retracted key still in use", "errata", retracted_key_in_use),
    Fault("erratum from a later version", "errata",
          at_key("errata", "err-0-2-0-shushi-captures-date-end", "version", "9.0.0", "errata")),
    Fault("erratum for an unknown table", "errata",
          at_key("errata", "err-0-2-0-shushi-captures-date-end", "table_name", "count", "errata")),
    # neutral voice and privacy
    Fault("loaded status term in a summary", "neutral-voice",
          cell("events", "summary", "Terrorists were detained near the border.", "neutral-voice", row=3)),
    Fault("loaded place term in a provision", "neutral-voice",
          cell("provisions", "object", "return of the occupied territories", "neutral-voice")),
    Fault("one side's place name in evidence", "neutral-voice",
          cell("counts", "evidence", "Two detained near Shusha on 11 Nov 2020.", "neutral-voice")),
    Fault("private name in evidence", "privacy",
          cell("event_actors", "evidence", f"{FICTITIOUS_NAME} was handed over.", "privacy")),
    Fault("private name in a source title", "privacy",
          cell("sources", "title", f"{FICTITIOUS_NAME} returns home", "privacy")),
    Fault("private name in a returned item", "privacy",
          cell("return_items", "item", f"letters of {FICTITIOUS_NAME}", "privacy")),
    # hashes
    Fault("tampered file", "hash", tampered, restamp=False),
    # descriptor and schemas
    Fault("resource without path", "descriptor", resource_without_path, restamp=False),
    Fault("unreadable descriptor", "descriptor", unreadable_descriptor, restamp=False, exit_code=2),
    Fault("unknown field type", "schema", unknown_field_type),
    Fault("unsupported constraint", "schema", unknown_constraint),
    Fault("field retyped away from the data model", "schema", retyped_field),
    Fault("field the cross-table checks read dropped", "schema", dropped_field),
    Fault("resource without schema", "descriptor", resource_without_schema, restamp=False),
    # encoding and CSV shape
    Fault("byte-order mark", "encoding", bom),
    Fault("bytes that are not UTF-8", "encoding", not_utf8),
    Fault("CRLF mixed with LF", "csv-shape", crlf_mix),
    Fault("stray quote", "csv-shape", stray_quote),
    Fault("quote never closed", "csv-shape", unclosed_quote),
    Fault("semicolon delimiter", "csv-shape", wrong_delimiter),
    Fault("truncated file", "csv-shape", truncated),
    Fault("blank line", "csv-shape", blank_line),
    Fault("missing column", "csv-shape", drop_column),
    Fault("damaged header label", "csv-shape", damaged_header_label),
    Fault("extra column", "csv-shape", add_column),
    Fault("extra cell", "csv-shape", extra_cell),
]
