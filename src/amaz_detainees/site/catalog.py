"""The site's catalogue metadata: schema.org ``Dataset`` JSON-LD for the home page, and a Croissant file.

Both are built from the package the site is built from (its descriptor, Table Schemas and
CITATION.cff), never typed by hand, and neither function writes anything: ``build`` writes them.
``croissant.json`` points at ``datapackage.json``, ``data/*.csv`` and ``schemas/*.json`` beside it,
which the site holds as the ``csv`` export (the package as it is).

- JSON-LD: https://schema.org/Dataset (one ``DataDownload`` per download, with its sha256).
- Croissant 1.0 (http://mlcommons.org/croissant/1.0): one ``cr:FileObject`` per table's CSV and one
  ``cr:RecordSet`` per table, with a ``cr:Field`` per column.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..citation import cite, read_cff
from ..package import Package

if TYPE_CHECKING:
    from .downloads import Download

CROISSANT_VERSION = "http://mlcommons.org/croissant/1.0"
# The @context of the Croissant 1.0 specification, term for term.
CROISSANT_CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
# Table Schema type -> Croissant data type.
DATA_TYPES = {"string": "sc:Text", "integer": "sc:Integer", "number": "sc:Float", "boolean": "sc:Boolean",
              "date": "sc:Date"}
COUNTRIES = ("Armenia", "Azerbaijan")


def _licenses(descriptor: dict[str, Any]) -> list[str]:
    return [str(lic["path"]) for lic in descriptor.get("licenses", []) if isinstance(lic, dict) and lic.get("path")]


def _described(descriptor: dict[str, Any]) -> dict[str, Any]:
    """What both documents say of the package: its description, version and licence(s)."""
    out: dict[str, Any] = {}
    if descriptor.get("description"):
        out["description"] = " ".join(str(descriptor["description"]).split())
    if descriptor.get("version"):
        out["version"] = str(descriptor["version"])
    licenses = _licenses(descriptor)
    if licenses:
        out["license"] = _one_or_many(licenses)
    return out


def _one_or_many(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _creators(package: Package) -> list[dict[str, Any]]:
    """CITATION.cff's authors (an entity with ``name`` is an Organization), or the descriptor's contributors."""
    cff = read_cff(package.root)
    if cff is None:
        return [{"@type": "Organization", "name": str(c["title"])} for c in package.descriptor.get("contributors", [])
                if isinstance(c, dict) and c.get("title")]
    creators: list[dict[str, Any]] = []
    for author in cff.get("authors", []):
        if not isinstance(author, dict):
            continue
        if author.get("name"):
            creators.append({"@type": "Organization", "name": str(author["name"])})
            continue
        person: dict[str, Any] = {"@type": "Person"}
        if author.get("given-names"):
            person["givenName"] = str(author["given-names"])
        if author.get("family-names"):
            person["familyName"] = " ".join(str(author[k]) for k in ("name-particle", "family-names")
                                            if author.get(k))
        person["name"] = " ".join(str(author[k]) for k in ("given-names", "name-particle", "family-names")
                                  if author.get(k))
        if author.get("orcid"):
            person["identifier"] = str(author["orcid"])
        if author.get("affiliation"):
            person["affiliation"] = {"@type": "Organization", "name": str(author["affiliation"])}
        creators.append(person)
    return creators


def _released(package: Package) -> str | None:
    """CITATION.cff's ``date-released`` (YYYY-MM-DD), if any."""
    cff = read_cff(package.root)
    released = cff.get("date-released") if cff else None
    return str(released) if released else None


def _title(descriptor: dict[str, Any]) -> str:
    return str(descriptor.get("title") or descriptor.get("name", "untitled data package"))


def dataset_jsonld(package: Package, downloads: list[Download], *, page_url: str | None = None) -> dict[str, Any]:
    """schema.org ``Dataset`` JSON-LD for the home page (``<script type="application/ld+json">``).

    ``contentUrl`` of each download is its path relative to the site root (the home page's directory),
    so it resolves against the page wherever the site is hosted; ``page_url``, when known, is the
    Dataset's ``url`` and ``@id``.
    """
    descriptor = package.descriptor
    document: dict[str, Any] = {"@context": "https://schema.org", "@type": "Dataset"}
    if page_url:
        document["@id"] = page_url
        document["url"] = page_url
    document["name"] = _title(descriptor)
    if descriptor.get("name"):
        document["alternateName"] = str(descriptor["name"])
    document.update(_described(descriptor))
    creators = _creators(package)
    if creators:
        document["creator"] = _one_or_many(creators)
    if descriptor.get("temporalCoverage"):
        document["temporalCoverage"] = str(descriptor["temporalCoverage"])
    document["spatialCoverage"] = [{"@type": "Place", "name": country} for country in COUNTRIES]
    if descriptor.get("keywords"):
        document["keywords"] = [str(k) for k in descriptor["keywords"]]
    document["isAccessibleForFree"] = True
    released = _released(package)
    if released:
        document["dateModified"] = released
    document["citation"] = cite("apa", package.root)
    document["distribution"] = [
        {"@type": "DataDownload", "name": d.label, "description": d.description, "contentUrl": d.path,
         "encodingFormat": d.media_type, "contentSize": f"{d.bytes} B", "sha256": d.sha256}
        for d in downloads]
    return document


def _sha256(resource: dict[str, Any], path: Path) -> str:
    """The descriptor's recorded hash of a table (``sha256:`` dropped), or the file's own when none is recorded."""
    recorded = resource.get("hash")
    if isinstance(recorded, str) and recorded.startswith("sha256:"):
        return recorded.removeprefix("sha256:")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _primary_key(schema: dict[str, Any]) -> list[str]:
    key = schema.get("primaryKey")
    if isinstance(key, str):
        return [key]
    return [str(k) for k in key] if isinstance(key, list) else []


def _record_set(name: str, resource: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    file_id = f"{name}.csv"
    fields = []
    for spec in schema.get("fields", []):
        column = str(spec["name"])
        field: dict[str, Any] = {"@type": "cr:Field", "@id": f"{name}/{column}", "name": column}
        if spec.get("description"):
            field["description"] = str(spec["description"])
        field["dataType"] = DATA_TYPES.get(str(spec.get("type", "string")), "sc:Text")
        field["source"] = {"fileObject": {"@id": file_id}, "extract": {"column": column}}
        fields.append(field)
    record_set: dict[str, Any] = {"@type": "cr:RecordSet", "@id": name, "name": name}
    description = resource.get("description") or schema.get("description")
    if description:
        record_set["description"] = str(description)
    key = _primary_key(schema)
    if key:
        record_set["key"] = _one_or_many([{"@id": f"{name}/{column}"} for column in key])
    record_set["field"] = fields
    return record_set


def croissant(package: Package, *, page_url: str | None = None) -> dict[str, Any]:
    """Croissant 1.0 metadata for the package's tables, for ``croissant.json`` at the site root.

    Every ``contentUrl`` is the table's path in the package (``data/<table>.csv``), relative to the
    site root, where the site build writes the package's files. ``url`` is ``page_url`` (the site's home page)
    when known, else the descriptor's ``homepage``; ``datePublished`` and ``dateModified`` are this
    version's release date (CITATION.cff ``date-released``).
    """
    descriptor = package.descriptor
    document: dict[str, Any] = {"@context": CROISSANT_CONTEXT, "@type": "sc:Dataset", "name": _title(descriptor),
                                "conformsTo": CROISSANT_VERSION}
    document.update(_described(descriptor))
    url = page_url or descriptor.get("homepage")
    if url:
        document["url"] = str(url)
    creators = _creators(package)
    if creators:
        document["creator"] = _one_or_many(creators)
    released = _released(package)
    if released:
        document["datePublished"] = released
        document["dateModified"] = released
    if descriptor.get("keywords"):
        document["keywords"] = [str(k) for k in descriptor["keywords"]]
    if descriptor.get("temporalCoverage"):
        document["temporalCoverage"] = str(descriptor["temporalCoverage"])
    document["citeAs"] = cite("bibtex", package.root)
    distribution, record_sets = [], []
    for name in package.names:
        resource = package.resource(name)
        path = package.data_path(name)
        distribution.append({"@type": "cr:FileObject", "@id": f"{name}.csv", "name": f"{name}.csv",
                             "contentUrl": str(resource["path"]), "encodingFormat": "text/csv",
                             "sha256": _sha256(resource, path)}
                            | ({"contentSize": f"{resource['bytes']} B"} if isinstance(resource.get("bytes"), int)
                               else {}))
        record_sets.append(_record_set(name, resource, package.table_schema(name)))
    document["distribution"] = distribution
    document["recordSet"] = record_sets
    return document
