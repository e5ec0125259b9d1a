"""Cite the dataset. ``CITATION.cff`` is the citation's source; its version and release date are
stamped from ``datapackage.json`` and the CHANGELOG, so the version is written by hand in one place.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from ..package import DESCRIPTOR, PackageError, read_json, resolve_root
from .formats import FORMATS, Format, PublicationDate, Reference, to_apa, to_bibtex, to_csl

CITATION_FILE = "CITATION.cff"
CHANGELOG_FILE = "CHANGELOG.md"


def read_cff(root: Path) -> dict[str, Any] | None:
    """CITATION.cff beside datapackage.json as a dict, or None when the package has none."""
    import yaml

    path = root / CITATION_FILE
    if not path.is_file():
        return None
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PackageError(f"{CITATION_FILE}: not valid YAML ({exc})") from exc
    if not isinstance(doc, dict):
        raise PackageError(f"{CITATION_FILE}: must hold a YAML mapping")
    return doc


def dataset_cff(root: Path) -> dict[str, Any]:
    """CITATION.cff as a dict; for a package without one, a minimal CFF built from its descriptor."""
    cff = read_cff(root)
    if cff is not None:
        return cff
    ref = dataset_reference(root)
    doc: dict[str, Any] = {"cff-version": "1.2.0", "message": "If you use this dataset, please cite it as below.",
                           "type": "dataset", "title": ref.title, "authors": [{"name": ref.author}]}
    if ref.version:
        doc["version"] = ref.version
    return doc


def release_date(root: Path, version: str) -> str | None:
    """The date of ``version`` in the CHANGELOG heading ``## [version] - YYYY-MM-DD`` (None: no entry)."""
    path = root / CHANGELOG_FILE
    if not path.is_file():
        return None
    match = re.search(rf"^## \[{re.escape(version)}\] - (\d{{4}}-\d{{2}}-\d{{2}})\s*$",
                      path.read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else None


def dataset_reference(path: str | Path | None = None) -> Reference:
    """The dataset as a Reference: from CITATION.cff, or from datapackage.json where there is none."""
    root = resolve_root(path)
    descriptor = read_json(root / DESCRIPTOR)
    cff = read_cff(root)
    version = str(descriptor.get("version", "")) or None
    if cff is None:
        authors = [c.get("title", "") for c in descriptor.get("contributors", []) if c.get("title")]
        released = None
        title = descriptor.get("title") or descriptor.get("name", "untitled data package")
        abstract, keywords, doi, url = descriptor.get("description"), descriptor.get("keywords", []), None, None
    else:
        authors = [_cff_person(a) for a in cff.get("authors", [])]
        released = cff.get("date-released")
        title, abstract, keywords = cff["title"], cff.get("abstract"), cff.get("keywords", [])
        doi, url = cff.get("doi"), cff.get("url") or cff.get("repository-code")
    day = date.fromisoformat(str(released)) if released else None
    name = str(descriptor.get("name", "dataset"))
    issued = PublicationDate(day, day, "day" if day else "unknown")
    return Reference(key=f"{name}-{version}" if version else name, title=str(title),
                     author=" and ".join(authors) or name, issued=issued,
                     version=version, url=url, doi=doi, abstract=" ".join(str(abstract).split()) if abstract else None,
                     keywords=tuple(str(k) for k in keywords))


def _cff_person(person: dict[str, Any]) -> str:
    if "name" in person:
        return str(person["name"])
    return " ".join(str(person[k]) for k in ("given-names", "name-particle", "family-names") if person.get(k))


def cite(format: Format = "apa", path: str | Path | None = None) -> str:
    """The dataset citation: ``apa`` (default), ``bibtex``, ``csl-json`` or ``cff`` (the file itself).

    >>> cite().startswith("amaz-detainees contributors. (")
    True
    >>> "@misc{amaz-detainees-" in cite("bibtex")
    True
    """
    if format not in FORMATS:
        raise ValueError(f"unknown citation format {format!r}; choose one of {', '.join(FORMATS)}")
    if format == "cff":
        root = resolve_root(path)
        if (root / CITATION_FILE).is_file():
            return (root / CITATION_FILE).read_text(encoding="utf-8")
        raise PackageError(f"the package at {root} has no {CITATION_FILE}")
    ref = dataset_reference(path)
    if format == "bibtex":
        return to_bibtex(ref)
    if format == "csl-json":
        return json.dumps([to_csl(ref)], indent=2, ensure_ascii=False)
    return to_apa(ref)
