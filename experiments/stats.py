"""Statistics over an ensemble of runs: summaries per design and paired differences.

Input is the long `outcomes` table of the compare command: one row per run, year and
outcome, with columns `run_id, design, replication, year, outcome, value, unit`. Year 0
means "whole-run average per year"; if a table has no year-0 rows it is derived as the mean
over the years of each run.

Percentiles use numpy's default (linear interpolation between order statistics, Hyndman
and Fan type 7), the same as pandas' `quantile` and Excel's `PERCENTILE.INC`.

Designs are compared *paired on replication*: replication k of every design ran with the
same seed (common random numbers), so value(design, k) - value(baseline, k) removes the
noise the two runs share. The spread of these differences is usually far narrower than
the spread of either design on its own.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from experiments.report.style import BASELINE, ESCALATIONS_TOTAL, TOTAL_COST

QUANTILES: dict[str, float] = {"p5": 5.0, "p25": 25.0, "median": 50.0, "p75": 75.0, "p95": 95.0}
SUMMARY_COLUMNS = ["median", "p5", "p25", "p75", "p95", "mean", "n"]


def _describe(values: np.ndarray) -> dict[str, float]:
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        out = dict.fromkeys(QUANTILES, math.nan)
        return {**out, "mean": math.nan, "n": 0}
    qs = np.percentile(values, list(QUANTILES.values()))
    out = dict(zip(QUANTILES, (float(q) for q in qs), strict=True))
    return {**out, "mean": float(values.mean()), "n": int(values.size)}


def with_derived_outcomes(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Add derived outcomes computed per run and year (now: all escalations summed).

    Returns a new table; an outcome that is already present is not added twice.
    """
    if ESCALATIONS_TOTAL in set(outcomes["outcome"]):
        return outcomes
    esc = outcomes[outcomes["outcome"].str.startswith("escalations__")]
    if esc.empty:
        return outcomes
    keys = ["run_id", "design", "replication", "year"]
    total = esc.groupby(keys, as_index=False)["value"].sum()
    total["outcome"] = ESCALATIONS_TOTAL
    total["unit"] = "per 1000 inhabitants per year"
    return pd.concat(
        [outcomes, total[outcomes.columns.intersection(total.columns)]], ignore_index=True
    )


MUNICIPAL_FINANCIERS: tuple[str, ...] = ("wmo", "youth", "participation", "welfare")
MUNICIPAL_COST = "cost_municipality_eur_per_inhabitant_per_year"


def with_municipal_cost(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Add the municipality's own spending (Wmo, youth, participation and welfare together)
    per run and year as the outcome `MUNICIPAL_COST`; returns a new table."""
    fin = [f"cost_by_financier__{f}_eur_per_inhabitant_per_year" for f in MUNICIPAL_FINANCIERS]
    rows = outcomes[outcomes["outcome"].isin(fin)]
    if rows.empty or MUNICIPAL_COST in set(outcomes["outcome"]):
        return outcomes
    keys = [k for k in ("run_id", "design", "replication", "year") if k in outcomes.columns]
    total = rows.groupby(keys, as_index=False)["value"].sum()
    total["outcome"] = MUNICIPAL_COST
    total["unit"] = "eur per inhabitant per year"
    return pd.concat(
        [outcomes, total[outcomes.columns.intersection(total.columns)]], ignore_index=True
    )


def select_year(outcomes: pd.DataFrame, year: int = 0) -> pd.DataFrame:
    """Rows of one year; year 0 is the whole-run average (derived if the table lacks it)."""
    rows = outcomes[outcomes["year"] == year]
    if year != 0 or not rows.empty:
        return rows
    keys = ["run_id", "design", "replication", "outcome"]
    derived = (
        outcomes[outcomes["year"] > 0]
        .groupby(keys, as_index=False)
        .agg(value=("value", "mean"), unit=("unit", "first"))
    )
    derived["year"] = 0
    return derived


def _describe_groups(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """`_describe` of `value` per group of `keys` (sorted), with the group's first `unit`:
    the same numbers as one `_describe` per group, computed for all groups of a size at once
    (np.percentile and mean along rows of a matrix, in the rows' order)."""
    columns = [*keys, "unit", *SUMMARY_COLUMNS]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    codes = rows.groupby(keys, sort=True).ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    codes = codes[order]
    values = rows["value"].to_numpy(dtype=float)[order]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    sizes = np.diff(np.r_[starts, codes.size])
    firsts = order[starts]
    out = rows.iloc[firsts][keys].reset_index(drop=True)
    units = rows["unit"].to_numpy()[firsts] if "unit" in rows else np.full(starts.size, "")
    stats = np.full((starts.size, len(SUMMARY_COLUMNS)), np.nan)
    counts = np.zeros(starts.size, dtype=np.int64)
    nan_in = np.add.reduceat(np.isnan(values), starts) > 0
    q_cols = [SUMMARY_COLUMNS.index(q) for q in QUANTILES]
    for size in np.unique(sizes[~nan_in]):
        which = np.flatnonzero((sizes == size) & ~nan_in)
        block = values[starts[which, None] + np.arange(size)]
        stats[np.ix_(which, q_cols)] = np.percentile(block, list(QUANTILES.values()), axis=1).T
        stats[which, SUMMARY_COLUMNS.index("mean")] = block.mean(axis=1)
        counts[which] = size
    for g in np.flatnonzero(nan_in):  # a group with missing values: one at a time
        d = _describe(values[starts[g] : starts[g] + sizes[g]])
        stats[g] = [d[c] for c in SUMMARY_COLUMNS]
        counts[g] = d["n"]
    for i, name in enumerate(SUMMARY_COLUMNS):
        out[name] = counts if name == "n" else stats[:, i]
    out.insert(len(keys), "unit", units)
    return out[columns]


def summarise(outcomes: pd.DataFrame, year: int = 0) -> pd.DataFrame:
    """Per design and outcome: median, p5, p25, p75, p95, mean and n over replications.

    Columns: design, outcome, unit, median, p5, p25, p75, p95, mean, n.
    """
    return _describe_groups(select_year(outcomes, year), ["design", "outcome"])


def summarise_by_year(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Like `summarise`, per calendar year 1..Y (year 0 left out): adds a `year` column."""
    rows = outcomes[outcomes["year"] > 0]
    table = _describe_groups(rows, ["design", "outcome", "year"])
    table["year"] = table["year"].astype(int)
    return table[["design", "outcome", "year", "unit", *SUMMARY_COLUMNS]]


def check_common_random_numbers(runs: pd.DataFrame) -> bool:
    """True if every replication number used one seed across all designs."""
    if runs is None or not {"replication", "seed"} <= set(runs.columns):
        return True
    return bool((runs.groupby("replication")["seed"].nunique() <= 1).all())


def paired_values(
    outcomes: pd.DataFrame,
    baseline: str = BASELINE,
    year: int = 0,
) -> pd.DataFrame:
    """Per non-baseline design, outcome and replication: the difference with the baseline.

    Columns: design, outcome, unit, replication, value, baseline_value, difference.
    Replications missing on either side are dropped.
    """
    rows = select_year(outcomes, year)
    if baseline not in set(rows["design"]):
        raise ValueError(f"baseline design {baseline!r} not in outcomes")
    base = rows.loc[rows["design"] == baseline, ["outcome", "replication", "value"]]
    base = base.rename(columns={"value": "baseline_value"})
    other = rows.loc[
        rows["design"] != baseline, ["design", "outcome", "unit", "replication", "value"]
    ]
    merged = other.merge(base, on=["outcome", "replication"], how="inner", validate="m:1")
    merged["difference"] = merged["value"] - merged["baseline_value"]
    return merged.sort_values(["design", "outcome", "replication"], ignore_index=True)


def paired_differences(
    outcomes: pd.DataFrame,
    baseline: str = BASELINE,
    year: int = 0,
    runs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per non-baseline design and outcome: paired differences value(design) - value(baseline).

    Columns: design, outcome, unit, median, p5, p25, p75, p95, mean, share_lower, n;
    `share_lower` (`share_higher`) is the share of replications in which the design's value
    is lower (higher) than the baseline's. If `runs` is given, warns when a replication did
    not use one common seed.
    """
    if runs is not None and not check_common_random_numbers(runs):
        warnings.warn(
            "replications do not share one seed across designs: differences are not paired "
            "on common random numbers and their spread is overstated",
            stacklevel=2,
        )
    pairs = paired_values(outcomes, baseline, year)
    records = []
    for (design, outcome), grp in pairs.groupby(["design", "outcome"], sort=True):
        diffs = grp["difference"].to_numpy(dtype=float)
        diffs = diffs[~np.isnan(diffs)]
        share = float((diffs < 0).mean()) if diffs.size else math.nan
        higher = float((diffs > 0).mean()) if diffs.size else math.nan
        records.append(
            {
                "design": design,
                "outcome": outcome,
                "unit": grp["unit"].iloc[0],
                **_describe(diffs),
                "share_lower": share,
                "share_higher": higher,
            }
        )
    columns = [
        "design",
        "outcome",
        "unit",
        *SUMMARY_COLUMNS[:-1],
        "share_lower",
        "share_higher",
        "n",
    ]
    return pd.DataFrame.from_records(records, columns=columns)


@dataclass(frozen=True)
class Stability:
    """Whether the median of a sample is known to within a relative tolerance."""

    n: int
    median: float
    ci_low: float
    ci_high: float
    rel_half_width: float
    rel_tol: float
    stable: bool
    suggested_n: int


def replications_for_stability(
    values: np.ndarray | pd.Series | list[float],
    rel_tol: float = 0.01,
    confidence: float = 0.95,
    n_boot: int = 2000,
    seed: int = 12345,
) -> Stability:
    """Is the median stable to `rel_tol` (default 1%)? Bootstrap CI of the median.

    The half-width of the percentile bootstrap interval of the median, divided by the
    median's absolute value, is compared with `rel_tol`. `suggested_n` extrapolates how
    many replications would reach it, assuming the half-width shrinks as 1/sqrt(n).
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size < 2:
        raise ValueError("need at least two values")
    rng = np.random.default_rng(seed)
    samples = rng.choice(x, size=(n_boot, x.size), replace=True)
    medians = np.median(samples, axis=1)
    alpha = (1.0 - confidence) / 2.0
    lo, hi = (float(v) for v in np.quantile(medians, [alpha, 1.0 - alpha]))
    med = float(np.median(x))
    rel = (hi - lo) / 2.0 / abs(med) if med != 0 else math.inf
    if rel == 0:
        suggested = int(x.size)
    elif math.isinf(rel):
        suggested = -1
    else:
        suggested = max(2, math.ceil(x.size * (rel / rel_tol) ** 2))
    return Stability(
        n=int(x.size),
        median=med,
        ci_low=lo,
        ci_high=hi,
        rel_half_width=float(rel),
        rel_tol=rel_tol,
        stable=bool(rel <= rel_tol),
        suggested_n=suggested,
    )


def stability_table(
    outcomes: pd.DataFrame,
    outcome: str = TOTAL_COST,
    year: int = 0,
    rel_tol: float = 0.01,
) -> pd.DataFrame:
    """`replications_for_stability` of one outcome, per design, as a table."""
    rows = select_year(outcomes, year)
    rows = rows[rows["outcome"] == outcome]
    records = []
    for design, grp in rows.groupby("design", sort=True):
        s = replications_for_stability(grp["value"], rel_tol=rel_tol)
        records.append({"design": design, "outcome": outcome, **s.__dict__})
    return pd.DataFrame.from_records(records)
