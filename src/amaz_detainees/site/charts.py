"""The site's two charts as SVG, drawn from the views: readable without JavaScript, one mark per record.

Each mark is a link or a focusable element with a ``<title>`` (the browser's own tooltip) and a
``data-tip`` that ``site.js`` shows on hover or keyboard focus. Shape and position carry the meaning,
never colour alone, and each chart has a title, a description and a table that says the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

import pandas as pd

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 960, 340, 56, 16, 36, 36


@dataclass(frozen=True)
class Axis:
    """A time axis from the first to the last day shown."""

    start: date
    end: date

    def x(self, day: date) -> float:
        span = max((self.end - self.start).days, 1)
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - self.start).days / span

    def ticks(self) -> list[tuple[float, str]]:
        return [(self.x(date(y, 1, 1)), str(y)) for y in range(self.start.year + 1, self.end.year + 1)]


def _axis_for(days: list[date]) -> Axis:
    return Axis(date(min(days).year, 1, 1), date(max(days).year, 12, 31))


def missing(value: Any) -> bool:
    """True for None, NA, NaT and NaN: a cell no source filled."""
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _day(value: Any) -> date | None:
    return None if missing(value) else pd.Timestamp(value).date()


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _frame(chart_id: str, title: str, description: str, body: list[str], axis: Axis) -> str:
    ticks = "".join(f'<line class="tick" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>'
                    f'<text class="tick-label" x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle">{label}</text>'
                    for x, label in axis.ticks())
    return (f'<svg id="{chart_id}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
            f'{ticks}{"".join(body)}</svg>')


def _scale(value: float, top: float) -> float:
    """Square-root scale, so a handover of 2 stays visible beside one of 100."""
    return math.sqrt(max(value, 0)) / math.sqrt(max(top, 1))


def releases_timeline(releases: pd.DataFrame, link: str) -> str:
    """Every release on a time line: a mark on the axis per release, bars up for the persons handed to
    Armenia and down for those handed to Azerbaijan, each from the lowest to the highest figure claimed.

    ``link`` is the relative path prefix of the release pages (``releases/``).
    """
    days = [d for d in (_day(v) for v in releases["date"]) if d is not None]
    axis = _axis_for(days)
    middle = (TOP + HEIGHT - BOTTOM) / 2
    half = middle - TOP - 6
    top = max([float(v) for c in ("to_armenia_max", "to_azerbaijan_max") for v in releases[c].dropna()] or [1])
    body = [f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{middle}" y2="{middle}"/>',
            f'<text class="axis-label" x="{LEFT}" y="{TOP - 14}">↑ persons handed to Armenia</text>',
            f'<text class="axis-label" x="{WIDTH - RIGHT}" y="{HEIGHT - BOTTOM - 4}" text-anchor="end">'
            '↓ persons handed to Azerbaijan</text>']
    for r in _rows(releases):
        day = _day(r["date"])
        if day is None:
            continue
        x = axis.x(day)
        parts, tips = [], []
        for direction, sign in (("armenia", -1), ("azerbaijan", 1)):
            low, high = r[f"to_{direction}_min"], r[f"to_{direction}_max"]
            if missing(high):
                continue
            y1 = middle + sign * half * _scale(float(low), top)
            y2 = middle + sign * half * _scale(float(high), top)
            parts.append(f'<line class="bar bar-{direction}" x1="{x:.1f}" x2="{x:.1f}" y1="{middle}" '
                         f'y2="{y2:.1f}"/><line class="range range-{direction}" x1="{x - 4:.1f}" x2="{x + 4:.1f}" '
                         f'y1="{y1:.1f}" y2="{y1:.1f}"/>')
            tips.append(f"to {direction.capitalize()}: {_range(low, high)}")
        tip = f"{day:%d %b %Y}: " + ("; ".join(tips) or "no figure claimed") + f" ({r['n_sources']} sources)"
        event_id = escape(str(r["event_id"]))
        body.append(f'<a href="{link}{event_id}.html" class="mark" data-event-id="{event_id}" '
                    f'data-tip="{escape(tip)}"><title>{escape(tip)}</title>{"".join(parts)}'
                    f'<circle class="dot" cx="{x:.1f}" cy="{middle}" r="5"/></a>')
    return _frame("timeline", "Releases and exchanges, 2020 to now",
                  f"{len(releases)} releases on a time line; bars up show persons handed to Armenia, bars down "
                  "persons handed to Azerbaijan, each from the lowest to the highest figure any source gives "
                  "(square-root scale). The releases table lists the same figures.", body, axis)


def _range(low: Any, high: Any) -> str:
    if missing(low) or missing(high):
        return "—"
    return f"{int(low):,}" if low == high else f"{int(low):,}–{int(high):,}"


def held_chart(held: pd.DataFrame, link: str) -> str:
    """Every reported figure of Armenians held in Azerbaijan, at its as-of date: a circle for
    acknowledged custody (``held``), a square for unofficial figures; a line spans a claimed range.

    ``link`` is the relative path prefix of the source pages (``sources/``).
    """
    rows = held[held["as_of"].notna()]
    days = [d for d in (_day(v) for v in rows["as_of"]) if d is not None]
    axis = _axis_for(days)
    top = max(float(v) for c in ("value", "value_high") for v in rows[c].dropna())
    step = 50 if top > 120 else 20
    span = HEIGHT - BOTTOM - TOP

    def y(v: float) -> float:
        return HEIGHT - BOTTOM - span * v / (math.ceil(top / step) * step)

    body = []
    for v in range(0, int(math.ceil(top / step) * step) + 1, step):
        body.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
                    f'<text class="tick-label" x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>')
    for r in _rows(rows):
        day = _day(r["as_of"])
        if day is None or missing(r["value"]):
            continue
        x, value = axis.x(day), float(r["value"])
        low = value if missing(r["value_low"]) else float(r["value_low"])
        high = value if missing(r["value_high"]) else float(r["value_high"])
        who = r["attributed_to"] if isinstance(r["attributed_to"], str) else r["publisher"]
        tip = (f"{_range(low, high) if low != high else int(value)} {str(r['measure']).replace('_', ' ')}, "
               f"as of {day:%d %b %Y}, per {who} ({r['publisher']})")
        shape = (f'<circle class="point point-held" cx="{x:.1f}" cy="{y(value):.1f}" r="5"/>'
                 if r["measure"] == "held" else
                 f'<rect class="point point-unacknowledged" x="{x - 5:.1f}" y="{y(value) - 5:.1f}" width="10" '
                 f'height="10"/>')
        spread = (f'<line class="spread" x1="{x:.1f}" x2="{x:.1f}" y1="{y(low):.1f}" y2="{y(high):.1f}"/>'
                  if low != high else "")
        body.append(f'<a href="{link}{escape(str(r["source_id"]))}.html" class="claim" data-count-id="'
                    f'{escape(str(r["count_id"]))}" data-tip="{escape(tip)}"><title>{escape(tip)}</title>'
                    f'{spread}{shape}</a>')
    legend_y = TOP - 20
    body.append(f'<circle class="point point-held" cx="{LEFT + 6}" cy="{legend_y}" r="5"/>'
                f'<text class="legend" x="{LEFT + 16}" y="{legend_y + 4}">held (acknowledged custody)</text>'
                f'<rect class="point point-unacknowledged" x="{LEFT + 200}" y="{legend_y - 5}" width="10" height="10"/>'
                f'<text class="legend" x="{LEFT + 216}" y="{legend_y + 4}">unofficial figure</text>')
    return _frame("held-chart", "Armenians reported held in Azerbaijan, by as-of date",
                  f"{len(rows)} figures, each from one source, at the date it is given for. Circles are figures "
                  "of acknowledged custody, squares unofficial figures; a vertical line spans a claimed range. "
                  "The table below lists every figure with its source.", body, axis)
