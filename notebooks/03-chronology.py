# %% [markdown]
# # Chronology: releases, the number held, and where sources disagree
#
# Three questions, answered from the derived views in `amaz_detainees.views` (computed from the tables on demand):
#
# 1. **Releases and exchanges** since 2020, by direction (people handed to Armenia, people handed to Azerbaijan) and
#    by the mediators sources name (`releases()`);
# 2. **How many Armenians were reported held in Azerbaijan** over time, acknowledged custody and unacknowledged
#    figures apart (`held_over_time()`);
# 3. **Where sources disagree, and by how much** (`claims()`, `reconcile("min")` and `reconcile("max")`).
#
# No view picks a "true" figure. Where sources differ, a release shows the lowest and the highest figure any source
# gives, and the number held shows every source's figure.

# %%
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from figures import GROUP_COLOURS, QuantityLabels, date_label, save, source_labels
from matplotlib.lines import Line2D

import amaz_detainees as ad
from amaz_detainees.views import claims, held_over_time, reconcile, releases

pd.set_option("display.max_colwidth", 80)
pd.set_option("display.width", 160)

events = ad.load("events")
places = ad.load("places")
actors = ad.load("actors")
sources = ad.load("sources")
label = source_labels(sources)
quantity_label = QuantityLabels(events, places)
figures_written: list[Path] = []

# %% [markdown]
# ## 1. Releases and exchanges
#
# One row per release or exchange. `to_armenia_*` counts people Azerbaijan handed over, `to_azerbaijan_*`
# Azerbaijanis Armenia handed over; `min` and `max` are the lowest and highest figure any source gives (equal where
# all sources agree; empty where no source reports anyone going that way). Places carry both naming conventions.

# %%
rel = releases()
rel["when"] = [date_label(s, e, str(p)) for s, e, p in
               zip(rel["date"], rel["date_end"], rel["date_precision"], strict=True)]
rel[["when", "event_type", "place", "to_armenia_min", "to_armenia_max", "to_azerbaijan_min", "to_azerbaijan_max",
     "mediators", "n_sources"]]

# %% [markdown]
# Totals per year. Because sources can differ, the total is itself a range: the sum of the lowest figures and the sum
# of the highest.

# %%
per_year = (rel.assign(year=rel["date"].dt.year.astype(str))
            .groupby("year")
            .agg(releases=("event_id", "size"),
                 to_armenia_min=("to_armenia_min", "sum"), to_armenia_max=("to_armenia_max", "sum"),
                 to_azerbaijan_min=("to_azerbaijan_min", "sum"), to_azerbaijan_max=("to_azerbaijan_max", "sum")))
pd.concat([per_year, per_year.sum().to_frame("all years").T])

# %% [markdown]
# Mediators as sources name them. A mediator is a claim made by a source (`event_actors`, role `mediator`); several
# sources can name different mediators for one release. Below, each named actor is grouped under the state or
# organisation it belongs to (`actors.parent_actor_id`), so that, say, a peacekeeping contingent's commander sits with
# the state that deployed it.

# %%
actor_by_name = actors.set_index("name")["actor_id"]
parent = actors.set_index("actor_id")["parent_actor_id"]
actor_name = actors.set_index("actor_id")["name"]


def top_level(actor_id: str) -> str:
    while pd.notna(parent[actor_id]):
        actor_id = parent[actor_id]
    return actor_id


mediation = (rel[["event_id", "date", "mediators"]].dropna(subset=["mediators"])
             .assign(mediator=lambda f: f["mediators"].str.split("; ")).explode("mediator"))
assert mediation["mediator"].isin(actor_by_name.index).all(), "every mediator in releases() should be an actor"
mediation["actor_id"] = mediation["mediator"].map(actor_by_name)
mediation["group"] = mediation["actor_id"].map(top_level).map(actor_name)
(mediation.groupby(["group", "mediator"])
 .agg(releases=("event_id", "nunique"), first=("date", "min"), last=("date", "max"))
 .reset_index())

# %% [markdown]
# The figure: top, persons handed over at each release (up: to Armenia; down: to Azerbaijan), a dot at the lowest
# figure any source gives and a bar up to the highest; bottom, which mediators sources name for each release.

# %%
groups = mediation.groupby("group")["date"].min().sort_values().index.tolist()
palette = [c for i, c in enumerate(plt.get_cmap("tab10").colors) if i != 7]  # grey is kept for "none named"
group_colour = {g: palette[i % len(palette)] for i, g in enumerate(groups)}
med_rows = (mediation.drop_duplicates("mediator")
            .assign(order=lambda f: f["group"].map({g: i for i, g in enumerate(groups)}))
            .sort_values(["order", "date"])["mediator"].tolist())
none_label = "no mediator named by any source"
med_rows.append(none_label)

fig, (top, bottom) = plt.subplots(2, 1, figsize=(12, 10), sharex=True, layout="constrained",
                                  gridspec_kw={"height_ratios": [1.1, 1]})
for direction, sign, colour, text in (("to_armenia", 1, "#1f77b4", "handed to Armenia"),
                                      ("to_azerbaijan", -1, "#ff7f0e", "handed to Azerbaijan")):
    d = rel.dropna(subset=[f"{direction}_min"])
    low = d[f"{direction}_min"].astype(float) * sign
    high = d[f"{direction}_max"].astype(float) * sign
    spans = (d["date_end"] - d["date"]).where(d["date_end"].notna(), pd.Timedelta(0))
    top.vlines(d["date"], 0, low, color=colour, lw=1, alpha=0.5)
    top.errorbar(d["date"], low, yerr=[(high - low).clip(lower=0), (low - high).clip(lower=0)][::sign],
                 xerr=[[pd.Timedelta(0)] * len(d), spans.tolist()], fmt="o", color=colour, ms=5, capsize=3,
                 label=f"persons {text} (dot: lowest figure; bar: up to the highest)")
top.axhline(0, color="0.3", lw=0.8)
top.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{abs(v):.0f}"))
top.set_ylabel("persons handed over\n(up: to Armenia; down: to Azerbaijan)")
top.set_title("Releases and exchanges between Armenia and Azerbaijan, by direction and named mediator")
top.legend(loc="upper right")
for i, mediator in enumerate(med_rows):
    if mediator == none_label:
        dates = rel.loc[rel["mediators"].isna(), "date"]
        colour = "0.5"
    else:
        dates = mediation.loc[mediation["mediator"] == mediator, "date"]
        colour = group_colour[mediation.loc[mediation["mediator"] == mediator, "group"].iloc[0]]
    bottom.plot(dates, [i] * len(dates), "s", color=colour, ms=7)
bottom.set_yticks(range(len(med_rows)), [textwrap.shorten(m, 45, placeholder="…") for m in med_rows], fontsize=9)
bottom.invert_yaxis()
bottom.set_ylabel("mediator named by a source")
bottom.set_xlabel("date of the release or exchange")
handles = [Line2D([], [], marker="s", ls="", color=group_colour[g], label=g) for g in groups]
handles.append(Line2D([], [], marker="s", ls="", color="0.5", label="none named"))
bottom.legend(handles=handles, title="state or organisation", loc="upper right", fontsize=8, title_fontsize=8)
figures_written.append(save(fig, "03-releases-timeline",
                            "Persons: lowest to highest figure across sources. Mediators: as named by at least one "
                            "source."))
plt.show()

# %% [markdown]
# ## 2. Armenians reported held in Azerbaijan, over time
#
# `held_over_time()` has one row per source's figure, dated by the figure's as-of date. `held` is custody the
# figure presents as acknowledged; `held_unacknowledged` covers people reported captured and believed held whose
# custody the holding side does not acknowledge (figures given as unofficial or documented but unconfirmed). The two
# are different quantities and are drawn apart. Hedged figures keep their hedge: "at least" points up, "about" is
# drawn as a diamond. A figure dated to a month or a range is drawn across that span.

# %%
held = held_over_time()
held["source"] = held["source_id"].map(label)
undated = held[held["as_of"].isna()]
dated = held.dropna(subset=["as_of"])
print(f"{len(held)} figures from {held['source_id'].nunique()} sources; {len(undated)} carry no as-of date and are "
      "listed below instead of plotted.")
undated[["measure", "value", "qualifier", "source", "attributed_to"]]

# %%
(held.groupby(["measure", "claimant_group"], observed=True)
 .agg(figures=("count_id", "size"), lowest=("value", "min"), highest=("value", "max"),
      first=("as_of", "min"), last=("as_of", "max")))

# %%
measure_colour = {"held": "#1f77b4", "held_unacknowledged": "#d62728"}
measure_text = {"held": "held (acknowledged custody)", "held_unacknowledged": "held, unacknowledged"}
qualifier_marker = {"exact": "o", "about": "D", "at_least": "^", "up_to": "v", "range": "s"}
qualifier_text = {"exact": "exact", "about": "about", "at_least": "at least", "up_to": "up to", "range": "range"}

fig, ax = plt.subplots(figsize=(12, 6.5), layout="constrained")
for claim in dated.itertuples():
    colour = measure_colour[claim.measure]
    if pd.notna(claim.as_of_end) and claim.as_of_end > claim.as_of:
        ax.plot([claim.as_of, claim.as_of_end], [claim.value, claim.value], color=colour, lw=2, alpha=0.6)
    if pd.notna(claim.value_low) or pd.notna(claim.value_high):
        lo = claim.value_low if pd.notna(claim.value_low) else claim.value
        hi = claim.value_high if pd.notna(claim.value_high) else claim.value
        if hi > lo:
            ax.plot([claim.as_of, claim.as_of], [lo, hi], color=colour, lw=2)
    ax.plot(claim.as_of, claim.value, qualifier_marker[claim.qualifier], color=colour, ms=7, alpha=0.8,
            markeredgecolor="white", markeredgewidth=0.5)
ax.set_ylim(bottom=0)
ax.set_xlabel("as-of date of the figure (date)")
ax.set_ylabel("Armenians reported held in Azerbaijan (persons)")
ax.set_title("Armenians reported held in Azerbaijan: every source's figure by its as-of date")
handles = [Line2D([], [], marker="o", ls="", color=c, label=measure_text[m]) for m, c in measure_colour.items()]
handles += [Line2D([], [], marker=qualifier_marker[q], ls="", color="0.4", label=f"figure given as {qualifier_text[q]}")
            for q in qualifier_marker if q in set(dated["qualifier"])]
handles.append(Line2D([], [], color="0.4", lw=2, alpha=0.6, label="figure dated to a month or range"))
ax.legend(handles=handles, loc="upper right")
figures_written.append(save(fig, "03-held-over-time",
                            f"One point per source's figure; {len(undated)} undated figures not shown."))
plt.show()

# %% [markdown]
# ## 3. Where sources disagree, and by how much
#
# `reconcile("min")` gives, per quantity, the lowest figure any source gives; `reconcile("max")` the highest. Their
# difference is the spread: 0 where every source agrees. A quantity is what the figures are about (`event_id`,
# `measure`, `unit`, `nationality`, `held_by`, origin event and, for parts of a group, the part).

# %%
lowest = reconcile("min")
highest = reconcile("max")
spread = lowest.merge(highest[["quantity", "value"]], on="quantity", suffixes=("_min", "_max"))
spread["spread"] = spread["value_max"] - spread["value_min"]
all_claims = claims()
first_claim = all_claims.drop_duplicates("quantity").set_index("quantity")
spread["what"] = spread["quantity"].map(first_claim.apply(quantity_label, axis=1))
several = spread[spread["n_claims"] > 1]
print(f"{len(spread)} quantities; {len(several)} have figures from more than one claim; "
      f"{int((several['spread'] > 0).sum())} of those have a spread above 0.")

# %% [markdown]
# A caution before ranking: a quantity with no event (how many are held, how many were released so far) groups
# figures given at *different dates*, so its spread mixes disagreement with change over time. For those, the
# comparison below only sets side by side figures with the **same as-of date** (taken from `claims()`).

# %%
count_ids = all_claims.groupby("quantity")["count_id"].agg(" ".join)
tied = several[several["event_id"].notna()].assign(as_of="", count_ids=lambda f: f["quantity"].map(count_ids))
stock_claims = all_claims[all_claims["event_id"].isna() & all_claims["as_of_start"].notna()]
same_date = (stock_claims.groupby(["quantity", "as_of_start", "as_of_end"], dropna=False)
             .agg(unit=("unit", "first"), n_claims=("count_id", "size"), value_min=("low", "min"),
                  value_max=("high", "max"), source_ids=("source_id", lambda s: " ".join(sorted(set(s)))),
                  count_ids=("count_id", " ".join), as_of_precision=("as_of_precision", "first"))
             .reset_index())
same_date = same_date[same_date["n_claims"] > 1]
same_date["spread"] = same_date["value_max"] - same_date["value_min"]
same_date["what"] = same_date["quantity"].map(first_claim.apply(quantity_label, axis=1))
same_date["as_of"] = [date_label(s, e, str(p)) for s, e, p in
                      zip(same_date["as_of_start"], same_date["as_of_end"], same_date["as_of_precision"], strict=True)]
columns = ["what", "as_of", "unit", "n_claims", "value_min", "value_max", "spread", "source_ids", "count_ids"]
disagreements = pd.concat([tied[columns], same_date[columns]], ignore_index=True)
disagreements["relative_spread"] = (disagreements["spread"] / disagreements["value_max"]).round(2)
disagreements["sources"] = disagreements["source_ids"].map(lambda ids: "; ".join(label[i] for i in ids.split()))
claimant = all_claims.set_index("count_id")["attributed_to"].fillna("(source's own figure)")
disagreements["claims_attributed_to"] = disagreements["count_ids"].map(
    lambda ids: "; ".join(sorted(set(claimant[ids.split()]))))
disagreements = disagreements.sort_values(["spread", "n_claims"], ascending=False).reset_index(drop=True)
disagreements[disagreements["spread"] > 0].drop(columns=["source_ids", "count_ids"])

# %% [markdown]
# A spread is not always a contradiction. Sources can count different things under one quantity: for instance, a
# figure for those held before an exchange and one for those still held after it. The package records such arithmetic
# in `count_relations` (see `ad.validate().relations`, and notebook 02 for the December 2023 exchange); the
# `evidence` and `source_term` of each claim (`claims()`) say what each source counted.
#
# The largest disagreements counted in persons, claim by claim: one row per quantity, a grey bar from the lowest to
# the highest figure, and one dot per claim coloured by the claimant group (whom the source attributes the figure to,
# or, for a source's own figure, the kind of source; see the codebook's `by_side` rule). A source's range is drawn as
# a line between two ticks.

# %%
top_n = disagreements[(disagreements["spread"] > 0) & (disagreements["unit"] == "persons")].head(12)
assert len(top_n) > 0, "expected at least one quantity on which sources disagree"
by_id = all_claims.set_index("count_id")
fig, ax = plt.subplots(figsize=(12, 0.6 * len(top_n) + 2), layout="constrained")
used_groups: set[str] = set()
for i, row in enumerate(top_n.itertuples()):
    rows = by_id.loc[row.count_ids.split()].sort_values(["value", "high"])
    assert rows["low"].min() == row.value_min and rows["high"].max() == row.value_max
    ax.plot([row.value_min, row.value_max], [i, i], color="0.8", lw=7, solid_capstyle="butt", zorder=1)
    for j, claim in enumerate(rows.itertuples()):
        y = i + (j - (len(rows) - 1) / 2) * min(0.08, 0.6 / len(rows))
        colour = GROUP_COLOURS[claim.claimant_group]
        if claim.qualifier == "range":
            ax.plot([claim.low, claim.high], [y, y], color=colour, lw=1.5, marker="|", ms=9, zorder=2)
        else:
            if claim.high > claim.low:
                ax.plot([claim.low, claim.high], [y, y], color=colour, lw=1.5, zorder=2)
            ax.plot(claim.value, y, "o", color=colour, ms=6, zorder=3)
        used_groups.add(claim.claimant_group)
ax.set_yticks(range(len(top_n)), [textwrap.fill(f"{r.what}{' (as of ' + r.as_of + ')' if r.as_of else ''}", 60)
                                  for r in top_n.itertuples()], fontsize=8.5)
ax.invert_yaxis()
ax.set_xlim(left=0)
ax.set_xlabel("persons")
ax.set_title("Where sources disagree most: every claim for the quantities with the widest spread")
handles = [Line2D([], [], color="0.8", lw=7, label="lowest to highest figure")]
handles += [Line2D([], [], marker="o", ls="", color=GROUP_COLOURS[g], label=g.replace("_", " "))
            for g in GROUP_COLOURS if g in used_groups]
ax.legend(handles=handles, title="claimant group", loc="lower right", fontsize=8, title_fontsize=8)
figures_written.append(save(fig, "03-disagreements",
                            "One dot per claim; quantities without an event compare only figures with the same as-of "
                            "date."))
plt.show()

# %% [markdown]
# ## Checks
#
# These fail the notebook (and CI) if a data change breaks what the chronology relies on.

# %%
handover = rel[(rel["date"] == "2023-12-13") & (rel["event_type"] == "exchange")]
assert len(handover) == 1, "the 13 Dec 2023 handover should be in releases()"
assert handover["to_armenia_min"].notna().all() and handover["to_azerbaijan_min"].notna().all()
assert (rel["to_armenia_min"].isna() | (rel["to_armenia_min"] <= rel["to_armenia_max"])).all()
assert (rel["to_azerbaijan_min"].isna() | (rel["to_azerbaijan_min"] <= rel["to_azerbaijan_max"])).all()
assert rel[["to_armenia_max", "to_azerbaijan_max"]].notna().any(axis=1).all(), "every release moves someone"
assert set(held["measure"]) == {"held", "held_unacknowledged"}
assert (spread["spread"] >= 0).all()
for path in figures_written:
    assert path.is_file() and path.stat().st_size > 0, path
print("written:", ", ".join(p.name for p in figures_written))
