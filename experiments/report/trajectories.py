"""Trajectory figure: each headline outcome per year, per design, with its spread.

Drift shows at a glance: a line per design (median over replications), a dark band for the
middle 50% of replications and a light band for 90%. The title states the computed change
of the first outcome from the first to the last year. Used by `ketensim validate`; `compare`
can call `figure_trajectories` with its own outcomes table (the same long format).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from experiments import stats
from experiments.report.canvas import FigureFiles, finish_figure, new_figure
from experiments.report.numbers import fmt_number
from experiments.report.style import (
    BASELINE,
    ESCALATIONS_TOTAL,
    TOTAL_COST,
    design_colour,
    design_label,
    order_designs,
    outcome_label,
    outcome_unit,
    rc_params,
)
from experiments.report.texts import has, t

TRAJECTORY_OUTCOMES: tuple[str, ...] = (
    "unmet_need_person_weeks_per_1000_inhabitants_per_year",
    "request_to_care_weeks_mean",
    TOTAL_COST,
    ESCALATIONS_TOTAL,
    "intake_queue_persons_per_1000_inhabitants",
    "waiting_list_persons_per_1000_inhabitants",
)


def trajectory_label(outcome: str, lang: str = "nl") -> tuple[str, str]:
    """(label, unit) of an outcome, also for the queue outcomes the house style lacks."""
    key = f"trajectories.outcomes.{outcome}"
    if has(f"{key}.label"):
        return t(f"{key}.label", lang), t(f"{key}.unit", lang)
    return outcome_label(outcome, lang), outcome_unit(outcome, lang)


def _change(first: float, last: float) -> float:
    """Relative change last / first - 1 (nan if the first year is zero)."""
    return last / first - 1.0 if first else float("nan")


def _fmt_change(change: float, lang: str) -> str:
    if change != change:
        return "–"
    return f"{fmt_number(100 * change, 0, lang, signed=True)}%"


def drift_table(outcomes: pd.DataFrame, panel: Sequence[str] = TRAJECTORY_OUTCOMES) -> pd.DataFrame:
    """Per design and outcome: median per year (first and last) and the relative change."""
    yearly = stats.summarise_by_year(stats.with_derived_outcomes(outcomes))
    rows = []
    for (design, outcome), grp in yearly[yearly["outcome"].isin(panel)].groupby(
        ["design", "outcome"], sort=False
    ):
        grp = grp.sort_values("year")
        first, last = float(grp["median"].iloc[0]), float(grp["median"].iloc[-1])
        rows.append(
            {
                "design": design,
                "outcome": outcome,
                "first_year": int(grp["year"].iloc[0]),
                "last_year": int(grp["year"].iloc[-1]),
                "median_first_year": first,
                "median_last_year": last,
                "change": _change(first, last),
            }
        )
    return pd.DataFrame(rows)


def figure_trajectories(
    outcomes: pd.DataFrame,
    out_dir: Path | str,
    lang: str = "nl",
    panel: Sequence[str] = TRAJECTORY_OUTCOMES,
    baseline: str = BASELINE,
    name: str = "trajectories",
) -> FigureFiles:
    """Each outcome of `panel` per year (1..Y), one line and band per design.

    `outcomes`: long table with columns run_id, design, replication, year, outcome, value,
    unit (the `compare` outcomes table; year 0, the run average, is left out). Outcomes not
    in the table are skipped. The title gives the change of the first outcome present
    under `baseline` (or the first design) from the first to the last year.
    """
    data = stats.with_derived_outcomes(outcomes)
    yearly = stats.summarise_by_year(data)
    present = set(yearly["outcome"])
    panel = [o for o in panel if o in present]
    if not panel:
        raise ValueError("none of the trajectory outcomes is in the outcomes table")
    drift = drift_table(outcomes, panel)
    order = order_designs(yearly["design"])
    y0, y1 = int(yearly["year"].min()), int(yearly["year"].max())
    n = int(yearly["n"].min())
    caption = t("trajectories.caption", lang, n=n, y0=y0, y1=y1)
    ncols = 2 if len(panel) > 1 else 1
    nrows = int(np.ceil(len(panel) / ncols))
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(10 if ncols == 2 else 6, 0.6 + 2.9 * nrows, caption)
        axes = main.subplots(nrows, ncols, squeeze=False).ravel()
        for ax, outcome in zip(axes, panel, strict=False):
            label, unit = trajectory_label(outcome, lang)
            changes = []
            for design in order:
                r = yearly[(yearly["outcome"] == outcome) & (yearly["design"] == design)]
                if r.empty:
                    continue
                colour = design_colour(design)
                ax.fill_between(r["year"], r["p5"], r["p95"], color=colour, alpha=0.12, lw=0)
                ax.fill_between(r["year"], r["p25"], r["p75"], color=colour, alpha=0.30, lw=0)
                ax.plot(
                    r["year"],
                    r["median"],
                    color=colour,
                    lw=2.0,
                    marker="o",
                    ms=3.5,
                    label=design_label(design, lang) if ax is axes[0] else None,
                )
                d = drift[(drift["design"] == design) & (drift["outcome"] == outcome)]
                changes.append(_fmt_change(float(d["change"].iloc[0]), lang))
            ax.set_title(f"{label}: {' / '.join(changes)}")
            # wrapped: a long unit runs past a panel's height into the legend below
            ax.set_ylabel("\n".join(textwrap.wrap(unit, 28)))
            ax.set_xlabel(t("trajectories.year", lang))
            ax.set_ylim(bottom=min(0.0, float(yearly[yearly["outcome"] == outcome]["p5"].min())))
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.grid(axis="y", zorder=0)
        for ax in axes[len(panel) :]:
            ax.set_visible(False)
        main.legend(loc="outside lower center", ncols=len(order))
        title = _title(drift, panel[0], order, baseline, lang, y0, y1)
        return finish_figure(fig, Path(out_dir), name, title, caption)


def _title(
    drift: pd.DataFrame,
    outcome: str,
    order: list[str],
    baseline: str,
    lang: str,
    y0: int,
    y1: int,
) -> str:
    rows = drift[drift["outcome"] == outcome].set_index("design")["change"]
    base = baseline if baseline in rows.index else order[0]
    what = trajectory_label(outcome, lang)[0]
    title = t(
        "trajectories.title",
        lang,
        what=what,
        change=_fmt_change(float(rows[base]), lang),
        y0=y0,
        y1=y1,
        d=design_label(base, lang),
    )
    others = rows.drop(base).dropna()
    if len(others) == 1:
        title += t(
            "trajectories.title_other",
            lang,
            d2=design_label(others.index[0], lang),
            x=_fmt_change(float(others.iloc[0]), lang),
        )
    elif len(others) > 1:
        title += t(
            "trajectories.title_others",
            lang,
            lo=_fmt_change(float(others.min()), lang),
            hi=_fmt_change(float(others.max()), lang),
        )
    return title


__all__ = ["TRAJECTORY_OUTCOMES", "drift_table", "figure_trajectories", "trajectory_label"]
