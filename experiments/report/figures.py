"""Figures of a design comparison, in the house style, in Dutch (default) or English.

Every figure: a title that states the finding computed from the data, units on the axes,
uncertainty drawn and explained in a caption under the axes, bars from zero, one fixed
colour per design. Each is saved as PNG (150 dpi) and SVG; each function returns a
`FigureFiles` with both paths, the title and the caption. The canvas and shared marks are
in `experiments.report.canvas`, the findings in words in `experiments.report.findings`,
the words in `texts/<lang>.yaml`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from experiments import stats
from experiments.report.canvas import (
    FigureFiles,
    fan,
    finish_figure,
    interval_bars,
    luminance,
    n_replications,
    new_figure,
    number_formatter,
    pad_xlim,
)
from experiments.report.cumulative import figure_cumulative_cost
from experiments.report.findings import cost_finding, lower_first, pocket_line, trajectory_title
from experiments.report.numbers import fmt_eur, fmt_number, fmt_pct
from experiments.report.style import (
    BASELINE,
    ESCALATIONS_TOTAL,
    FINANCIERS,
    GRID,
    INK,
    TOTAL_COST,
    design_colour,
    design_label,
    design_ref,
    financier_colour,
    financier_name,
    financier_outcome,
    order_designs,
    outcome_label,
    outcome_unit,
    rc_params,
    wrap,
)
from experiments.report.texts import join_words, t

OUTCOME_PANEL: tuple[str, ...] = (
    "unmet_need_person_weeks_per_1000_inhabitants_per_year",
    ESCALATIONS_TOTAL,
    "carer_burnouts_per_1000_inhabitants_per_year",
    "request_to_care_weeks_mean",
)
FAN_OUTCOMES: tuple[str, ...] = (
    TOTAL_COST,
    "unmet_need_person_weeks_per_1000_inhabitants_per_year",
    ESCALATIONS_TOTAL,
)
TRAJECTORY_OUTCOMES: tuple[str, ...] = (
    stats.MUNICIPAL_COST,
    "unmet_need_person_weeks_per_1000_inhabitants_per_year",
)
FIGURE_NAMES: tuple[str, ...] = (
    "total_cost",
    "trajectories",
    "cost_by_financier",
    "wrong_pocket",
    "outcomes",
    "fan_charts",
    "cumulative_cost",
)


# --- findings, shared with the brief ---------------------------------------------------


# --- drawing helpers -------------------------------------------------------------------


# --- the figures -----------------------------------------------------------------------


def figure_total_cost(
    outcomes: pd.DataFrame, out_dir: Path | str, lang: str = "nl", baseline: str = BASELINE
) -> FigureFiles:
    """(a) Total chain cost per inhabitant per year by design, and paired difference."""
    summary = stats.summarise(outcomes)
    diffs = stats.paired_differences(outcomes, baseline)
    order = order_designs(summary["design"])
    others = [d for d in order if d != baseline]
    base = design_label(baseline, lang)
    caption = " ".join(
        [
            t("figures.median_of", lang, n=n_replications(summary)),
            t("figures.intervals", lang),
            t("figures.paired", lang, base=base),
            t("figures.spread", lang),
        ]
    )
    if not others:
        caption = " ".join(
            [t("figures.median_of", lang, n=n_replications(summary)), t("figures.intervals", lang)]
        )
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(10, 1.3 + 0.55 * len(order), caption)
        if not others:
            ax1 = main.subplots(1, 1)
        else:
            ax1, ax2 = main.subplots(1, 2, width_ratios=[1.15, 1], sharey=False)
        interval_bars(ax1, summary, order, TOTAL_COST, lang)
        pad_xlim(ax1, summary, TOTAL_COST)
        ax1.xaxis.set_major_formatter(number_formatter(lang))
        ax1.set_xlabel(outcome_unit(TOTAL_COST, lang))
        ax1.set_title(t("figures.cost_panel", lang))
        if not others:
            med = float(summary.loc[summary["outcome"] == TOTAL_COST, "median"].iloc[0])
            unit = outcome_unit(TOTAL_COST, lang).removeprefix("€ ")
            title = f"{t('figures.cost_panel', lang)}: {fmt_eur(med, 0, lang)} {unit}"
            return finish_figure(fig, Path(out_dir), "total_cost", title, caption)
        d_order = [d for d in order if d in others]
        interval_bars(ax2, diffs, d_order, TOTAL_COST, lang, signed=True)
        ax2.set_ylim(-0.6, len(order) - 0.4)
        pad_xlim(ax2, diffs, TOTAL_COST, frac=0.3)
        ax2.axvline(0, color=INK, lw=0.9, zorder=3)
        ax2.xaxis.set_major_formatter(number_formatter(lang))
        ax2.set_xlabel(t("figures.diff_axis", lang, base=base))
        ax2.set_title(t("figures.diff_panel", lang, base=base))
        title = cost_finding(diffs, lang, baseline)
        return finish_figure(fig, Path(out_dir), "total_cost", title, caption)


def figure_cost_by_financier(
    outcomes: pd.DataFrame, out_dir: Path | str, lang: str = "nl", baseline: str = BASELINE
) -> FigureFiles:
    """(b) Cost per design stacked by financier (medians)."""
    summary = stats.summarise(outcomes)
    order = order_designs(summary["design"])
    med = summary.pivot(index="design", columns="outcome", values="median")
    fins = [f for f in FINANCIERS if financier_outcome(f) in med.columns]
    totals = (
        med[TOTAL_COST]
        if TOTAL_COST in med
        else med[[financier_outcome(f) for f in fins]].sum(axis=1)
    )
    caption = t("figures.stack_caption", lang, n=n_replications(summary))
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(10, 2.3 + 0.55 * len(order), caption)
        ax = main.subplots()
        ys = np.arange(len(order))[::-1]
        grand = float(totals.max())
        for f in fins:
            col = financier_outcome(f)
            lefts = [
                float(med.loc[d, [financier_outcome(g) for g in fins[: fins.index(f)]]].sum())
                for d in order
            ]
            widths = [float(med.loc[d, col]) for d in order]
            colour = financier_colour(f)
            ax.barh(
                ys,
                widths,
                left=lefts,
                height=0.62,
                color=colour,
                edgecolor="white",
                linewidth=0.8,
                label=financier_name(f, lang),
                zorder=2,
            )
            ink = "white" if luminance(colour) < 0.45 else INK
            for y, left, w in zip(ys, lefts, widths, strict=True):
                if w >= 0.07 * grand:
                    ax.text(
                        left + w / 2,
                        y,
                        fmt_number(w, 0, lang),
                        ha="center",
                        va="center",
                        fontsize=8,
                        color=ink,
                        zorder=3,
                    )
        for y, d in zip(ys, order, strict=True):
            stacked = float(med.loc[d, [financier_outcome(g) for g in fins]].sum())
            ax.text(
                max(stacked, totals[d]) + 0.01 * grand,
                y,
                fmt_eur(totals[d], 0, lang),
                va="center",
                ha="left",
                fontsize=9,
                fontweight="bold",
                color=INK,
            )
        ax.set_yticks(ys, [design_label(d, lang) for d in order])
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(0, grand * 1.12)
        ax.xaxis.set_major_formatter(number_formatter(lang))
        ax.set_xlabel(t("figures.stack_axis", lang))
        ax.grid(axis="x", zorder=0)
        ax.set_axisbelow(True)
        main.legend(loc="outside lower center", ncols=4, handlelength=1.2, columnspacing=1.5)
        shares = med[[financier_outcome(f) for f in fins]].div(totals, axis=0)
        top = shares.idxmax(axis=1)
        if top.nunique() == 1:
            f = top.iloc[0].split("__")[1].removesuffix("_eur_per_inhabitant_per_year")
            s = shares[top.iloc[0]]
            title = t(
                "figures.stack_title",
                lang,
                f=financier_name(f, lang),
                lo=fmt_pct(s.min(), lang),
                hi=fmt_pct(s.max(), lang),
            )
        else:
            parts = []
            for d in order:
                f = top[d].split("__")[1].removesuffix("_eur_per_inhabitant_per_year")
                parts.append(
                    f"{design_ref(d, lang)}: {financier_name(f, lang)} "
                    f"({fmt_pct(shares.loc[d, top[d]], lang)})"
                )
            title = t("figures.stack_title_mixed", lang, parts="; ".join(parts))
        return finish_figure(fig, Path(out_dir), "cost_by_financier", title, caption)


def figure_wrong_pocket(
    outcomes: pd.DataFrame, out_dir: Path | str, lang: str = "nl", baseline: str = BASELINE
) -> FigureFiles:
    """(c) "Wrong pocket": per financier the paired difference with the baseline."""
    diffs = stats.paired_differences(outcomes, baseline)
    others = [d for d in order_designs(diffs["design"])]
    rows_order = [
        financier_outcome(f) for f in FINANCIERS if financier_outcome(f) in set(diffs["outcome"])
    ] + [TOTAL_COST]
    labels = [
        financier_name(f, lang) for f in FINANCIERS if financier_outcome(f) in set(diffs["outcome"])
    ] + [t("figures.total", lang)]
    sub = diffs[diffs["outcome"].isin(rows_order)]
    lo = min(0.0, sub["p5"].min())
    hi = max(0.0, sub["p95"].max())
    span = hi - lo or 1.0
    base = design_label(baseline, lang)
    caption = " ".join(
        [
            t("figures.wp_caption", lang, base=base, n=n_replications(sub)),
            t("figures.intervals", lang),
            t("figures.paired", lang, base=base),
            t("figures.spread", lang),
        ]
    )
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(4.6 * len(others) + 1.6, 1.4 + 0.38 * len(rows_order), caption)
        axes = np.atleast_1d(main.subplots(1, len(others), sharey=True, squeeze=False)[0])
        ys = np.arange(len(rows_order))[::-1].astype(float)
        ys[-1] -= 0.5  # gap before the total row
        for ax, design in zip(axes, others, strict=True):
            rows = sub[sub["design"] == design].set_index("outcome")
            colour = design_colour(design)
            for y, outcome in zip(ys, rows_order, strict=True):
                if outcome not in rows.index:
                    continue
                r = rows.loc[outcome]
                is_total = outcome == TOTAL_COST
                ax.barh(
                    y,
                    r["median"],
                    height=0.66,
                    color=colour,
                    alpha=1.0 if is_total else 0.8,
                    zorder=2,
                )
                ax.hlines(y, r["p5"], r["p95"], color=INK, lw=1.1, zorder=3)
                ax.hlines(y, r["p25"], r["p75"], color=INK, lw=3.5, zorder=3)
                right = r["median"] >= 0
                x_end = max(r["p95"], 0) if right else min(r["p5"], 0)
                ax.text(
                    x_end + (0.02 if right else -0.02) * span,
                    y,
                    fmt_eur(r["median"], 0, lang, signed=True),
                    va="center",
                    ha="left" if right else "right",
                    fontsize=8,
                    fontweight="bold" if is_total else "normal",
                    color=INK,
                )
            ax.axvline(0, color=INK, lw=0.9, zorder=3)
            ax.axhline(ys[-1] + 0.75, color=GRID, lw=0.8)
            ax.set_xlim(lo - 0.22 * span, hi + 0.22 * span)
            ax.xaxis.set_major_formatter(number_formatter(lang))
            ax.xaxis.set_major_locator(MaxNLocator(6))
            ax.set_xlabel(t("figures.wp_axis", lang))
            ax.set_title(design_label(design, lang), color=colour)
            ax.grid(axis="x", zorder=0)
            ax.set_axisbelow(True)
            ax.tick_params(axis="y", length=0)
        axes[0].set_yticks(ys, labels)
        for label in axes[0].get_yticklabels()[-1:]:
            label.set_fontweight("bold")
        title = "\n".join(
            [t("figures.wp_head", lang, base=design_ref(baseline, lang))]
            + [pocket_line(diffs, d, lang) for d in others]
        )
        return finish_figure(fig, Path(out_dir), "wrong_pocket", title, caption)


def figure_outcomes(
    outcomes: pd.DataFrame,
    out_dir: Path | str,
    lang: str = "nl",
    baseline: str = BASELINE,
    panel: Sequence[str] = OUTCOME_PANEL,
) -> FigureFiles:
    """(d) Outcomes for citizens and carers, one panel each, with uncertainty."""
    summary = stats.summarise(stats.with_derived_outcomes(outcomes))
    panel = [o for o in panel if o in set(summary["outcome"])]
    order = order_designs(summary["design"])
    ncols = 2
    nrows = int(np.ceil(len(panel) / ncols))
    caption = " ".join(
        [
            t("figures.median_of", lang, n=n_replications(summary)),
            t("figures.intervals", lang),
            t("figures.out_caption_lower", lang),
            t("figures.spread", lang),
        ]
    )
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(10, 0.6 + nrows * (1.1 + 0.45 * len(order)), caption)
        axes = main.subplots(nrows, ncols, squeeze=False).ravel()
        for i, (ax, outcome) in enumerate(zip(axes, panel, strict=False)):
            interval_bars(ax, summary, order, outcome, lang)
            pad_xlim(ax, summary, outcome)
            ax.xaxis.set_major_formatter(number_formatter(lang))
            ax.set_xlabel(outcome_unit(outcome, lang))
            ax.set_title(outcome_label(outcome, lang))
            if i % ncols:
                ax.set_yticklabels([])
        for ax in axes[len(panel) :]:
            ax.set_visible(False)
        med = summary.pivot(index="outcome", columns="design", values="median")
        best = {o: med.loc[o].idxmin() for o in panel}
        if len(set(best.values())) == 1 and len(panel) == 4:
            title = t("figures.out_best_all", lang, d=design_ref(next(iter(best.values())), lang))
        else:
            parts = []
            for d in order:
                whats = [outcome_label(o, lang) for o in panel if best[o] == d]
                if whats:
                    what = join_words([whats[0]] + [lower_first(w) for w in whats[1:]], lang)
                    parts.append(t("figures.out_part", lang, what=what, d=design_ref(d, lang)))
            title = "; ".join([parts[0]] + [lower_first(p) for p in parts[1:]])
        return finish_figure(fig, Path(out_dir), "outcomes", title, caption)


def _yearly_cost_gap(outcomes: pd.DataFrame, baseline: str) -> pd.DataFrame:
    years = sorted(y for y in outcomes["year"].unique() if y > 0)
    out = []
    sub = outcomes[outcomes["outcome"] == TOTAL_COST]
    for y in years:
        d = stats.paired_differences(sub, baseline, year=int(y))
        d["year"] = int(y)
        out.append(d)
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()


def figure_fan_charts(
    outcomes: pd.DataFrame,
    out_dir: Path | str,
    lang: str = "nl",
    baseline: str = BASELINE,
    panel: Sequence[str] = FAN_OUTCOMES,
) -> FigureFiles:
    """(e) Yearly fan charts (median, 50% band, 90% lines) per design.

    First panel: total chain cost; second: its paired difference with the baseline per
    year; then the outcomes in `panel[1:]`.
    """
    data = stats.with_derived_outcomes(outcomes)
    yearly = stats.summarise_by_year(data)
    panel = [o for o in panel if o in set(yearly["outcome"])]
    order = order_designs(yearly["design"])
    gap = _yearly_cost_gap(outcomes, baseline)
    base = design_ref(baseline, lang)
    n_panels = len(panel) + (0 if gap.empty else 1)
    ncols = 2
    nrows = int(np.ceil(n_panels / ncols))
    caption = " ".join(
        [
            t(
                "figures.fan_caption",
                lang,
                n=int(yearly["n"].min()) if len(yearly) else 0,
                base=design_label(baseline, lang),
            ),
            t("figures.spread", lang),
        ]
    )
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(10, 0.9 + 3.1 * nrows, caption)
        axes = main.subplots(nrows, ncols, squeeze=False).ravel()
        slots = list(axes)
        jobs: list[tuple[Axes, str]] = []
        for outcome in panel:
            jobs.append((slots.pop(0), outcome))
            if outcome == TOTAL_COST and not gap.empty:
                jobs.append((slots.pop(0), "__gap__"))
        for ax, outcome in jobs:
            if outcome == "__gap__":
                ax.axhline(0, color=INK, lw=0.9)
                for design in order:
                    r = gap[gap["design"] == design]
                    if not r.empty:
                        fan(ax, r, design_colour(design), None)
                ax.set_title(t("figures.gap_panel", lang, base=base))
                ax.set_ylabel(outcome_unit(TOTAL_COST, lang))
            else:
                for design in order:
                    r = yearly[(yearly["outcome"] == outcome) & (yearly["design"] == design)]
                    if not r.empty:
                        label = design_label(design, lang) if ax is axes[0] else None
                        fan(ax, r, design_colour(design), label)
                ax.set_title(outcome_label(outcome, lang))
                ax.set_ylabel(outcome_unit(outcome, lang))
            ax.set_xlabel(t("figures.year", lang))
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.yaxis.set_major_formatter(number_formatter(lang))
            ax.grid(axis="y", zorder=0)
        for ax in slots:
            ax.set_visible(False)
        main.legend(loc="outside lower center", ncols=len(order))
        title = t("figures.fan_title_flat", lang)
        if not gap.empty:
            y0, y1 = int(gap["year"].min()), int(gap["year"].max())
            last = gap[gap["year"] == y1].set_index("design")["median"]
            best = last.idxmin() if (last < 0).any() else last.abs().idxmax()
            g = gap[gap["design"] == best].set_index("year")["median"]
            a, b = abs(g[y0]), abs(g[y1])
            trend = "grows" if b > a * 1.1 + 1 else "shrinks" if b < a * 0.9 - 1 else "stays"
            kw = {
                "d": design_ref(best, lang),
                "base": base,
                "trend": t(f"figures.{trend}", lang),
                "y0": y0,
                "y1": y1,
            }
            if g[y0] <= 0 and g[y1] < 0:
                title = t(
                    "figures.fan_title", lang, a=fmt_eur(a, 0, lang), b=fmt_eur(b, 0, lang), **kw
                )
            elif g[y0] >= 0 and g[y1] > 0:
                title = t(
                    "figures.fan_title_dearer",
                    lang,
                    a=fmt_eur(a, 0, lang),
                    b=fmt_eur(b, 0, lang),
                    **kw,
                )
            else:
                title = t(
                    "figures.fan_title_mixed",
                    lang,
                    a=fmt_eur(g[y0], 0, lang, signed=True),
                    b=fmt_eur(g[y1], 0, lang, signed=True),
                    **kw,
                )
        return finish_figure(fig, Path(out_dir), "fan_charts", title, caption)


def figure_trajectories(
    outcomes: pd.DataFrame,
    out_dir: Path | str,
    lang: str = "nl",
    baseline: str = BASELINE,
    panel: Sequence[str] = TRAJECTORY_OUTCOMES,
) -> FigureFiles:
    """(f) Per variant (one column each): the municipality's own spending per year and unmet
    need per year, median with 50% band and 90% lines; the baseline's median for reference."""
    data = stats.with_municipal_cost(outcomes)
    yearly = stats.summarise_by_year(data[data["outcome"].isin(panel)])
    panel = [o for o in panel if o in set(yearly["outcome"])]
    order = order_designs(yearly["design"])
    base = design_label(baseline, lang)
    caption = " ".join(
        [
            t("figures.traj_caption", lang, n=n_replications(yearly), base=base),
            t("figures.spread", lang),
        ]
    )
    ncols = len(order)
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(max(6.0, min(12.0, 2.9 * ncols)), 0.6 + 2.6 * len(panel), caption)
        axes = main.subplots(len(panel), ncols, squeeze=False, sharey="row", sharex=True)
        for i, outcome in enumerate(panel):
            rows = yearly[yearly["outcome"] == outcome]
            ref = rows[rows["design"] == baseline]
            for j, design in enumerate(order):
                ax = axes[i][j]
                if design != baseline and not ref.empty:
                    ax.plot(ref["year"], ref["median"], color="#888888", lw=1.2, ls="--")
                fan(ax, rows[rows["design"] == design], design_colour(design), None)
                if i == 0:
                    ax.set_title(wrap(design_label(design, lang), 2.6, 9.5), fontsize=9.5)
                if j == 0:
                    ax.set_ylabel(
                        wrap(
                            f"{outcome_label(outcome, lang)} ({outcome_unit(outcome, lang)})",
                            2.4,
                            8.5,
                        ),
                        fontsize=8.5,
                    )
                if i == len(panel) - 1:
                    ax.set_xlabel(t("figures.year", lang))
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
                ax.yaxis.set_major_formatter(number_formatter(lang))
                ax.grid(axis="y", zorder=0)
        title = trajectory_title(yearly, order, baseline, lang)
        return finish_figure(fig, Path(out_dir), "trajectories", title, caption)


def make_all_figures(
    outcomes: pd.DataFrame,
    out_dir: Path | str,
    lang: str = "nl",
    baseline: str = BASELINE,
) -> dict[str, FigureFiles]:
    """Every figure into `out_dir`; returns them by name (see `FIGURE_NAMES`). With one
    variant only, the figure of differences by financier is left out."""
    out = Path(out_dir)
    several = outcomes["design"].nunique() > 1
    figs = {
        "total_cost": figure_total_cost(outcomes, out, lang, baseline),
        "trajectories": figure_trajectories(outcomes, out, lang, baseline),
        "cost_by_financier": figure_cost_by_financier(outcomes, out, lang, baseline),
    }
    if several:
        figs["wrong_pocket"] = figure_wrong_pocket(outcomes, out, lang, baseline)
    figs["outcomes"] = figure_outcomes(outcomes, out, lang, baseline)
    figs["fan_charts"] = figure_fan_charts(outcomes, out, lang, baseline)
    if several:
        figs["cumulative_cost"] = figure_cumulative_cost(outcomes, out, lang, baseline)
    return figs


__all__ = [
    "FIGURE_NAMES",
    "FigureFiles",
    "figure_cost_by_financier",
    "figure_fan_charts",
    "figure_outcomes",
    "figure_total_cost",
    "figure_trajectories",
    "figure_wrong_pocket",
    "make_all_figures",
]
