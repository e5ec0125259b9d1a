"""Standard conformance: what Frictionless itself says about the package.

Our own checks are stricter, but Frictionless is the reference implementation of the standard, and
any tool that reads Data Packages relies on it. Its findings are merged into the report; one that
our checks already made at the same table, row and field is not repeated.
"""

from __future__ import annotations

from pathlib import Path

from ..package import DESCRIPTOR
from ..report import Problem


def frictionless_problems(root: Path) -> list[Problem]:
    """Problems Frictionless finds when validating the package at ``root`` (imported lazily: it is slow)."""
    import frictionless

    try:
        report = frictionless.validate(str(root / DESCRIPTOR), type="package")
    except Exception as exc:  # frictionless raises its own errors for unreadable descriptors
        return [Problem(DESCRIPTOR, None, None, "frictionless", f"Frictionless could not read the package: {exc}")]
    problems = [Problem(DESCRIPTOR, None, None, f"frictionless:{e.type}", e.message) for e in report.errors]
    for task in report.tasks:
        for error in task.errors:
            problems.append(Problem(task.name or "?", getattr(error, "row_number", None),
                                    getattr(error, "field_name", None), f"frictionless:{error.type}", error.message))
    return problems


def merge(ours: list[Problem], theirs: list[Problem]) -> list[Problem]:
    """Our problems plus Frictionless's, dropping theirs where we already reported that row or file."""
    seen = {(p.table, p.row) for p in ours}
    return ours + [p for p in theirs if (p.table, p.row) not in seen]
