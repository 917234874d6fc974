"""Present value (contante waarde) and payback year (terugverdientijd) per variant.

A Dutch societal cost-benefit analysis (MKBA) discounts future costs and benefits: a euro
spent in year 10 weighs less than one spent in year 1. Per run, each actor's cost of the
societal cost-benefit table (`experiments.report.mkba`: the municipality, insurers, the Wlz,
citizens, care-finding places, carers' hours valued) is discounted per simulated year at
`DISCOUNT_RATE` to the first simulated year (year 1 is not discounted, year y by
(1 + rate)^(y - 1)) and summed over the years: the present value in euros per inhabitant.
Per variant against the baseline, paired on replication: the difference in present value
(median and 90% interval), for the whole municipality too, and the payback year: the first
year from which the median cumulative discounted difference of the variant stays at or below
zero to the end of the run (None when it is still above zero in the last year).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.report.mkba import ACTORS, SOCIETY, actor_outcomes

# Real discount rate per year for a Dutch MKBA: the standard rate of the Werkgroep
# Discontovoet 2020 advice (Rapport Werkgroep Discontovoet 2020, adopted by the cabinet in
# 2020): 2.25% real (a fixed risk premium over a risk-free real rate of 0%). The model's
# prices are constant (real) euros, so a real rate applies. Unit: share per year.
DISCOUNT_RATE = 0.0225
DISCOUNT_SOURCE = "Werkgroep Discontovoet 2020 (2.25% real)"

COLUMNS = [
    "design",
    "actor",
    "present_value_eur_per_inhabitant",
    "difference_eur_per_inhabitant",
    "p5",
    "p95",
    "difference_eur_municipality",
    "payback_year",
    "years",
    "discount_rate",
    "n",
]


def discount_factor(year: int | np.ndarray | pd.Series, rate: float = DISCOUNT_RATE) -> np.ndarray:
    """The weight of simulated `year` (1 = the first, not discounted) at `rate` per year."""
    return 1.0 / (1.0 + rate) ** (np.asarray(year) - 1)


def discounted(outcomes: pd.DataFrame, rate: float = DISCOUNT_RATE) -> pd.DataFrame:
    """Per run, actor (`mkba__<actor>`) and simulated year: the discounted cost and the
    cumulative discounted cost since year 1 (`cumulative`), euros per inhabitant."""
    data = actor_outcomes(outcomes[outcomes["year"] > 0])
    if data.empty:
        return data.assign(cumulative=pd.Series(dtype=float))
    data = data.sort_values(["run_id", "outcome", "year"]).reset_index(drop=True)
    data["value"] = data["value"] * discount_factor(data["year"], rate)
    data["cumulative"] = data.groupby(["run_id", "outcome"])["value"].cumsum()
    return data


def present_value_of(yearly: pd.DataFrame, outcome: str, rate: float = DISCOUNT_RATE) -> float:
    """One run's present value of a yearly outcome (long table: year, outcome, value; year
    1 is the first simulated year): the sum over years >= 1 of the value discounted at
    `rate`. NaN when the run has no such outcome."""
    rows = yearly[(yearly["outcome"] == outcome) & (yearly["year"] > 0)]
    if rows.empty:
        return float("nan")
    return float((rows["value"].to_numpy(dtype=float) * discount_factor(rows["year"], rate)).sum())


def payback_year(cumulative_difference: pd.Series) -> int | None:
    """The first year from which the cumulative difference (indexed by year) stays at or
    below zero to the last year, or None when it is above zero in the last year."""
    series = cumulative_difference.sort_index()
    if series.empty or series.iloc[-1] > 0:
        return None
    above = series[series > 0]
    if above.empty:
        return int(series.index[0])
    return int(series.index[series.index > above.index[-1]][0])


def present_values(
    outcomes: pd.DataFrame,
    baseline: str,
    inhabitants: int,
    rate: float = DISCOUNT_RATE,
) -> pd.DataFrame:
    """Per variant and actor: the present value, its paired difference with the baseline
    (median, p5, p95; euros per inhabitant and for the whole municipality) and the payback
    year. The baseline's rows carry its own present value and no difference."""
    data = discounted(outcomes, rate)
    if data.empty:
        return pd.DataFrame(columns=COLUMNS)
    years = int(data["year"].max())
    pv = data.groupby(["design", "replication", "outcome"], as_index=False)["value"].sum()
    base_pv = pv[pv["design"] == baseline].set_index(["replication", "outcome"])["value"]
    cum = data.set_index(["design", "replication", "outcome", "year"])["cumulative"]
    base_cum = cum.xs(baseline, level="design")
    rows = []
    for (design, outcome), group in pv.groupby(["design", "outcome"], sort=False):
        actor = outcome.removeprefix("mkba__")
        row = {
            "design": design,
            "actor": actor,
            "present_value_eur_per_inhabitant": float(group["value"].median()),
            "years": years,
            "discount_rate": rate,
            "n": len(group),
        }
        if design != baseline:
            keys = list(zip(group["replication"], group["outcome"], strict=True))
            diff = group["value"].to_numpy() - base_pv.reindex(keys).to_numpy()
            diff = diff[~np.isnan(diff)]
            own = cum.xs(design, level="design").xs(outcome, level="outcome")
            gap = (own - base_cum.xs(outcome, level="outcome")).dropna()
            median_gap = gap.groupby(level="year").median()
            med = float(np.median(diff)) if len(diff) else float("nan")
            row |= {
                "difference_eur_per_inhabitant": med,
                "p5": float(np.percentile(diff, 5)) if len(diff) else float("nan"),
                "p95": float(np.percentile(diff, 95)) if len(diff) else float("nan"),
                "difference_eur_municipality": med * inhabitants,
                "payback_year": payback_year(median_gap),
                "n": len(diff),
            }
        rows.append(row)
    table = pd.DataFrame(rows, columns=COLUMNS).astype({"payback_year": "Int64"})
    order = {a: i for i, a in enumerate([*ACTORS, SOCIETY])}
    table["_order"] = table["actor"].map(order)
    return table.sort_values(["design", "_order"]).drop(columns="_order").reset_index(drop=True)


def cumulative_curves(
    outcomes: pd.DataFrame, actor: str = SOCIETY, rate: float = DISCOUNT_RATE
) -> pd.DataFrame:
    """Per variant and year: the cumulative discounted cost of `actor` (median, p5, p95 over
    the replications), euros per inhabitant."""
    data = discounted(outcomes, rate)
    data = data[data["outcome"] == f"mkba__{actor}"]
    grouped = data.groupby(["design", "year"])["cumulative"]
    return pd.DataFrame(
        {
            "median": grouped.median(),
            "p5": grouped.quantile(0.05),
            "p95": grouped.quantile(0.95),
        }
    ).reset_index()


def cumulative_differences(
    outcomes: pd.DataFrame, baseline: str, actor: str = SOCIETY, rate: float = DISCOUNT_RATE
) -> pd.DataFrame:
    """Per non-baseline variant and year: the cumulative discounted cost of `actor` minus the
    baseline's, paired on replication (median, p5, p95), euros per inhabitant. Where the
    median crosses below zero for good is the payback year."""
    data = discounted(outcomes, rate)
    data = data[data["outcome"] == f"mkba__{actor}"]
    cum = data.set_index(["design", "replication", "year"])["cumulative"]
    if baseline not in cum.index.get_level_values("design"):
        return pd.DataFrame(columns=["design", "year", "median", "p5", "p95"])
    base = cum.xs(baseline, level="design")
    parts = []
    for design in data["design"].unique():
        if design == baseline:
            continue
        gap = (cum.xs(design, level="design") - base).dropna()
        grouped = gap.groupby(level="year")
        parts.append(
            pd.DataFrame(
                {
                    "median": grouped.median(),
                    "p5": grouped.quantile(0.05),
                    "p95": grouped.quantile(0.95),
                }
            )
            .reset_index()
            .assign(design=design)
        )
    if not parts:
        return pd.DataFrame(columns=["design", "year", "median", "p5", "p95"])
    return pd.concat(parts, ignore_index=True)[["design", "year", "median", "p5", "p95"]]


__all__ = [
    "DISCOUNT_RATE",
    "DISCOUNT_SOURCE",
    "cumulative_curves",
    "cumulative_differences",
    "discount_factor",
    "discounted",
    "payback_year",
    "present_value_of",
    "present_values",
]
