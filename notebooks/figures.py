"""Shared plotting helpers for the analysis notebooks (not part of the amaz_detainees package).

Every figure gets a source line naming the dataset and its version, and is written to
``docs/figures/<name>.png`` (``../docs/figures`` from the notebooks) without a software stamp,
so an unchanged figure stays byte-identical.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import amaz_detainees as ad

FIGURE_DIR = Path(__file__).resolve().parent.parent / "docs" / "figures"

# Publisher side (sources.side) and claimant group (claims()["claimant_group"]) colours, used across notebooks.
SIDE_COLOURS = {"armenian": "#1f77b4", "azerbaijani": "#ff7f0e", "international": "#7f7f7f", "joint": "#9467bd"}
GROUP_COLOURS = {
    "armenian_government": "#1f77b4", "azerbaijani_government": "#ff7f0e", "nagorno_karabakh_authorities": "#17becf",
    "third_party": "#7f7f7f", "joint": "#9467bd", "ngo": "#2ca02c", "academic": "#8c564b", "media": "#e377c2",
    "other": "#bcbd22",
}

plt.rcParams.update({"figure.dpi": 100, "axes.grid": True, "grid.alpha": 0.3, "axes.axisbelow": True,
                     "legend.fontsize": 9, "legend.framealpha": 0.9})


def source_line(note: str = "") -> str:
    """The line printed at the foot of every figure."""
    return f"Source: amaz-detainees {ad.__version__} (CC BY 4.0).{' ' + note if note else ''}"


def save(fig: plt.Figure, name: str, note: str = "") -> Path:
    """Add the source line under the figure and write it to docs/figures/<name>.png; return the path."""
    fig.text(0.005, -0.01, source_line(note), ha="left", va="top", fontsize=8, color="0.3", wrap=True)
    FIGURE_DIR.mkdir(parents=True, exist_ok=True)
    path = FIGURE_DIR / f"{name}.png"
    fig.savefig(path, dpi=120, bbox_inches="tight", metadata={"Software": None})
    return path


def _day(d: pd.Timestamp) -> str:
    return f"{d.day} {d:%b %Y}"


def date_label(start: pd.Timestamp | None, end: pd.Timestamp | None = None, precision: str = "day") -> str:
    """A date as people write it, honest about its precision ('13 Dec 2023', 'Oct 2021', '4–5 Mar 2024',
    'about 29 Dec 2021', 'n.d.')."""
    if start is None or pd.isna(start):
        return f"by {_day(end)}" if end is not None and not pd.isna(end) else "n.d."
    if precision == "month":
        return f"{start:%b %Y}"
    if precision == "year":
        return f"{start:%Y}"
    if precision == "after":
        return f"{_day(start)} or later"
    if precision == "about":
        return f"about {_day(start)}"
    if precision == "range" and end is not None and not pd.isna(end) and end != start:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{_day(end)}"
        if start.year == end.year:
            return f"{start.day} {start:%b}–{_day(end)}"
        return f"{_day(start)}–{_day(end)}"
    return _day(start)


def source_labels(sources: pd.DataFrame) -> pd.Series:
    """source_id -> 'Publisher, date' (the label shown instead of an identifier or URL slug)."""
    dates = [date_label(s, e, str(p)) for s, e, p in
             zip(sources["published_start"], sources["published_end"], sources["published_precision"], strict=True)]
    labels = sources["publisher"].astype(str) + ", " + pd.Series(dates, index=sources.index)
    return pd.Series(labels.to_numpy(), index=sources["source_id"].to_numpy(), name="source")


NATIONALITY_WORD = {"ARM": "Armenians", "AZE": "Azerbaijanis", "mixed": "people of both sides", "SYR": "Syrians"}
HELD_BY_WORD = {"ARM": "Armenia", "AZE": "Azerbaijan", "both": "both sides"}
# How a measure in persons reads, with {side} the side in held_by (which side held, or released, the people).
PHRASE = {"released": "released by {side}", "held": "held by {side}", "captured": "captured by {side}",
          "held_unacknowledged": "held by {side}, unacknowledged", "sentenced": "sentenced by {side}",
          "remains_returned": "remains returned by {side}"}


class QuantityLabels:
    """Readable names for events and for the quantity a claim is about, from the events and places tables.

    ``overrides`` maps an event_id to the short name to use for it (e.g. '13 Dec handover').
    """

    def __init__(self, events: pd.DataFrame, places: pd.DataFrame, overrides: dict[str, str] | None = None):
        self.events = events.set_index("event_id")
        self.place_name = places.set_index("place_id")["name_en"]
        self.overrides = overrides or {}

    def event(self, event_id: str) -> str:
        """'capture, Hadrut, Dec 2020': event type, place (its English name carries both conventions), date."""
        if event_id in self.overrides:
            return self.overrides[event_id]
        ev = self.events.loc[event_id]
        where = f", {self.place_name[ev['place_id']]}" if pd.notna(ev["place_id"]) else ""
        when = date_label(ev["date_start"], ev["date_end"], str(ev["date_precision"]))
        return f"{str(ev['event_type']).replace('_', ' ')}{where}, {when}"

    def __call__(self, claim: pd.Series) -> str:
        """The quantity a claim (a row of claims()) is about, in words."""
        measure = str(claim["measure"])
        if claim["unit"] == "persons":
            who = NATIONALITY_WORD.get(claim["nationality"], claim["nationality"])
            phrase = PHRASE.get(measure, measure.replace("_", " ") + " (held by {side})")
            text = f"{who} " + phrase.format(side=HELD_BY_WORD.get(claim["held_by"], "unspecified side"))
        else:
            text = f"{measure.replace('_', ' ')} ({claim['unit']})"
        if pd.notna(claim["event_id"]):
            text = f"{self.event(claim['event_id'])}: {text}"
        if claim["subgroup"]:
            text += f" — part: {str(claim['population']).replace('_', ' ')}"
        if pd.notna(claim["origin_event_id"]) and str(claim["origin_event_id"]) != str(claim["event_id"]):
            text += f", taken in {self.event(claim['origin_event_id'])}"
        return text
