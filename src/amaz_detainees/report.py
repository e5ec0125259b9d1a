"""Problems found in a package, and the report that collects them."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, SupportsInt, cast

import pandas as pd

ERROR_COLUMNS = ["table", "row", "field", "check", "message"]


def row_number(label: Hashable) -> int:
    """A checked frame's index label as the CSV row number it is: the frames are indexed by row number, but
    pandas types every label as ``Hashable``."""
    return int(cast(SupportsInt, label))


@dataclass(frozen=True)
class Problem:
    """One broken rule, located as precisely as possible.

    ``row`` is the row number in the CSV file as Frictionless counts it (the header is row 1, the
    first data row is row 2); None for problems with a whole table or the descriptor.
    """

    table: str
    row: int | None
    field: str | None
    check: str
    message: str

    def __str__(self) -> str:
        where = self.table
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: [{self.check}] {self.message}"


@dataclass
class ValidationReport:
    """What ``validate`` found: every problem at once, how each declared relation came out, and each release
    provision's quantity against the persons its handovers moved (reported, not failed)."""

    problems: list[Problem] = field(default_factory=list)
    relations: pd.DataFrame = field(default_factory=pd.DataFrame)
    rows: dict[str, int] = field(default_factory=dict)
    provisions: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> pd.DataFrame:
        """One row per problem: table, row, field, check, message."""
        frame = pd.DataFrame([p.__dict__ for p in self.problems], columns=ERROR_COLUMNS)
        return frame.astype({"row": "Int64"})

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.ok,
            "errors": [p.__dict__ for p in self.problems],
            "relations": self.relations.to_dict(orient="records"),
            "rows": self.rows,
            "provisions": self.provisions.astype(object).where(self.provisions.notna(), None).to_dict(orient="records"),
        }

    def __str__(self) -> str:
        if self.ok:
            return f"valid: {len(self.rows)} tables, {sum(self.rows.values())} rows"
        lines = [f"invalid: {len(self.problems)} problem(s)"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)
