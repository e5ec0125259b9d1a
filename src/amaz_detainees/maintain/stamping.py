"""Stamp what is derived from the files: bytes and sha256 in datapackage.json, version and date in CITATION.cff.

Nothing else is written (no timestamps), so stamping an unchanged package leaves no diff.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..checks import SHIPPED_RECORD, content_digest, file_digest, shipped_record
from ..citation import CHANGELOG_FILE, CITATION_FILE, read_cff, release_date
from ..package import DESCRIPTOR, Package, PackageError, json_copy, shipped_root, write_json
from ..report import Problem

SHIPPED_RECORD_PATH = Path(__file__).resolve().parent.parent / "checks" / SHIPPED_RECORD


def stamped_descriptor(package: Package, contents: dict[str, bytes] | None = None) -> dict[str, Any]:
    """A copy of the descriptor with each resource's ``bytes`` and ``hash`` taken from ``contents``
    (table name -> file bytes) or, for tables not given, from the file on disk."""
    from ..checks import digest

    descriptor = json_copy(package.descriptor)
    for resource in descriptor["resources"]:
        name = resource["name"]
        if contents is not None and name in contents:
            resource["bytes"], resource["hash"] = digest(contents[name])
        else:
            resource["bytes"], resource["hash"] = file_digest(package.root / resource["path"])
    return descriptor


def stamp(package: Package) -> bool:
    """Write current bytes and hashes into datapackage.json; True if anything changed."""
    return write_json(package.root / DESCRIPTOR, stamped_descriptor(package))


def shipped_record_drift(package: Package) -> tuple[str | None, str] | None:
    """(recorded, current) digests when ``package`` is the shipped one and its record of a passed
    validation (``checks/validated-digest.txt``, read by ``load``) is not its current digest; else None."""
    if package.root.resolve() != shipped_root().resolve():
        return None
    current = content_digest(package)
    recorded = shipped_record()
    return None if recorded == current else (recorded, current)


def record_shipped_validation(package: Package) -> list[Problem]:
    """Validate the shipped package in full and, if it passes, record its digest for ``load``.

    Returns the problems (nothing is recorded then). Other packages are left alone: ``load`` records
    those in the user cache after validating them itself.
    """
    from ..checks import validate

    if shipped_record_drift(package) is None:
        return []
    report = validate(package.root, conformance=False)
    if report.ok:
        SHIPPED_RECORD_PATH.write_text(content_digest(package) + "\n", encoding="utf-8")
    return report.problems


def citation_drift(package: Package) -> dict[str, tuple[str, str]]:
    """CITATION.cff keys whose value differs from what the package says: {key: (written, expected)}."""
    root = package.root
    cff = read_cff(root)
    if cff is None:
        return {}
    version = str(package.descriptor.get("version", ""))
    expected = {"version": version, "date-released": release_date(root, version) or ""}
    if not expected["date-released"]:
        raise PackageError(f"{CHANGELOG_FILE} has no entry '## [{version}] - YYYY-MM-DD' for the package version")
    return {key: (str(cff.get(key, "")), value) for key, value in expected.items() if str(cff.get(key, "")) != value}


def stamp_citation(package: Package) -> bool:
    """Write the package version and its CHANGELOG date into CITATION.cff; True if it changed."""
    drift = citation_drift(package)
    if not drift:
        return False
    path = package.root / CITATION_FILE
    text = path.read_text(encoding="utf-8")
    for key, (_, value) in drift.items():
        line = f'{key}: "{value}"'
        text, n = re.subn(rf"^{re.escape(key)}:.*$", line, text, count=1, flags=re.M)
        if n == 0:
            text = text.rstrip("\n") + f"\n{line}\n"
    path.write_text(text, encoding="utf-8")
    return True
