"""Derive pandera schemas from Table Schemas: the JSON files stay the one place a column is defined.

``pandera.io.from_frictionless_schema`` is not used: with pandas 3 it rejects nullable integers,
reads "false" and "" as True and keeps dates as strings. This converter knows a short list of types
and constraints and raises ``UnsupportedSchema`` on anything else, so a new constraint cannot be
ignored silently.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa

from .read import dtype_for
from .schema import UnsupportedSchema, check_schema_keys, primary_key


def _pattern_check(pattern: str) -> pa.Check:
    """Table Schema patterns match the whole value (frictionless anchors them as ^...$)."""
    return pa.Check(lambda s: s.str.fullmatch(pattern).fillna(True).astype(bool), name="pattern", error="pattern")


def field_checks(spec: dict[str, Any]) -> list[pa.Check]:
    """pandera checks for one field's constraints (``required`` and ``unique`` go on the Column).

    Each check is named after its Table Schema constraint, so reports use the standard's words.
    """
    checks: list[pa.Check] = []
    constraints = spec.get("constraints", {})
    for key, value in constraints.items():
        if key in ("required", "unique"):
            continue
        if key == "enum":
            checks.append(pa.Check.isin(value, name="enum", error="enum"))
        elif key == "minimum":
            checks.append(pa.Check.ge(value, name="minimum", error="minimum"))
        elif key == "maximum":
            checks.append(pa.Check.le(value, name="maximum", error="maximum"))
        elif key == "pattern":
            checks.append(_pattern_check(value))
        elif key == "minLength":
            checks.append(pa.Check.str_length(min_value=value, name="minLength", error="minLength"))
        elif key == "maxLength":
            checks.append(pa.Check.str_length(max_value=value, name="maxLength", error="maxLength"))
        else:  # unreachable once check_schema_keys has passed; kept so a new constraint cannot slip through
            raise UnsupportedSchema(f"field {spec['name']!r}: constraint {key!r} is not supported")
    return checks


def column_for(spec: dict[str, Any], *, categorical: bool, key: bool = False) -> pa.Column:
    constraints = spec.get("constraints", {})
    enum = constraints.get("enum")
    dtype: Any = dtype_for(spec)
    nullable = not constraints.get("required", False) and not key
    unique = key or bool(constraints.get("unique", False))
    checks = field_checks(spec)
    if unique and nullable:  # Table Schema: empty cells never clash with each other
        checks.append(pa.Check(lambda s: s.isna() | ~s.duplicated(keep="first"), name="unique", error="unique"))
        unique = False
    if categorical and enum is not None and spec.get("type", "string") == "string":
        dtype = pd.CategoricalDtype(enum)
    return pa.Column(
        dtype,
        checks=checks,
        nullable=not constraints.get("required", False),
        unique=unique,
        report_duplicates="exclude_first",
        title=spec.get("title"),
        description=spec.get("description"),
        name=spec["name"],
    )


def to_pandera(
    table_schema: dict[str, Any], *, name: str | None = None, categorical: bool = True
) -> pa.DataFrameSchema:
    """pandera schema equivalent to a Table Schema.

    ``categorical=True`` describes frames as ``load`` returns them (enum fields as categoricals);
    ``False`` describes the text-typed frames the validator checks before that conversion.
    """
    check_schema_keys(table_schema, name)  # the same list of known properties as the validator's
    key = primary_key(table_schema)
    single_key = key[0] if len(key) == 1 else None
    return pa.DataFrameSchema(
        {spec["name"]: column_for(spec, categorical=categorical, key=spec["name"] == single_key)
         for spec in table_schema["fields"]},
        unique=key if len(key) > 1 else None,
        report_duplicates="exclude_first",
        strict=True,
        ordered=True,
        name=name,
        description=table_schema.get("description"),
    )
