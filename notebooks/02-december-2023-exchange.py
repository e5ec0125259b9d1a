# %% [markdown]
# # The December 2023 exchange
#
# On 7 December 2023 the Office of the Prime Minister of Armenia and the Administration of the President of
# Azerbaijan issued a joint statement; the people it covered were handed over on 13 December 2023. This notebook
# reads, from the data alone:
#
# 1. the agreement: who issued it and what each party undertook (`agreements`, `agreement_parties`, `provisions`);
# 2. its implementation: which event carried out each commitment, per source (`implementations` → `events`);
# 3. the COP29 part of the statement: the provisions about the COP29 bid and the COP Bureau, and the events around
#    them;
# 4. what each source says about the exchange, figure by figure, and where the sources differ.
#
# Every figure in `counts` is one source's claim. Sources are labelled by publisher and publication date.

# %%
import textwrap
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from figures import SIDE_COLOURS, QuantityLabels, date_label, save, source_labels
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

import amaz_detainees as ad
from amaz_detainees.views import claims, releases

pd.set_option("display.max_colwidth", 90)
pd.set_option("display.width", 160)

agreements = ad.load("agreements")
parties = ad.load("agreement_parties")
provisions = ad.load("provisions")
implementations = ad.load("implementations")
events = ad.load("events")
event_sources = ad.load("event_sources")
actors = ad.load("actors")
sources = ad.load("sources")
places = ad.load("places")

actor_name = actors.set_index("actor_id")["name"]
label = source_labels(sources)
side = sources.set_index("source_id")["side"].astype(str)
figures_written: list[Path] = []

# %% [markdown]
# ## The agreement
#
# The agreement is picked from the data (the joint statement dated 7 December 2023), not by its identifier.

# %%
agreement = agreements[(agreements["agreement_date_start"] == "2023-12-07") & (agreements["form"] == "joint_statement")]
assert len(agreement) == 1, "expected exactly one joint statement dated 7 Dec 2023"
agreement = agreement.iloc[0]
agreement_id = agreement["agreement_id"]
pd.Series({
    "title (editors' neutral title)": agreement["agreement_title"],
    "date": date_label(agreement["agreement_date_start"]),
    "form": agreement["form"],
    "text carried by": label[agreement["text_source_id"]],
    "hosts or mediators named": ", ".join(actor_name[a] for a in parties.loc[
        (parties["agreement_id"] == agreement["agreement_id"])
        & parties["party_role"].isin(["host", "mediator"]), "actor_id"]) or "none named",
    "editors' note": agreement["note"],
}).to_frame("value")

# %% [markdown]
# Parties to, and issuers of, the statement:

# %%
(parties[parties["agreement_id"] == agreement_id]
 .assign(actor=lambda f: f["actor_id"].map(actor_name), source=lambda f: f["source_id"].map(label))
 [["party_role", "actor", "source", "locator"]])

# %% [markdown]
# ## What each party undertook, and what carried it out
#
# One row per provision, in the order of the text. `carried_out_by` is the event that at least one source says
# carried the provision out (`implementations`, one row per source's claim); empty means no source in the package
# describes it being carried out (not that it was not).

# %%
event_info = events.set_index("event_id")
carried = implementations[implementations["status"].isin(["carried_out", "partly_carried_out"])]
implemented_by = (carried.dropna(subset=["event_id"]).drop_duplicates("provision_id")
                  .set_index("provision_id")["event_id"])
commitments = (provisions[provisions["agreement_id"] == agreement_id].sort_values("seq")
               .assign(implemented_by_event_id=lambda f: f["provision_id"].map(implemented_by).astype("string"),
                       implementation_claims=lambda f: f["provision_id"].map(
                           implementations.groupby("provision_id", observed=True).size()).fillna(0).astype(int))
               .assign(obligated=lambda f: f["obligated_actor_id"].map(actor_name),
                       beneficiary=lambda f: f["beneficiary_actor_id"].map(actor_name),
                       carried_out_by=lambda f: f["implemented_by_event_id"].map(event_info["event_type"]).astype(
                           "string"),
                       on=lambda f: f["implemented_by_event_id"].map(event_info["date_start"]).map(
                           lambda d: date_label(d) if pd.notna(d) else None)))
commitments[["seq", "obligated", "action", "quantity", "object", "beneficiary", "implementation_claims",
              "carried_out_by", "on"]]

# %% [markdown]
# The release commitments and the handover that carried them out. The handover's place is shown with both naming
# conventions where the `places` table has them.

# %%
release_provisions = commitments[commitments["action"] == "release_persons"]
handover_ids = release_provisions["implemented_by_event_id"].dropna().unique()
assert len(handover_ids) == 1, "both release commitments should be carried out by one handover"
handover_id = handover_ids[0]
statement_id = agreement["event_id"]
handover = event_info.loc[handover_id]
place_info = places.set_index("place_id")


def place_name(place_id: str) -> str:
    """A place with both naming conventions where they differ, and the place it lies in."""
    p = place_info.loc[place_id]
    usage = [f"{who} usage: {p[f'name_{who.lower()}_usage']}" for who in ("Armenian", "Azerbaijani")
             if pd.notna(p[f"name_{who.lower()}_usage"]) and p[f"name_{who.lower()}_usage"] not in p["name_en"]]
    text = f"{p['name_en']} ({p['place_kind']}{'; ' + ', '.join(usage) if usage else ''})"
    if pd.notna(p["parent_place_id"]):
        text += f", in {place_name(p['parent_place_id'])}"
    return text


when = date_label(handover["date_start"], handover["date_end"], str(handover["date_precision"]))
print(f"Handover: {handover['event_type']} on {when} at {place_name(handover['place_id'])}")
print("Editors' summary:", handover["summary"])

# The handover is in the releases view, with the figures the statement committed to.
rel = releases().set_index("event_id")
assert handover_id in rel.index
row = rel.loc[handover_id]
committed = release_provisions.set_index("beneficiary_actor_id")["quantity"]
print(f"Persons handed to Armenia (min–max across sources): {row['to_armenia_min']}–{row['to_armenia_max']}; "
      f"committed in the statement: {committed['arm']}")
print(f"Persons handed to Azerbaijan (min–max across sources): {row['to_azerbaijan_min']}–{row['to_azerbaijan_max']}; "
      f"committed in the statement: {committed['aze']}")
assert row["to_armenia_min"] <= committed["arm"] <= row["to_armenia_max"]
assert row["to_azerbaijan_min"] <= committed["aze"] <= row["to_azerbaijan_max"]

# %% [markdown]
# ## The COP29 part of the statement
#
# The provisions about the COP29 bid and the COP Bureau, then every event in the package dated between the
# statement and a few days after the handover, with how many sources report each. The figure below places each
# source's date for each event.

# %%
cop = commitments[commitments["object"].str.contains("COP", regex=False)]
assert len(cop) >= 2, "the statement's COP29 / COP Bureau provisions are missing"
cop[["seq", "obligated", "action", "object", "beneficiary", "implementation_claims", "carried_out_by", "note"]]

# %%
window_start = agreement["agreement_date_start"] - pd.Timedelta(days=2)
window_end = handover["date_end"] + pd.Timedelta(days=2)
in_window = events[(events["date_start"] >= window_start) & (events["date_start"] <= window_end)
                   & (events["date_end"] <= window_end)]
reported = event_sources[event_sources["event_id"].isin(in_window["event_id"])]
around = (in_window.assign(date=[date_label(s, e, str(p)) for s, e, p in
                                 zip(in_window["date_start"], in_window["date_end"], in_window["date_precision"],
                                     strict=True)],
                           n_sources=in_window["event_id"].map(reported.groupby("event_id")["source_id"].nunique()))
          .sort_values(["date_start", "event_id"]))
around[["date", "event_type", "n_sources", "summary"]]

# %%
order = around["event_id"].tolist()
ypos = {event_id: i for i, event_id in enumerate(order)}
half_day, day = pd.Timedelta(hours=12), pd.Timedelta(days=1)
fig, ax = plt.subplots(figsize=(11, 0.65 * len(order) + 1.8), layout="constrained")
for i, ev in enumerate(around.itertuples()):
    ax.barh(i, ev.date_end + day - ev.date_start, left=ev.date_start, height=0.6, color="0.85", zorder=1)
dated = reported.dropna(subset=["claimed_start"])
for event_id, group in dated.groupby("event_id", sort=False):
    for j, claim in enumerate(group.itertuples()):
        y = ypos[event_id] + (j - (len(group) - 1) / 2) * 0.1
        end = claim.claimed_end if pd.notna(claim.claimed_end) else claim.claimed_start
        colour = SIDE_COLOURS[side[claim.source_id]]
        ax.plot([claim.claimed_start + half_day, end + half_day], [y, y], color=colour, lw=1.5, zorder=2)
        ax.plot(claim.claimed_start + half_day, y, "o", color=colour, ms=5, zorder=3)
ax.set_yticks(range(len(order)), [textwrap.fill(textwrap.shorten(ev.summary, 100, placeholder="…")
                                                + f" ({ev.n_sources}\u00a0src.)", 55) for ev in around.itertuples()],
              fontsize=8.5)
ax.invert_yaxis()
ax.xaxis.set_major_locator(mdates.DayLocator())
ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
ax.set_xlabel("date (day)")
ax.set_ylabel("event (editors' summary; number of sources reporting it)")
agreed = agreement["agreement_date_start"]
ax.set_title(f"Events around the {agreed.day} {agreed:%b %Y} joint "
             "statement: the date each source gives")
handles = [Patch(color="0.85", label="date coded for the event")]
handles += [Line2D([], [], marker="o", color=c, lw=1.5, label=f"date given by a source ({s} publisher)")
            for s, c in SIDE_COLOURS.items() if s in set(side[dated["source_id"]])]
ax.legend(handles=handles, loc="lower left", fontsize=8)
undated = reported["claimed_start"].isna().sum()
figures_written.append(save(fig, "02-december-2023-timeline",
                            f"One dot per source's date for an event; {undated} reports that give no date are "
                            "not shown."))
plt.show()

# %% [markdown]
# ## What each source says about the exchange
#
# Every figure in `counts` tied to the statement or the handover: one row per source's claim, with the publisher's
# side, who the source attributes the figure to (empty: the source's own voice) and the source's own term for the
# people (its wording, which may be loaded, attributed to it). `subgroup` marks a figure for part of the people.

# %%
describe = QuantityLabels(events, places, overrides={
    statement_id: f"{agreement['agreement_date_start'].day} {agreement['agreement_date_start']:%b} statement",
    handover_id: f"{handover['date_start'].day} {handover['date_start']:%b} handover"})
all_claims = claims()
all_claims["source"] = all_claims["source_id"].map(label)
all_claims["what"] = all_claims.apply(describe, axis=1)
exchange = all_claims[all_claims["event_id"].isin([statement_id, handover_id]) & all_claims["unit"].eq("persons")]
(exchange.sort_values(["subgroup", "what", "source"])
 [["what", "source", "source_side", "value", "qualifier", "population", "attributed_to", "source_term"]]
 .reset_index(drop=True))

# %% [markdown]
# Per quantity: how many sources give a figure, the lowest and highest figure, and how the sources describe the
# people counted (`population`, the dataset's coding of each source's description).

# %%
summary = (exchange.groupby("what", sort=False)
           .agg(subgroup=("subgroup", "first"), n_sources=("source_id", "nunique"),
                lowest=("low", "min"), highest=("high", "max"),
                populations=("population", lambda s: ", ".join(sorted(s.dropna().unique()))),
                publisher_sides=("source_side", lambda s: ", ".join(sorted(s.unique())))))
summary.sort_values("n_sources", ascending=False)

# %%
whole = summary[~summary["subgroup"].astype(bool)]
agree = whole[whole["lowest"] == whole["highest"]]
print(f"{len(agree)} of {len(whole)} whole-group quantities have one figure across all the sources that give it.")
for what, r in whole.iterrows():
    print(f"  {what}: {r['lowest']}–{r['highest']} persons, {r['n_sources']} source(s); populations coded: "
          f"{r['populations']}")

# %% [markdown]
# ## Where the sources differ
#
# The same sources also give figures for related quantities: how many Armenians were held in Azerbaijan around the
# time of the exchange, and how many were captured in the events some of the released people came from. Below,
# every figure in persons that a source reporting the statement or the handover gives.

# %%
reporting = set(event_sources.loc[event_sources["event_id"].isin([statement_id, handover_id]), "source_id"]) | set(
    exchange["source_id"])
related = all_claims[all_claims["source_id"].isin(reporting) & all_claims["unit"].eq("persons")
                     & ~all_claims["event_id"].isin([statement_id, handover_id])]
related = related.assign(as_of=[date_label(s, e, str(p)) for s, e, p in
                                zip(related["as_of_start"], related["as_of_end"], related["as_of_precision"],
                                    strict=True)])
(related.sort_values(["subgroup", "what", "value"])
 [["what", "as_of", "source", "value", "qualifier", "attributed_to", "claimant_group"]].reset_index(drop=True))

# %% [markdown]
# Where figures differ, quantity by quantity: each distinct figure and the sources that give it (the whole group
# first, then parts of it).

# %%
differing = pd.concat([exchange, related])
differing = differing[differing.groupby("what")["value"].transform("nunique") > 1]
(differing.groupby(["subgroup", "what", "value"])["source"].agg(lambda s: "; ".join(sorted(set(s))))
 .rename("sources giving this figure").reset_index(level="subgroup", drop=True).to_frame())

# %% [markdown]
# Declared arithmetic between these figures (`count_relations`, evaluated by `ad.validate()`): a relation within one
# source must hold; one across sources is reported as agreeing or not. This is how the package records that a figure
# for those held *before* the exchange and one for those *still held after it* are different quantities, not
# conflicting claims about one.

# %%
report = ad.validate()
assert report.ok, report.errors
terms = ad.load("count_relation_terms")
shown = set(exchange["count_id"]) | set(related["count_id"])
relation_ids = terms.loc[terms["count_id"].isin(shown), "relation_id"].unique()
relations = report.relations[report.relations["relation_id"].isin(relation_ids)]
rel_text = ad.load("count_relations").set_index("relation_id")["relation_text"]
claim_source = all_claims.set_index("count_id")["source_id"]
relation_sources = (terms.assign(source=terms["count_id"].map(claim_source).map(label))
                    .groupby("relation_id")["source"].agg(lambda s: "; ".join(sorted(set(s)))))
(relations.assign(relation=relations["relation_id"].map(rel_text),
                  sources=relations["relation_id"].map(relation_sources))
 [["scope", "relation", "expression", "holds", "sources"]].reset_index(drop=True))

# %% [markdown]
# The figure puts every one of these claims on one chart: one row per quantity, one dot per source's figure
# (coloured by the publisher's side; hollow where the source attributes the figure to someone else), and a bar where
# a source gives a range or a bound.

# %%
plotted = pd.concat([exchange.assign(section=0), related.assign(section=1)])
# Figures not tied to an event (how many were held) get the span of their as-of dates in the label.
undated_quantity = plotted["event_id"].isna()
span = plotted[undated_quantity].groupby("what").agg(first=("as_of_start", "min"), last=("as_of_end", "max"))
span_text = {w: f"{r['first']:%b %Y}" if f"{r['first']:%b %Y}" == f"{r['last']:%b %Y}"
             else f"{r['first']:%b %Y}–{r['last']:%b %Y}" for w, r in span.iterrows()}
plotted["row"] = [f"{w} (as of {span_text[w]})" if w in span_text else w for w in plotted["what"]]
rows = (plotted.groupby("row", sort=False).agg(subgroup=("subgroup", "first"), section=("section", "first"),
                                               top=("high", "max"))
        .reset_index().sort_values(["subgroup", "section", "top"], ascending=[True, True, False])
        .reset_index(drop=True))
ypos = dict(zip(rows["row"], rows.index, strict=True))
fig, ax = plt.subplots(figsize=(12, 0.5 * len(rows) + 2), layout="constrained")
for what, group in plotted.groupby("row", sort=False):
    group = group.sort_values(["value", "source"])
    for j, claim in enumerate(group.itertuples()):
        y = ypos[what] + (j - (len(group) - 1) / 2) * min(0.1, 0.7 / max(len(group), 1))
        colour = SIDE_COLOURS[claim.source_side]
        if claim.low != claim.high or claim.qualifier in ("at_least", "up_to", "about"):
            ax.plot([claim.low, claim.high], [y, y], color=colour, lw=2)
        own_voice = pd.isna(claim.attributed_to)
        ax.plot(claim.value, y, "o", ms=6, color=colour, markerfacecolor=colour if own_voice else "white")
    ax.annotate(f"{group['source_id'].nunique()} src.", (group["high"].max(), ypos[what]), xytext=(8, 0),
                textcoords="offset points", va="center", fontsize=8, color="0.3")
ax.set_yticks(rows.index, [textwrap.fill(r, 60) for r in rows["row"]], fontsize=9)
ax.invert_yaxis()
n_whole = int((~rows["subgroup"]).sum())
ax.axhline(n_whole - 0.5, color="0.5", lw=0.8, ls="--")
ax.set_xlabel("persons")
ax.set_xlim(0, plotted["high"].max() * 1.12)
ax.set_title("The December 2023 exchange: every source's figure, quantity by quantity\n"
             "(above the dashed line: whole groups; below: parts of a group)")
handles = [Line2D([], [], marker="o", ls="", color=c, label=f"{s} publisher")
           for s, c in SIDE_COLOURS.items() if s in set(plotted["source_side"])]
handles += [Line2D([], [], marker="o", ls="", color="0.3", label="source's own figure"),
            Line2D([], [], marker="o", ls="", color="0.3", markerfacecolor="white",
                   label="figure the source attributes to another actor")]
ax.legend(handles=handles, loc="lower right", fontsize=8)
figures_written.append(save(fig, "02-december-2023-claims", "One dot per source's claim; 'src.': number of sources."))
plt.show()

# %% [markdown]
# ## Checks
#
# These fail the notebook (and CI) if a data change breaks what the analysis relies on.

# %%
assert commitments.loc[commitments["action"] == "release_persons", "implemented_by_event_id"].notna().all()
assert (release_provisions["quantity"].to_numpy() == all_claims.set_index("count_id").loc[
    release_provisions["count_id"], "value"].to_numpy()).all(), "provision quantities should match their counts"
assert exchange["source_id"].nunique() >= 2, "the exchange should be reported by several sources"
assert relations["holds"].notna().all()
for path in figures_written:
    assert path.is_file() and path.stat().st_size > 0, path
print("written:", ", ".join(p.name for p in figures_written))
