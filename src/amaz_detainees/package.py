"""Find and read a data package: the descriptor, its resources and their Table Schemas.

The shipped package lives inside the wheel (``amaz_detainees/_package``); in a source checkout or an
editable install it is the repository root. Any other package can be opened by path.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

DESCRIPTOR = "datapackage.json"


class PackageError(Exception):
    """The package cannot be read at all (missing or unparsable descriptor)."""


def shipped_root() -> Path:
    """Directory holding the shipped datapackage.json (wheel first, then the source checkout)."""
    bundled = Path(str(resources.files("amaz_detainees") / "_package"))
    if (bundled / DESCRIPTOR).is_file():
        return bundled
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / DESCRIPTOR).is_file():
        return checkout
    raise PackageError("the shipped data package was not found (reinstall amaz-detainees)")


def resolve_root(path: str | Path | None) -> Path:
    """Package directory for ``path`` (a directory or its datapackage.json); None means the shipped one."""
    if path is None:
        return shipped_root()
    p = Path(path)
    return p.parent if p.name == DESCRIPTOR or p.is_file() else p


@dataclass(frozen=True)
class Package:
    """A data package on disk: its root, its descriptor and its Table Schemas (read once)."""

    root: Path
    descriptor: dict[str, Any]
    _schemas: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def resources(self) -> list[dict[str, Any]]:
        return list(self.descriptor.get("resources", []))

    @property
    def names(self) -> list[str]:
        return [r["name"] for r in self.resources]

    def resource(self, name: str) -> dict[str, Any]:
        for res in self.resources:
            if res.get("name") == name:
                return res
        raise KeyError(f"no table named {name!r}; tables are: {', '.join(map(str, self.names))}")

    def data_path(self, name: str) -> Path:
        ref = self.resource(name).get("path")
        if not isinstance(ref, str):
            raise PackageError(f"table {name!r}: the path must be data/<name>.csv")
        return self.root / ref

    def schema_path(self, name: str) -> Path:
        ref = self.resource(name).get("schema")
        if not isinstance(ref, str):
            raise PackageError(f"table {name!r}: the schema must be a path to schemas/<name>.schema.json")
        return self.root / ref

    def table_schema(self, name: str) -> dict[str, Any]:
        """The Table Schema of ``name`` as a dict (read from its file once)."""
        if name not in self._schemas:
            self._schemas[name] = read_json(self.schema_path(name))
        return self._schemas[name]


def read_json(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise PackageError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PackageError(f"{path.name}: not valid JSON ({exc})") from exc
    if not isinstance(doc, dict):
        raise PackageError(f"{path.name}: must hold a JSON object")
    return doc


def json_bytes(document: Any) -> bytes:
    """The one JSON layout of the package's files (descriptor, schemas): two-space indent, UTF-8, final newline."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def json_copy(document: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a JSON object, so a writer never edits the descriptor a ``Package`` holds."""
    copied: dict[str, Any] = json.loads(json_bytes(document))
    return copied


def write_json(path: Path, document: Any) -> bool:
    """Write ``document`` to ``path`` in the package's JSON layout, whole (temporary file, then renamed);
    True if the file changed. Every descriptor and schema this package writes goes through here."""
    data = json_bytes(document)
    if path.is_file() and path.read_bytes() == data:
        return False
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True


def open_package(path: str | Path | None = None) -> Package:
    """Read the descriptor of the package at ``path`` (None: the shipped package)."""
    root = resolve_root(path)
    descriptor = read_json(root / DESCRIPTOR)
    resources_ = descriptor.get("resources")
    if not isinstance(resources_, list) or not all(isinstance(r, dict) and isinstance(r.get("name"), str)
                                                   for r in resources_):
        raise PackageError(f"{DESCRIPTOR}: 'resources' must be a list of objects, each with a 'name' (text)")
    return Package(root, descriptor)


@cache
def shipped() -> Package:
    """The shipped package, read once per process."""
    return open_package(None)
