"""Byte counts and sha256 hashes of the data files, as recorded in datapackage.json.

The descriptor records ``bytes`` and ``hash`` ("sha256:<hex>") for every resource; ``hash_problems`` reports
every file that no longer matches (``amaz-detainees stamp`` rewrites them: ``maintain.stamp``).
``content_digest`` is one sha256 over the whole package, quoted in citations and used by ``load`` to
recognise a package it has already seen pass validation.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..package import DESCRIPTOR, Package
from ..report import Problem


def digest(data: bytes) -> tuple[int, str]:
    """(bytes, "sha256:<hex>") of a file's contents, as the descriptor records them."""
    return len(data), "sha256:" + hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> tuple[int, str]:
    """(bytes, "sha256:<hex>") of a file."""
    return digest(path.read_bytes())


def hash_problems(package: Package, name: str) -> list[Problem]:
    """Problems where the file of resource ``name`` differs from its recorded bytes or hash."""
    path = package.data_path(name)
    if not path.is_file():
        return []  # reported by the reader
    return hash_problems_in(package, name, path.read_bytes())


def hash_problems_in(package: Package, name: str, data: bytes) -> list[Problem]:
    """Like ``hash_problems``, on the file's bytes already read (validation reads each file once)."""
    resource = package.resource(name)
    path = package.data_path(name)
    size, actual = digest(data)
    problems = []
    if "hash" not in resource or "bytes" not in resource:
        problems.append(Problem(name, None, None, "hash", "the descriptor records no bytes/hash for this file"))
        return problems
    if resource["bytes"] != size:
        problems.append(Problem(name, None, None, "bytes",
                                f"{path.name} has {size} bytes but the descriptor records {resource['bytes']}"))
    if resource["hash"] != actual:
        problems.append(Problem(name, None, None, "hash",
                                f"{path.name} does not match its recorded sha256 (edited or corrupted; "
                                "re-validate, then run `amaz-detainees stamp`)"))
    return problems


def content_files(package: Package) -> list[str]:
    """Paths (relative to the root) of every file whose bytes make up the package: the descriptor,
    each Table Schema and each data file, sorted."""
    paths = {DESCRIPTOR}
    for resource in package.resources:
        paths.update(v for k, v in resource.items() if k in ("path", "schema") and isinstance(v, str))
    return sorted(paths)


def content_digest(package: Package) -> str:
    """One sha256 for the whole package, to quote in a paper as the exact data used.

    It is the sha256 of ``sha256sum``'s output over ``content_files`` (lines ``<hex>  <path>``,
    sorted by path), so anyone can recompute it without this package:
    ``sha256sum datapackage.json data/*.csv schemas/*.json | LC_ALL=C sort -k2 | sha256sum``.
    A missing file raises ``OSError``.
    """
    lines = "".join(f"{hashlib.sha256((package.root / path).read_bytes()).hexdigest()}  {path}\n"
                    for path in content_files(package))
    return "sha256:" + hashlib.sha256(lines.encode("utf-8")).hexdigest()
