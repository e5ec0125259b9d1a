"""The site's catalogue metadata: the Dataset JSON-LD of the home page and croissant.json.

croissant.json is read back by mlcroissant, the reference implementation of Croissant, from a directory
laid out as the site is (croissant.json beside datapackage.json, data/ and schemas/): it must raise no
error and no warning, and the records it reads must be the rows ``load`` gives.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import amaz_detainees as ad
from amaz_detainees.citation import read_cff
from amaz_detainees.exports import read_source, write_format
from amaz_detainees.package import open_package, shipped
from amaz_detainees.site import (
    CROISSANT_CONTEXT,
    CROISSANT_VERSION,
    DATA_TYPES,
    Download,
    croissant,
    dataset_jsonld,
)

# The @context of the Croissant 1.0 example datasets (mlcommons/croissant, datasets/1.0/*/metadata.json).
SPEC_CONTEXT_TERMS = {
    "@language", "@vocab", "citeAs", "column", "conformsTo", "cr", "rai", "data", "dataType", "dct", "examples",
    "extract", "field", "fileProperty", "fileObject", "fileSet", "format", "includes", "isLiveDataset", "jsonPath",
    "key", "md5", "parentField", "path", "recordSet", "references", "regex", "repeated", "replace", "sc",
    "separator", "source", "subField", "transform"}
# mlcroissant 1.1 compares the @context with its own, which holds two terms of Croissant 1.1 also for 1.0
# documents; it logs that (not an issue of the document) for the official 1.0 examples too.
MLCROISSANT_EXTRA_TERMS = {"samplingRate", "equivalentProperty"}


def site_like(root: Path, document: dict[str, Any]) -> Path:
    """croissant.json and the package files it points at, laid out as in the site."""
    write_format(read_source(None), "csv", root)  # as the site build writes them
    path = root / "croissant.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def test_croissant_context_and_conformance() -> None:
    document = croissant(shipped())
    assert document["@context"] == CROISSANT_CONTEXT
    assert set(CROISSANT_CONTEXT) == SPEC_CONTEXT_TERMS
    assert CROISSANT_CONTEXT["cr"] == "http://mlcommons.org/croissant/"
    assert CROISSANT_CONTEXT["dataType"] == {"@id": "cr:dataType", "@type": "@vocab"}
    assert document["conformsTo"] == CROISSANT_VERSION == "http://mlcommons.org/croissant/1.0"
    assert document["@type"] == "sc:Dataset"
    json.dumps(document)


def test_croissant_describes_every_table_file_and_column() -> None:
    package = shipped()
    document = croissant(package)
    files = {f["@id"]: f for f in document["distribution"]}
    assert [f["contentUrl"] for f in document["distribution"]] == [f"data/{name}.csv" for name in package.names]
    for name in package.names:
        file = files[f"{name}.csv"]
        assert file["@type"] == "cr:FileObject" and file["encodingFormat"] == "text/csv"
        assert file["sha256"] == hashlib.sha256(package.data_path(name).read_bytes()).hexdigest()
        assert file["sha256"] == package.resource(name)["hash"].removeprefix("sha256:")
    assert [r["@id"] for r in document["recordSet"]] == package.names
    for record_set in document["recordSet"]:
        name = record_set["@id"]
        specs = package.table_schema(name)["fields"]
        assert record_set["@type"] == "cr:RecordSet"
        assert [f["name"] for f in record_set["field"]] == [s["name"] for s in specs]
        for field, spec in zip(record_set["field"], specs, strict=True):
            assert field["@type"] == "cr:Field" and field["@id"] == f"{name}/{spec['name']}"
            assert field["dataType"] == DATA_TYPES[spec.get("type", "string")]
            assert field["description"] == spec["description"]
            assert field["source"] == {"fileObject": {"@id": f"{name}.csv"}, "extract": {"column": spec["name"]}}


def plain(value: Any) -> Any:
    """A cell as mlcroissant (bytes, Timestamp, NaN) or ``load`` (str, date, NA) gives it, as a plain value."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, datetime):  # pandas Timestamp included
        return value.date()
    if isinstance(value, np.generic):
        return value.item()
    return value


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib, inside mlcroissant
def test_mlcroissant_reads_every_table_as_load_does(tmp_path: Path) -> None:
    import mlcroissant as mlc  # here, not at the top: importing it takes most of this test's second

    path = site_like(tmp_path, croissant(shipped(), page_url="https://example.org/"))
    dataset = mlc.Dataset(jsonld=path)
    issues = dataset.metadata.ctx.issues
    assert issues.errors == set()
    assert issues.warnings == set()
    for name in ad.tables():
        records = list(dataset.records(record_set=name))
        frame = ad.load(name)
        assert len(records) == len(frame), name
        for column in frame.columns:
            read = [plain(r[f"{name}/{column}"]) for r in records]
            assert read == [plain(v) for v in frame[column].tolist()], (name, column)


# JSON-LD of the home page

@pytest.fixture
def downloads(tmp_path: Path) -> list[Download]:
    """Two small files written here, described as the site describes its downloads."""
    made = []
    for fmt, suffix, media_type, data in (("zip", "zip", "application/zip", b"PK\x05\x06" + bytes(18)),
                                          ("sqlite", "sqlite", "application/vnd.sqlite3", b"SQLite format 3\x00")):
        path = tmp_path / "downloads" / f"amaz-detainees.{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        made.append(Download(fmt, fmt.upper(), path.relative_to(tmp_path).as_posix(), media_type, f"a {fmt} file",
                             len(data), hashlib.sha256(data).hexdigest()))
    return made


def test_dataset_jsonld_has_the_dataset_properties(downloads: list[Download]) -> None:
    package = shipped()
    document = dataset_jsonld(package, downloads, page_url="https://example.org/amaz-detainees/")
    descriptor = package.descriptor
    cff = read_cff(package.root)
    assert cff is not None
    assert document["@context"] == "https://schema.org" and document["@type"] == "Dataset"
    assert document["@id"] == document["url"] == "https://example.org/amaz-detainees/"
    assert document["name"] == descriptor["title"]
    assert document["description"] == descriptor["description"]
    assert document["version"] == descriptor["version"]
    assert document["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert cff["authors"] == [{"name": "amaz-detainees contributors"}]
    assert document["creator"] == {"@type": "Organization", "name": "amaz-detainees contributors"}
    assert document["temporalCoverage"] == descriptor["temporalCoverage"]
    assert document["spatialCoverage"] == [{"@type": "Place", "name": "Armenia"},
                                           {"@type": "Place", "name": "Azerbaijan"}]
    assert document["keywords"] == descriptor["keywords"]
    assert document["isAccessibleForFree"] is True
    assert document["dateModified"] == str(cff["date-released"])
    assert document["citation"] == ad.cite("apa", package.root)
    json.loads(json.dumps(document))


def test_every_distribution_matches_its_file(tmp_path: Path, downloads: list[Download]) -> None:
    document = dataset_jsonld(shipped(), downloads)
    assert "url" not in document and "@id" not in document
    assert len(document["distribution"]) == len(downloads)
    for entry, download in zip(document["distribution"], downloads, strict=True):
        data = (tmp_path / entry["contentUrl"]).read_bytes()
        assert entry["@type"] == "DataDownload"
        assert entry["encodingFormat"] == download.media_type
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["contentSize"] == f"{len(data)} B"
        assert not entry["contentUrl"].startswith(("/", "http"))


def test_a_package_without_citation_cff_is_credited_to_its_contributors(package_copy: Path) -> None:
    package = open_package(package_copy)
    assert read_cff(package.root) is None
    document = dataset_jsonld(package, [])
    assert document["creator"] == {"@type": "Organization", "name": "amaz-detainees contributors"}
    assert "dateModified" not in document
    assert document["citation"] == ad.cite("apa", package_copy)
    assert croissant(package)["creator"] == document["creator"]
