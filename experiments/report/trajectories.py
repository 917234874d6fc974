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
from experiments.report.figures import FigureFiles, finish_figure, new_figure
from experiments.report.style import (
    BASELINE,
    ESCALATIONS_TOTAL,
    TOTAL_COST,
    design_colour,
    design_name,
    fmt_number,
    order_designs,
    outcome_label,
    outcome_unit,
    rc_params,
)

TRAJECTORY_OUTCOMES: tuple[str, ...] = (
    "unmet_need_person_weeks_per_1000_inhabitants_per_year",
    "waiting_weeks_mean",
    TOTAL_COST,
    ESCALATIONS_TOTAL,
    "intake_queue_persons_per_1000_inhabitants",
    "waiting_list_persons_per_1000_inhabitants",
)

# labels of outcomes that the house style does not name yet: (label nl, unit nl, en, unit en)
_LABELS: dict[str, tuple[str, str, str, str]] = {
    "intake_queue_persons_per_1000_inhabitants": (
        "Wachtrij voor intake",
        "personen per 1.000 inwoners (gemiddeld over de weken)",
        "Intake queue",
        "persons per 1,000 inhabitants (mean of weeks)",
    ),
    "waiting_list_persons_per_1000_inhabitants": (
        "Op een wachtlijst",
        "personen per 1.000 inwoners (gemiddeld over de weken)",
        "On a waiting list",
        "persons per 1,000 inhabitants (mean of weeks)",
    ),
}

_T = {
    "nl": {
        "title": "{what} verandert met {change} van jaar {y0} tot jaar {y1} bij {d}",
        "title_others": "; bij de andere varianten {lo} tot {hi}",
        "title_other": "; bij {d2} {x}",
        "year": "Jaar",
        "caption": "Lijn: mediaan per jaar over {n} herhalingen. Donkere band: middelste 50% "
        "van de herhalingen (p25–p75); lichte band: 90% (p5–p95). Boven elk paneel: de "
        "verandering van de mediaan van jaar {y0} tot jaar {y1} per variant. Een trend in "
        "de uitgangsvariant zonder verandering van beleid wijst op een model dat niet in "
        "evenwicht is (of op vergrijzing).",
    },
    "en": {
        "title": "{what} changes by {change} from year {y0} to year {y1} under {d}",
        "title_others": "; under the other designs by {lo} to {hi}",
        "title_other": "; under {d2} by {x}",
        "year": "Year",
        "caption": "Line: median per year over {n} replications. Dark band: middle 50% of "
        "replications (p25–p75); light band: 90% (p5–p95). Above each panel: the change of "
        "the median from year {y0} to year {y1} per design. A trend in the baseline design "
        "without any change of policy points to a model out of equilibrium (or to ageing).",
    },
}


def trajectory_label(outcome: str, lang: str = "nl") -> tuple[str, str]:
    """(label, unit) of an outcome, also for the queue outcomes the house style lacks."""
    if outcome in _LABELS:
        row = _LABELS[outcome]
        return (row[0], row[1]) if lang == "nl" else (row[2], row[3])
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
    caption = _T[lang]["caption"].format(n=n, y0=y0, y1=y1)
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
                    label=design_name(design, lang) if ax is axes[0] else None,
                )
                d = drift[(drift["design"] == design) & (drift["outcome"] == outcome)]
                changes.append(_fmt_change(float(d["change"].iloc[0]), lang))
            ax.set_title(f"{label}: {' / '.join(changes)}")
            # wrapped: a long unit runs past a panel's height into the legend below
            ax.set_ylabel("\n".join(textwrap.wrap(unit, 28)))
            ax.set_xlabel(_T[lang]["year"])
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
    t = _T[lang]
    title = t["title"].format(
        what=what,
        change=_fmt_change(float(rows[base]), lang),
        y0=y0,
        y1=y1,
        d=design_name(base, lang),
    )
    others = rows.drop(base).dropna()
    if len(others) == 1:
        title += t["title_other"].format(
            d2=design_name(others.index[0], lang), x=_fmt_change(float(others.iloc[0]), lang)
        )
    elif len(others) > 1:
        title += t["title_others"].format(
            lo=_fmt_change(float(others.min()), lang), hi=_fmt_change(float(others.max()), lang)
        )
    return title


__all__ = ["TRAJECTORY_OUTCOMES", "drift_table", "figure_trajectories", "trajectory_label"]
