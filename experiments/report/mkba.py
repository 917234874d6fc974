"""The societal cost-benefit table (maatschappelijke kosten-batenanalyse, MKBA) per actor.

Per variant against the baseline variant, paired on replication: the change in what each
actor pays or gives, in euros per inhabitant per year (whole-run average), with the 90%
interval (p5-p95) of the paired differences. A positive change is a cost to that actor, a
negative one a benefit (a saving). Actors:

- municipality: Wmo, youth, participation and welfare together;
- insurers (Zvw), the Wlz, citizens (their own contributions), care-finding places;
- carers: informal care hours valued at the replacement price
  (`prices.eur.informal_care_replacement`; the model's `informal_care_value` outcome), with
  the change in hours beside it. Carers' hours are not in the chain cost: the table's
  society row adds them to it.

The input is the long outcomes table, grouped on `design` (compare puts variant names there).
"""

from __future__ import annotations

import pandas as pd

from experiments import stats
from experiments.report.style import financier_outcome
from experiments.report.texts import t

MUNICIPAL = ("wmo", "youth", "participation", "welfare")
INFORMAL_VALUE = "informal_care_value_eur_per_inhabitant_per_year"
INFORMAL_HOURS = "informal_care_hours_per_inhabitant_per_year"
ACTORS: dict[str, tuple[str, ...]] = {
    "municipality": tuple(financier_outcome(f) for f in MUNICIPAL),
    "insurers_zvw": (financier_outcome("zvw"),),
    "wlz": (financier_outcome("wlz"),),
    "citizens_own_contribution": (financier_outcome("own_contribution"),),
    "care_finding_places": (financier_outcome("care_finding_places"),),
    "carers_informal_care": (INFORMAL_VALUE,),
}
SOCIETY = "society"
COLUMNS = [
    "design",
    "actor",
    "change_eur_per_inhabitant_per_year",
    "p5",
    "p95",
    "share_of_replications_cheaper",
    "verdict",
    "change_eur_per_year_municipality",
    "change_hours_per_inhabitant_per_year",
    "n",
]


def actor_outcomes(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per run and year, one outcome `mkba__<actor>` per actor and `mkba__society`."""
    keys = ["run_id", "design", "replication", "year"]
    parts = []
    for actor, names in ACTORS.items():
        rows = outcomes[outcomes["outcome"].isin(names)]
        if rows.empty:
            continue
        total = rows.groupby(keys, as_index=False)["value"].sum()
        parts.append(total.assign(outcome=f"mkba__{actor}", unit="eur per inhabitant per year"))
    if not parts:
        return pd.DataFrame(columns=[*keys, "outcome", "value", "unit"])
    actors = pd.concat(parts, ignore_index=True)
    society = actors.groupby(keys, as_index=False)["value"].sum()
    society = society.assign(outcome=f"mkba__{SOCIETY}", unit="eur per inhabitant per year")
    return pd.concat([actors, society], ignore_index=True)


def _verdict(p5: float, p95: float) -> str:
    if p95 < 0:
        return "benefit"
    if p5 > 0:
        return "cost"
    return "uncertain"


def societal_table(outcomes: pd.DataFrame, baseline: str, inhabitants: int) -> pd.DataFrame:
    """Per non-baseline variant and actor: the paired change in cost (+) or benefit (-).

    `verdict` is cost / benefit when the 90% interval of the paired differences lies wholly
    above / below zero, else uncertain. The change for the whole municipality scales the
    per-inhabitant change by its `inhabitants` (not by the simulated sample).
    """
    data = actor_outcomes(outcomes)
    if data.empty or data["design"].nunique() < 2:
        return pd.DataFrame(columns=COLUMNS)
    diffs = stats.paired_differences(data, baseline=baseline, year=0)
    hours = outcomes[outcomes["outcome"] == INFORMAL_HOURS]
    hdiff = (
        stats.paired_differences(hours, baseline=baseline, year=0).set_index("design")["median"]
        if hours["design"].nunique() > 1
        else pd.Series(dtype=float)
    )
    order = [*ACTORS, SOCIETY]
    rows = []
    for _, r in diffs.iterrows():
        actor = r["outcome"].removeprefix("mkba__")
        rows.append(
            {
                "design": r["design"],
                "actor": actor,
                "change_eur_per_inhabitant_per_year": r["median"],
                "p5": r["p5"],
                "p95": r["p95"],
                "share_of_replications_cheaper": r["share_lower"],
                "verdict": _verdict(r["p5"], r["p95"]),
                "change_eur_per_year_municipality": r["median"] * inhabitants,
                "change_hours_per_inhabitant_per_year": (
                    float(hdiff.get(r["design"], float("nan")))
                    if actor == "carers_informal_care"
                    else float("nan")
                ),
                "n": int(r["n"]),
            }
        )
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["_order"] = table["actor"].map({a: i for i, a in enumerate(order)})
    return table.sort_values(["design", "_order"]).drop(columns="_order").reset_index(drop=True)


def actor_name(actor: str, lang: str = "nl") -> str:
    """Display name of an actor of the table (texts/<lang>.yaml, `actors`)."""
    return t(f"actors.{actor}", lang)


__all__ = ["ACTORS", "SOCIETY", "actor_name", "actor_outcomes", "societal_table"]
