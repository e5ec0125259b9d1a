"""Which packages ``load(validate="auto")`` may read without validating them first.

A recorded sha256 only says a file is what the descriptor says, not that the package is valid: anyone
can edit a table and restamp it (``amaz-detainees fmt`` does exactly that). So "auto" trusts a package
only when its content digest (descriptor, schemas and data, see ``content_digest``) is one that has
passed full validation:

- the shipped package's digest, recorded in ``validated-digest.txt`` beside this module by
  ``amaz-detainees stamp`` after validation passes (CI checks the record is current);
- or a digest recorded on this machine after ``load`` validated that package in full. Such records
  live in the user's cache directory, never inside the package, and are keyed by the validator's own
  code as well, so a changed rule never inherits an old verdict.

Anything else is validated in full before a frame is returned.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib import resources
from pathlib import Path

from ..package import Package
from .hashes import content_digest

CACHE_ENV = "AMAZ_DETAINEES_CACHE_DIR"
SHIPPED_RECORD = "validated-digest.txt"
# The code whose verdict a record stands for: the readers, the schema checks and every check.
VALIDATOR_CODE = ("package.py", "schema.py", "report.py", "read", "checks")


def cache_dir() -> Path:
    """Where records of passed validations are kept: ``$AMAZ_DETAINEES_CACHE_DIR``, else the XDG cache."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "amaz-detainees" / "validated"


@cache
def validator_digest() -> str:
    """sha256 over the validator's source files and policy lists (read once per process)."""
    root = Path(__file__).resolve().parent.parent
    files = sorted(p for part in VALIDATOR_CODE for p in ([root / part] if (root / part).is_file()
                                                          else (root / part).rglob("*"))
                   if p.is_file() and p.suffix in (".py", ".csv"))
    sha = hashlib.sha256()
    for path in files:
        sha.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def shipped_record() -> str | None:
    """The digest of the shipped package as validated at release, if recorded."""
    record = resources.files(__package__ or "amaz_detainees.checks").joinpath(SHIPPED_RECORD)
    return record.read_text(encoding="utf-8").strip() if record.is_file() else None


def _record_path(digest: str) -> Path:
    return cache_dir() / f"{validator_digest()[:16]}-{digest.removeprefix('sha256:')}"


def package_digest(package: Package) -> str | None:
    """The package's content digest, or None when a file it lists cannot be read (then nothing is trusted)."""
    try:
        return content_digest(package)
    except OSError:
        return None


def is_trusted(digest: str | None) -> bool:
    """True when a package with this content digest has passed full validation (see the module docstring)."""
    return digest is not None and (digest == shipped_record() or _record_path(digest).is_file())


def remember(digest: str | None) -> None:
    """Record that the package with this digest passed full validation (best effort: a read-only cache
    only means the next load validates again)."""
    if digest is None:
        return
    try:
        path = _record_path(digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    except OSError:
        pass
