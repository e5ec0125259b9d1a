# %% [markdown]
# # The deals behind the releases
#
# Which agreements, statements, meetings and understandings do the sources tie to a release of detainees, what did
# each commit the parties to, and which handovers carried the commitments out, according to whom?
#
# 1. **The deals** (`agreements`, `agreement_parties`, `agreement_sources`): form, date and its precision, hosts and
#    mediators, and how many sources speak of each, with their stance (asserts, denies, questions);
# 2. **Commitments and what carried them out** (`views.agreements()`: one row per provision, with every source's
#    implementation claim and its side), and a timeline from each deal to the handovers claimed for it;
# 3. **Releases with and without a deal** (`views.releases()["agreement_ids"]`) and the quantities promised against
#    the persons moved (`ad.validate().provisions`).
#
# An implementation is a claim by a source, never the dataset's verdict: a source saying a clause was fulfilled and
# another saying it was not are both kept.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from figures import SIDE_COLOURS, date_label, save, source_labels
from matplotlib.lines import Line2D

import amaz_detainees as ad
from amaz_detainees.views import agreements, releases

pd.set_option("display.max_colwidth", 90)
pd.set_option("display.width", 160)

deals = ad.load("agreements")
parties = ad.load("agreement_parties")
accounts = ad.load("agreement_sources")
implementations = ad.load("implementations")
events = ad.load("events")
actors = ad.load("actors")
sources = ad.load("sources")
label = source_labels(sources)
actor_name = actors.set_index("actor_id")["name"]
side = sources.set_index("source_id")["side"].astype(str)
figures_written: list[Path] = []

# %% [markdown]
# ## 1. The deals
#
# Dates carry their precision: a deal known only to have existed by a date reads "by …". Hosts, mediators and
# facilitators are as the sources name them (one row per source in `agreement_parties`).

# %%
helpers = (parties[parties["party_role"].isin(["host", "mediator", "facilitator"])]
           .assign(who=lambda f: f["actor_id"].map(actor_name) + " (" + f["party_role"].astype(str) + ")")
           .groupby("agreement_id", observed=True)["who"].agg(lambda s: "; ".join(sorted(set(s)))))
stances = accounts.groupby(["agreement_id", "stance"], observed=True).size().unstack(fill_value=0)
table = deals.assign(
    when=[date_label(s, e, str(p)) for s, e, p in zip(deals["agreement_date_start"], deals["agreement_date_end"],
                                                      deals["agreement_date_precision"], strict=True)],
    hosts_and_mediators=deals["agreement_id"].map(helpers),
).join(stances, on="agreement_id").fillna({"asserts": 0, "denies": 0, "questions": 0})
table = table.assign(first=table["agreement_date_start"].fillna(table["agreement_date_end"])).sort_values("first")
table[["agreement_id", "when", "form", "hosts_and_mediators", "asserts", "denies", "questions"]]

# %% [markdown]
# Where sources dispute a deal or its link to a release, in their own stance (the evidence is the editors'
# paraphrase):

# %%
disputed = accounts[accounts["stance"].isin(["denies", "questions"])]
disputed.assign(source=disputed["source_id"].map(label), side=disputed["source_id"].map(side),
                claimed_by=disputed["attributed_to_actor_id"].map(actor_name))[
    ["agreement_id", "stance", "source", "side", "claimed_by", "evidence"]]

# %% [markdown]
# ## 2. Commitments and what carried them out
#
# One row per provision (`views.agreements()`). `implemented_by` lists the events at least one source says carried
# the provision out; `status_claims` keeps each source's claim with the side of its publisher.

# %%
view = agreements()
view[["agreement_id", "action", "quantity", "obligated", "beneficiary", "implemented_by", "implementation_dates",
      "status_claims", "n_sources"]]

# %%
# Every claimed implementation is on or after the deal (the validator checks this too).
claimed = view.dropna(subset=["implemented_by"])
for row in claimed.itertuples():
    first_event = min(pd.Timestamp(d) for d in row.implementation_dates.split())
    agreed = deals.set_index("agreement_id").loc[row.agreement_id, "agreement_date_start"]
    assert pd.isna(agreed) or first_event >= agreed, (row.provision_id, first_event, agreed)
print(f"{len(view)} provisions in {view['agreement_id'].nunique()} deals; "
      f"{claimed['provision_id'].nunique()} with at least one event that a source says carried them out")

# %% [markdown]
# The timeline: each deal on its own line, from the date it was reached to the handovers that a source says carried
# it out. A dot is one source's claim, coloured by the side of the source that makes it; a hollow marker is a claim
# that the provision was carried out only in part.

# %%
event_date = events.set_index("event_id")["date_start"]
order = (deals.assign(first=deals["agreement_date_start"].fillna(deals["agreement_date_end"]))
         .sort_values("first").reset_index(drop=True))
y = {a: i for i, a in enumerate(order["agreement_id"])}
provision_deal = ad.load("provisions").set_index("provision_id")["agreement_id"]
fig, ax = plt.subplots(figsize=(12, 0.42 * len(order) + 2))
for deal in order.itertuples():
    start = deal.agreement_date_start if pd.notna(deal.agreement_date_start) else deal.agreement_date_end
    end = deal.agreement_date_end if pd.notna(deal.agreement_date_end) else start
    ax.plot([start, end], [y[deal.agreement_id]] * 2, color="0.3", lw=4, solid_capstyle="butt")
    ax.plot([start], [y[deal.agreement_id]], marker="|" if deal.agreement_date_precision != "before" else "<",
            color="0.3", ms=10)
for claim in implementations.dropna(subset=["event_id"]).itertuples():
    deal_id = provision_deal[claim.provision_id]
    when = event_date[claim.event_id]
    row = y[deal_id]
    start = deals.set_index("agreement_id").loc[deal_id, ["agreement_date_start", "agreement_date_end"]].dropna().min()
    colour = SIDE_COLOURS[side[claim.source_id]]
    ax.plot([start, when], [row, row], color=colour, lw=0.8, alpha=0.6)
    partly = claim.status == "partly_carried_out"
    ax.plot([when], [row], marker="o", ms=7, color=colour, markerfacecolor="white" if partly else colour)
ax.set_yticks(list(y.values()))
ax.set_yticklabels([f"{d.agreement_id.removeprefix('agr-')} ({d.form.replace('_', ' ')})" for d in order.itertuples()],
                   fontsize=8)
ax.invert_yaxis()
ax.set_xlabel("date")
ax.set_title("Deals tied to the detainee question, and the handovers sources say carried them out")
handles = [Line2D([], [], color="0.3", lw=4, label="date the deal was reached (bar: a range; ◀: by that date)")]
SIDE_WORDS = {"armenian": "an Armenian-side", "azerbaijani": "an Azerbaijani-side", "international": "an international",
              "joint": "a joint"}
handles += [Line2D([], [], marker="o", color=c, lw=0.8, label=f"handover claimed by {SIDE_WORDS[s]} source")
            for s, c in SIDE_COLOURS.items() if s in set(side[implementations["source_id"]])]
handles += [Line2D([], [], marker="o", color="0.4", markerfacecolor="white", lw=0,
                   label="claimed as carried out in part")]
ax.legend(handles=handles, loc="upper right", fontsize=8)
figures_written.append(save(fig, "04-agreements-timeline",
                            "Each dot is one source's claim that a handover carried out a provision of the deal."))
plt.show()

# %% [markdown]
# ## 3. Releases with and without a deal, and the numbers promised
#
# `agreement_ids` lists the deals that a source ties to each release; an empty value means no source in the package
# does (not that there was none).

# %%
rel = releases()
rel["when"] = [date_label(s, e, str(p)) for s, e, p in zip(rel["date"], rel["date_end"], rel["date_precision"],
                                                          strict=True)]
print(f"{rel['agreement_ids'].notna().sum()} of {len(rel)} releases have a deal that a source ties to them")
rel[["when", "to_armenia_min", "to_armenia_max", "to_azerbaijan_min", "to_azerbaijan_max", "agreement_ids"]]

# %%
compared = ad.validate().provisions
assert len(compared) > 0, "no release provision with a quantity to compare"
compared.assign(agrees=compared["agrees"].astype("boolean"))

# %%
print("figures written:", *[p.name for p in figures_written])
