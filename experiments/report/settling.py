"""The transition and the settled difference (issue 27): the lasting answer, apart from the
years in which a variant is still finding its level.

Per variant, headline outcome (`findings.TRADE_OFF`) and simulated year the paired
difference with the baseline (median over the replications) is computed. The settled
difference is its mean over the last `SETTLED_WINDOW_YEARS` years (at most half the run).
The difference has settled from the first year after which every year's difference stays
within a tolerance of that settled value: `findings.SETTLE_SHARE` of the settled difference
or `findings.SETTLE_FLOOR` of the baseline's own mean, whichever is wider. When that year
falls inside the window itself the difference is still moving at the end of the run (not
settled). The years before it are the transition; their mean difference is given too, so a
sign that turns (a transition that first costs and later saves) is visible.
"""

from __future__ import annotations

import math

import pandas as pd

from experiments import stats
from experiments.report.findings import (
    SETTLE_FLOOR,
    SETTLE_SHARE,
    TRADE_OFF,
    change_phrase,
)
from experiments.report.style import design_ref, outcome_label
from experiments.report.texts import join_words, t

# The settled difference is the mean over the last this-many years (assumption: five, so a
# single noisy year does not decide; at most half the run's years).
SETTLED_WINDOW_YEARS = 5

COLUMNS = [
    "design",
    "outcome",
    "settled_difference",
    "baseline_level",
    "settled_baseline_level",
    "transition_baseline_level",
    "window_first_year",
    "window_last_year",
    "settled_from_year",
    "settled",
    "transition_difference",
    "reversed",
]


def window_years(years: int) -> int:
    """The settled window's length for a run of `years` simulated years."""
    return max(1, min(SETTLED_WINDOW_YEARS, years // 2))


def yearly_paired_medians(outcomes: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Per non-baseline design, outcome and year >= 1: the median paired difference."""
    rows = outcomes[outcomes["year"] > 0]
    keys = ["outcome", "replication", "year"]
    base = rows.loc[rows["design"] == baseline, [*keys, "value"]].rename(columns={"value": "base"})
    other = rows.loc[rows["design"] != baseline, ["design", *keys, "value"]]
    merged = other.merge(base, on=keys, how="inner")
    merged["difference"] = merged["value"] - merged["base"]
    return merged.groupby(["design", "outcome", "year"], as_index=False)["difference"].median()


def baseline_yearly_medians(outcomes: pd.DataFrame, baseline: str) -> dict[str, pd.Series]:
    """Per outcome the baseline's median over the replications in each year >= 1."""
    rows = outcomes[(outcomes["year"] > 0) & (outcomes["design"] == baseline)]
    med = rows.groupby(["outcome", "year"])["value"].median()
    return {o: s.droplevel(0) for o, s in med.groupby(level=0)}


def settling(
    outcomes: pd.DataFrame, baseline: str, outcome_names: tuple[str, ...] = TRADE_OFF
) -> pd.DataFrame:
    """Per non-baseline design and outcome: the settled difference, the year from which it
    holds, whether it settled within the run, and the transition's mean difference."""
    if outcomes.empty or baseline not in set(outcomes["design"]):
        return pd.DataFrame(columns=COLUMNS)
    data = stats.with_municipal_cost(stats.with_derived_outcomes(outcomes))
    data = data[data["outcome"].isin(outcome_names)]
    med = yearly_paired_medians(data, baseline)
    level = stats.summarise(data, year=0)
    level = level[level["design"] == baseline].set_index("outcome")["median"]
    own = baseline_yearly_medians(data, baseline)
    records = []
    for (design, outcome), grp in med.groupby(["design", "outcome"], sort=False):
        series = grp.set_index("year")["difference"].sort_index()
        years = list(series.index)
        w = window_years(len(years))
        window = series.iloc[-w:]
        settled_diff = float(window.mean())
        base_level = float(level.get(outcome, math.nan))
        tol = max(SETTLE_SHARE * abs(settled_diff), SETTLE_FLOOR * abs(base_level or 0.0))
        off = (series - settled_diff).abs() > tol
        late_off = [y for y in years if off[y]]
        from_year = (late_off[-1] + 1) if late_off else years[0]
        first_window = int(window.index[0])
        transition = series[series.index < from_year]
        trans = float(transition.mean()) if len(transition) else math.nan
        # a share is of the baseline's level in the same years: a baseline that drifts
        # (carer burnouts 1.4 -> 2.0 a year) would else give -110% for a fall to zero
        base_years = own.get(outcome, pd.Series(dtype=float))
        in_window = base_years.reindex(window.index).mean()
        in_transition = base_years.reindex(transition.index).mean() if len(transition) else math.nan
        floor = SETTLE_FLOOR * abs(base_level or 0.0)
        reversed_ = (
            not math.isnan(trans)
            and abs(trans) > floor
            and abs(settled_diff) > floor
            and (trans > 0) != (settled_diff > 0)
        )
        records.append(
            {
                "design": design,
                "outcome": outcome,
                "settled_difference": settled_diff,
                "baseline_level": base_level,
                "settled_baseline_level": float(in_window),
                "transition_baseline_level": float(in_transition),
                "window_first_year": first_window,
                "window_last_year": int(window.index[-1]),
                "settled_from_year": int(from_year),
                "settled": bool(from_year <= first_window),
                "transition_difference": trans,
                "reversed": bool(reversed_),
            }
        )
    order = {o: k for k, o in enumerate(outcome_names)}
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    return frame.sort_values(
        ["design", "outcome"], key=lambda c: c.map(order) if c.name == "outcome" else c
    ).reset_index(drop=True)


def _phrase(row: pd.Series, value: float, lang: str, level: str = "settled_baseline_level") -> str:
    """A difference in words; a share of the baseline's level in the same years."""
    return change_phrase(pd.Series({"median": value}), float(row[level]), row["outcome"], lang)


def settled_line(table: pd.DataFrame, design: str, baseline: str, lang: str) -> str | None:
    """The lasting answer of `design` in words: the settled differences (mean of the last
    years), then the transition: from which year they hold, what the differences were in
    the years before (a turned sign named), and which had not settled by the end."""
    rows = table[table["design"] == design]
    if rows.empty:
        return None
    first = rows.iloc[0]
    base = design_ref(baseline, lang)
    settled = [_phrase(r, r["settled_difference"], lang) for _, r in rows.iterrows()]
    parts = [
        t(
            "settling.settled",
            lang,
            base=base,
            a=int(first["window_first_year"]),
            b=int(first["window_last_year"]),
            items="; ".join(settled),
        )
    ]
    done = rows[rows["settled"]]
    moving = rows[~rows["settled"]]
    if len(done):
        y = int(done["settled_from_year"].max())
        if y <= 1:
            parts.append(t("settling.from_start", lang))
        else:
            parts.append(t("settling.transition", lang, y=y, last=y - 1))
            items = [
                _phrase(r, r["transition_difference"], lang, "transition_baseline_level")
                + (t("settling.turned", lang) if r["reversed"] else "")
                for _, r in done[done["settled_from_year"] > 1].iterrows()
            ]
            parts.append(t("settling.before", lang, last=y - 1, items="; ".join(items)))
    if len(moving):
        items = join_words([_label(r["outcome"], lang) for _, r in moving.iterrows()], lang)
        parts.append(t("settling.moving", lang, items=items, y=int(first["window_last_year"])))
    return " ".join(parts)


def _label(outcome: str, lang: str) -> str:
    what = outcome_label(outcome, lang)
    return what[:1].lower() + what[1:] if not what[:3].isupper() else what


__all__ = [
    "SETTLED_WINDOW_YEARS",
    "baseline_yearly_medians",
    "settled_line",
    "settling",
    "window_years",
    "yearly_paired_medians",
]
