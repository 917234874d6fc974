"""Figure: the cumulative discounted societal cost per variant over the years.

One line per variant (median over the replications) with a band for the middle 90% (p5-p95)
of the cumulative present value of the societal cost (the chain cost plus carers' hours
valued; `experiments.report.present_value`). The title states the computed finding: which
variant has the lowest present value at the end of the run, and by how much.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from experiments.report.canvas import FigureFiles, finish_figure, new_figure, number_formatter
from experiments.report.mkba import SOCIETY
from experiments.report.numbers import fmt_eur, fmt_pct
from experiments.report.present_value import (
    DISCOUNT_RATE,
    cumulative_curves,
    cumulative_differences,
    present_values,
)
from experiments.report.style import (
    BASELINE,
    INK,
    design_colour,
    design_label,
    design_ref,
    order_designs,
    rc_params,
)
from experiments.report.texts import t


def cumulative_title(table: pd.DataFrame, baseline: str, lang: str) -> str:
    """The finding of the figure from the present-value table (`present_values`)."""
    society = table[table["actor"] == SOCIETY].set_index("design")
    years = int(society["years"].max())
    others = society.drop(index=baseline, errors="ignore")
    if others.empty:
        x = float(society.loc[baseline, "present_value_eur_per_inhabitant"])
        return t("present_value.fig_title_one", lang, y=years, x=fmt_eur(x, 0, lang))
    best = others["difference_eur_per_inhabitant"].idxmin()
    gap = float(others.loc[best, "difference_eur_per_inhabitant"])
    base = design_ref(baseline, lang)
    if gap < 0:
        return t(
            "present_value.fig_title_lower",
            lang,
            d=design_ref(best, lang),
            base=base,
            y=years,
            x=fmt_eur(-gap, 0, lang),
        )
    return t("present_value.fig_title_base", lang, base=base, y=years, x=fmt_eur(gap, 0, lang))


def _gap_panel(ax: Axes, gaps: pd.DataFrame, order: list[str], baseline: str, lang: str) -> None:
    for design in order:
        r = gaps[gaps["design"] == design]
        if r.empty:
            continue
        colour = design_colour(design)
        ax.fill_between(r["year"], r["p5"], r["p95"], color=colour, alpha=0.18, lw=0)
        ax.plot(r["year"], r["median"], color=colour, lw=2.0, marker="o", ms=3.5)
    ax.axhline(0, color=INK, lw=0.9)
    ax.set_title(t("present_value.fig_gap_panel", lang, base=design_label(baseline, lang)))
    ax.set_xlabel(t("present_value.fig_year", lang))
    ax.set_ylabel(t("present_value.fig_gap_axis", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(number_formatter(lang))
    ax.grid(axis="y", zorder=0)


def figure_cumulative_cost(
    outcomes: pd.DataFrame,
    out_dir: Path | str,
    lang: str = "nl",
    baseline: str = BASELINE,
    rate: float = DISCOUNT_RATE,
) -> FigureFiles:
    """The cumulative discounted societal cost per variant and year, with its 90% band (left)
    and, paired, its difference with the baseline (right; below zero is cheaper)."""
    curves = cumulative_curves(outcomes, SOCIETY, rate)
    gaps = cumulative_differences(outcomes, baseline, SOCIETY, rate)
    table = present_values(outcomes, baseline, 1, rate)
    order = order_designs(curves["design"])
    n = int(table["n"].max())
    caption = t("present_value.fig_caption", lang, n=n, rate=fmt_pct(rate, lang, 2))
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(10 if len(gaps) else 7, 4.2, caption)
        if len(gaps):
            ax, ax2 = main.subplots(1, 2)
            _gap_panel(ax2, gaps, order, baseline, lang)
        else:
            ax = main.subplots(1, 1)
        for design in order:
            r = curves[curves["design"] == design]
            colour = design_colour(design)
            ax.fill_between(r["year"], r["p5"], r["p95"], color=colour, alpha=0.18, lw=0)
            ax.plot(
                r["year"],
                r["median"],
                color=colour,
                lw=2.0,
                marker="o",
                ms=3.5,
                label=design_label(design, lang),
            )
        ax.set_title(t("present_value.fig_panel", lang))
        ax.set_xlabel(t("present_value.fig_year", lang))
        ax.set_ylabel(t("present_value.fig_axis", lang))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(number_formatter(lang))
        ax.grid(axis="y", zorder=0)
        main.legend(loc="outside lower center", ncols=len(order))
        title = cumulative_title(table, baseline, lang)
        return finish_figure(fig, Path(out_dir), "cumulative_cost", title, caption)


__all__ = ["cumulative_title", "figure_cumulative_cost"]
