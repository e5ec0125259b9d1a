"""Atomic writes: build every file in a hidden directory beside the target, then move them in.

A failure (or Ctrl-C) leaves the target as it was: no half-written file ever appears under ``out``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .source import ExportError


@dataclass(frozen=True)
class Staging:
    directory: Path
    target: Path

    def final(self, staged_path: Path) -> Path:
        """Where a staged file ends up."""
        return self.target / staged_path.relative_to(self.directory)


@contextmanager
def staged(target: Path) -> Iterator[Staging]:
    """Yield a staging directory; on success move its files into ``target`` (replacing same-named files)."""
    try:
        target.mkdir(parents=True, exist_ok=True)
        directory = Path(tempfile.mkdtemp(prefix=".export-", dir=target))
    except OSError as exc:
        raise ExportError(f"cannot write to {target}: {exc.strerror or exc}") from exc
    try:
        yield Staging(directory, target)
        for item in sorted(directory.rglob("*")):
            if item.is_file():
                destination = target / item.relative_to(directory)
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(item, destination)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
