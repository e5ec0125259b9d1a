# %% [markdown]
# # Quickstart: load, validate, join, and find the sources behind a figure
#
# `amaz-detainees` is a Frictionless Data Package on people held and released between Armenia and Azerbaijan since
# 2020, with a small Python package to read it. This notebook uses only the public API:
#
# - `ad.tables()`, `ad.load(name)`: the tables as typed pandas DataFrames;
# - `ad.validate()`: every check at once, as a report;
# - `ad.cite()`, `ad.cite_fact(table, key)`: the dataset citation, and the original sources behind one row.
#
# The key idea: one row of `counts` is **one source's figure for one quantity** (a claim). Where sources give
# different figures, each keeps its own row; nothing is averaged or deleted.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from figures import SIDE_COLOURS, save, source_labels

import amaz_detainees as ad

pd.set_option("display.max_colwidth", 80)
pd.set_option("display.width", 160)
print("amaz-detainees", ad.__version__)
figures_written: list[Path] = []

# %% [markdown]
# ## Tables and their sizes
#
# `ad.load(name)` returns a typed DataFrame: integers as `Int64`, dates as `datetime64`, coded fields as categoricals,
# text as strings. Each table's Table Schema (`ad.table_schema(name)`) gives its primary key and description.

# %%
tables = {name: ad.load(name) for name in ad.tables()}
def primary_key(name: str) -> str:
    key = ad.table_schema(name)["primaryKey"]
    return key if isinstance(key, str) else ", ".join(key)


pd.DataFrame([{"table": name, "rows": len(df), "columns": df.shape[1], "primary key": primary_key(name)}
              for name, df in tables.items()])

# %%
tables["counts"].dtypes.astype(str).to_frame("dtype").transpose()

# %% [markdown]
# ## Validate
#
# `ad.validate()` checks file integrity, types, constraints, keys, the rules across tables and the declared arithmetic
# between counts, and returns a report: `.ok`, `.errors` (one row per problem: table, row, field, check, message) and
# `.relations` (each declared relation, evaluated).

# %%
report = ad.validate()
assert report.ok, report.errors
print(f"valid: {report.ok}; errors: {len(report.errors)}; declared relations: {len(report.relations)}")
report.relations.groupby("scope", observed=True)["holds"].value_counts().unstack(fill_value=0)

# %% [markdown]
# A relation whose counts all come from one source must hold (validation fails otherwise); one across sources is
# evaluated and reported, agreeing or not. The across-source relations that do not agree:

# %%
report.relations[~report.relations["holds"].astype(bool)][["relation_id", "scope", "expression", "lhs", "rhs"]]

# %% [markdown]
# ## Join counts, sources and actors
#
# `counts.source_id` points to the document; `counts.attributed_to_actor_id`, where filled, to the actor the source
# attributes the figure to (an agency it relays, an official, unnamed activists). Empty means the source gives the
# figure in its own voice. Sources are labelled by publisher and publication date (never by URL).

# %%
counts, sources, actors = tables["counts"], tables["sources"], tables["actors"]
label = source_labels(sources)
joined = (counts
          .merge(sources[["source_id", "publisher", "publisher_type", "side"]], on="source_id", how="left",
                 validate="many_to_one")
          .merge(actors[["actor_id", "name", "claimant_group"]].rename(columns={"name": "attributed_to"}),
                 left_on="attributed_to_actor_id", right_on="actor_id", how="left", validate="many_to_one"))
joined["source"] = joined["source_id"].map(label)
assert len(joined) == len(counts) and joined["publisher"].notna().all()
joined[["count_id", "measure", "value", "qualifier", "unit", "source", "side", "attributed_to"]].head(8)

# %% [markdown]
# Who gives the figures: claims per publisher side, and how many of them the source attributes to another actor.

# %%
(joined.assign(attributed=joined["attributed_to"].notna())
 .groupby("side", observed=True)
 .agg(claims=("count_id", "size"), sources=("source_id", "nunique"), attributed_to_another_actor=("attributed", "sum")))

# %% [markdown]
# ## Find the sources for a figure
#
# Take the handover of 13 December 2023. First find the event (by date and type, not by identifier), then every
# source's figure for the people Azerbaijan handed to Armenia in it: whole-group figures only (`subgroup` false).

# %%
events = tables["events"]
handover = events[(events["date_start"] == "2023-12-13") & (events["event_type"] == "exchange")]
assert len(handover) == 1, "expected one exchange dated 13 Dec 2023"
handover_id = handover["event_id"].iloc[0]
print(handover["summary"].iloc[0])

to_armenia = joined[(joined["event_id"] == handover_id) & (joined["measure"] == "released")
                    & (joined["nationality"] == "ARM") & (joined["held_by"] == "AZE") & ~joined["subgroup"]]
to_armenia[["source", "side", "value", "qualifier", "population", "attributed_to", "locator", "evidence"]]

# %%
figures_given = sorted(to_armenia["value"].unique())
print(f"{to_armenia['source_id'].nunique()} sources give a figure for the people handed to Armenia on 13 Dec 2023; "
      f"distinct figures: {', '.join(map(str, figures_given))}")
assert to_armenia["source_id"].nunique() >= 2

# %% [markdown]
# `ad.cite_fact(table, key)` lists the original sources behind one row (publisher, title, date, URL and where in the
# document), followed by the dataset citation. Here: the figure given by a government source, where one gives it.

# %%
government = to_armenia[to_armenia["publisher_type"] == "government"]
count_id = (government if len(government) else to_armenia)["count_id"].iloc[0]
fact = ad.cite_fact("counts", count_id)
assert fact.sources["source_id"].tolist() == [to_armenia.set_index("count_id").loc[count_id, "source_id"]]
print(fact)

# %%
fact.sources[["publisher", "published", "locator", "via", "check_status"]]

# %% [markdown]
# The same works for any row. For the event itself, `cite_fact` follows `event_sources` to every source that reports
# it:

# %%
event_fact = ad.cite_fact("events", handover_id)
assert len(event_fact.sources) >= 1 and set(event_fact.sources["source_id"]) <= set(sources["source_id"])
(event_fact.sources.assign(source=lambda f: f["source_id"].map(label))
 [["source", "locator", "via", "check_status"]])

# %% [markdown]
# Cite the dataset itself with `ad.cite()` (APA by default; also `"bibtex"`, `"csl-json"`, `"cff"`), and the
# original sources behind any figure you use.

# %%
print(ad.cite())
print()
print(ad.cite("bibtex"))

# %% [markdown]
# ## Where the sources come from
#
# The figure counts sources (documents) by the year they were published and by publisher side (`sources.side`: the
# party, if any, the publisher belongs to or is aligned with; `international` for neither). Sources with no known
# publication date are counted apart.

# %%
year = sources["published_start"].dt.year.astype("Int64").astype("string").fillna("undated")
per_year = pd.crosstab(year, sources["side"].astype(str))
per_year = per_year.reindex(sorted(per_year.index, key=lambda y: (y == "undated", y)))
per_year = per_year[[s for s in SIDE_COLOURS if s in per_year.columns]]
assert per_year.to_numpy().sum() == len(sources)

fig, ax = plt.subplots(figsize=(9, 5), layout="constrained")
bottom = pd.Series(0, index=per_year.index)
for side_name in per_year.columns:
    ax.bar(per_year.index, per_year[side_name], bottom=bottom, color=SIDE_COLOURS[side_name],
           label=f"{side_name} publisher")
    bottom += per_year[side_name]
for x, total in zip(per_year.index, bottom, strict=True):
    ax.annotate(str(total), (x, total), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=9)
ax.set_ylim(0, bottom.max() * 1.12)
ax.set_xlabel("year of publication")
ax.set_ylabel("sources (documents)")
ax.set_title(f"Sources in amaz-detainees by year of publication and publisher side (n = {len(sources)})")
ax.legend(loc="upper right")
figures_written.append(save(fig, "01-sources-by-year", "One source is one document."))
plt.show()

# %% [markdown]
# ## Next
#
# - `02-december-2023-exchange`: the 7 Dec 2023 joint statement, its provisions, the handover and what each source
#   says about it.
# - `03-chronology`: every release since 2020, the number reported held over time, and where sources disagree.

# %%
for path in figures_written:
    assert path.is_file() and path.stat().st_size > 0, path
print("written:", ", ".join(p.name for p in figures_written))
