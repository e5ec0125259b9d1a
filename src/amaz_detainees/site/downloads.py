"""The site's downloads: the Data Package as a zip and every export format, each with its size and sha256.

Every file is written by ``amaz_detainees.exports`` from the package the site is built from (validated
once), so a download is exactly what ``amaz-detainees export`` would give.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..exports import ExportSource, write_format

DIRECTORY = "downloads"
SINGLE_FILE = ("sqlite", "duckdb", "xlsx")
EXPORT_FORMAT = {"zip": "csv"}  # the Data Package download is the `csv` export (the package as it is), zipped
# format -> (label, media type, what it is for)
FORMATS: dict[str, tuple[str, str, str]] = {
    "zip": ("Data Package (zip)", "application/zip",
            "the CSV tables, their Table Schemas and datapackage.json: what every other format is made from"),
    "parquet": ("Parquet (zip)", "application/zip", "one Parquet file per table with Arrow types, and a descriptor"),
    "sqlite": ("SQLite", "application/vnd.sqlite3", "one database with keys, checks, metadata and the derived views"),
    "duckdb": ("DuckDB", "application/octet-stream", "the same as SQLite, with column comments"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "a sheet per table, a codebook sheet and an about sheet"),
    "dta": ("Stata (zip)", "application/zip", "one .dta file per table, with labels and %td dates"),
}


@dataclass(frozen=True)
class Download:
    """One downloadable file of the site."""

    format: str
    label: str
    path: str  # relative to the site root, with "/"
    media_type: str
    description: str
    bytes: int
    sha256: str


def _zip_directory(directory: Path, target: Path) -> None:
    """A zip of ``directory``'s files (sorted, fixed timestamps, so equal files give an equal zip)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(directory).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def _described(fmt: str, path: Path, root: Path) -> Download:
    label, media_type, description = FORMATS[fmt]
    data = path.read_bytes()
    return Download(fmt, label, path.relative_to(root).as_posix(), media_type, description, len(data),
                    hashlib.sha256(data).hexdigest())


def write_downloads(source: ExportSource, root: Path, work: Path) -> list[Download]:
    """Write every download into ``root/downloads`` (``work`` is a scratch directory) and describe each.

    Formats that are one file (SQLite, DuckDB, Excel) are offered as that file; the others (the Data Package,
    which is the ``csv`` export, Parquet and Stata) as a zip of their directory."""
    out = root / DIRECTORY
    out.mkdir(parents=True, exist_ok=True)
    downloads = []
    for fmt in FORMATS:
        directory = work / fmt
        written = write_format(source, EXPORT_FORMAT.get(fmt, fmt), directory)
        if fmt in SINGLE_FILE:
            target = out / f"{source.name}.{fmt}"
            shutil.copyfile(written[0], target)
        else:
            target = out / f"{source.name}-{'datapackage' if fmt == 'zip' else fmt}.zip"
            _zip_directory(directory, target)
        downloads.append(_described(fmt, target, root))
    return downloads
