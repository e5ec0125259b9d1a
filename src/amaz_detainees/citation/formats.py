"""Bibliographic references, rendered as APA-style text, BibTeX, CSL-JSON or CFF.

The dataset and each of its sources become a ``Reference``; the renderers are small because the
inputs are simple (a corporate author, a title, a date of known precision, a URL). cffconvert would do
part of this, but it pins jsonschema < 4, which frictionless cannot live with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

Format = Literal["apa", "bibtex", "csl-json", "cff"]
FORMATS: tuple[str, ...] = ("apa", "bibtex", "csl-json", "cff")

# publisher_type -> (CSL item type, CFF reference type)
PUBLICATION_KINDS: dict[str, tuple[str, str]] = {
    "news_agency": ("article-newspaper", "newspaper-article"),
    "independent_news": ("article-newspaper", "newspaper-article"),
    "partisan_news": ("article-newspaper", "newspaper-article"),
    "aggregator": ("article-newspaper", "newspaper-article"),
    "government": ("document", "government-document"),
    "state_agency": ("document", "government-document"),
    "intergovernmental": ("report", "report"),
    "ngo": ("webpage", "website"),
    "academic": ("article", "article"),
}


@dataclass(frozen=True)
class PublicationDate:
    """A publication date as precisely as it is known: ``precision`` is the dataset's date precision."""

    start: date | None
    end: date | None
    precision: str

    def text(self) -> str:
        """Human form: '2023-12-07', '2023-12', '2023', '2023-12-07 to 2023-12-08', 'after 2023-12-07', 'n.d.'."""
        s, e, p = self.start, self.end, self.precision
        if p == "day" and s:
            return s.isoformat()
        if p == "month" and s:
            return f"{s:%Y-%m}"
        if p == "year" and s:
            return f"{s:%Y}"
        if p == "range" and s and e:
            return f"{s.isoformat()} to {e.isoformat()}"
        if p == "after" and s:
            return f"after {s.isoformat()}"
        if p == "before" and e:
            return f"before {e.isoformat()}"
        return "n.d."

    def parts(self) -> list[int] | None:
        """CSL date-parts of a single known date (day, month or year precision), else None."""
        s = self.start
        if s is None:
            return None
        return {"day": [s.year, s.month, s.day], "month": [s.year, s.month], "year": [s.year]}.get(self.precision)

    def year(self) -> int | None:
        """The year, when the date is known at least that well (a range within one year counts)."""
        s, e = self.start, self.end
        if self.precision in ("day", "month", "year", "range") and s and (e is None or e.year == s.year):
            return s.year
        return None


@dataclass(frozen=True)
class Reference:
    """One citable work: the dataset itself, or one source document."""

    key: str
    title: str
    author: str  # an organisation: the dataset's contributors or a source's publisher
    issued: PublicationDate
    kind: str = "dataset"  # a publisher_type for sources, or "dataset"
    version: str | None = None
    url: str | None = None
    doi: str | None = None
    publisher: str | None = None
    abstract: str | None = None
    keywords: tuple[str, ...] = ()
    note: str | None = None

    @property
    def csl_type(self) -> str:
        return "dataset" if self.kind == "dataset" else PUBLICATION_KINDS.get(self.kind, ("document", ""))[0]

    @property
    def cff_type(self) -> str:
        return "data" if self.kind == "dataset" else PUBLICATION_KINDS.get(self.kind, ("", "generic"))[1]


def to_apa(ref: Reference) -> str:
    """APA 7-style text: Author. (Date). Title (Version v) [Data set]. Publisher. DOI or URL."""
    when = str(ref.issued.year() or "n.d.") if ref.kind == "dataset" else _apa_date(ref.issued)
    title = ref.title.rstrip(".")
    if ref.kind == "dataset":
        title += f" (Version {ref.version}) [Data set]" if ref.version else " [Data set]"
    parts = [f"{ref.author}.", f"({when}).", f"{title}."]
    if ref.publisher and ref.publisher != ref.author:
        parts.append(f"{ref.publisher}.")
    if ref.doi:
        parts.append(f"https://doi.org/{ref.doi}")
    elif ref.url:
        parts.append(ref.url)
    return " ".join(parts)


def _apa_date(issued: PublicationDate) -> str:
    s, p = issued.start, issued.precision
    if p == "day" and s:
        return f"{s.year}, {s:%B} {s.day}"
    if p == "month" and s:
        return f"{s.year}, {s:%B}"
    if p == "year" and s:
        return str(s.year)
    text = issued.text()
    return text if text != "n.d." else "n.d."


_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


def _bibtex_escape(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}").replace("~", r"\textasciitilde{}").replace("^", r"\^{}")
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)


def to_bibtex(ref: Reference) -> str:
    """A BibTeX ``@misc`` entry (biblatex reads ``date``, ``version`` and ``url`` too)."""
    entries: list[tuple[str, str]] = [("author", "{" + _bibtex_escape(ref.author) + "}"),
                                      ("title", "{" + _bibtex_escape(ref.title) + "}")]
    year = ref.issued.year()
    if year:
        entries.append(("year", str(year)))
    if ref.issued.precision in ("day", "month") and ref.issued.start:
        entries.append(("month", ref.issued.start.strftime("%b").lower()))
    if ref.issued.precision == "day" and ref.issued.start:
        entries.append(("date", ref.issued.start.isoformat()))
    if ref.version:
        entries.append(("version", ref.version))
    if ref.publisher and ref.publisher != ref.author:
        entries.append(("howpublished", _bibtex_escape(ref.publisher)))
    if ref.doi:
        entries.append(("doi", ref.doi))
    if ref.url:
        entries.append(("url", ref.url))
    notes = ["Data set"] if ref.kind == "dataset" else []
    if ref.issued.precision not in ("day", "month", "year"):
        notes.append(f"published {ref.issued.text()}")
    if ref.note:
        notes.append(ref.note)
    if notes:
        entries.append(("note", _bibtex_escape("; ".join(notes))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in entries)
    return f"@misc{{{ref.key},\n{body}\n}}"


def to_csl(ref: Reference) -> dict[str, Any]:
    """A CSL-JSON item (for Zotero, pandoc-citeproc, citeproc-js)."""
    item: dict[str, Any] = {"id": ref.key, "type": ref.csl_type, "title": ref.title,
                            "author": [{"literal": ref.author}]}
    parts = ref.issued.parts()
    if parts:
        item["issued"] = {"date-parts": [parts]}
    elif ref.issued.precision == "range" and ref.issued.start and ref.issued.end:
        s, e = ref.issued.start, ref.issued.end
        item["issued"] = {"date-parts": [[s.year, s.month, s.day], [e.year, e.month, e.day]]}
    elif ref.issued.text() != "n.d.":
        item["issued"] = {"literal": ref.issued.text()}
    for key, value in (("version", ref.version), ("URL", ref.url), ("DOI", ref.doi), ("abstract", ref.abstract),
                       ("note", ref.note)):
        if value:
            item[key] = value
    if ref.publisher:
        item["publisher" if ref.kind == "dataset" else "container-title"] = ref.publisher
    if ref.keywords:
        item["keyword"] = ", ".join(ref.keywords)
    return item


def to_cff_reference(ref: Reference) -> dict[str, Any]:
    """A CFF 1.2.0 ``references`` entry for a source document."""
    entry: dict[str, Any] = {"type": ref.cff_type, "title": ref.title, "authors": [{"name": ref.author}]}
    s, p = ref.issued.start, ref.issued.precision
    if p == "day" and s:
        entry["date-published"] = s.isoformat()
    elif p in ("month", "year") and s:
        entry["year"] = s.year
        if p == "month":
            entry["month"] = s.month
    if ref.url:
        entry["url"] = ref.url
    notes = [] if p in ("day", "month", "year") else [f"Publication date: {ref.issued.text()}."]
    if ref.note:
        notes.append(ref.note)
    if notes:
        entry["notes"] = " ".join(notes)
    return entry
