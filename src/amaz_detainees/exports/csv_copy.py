"""CSV: the Data Package itself (descriptor, CSV files, Table Schemas), copied byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

from .source import ExportSource


def write(source: ExportSource, out: Path) -> list[Path]:
    package = source.package
    files = [package.root / "datapackage.json"]
    for name in package.names:
        files += [package.data_path(name), package.schema_path(name)]
    written = []
    for path in files:
        target = out / path.relative_to(package.root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        written.append(target)
    return written
