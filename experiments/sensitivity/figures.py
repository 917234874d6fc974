"""Figures of the sensitivity analysis in the house style (experiments/style.py, figures.py):
Morris mu*-sigma, Sobol S1/ST bars with intervals, the one-at-a-time tornado, discovered boxes."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter

from experiments.report.canvas import FigureFiles, finish_figure, new_figure
from experiments.report.numbers import fmt_number
from experiments.report.style import (
    INK,
    MUTED_INK,
    design_colour,
    design_label,
    order_designs,
    outcome_label,
    outcome_unit,
    rc_params,
)
from experiments.sensitivity.core import split_column

S1_COLOUR = "#56B4E9"
ST_COLOUR = "#0072B2"
LOW_COLOUR = "#56B4E9"
HIGH_COLOUR = "#D55E00"

_T: dict[str, dict[str, str]] = {
    "en": {
        "diff": "{d} minus {b}",
        "morris_title": "Screening (Morris): which uncertainties move the results at all",
        "morris_caption": "Morris elementary effects: {r} trajectories on a {levels}-level grid, "
        "each point the mean of {R} replications with the same seeds. mu*: mean absolute "
        "effect of a factor over its whole range (importance); sigma: how much that effect "
        "varies (non-linearity or interaction). Bars: 95% bootstrap interval of mu*. "
        "Filled: kept for the Sobol analysis (mu* at least {t:.0%} of the largest).",
        "sobol_title": "Share of the output variance due to each uncertainty (Sobol)",
        "sobol_lead_all": "{factor} explains the most variance in every output shown (total "
        "index {rng}{how})",
        "sobol_lead_some": "{factor} explains the most variance in {k} of the {n} outputs shown "
        "(total index up to {hi}{how})",
        "sobol_how": "; Sobol",
        "sobol_how_emu": "; Sobol on the emulator",
        "sobol_others": "{k} others, each ST ≤ {st}",
        "sobol_caption": "Sobol indices from {n} base samples x ({D} + 2) points, each point the "
        "mean of {R} replications with the same seeds. S1: share of variance explained by the "
        "factor alone; ST: including its interactions with the others. Lines: 95% bootstrap "
        "intervals. Factors screened out by Morris are held at their scenario values.",
        "tornado_title": "One-at-a-time swings around the default (local view, NOT the global "
        "analysis)",
        "tornado_caption": "Each factor moved alone to the low or high end of its range, all "
        "others at their scenario values; bar: change of the mean over {R} replications, "
        "paired by seed with the default run (line: 95% interval). This ignores "
        "interactions and is no substitute for the Morris and Sobol results.",
        "low": "low end",
        "high": "high end",
        "boxes_title": "Where each design has the lowest {what}",
        "boxes_caption": "{n} Latin hypercube samples of the uncertainties, each the mean of "
        "{R} replications with the same seeds; colour: design with the lowest {what}. "
        "Rectangles: boxes found by {method} (numbers as in the box table), drawn on the two "
        "factors that matter most for the split; other factors vary freely inside.",
        "cost": "total chain cost",
        "unmet": "unmet need",
        "swing_axis": "change from default",
    },
    "nl": {
        "diff": "{d} min {b}",
        "morris_title": "Screening (Morris): welke onzekerheden bewegen de uitkomst",
        "morris_caption": "Morris-effecten: {r} trajecten op een rooster van {levels} niveaus, "
        "elk punt het gemiddelde van {R} herhalingen met dezelfde seeds. mu*: gemiddeld "
        "absoluut effect over het hele bereik (belang); sigma: hoe sterk dat effect varieert "
        "(niet-lineair of interactie). Lijnen: 95%-bootstrapinterval van mu*. Gevuld: door "
        "naar de Sobol-analyse (mu* minstens {t:.0%} van de grootste).",
        "sobol_title": "Aandeel van de variantie door elke onzekerheid (Sobol)",
        "sobol_lead_all": "{factor} verklaart de meeste variantie in elke getoonde uitkomst "
        "(totale index {rng}{how})",
        "sobol_lead_some": "{factor} verklaart de meeste variantie in {k} van de {n} getoonde "
        "uitkomsten (totale index tot {hi}{how})",
        "sobol_how": "; Sobol",
        "sobol_how_emu": "; Sobol op de emulator",
        "sobol_others": "{k} andere, elk ST ≤ {st}",
        "sobol_caption": "Sobol-indices uit {n} basissamples x ({D} + 2) punten, elk punt het "
        "gemiddelde van {R} herhalingen met dezelfde seeds. S1: aandeel van de factor alleen; "
        "ST: inclusief interacties. Lijnen: 95%-bootstrapintervallen. Door Morris "
        "afgevallen factoren staan op hun scenariowaarde.",
        "tornado_title": "Eén-voor-één-uitslagen rond de standaard (lokaal, NIET de globale "
        "analyse)",
        "tornado_caption": "Elke factor alleen naar de onder- of bovengrens, de rest op de "
        "scenariowaarde; balk: verandering van het gemiddelde over {R} herhalingen, gepaard "
        "per seed met de standaardrun (lijn: 95%-interval). Negeert interacties; geen "
        "vervanging van Morris en Sobol.",
        "low": "ondergrens",
        "high": "bovengrens",
        "boxes_title": "Waar elke inrichting de laagste {what} heeft",
        "boxes_caption": "{n} Latin-hypercube-samples van de onzekerheden, elk het gemiddelde "
        "van {R} herhalingen met dezelfde seeds; kleur: inrichting met de laagste {what}. "
        "Rechthoeken: boxen van {method} (nummers als in de boxtabel), getekend op de twee "
        "belangrijkste factoren; andere factoren variëren vrij.",
        "cost": "totale ketenkosten",
        "unmet": "onvervulde behoefte",
        "swing_axis": "verandering t.o.v. standaard",
    },
}


def t(key: str, lang: str, **kw: object) -> str:
    return _T[lang][key].format(**kw)


def output_label(column: str, lang: str = "en") -> str:
    """'Yes is cheaper minus Gatekeeping: Total chain cost' etc."""
    design, baseline, outcome = split_column(column)
    what = outcome_label(outcome, lang) if outcome != "y" else "y"
    if design is None:
        return what
    if baseline is not None:
        who = t("diff", lang, d=design_label(design, lang), b=design_label(baseline, lang))
    else:
        who = design_label(design, lang)
    return f"{who}: {what[0].lower() + what[1:] if what[1:2].islower() else what}"


def _wrapped(text: str, chars: int) -> str:
    return textwrap.fill(text, chars)


def panel_title(ax, column: str, lang: str, width: float) -> None:
    ax.set_title(_wrapped(output_label(column, lang), int(width * 12)), fontsize=9)


def output_unit(column: str, lang: str) -> str:
    return outcome_unit(split_column(column)[2], lang)


def grid_shape(n: int) -> tuple[int, int]:
    return (1, n) if n <= 2 else (int(np.ceil(n / 2)), 2)


def figure_morris(
    morris: pd.DataFrame,
    outputs: Sequence[str],
    labels: dict[str, str],
    kept: Sequence[str],
    out_dir: Path,
    *,
    r: int,
    levels: int,
    R: int,
    threshold: float,
    lang: str = "en",
) -> FigureFiles:
    outputs = [o for o in outputs if o in set(morris["output"])]
    rows, cols = grid_shape(len(outputs))
    caption = t("morris_caption", lang, r=r, levels=levels, R=R, t=threshold)
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(5.6 * cols, 3.8 * rows, caption)
        axes = np.atleast_1d(main.subplots(rows, cols)).ravel()
        for ax, col in zip(axes, outputs, strict=False):
            m = morris[morris["output"] == col]
            keep = m["factor"].isin(kept).to_numpy()
            ax.errorbar(
                m["mu_star"],
                m["sigma"],
                xerr=m["mu_star_conf"],
                fmt="none",
                ecolor="#999999",
                lw=0.8,
                zorder=2,
            )
            ax.scatter(m["mu_star"][keep], m["sigma"][keep], s=28, color=ST_COLOUR, zorder=3)
            ax.scatter(
                m["mu_star"][~keep],
                m["sigma"][~keep],
                s=28,
                facecolor="white",
                edgecolor=ST_COLOUR,
                zorder=3,
            )
            top = m.sort_values("mu_star", ascending=False).head(4)
            for _, row in top.iterrows():
                ax.annotate(
                    _wrapped(labels.get(row["factor"], row["factor"]), 24),
                    (row["mu_star"], row["sigma"]),
                    xytext=(4, 3),
                    textcoords="offset points",
                    fontsize=7,
                    color=INK,
                )
            lim = max(float(m["mu_star"].max()), float(m["sigma"].max()), 1e-12) * 1.15
            ax.plot([0, lim], [0, lim], ls=":", color=MUTED_INK, lw=0.8, zorder=1)
            ax.set_xlim(0, lim * 1.25)
            ax.set_ylim(0, lim)
            ax.set_xlabel(f"mu* ({output_unit(col, lang)})")
            ax.set_ylabel("sigma")
            panel_title(ax, col, lang, 4.6)
            ax.grid(True, zorder=0)
        for ax in axes[len(outputs) :]:
            ax.set_visible(False)
        return finish_figure(fig, out_dir, "morris", t("morris_title", lang), caption)


def figure_sobol(
    sobol: pd.DataFrame,
    outputs: Sequence[str],
    labels: dict[str, str],
    out_dir: Path,
    *,
    n: int,
    R: int,
    lang: str = "en",
) -> FigureFiles:
    D = sobol["factor"].nunique()
    caption = t("sobol_caption", lang, n=n, D=D, R=R)
    title = sobol_finding(sobol, outputs, labels, lang) or t("sobol_title", lang)
    return sobol_bars(sobol, outputs, labels, out_dir, "sobol", title, caption, lang)


SOBOL_FACTORS_SHOWN = 12  # factors drawn per Sobol panel; the others share one row


def sobol_finding(
    sobol: pd.DataFrame,
    outputs: Sequence[str],
    labels: dict[str, str],
    lang: str,
    emulated: bool = False,
) -> str:
    """A title that states the finding: the factor with the largest total index (ST) in the
    most outputs shown, and in how many ('' when there is nothing to say)."""
    shown = sobol[sobol["output"].isin(list(outputs))]
    if shown.empty:
        return ""
    top = shown.loc[shown.groupby("output")["ST"].idxmax()]
    factor = top["factor"].value_counts().index[0]
    k, n = int((top["factor"] == factor).sum()), len(top)
    st = top.loc[top["factor"] == factor, "ST"]
    label = labels.get(factor, factor)
    how = t("sobol_how_emu" if emulated else "sobol_how", lang)
    lo, hi = (fmt_number(float(v), 2, lang=lang) for v in (st.min(), st.max()))  # type: ignore[arg-type]
    key = "sobol_lead_all" if k == n else "sobol_lead_some"
    rng = lo if lo == hi else f"{lo}–{hi}"
    return t(key, lang, factor=label[:1].upper() + label[1:], rng=rng, hi=hi, k=k, n=n, how=how)


def others_bound(st_max: float) -> float:
    """The bound printed on the others' row: `st_max` rounded up to two decimals, at least
    0.01 (rounded to nearest, small indices read "ST <= 0.00", which is not true)."""
    return max(float(np.ceil(round(st_max * 100, 6))) / 100, 0.01)


def sobol_panel_rows(one_output: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The factors drawn in one output's panel (ascending ST, the largest last) and the
    others: all when there are at most SOBOL_FACTORS_SHOWN + 1, else the largest
    SOBOL_FACTORS_SHOWN by ST (the others share one row)."""
    s = one_output.sort_values("ST", kind="stable")
    if len(s) <= SOBOL_FACTORS_SHOWN + 1:
        return s, s.iloc[:0]
    return s.iloc[len(s) - SOBOL_FACTORS_SHOWN :], s.iloc[: len(s) - SOBOL_FACTORS_SHOWN]


def sobol_bars(
    sobol: pd.DataFrame,
    outputs: Sequence[str],
    labels: dict[str, str],
    out_dir: Path,
    name: str,
    title: str,
    caption: str,
    lang: str,
    number_ticks: bool = False,
) -> FigureFiles:
    """S1 and ST bars with their intervals, one panel per output (direct and emulated
    Sobol indices); `number_ticks` formats the x axis in the language's number format."""
    outputs = [o for o in outputs if o in set(sobol["output"])]
    rows, cols = grid_shape(len(outputs))
    D = sobol["factor"].nunique()
    # more than SOBOL_FACTORS_SHOWN factors: the largest by ST, and one row for the others
    rows_per_panel = min(D, SOBOL_FACTORS_SHOWN + 1)
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(6.8 * cols, (1.1 + 0.36 * rows_per_panel) * rows, caption)
        axes = np.atleast_1d(main.subplots(rows, cols)).ravel()
        for ax, col in zip(axes, outputs, strict=False):
            s, rest = sobol_panel_rows(sobol[sobol["output"] == col])
            ys = np.arange(len(s)) + (1 if len(rest) else 0)
            ax.barh(ys + 0.2, s["S1"], height=0.38, color=S1_COLOUR, label="S1", zorder=2)
            ax.barh(ys - 0.2, s["ST"], height=0.38, color=ST_COLOUR, label="ST", zorder=2)
            ax.errorbar(
                s["S1"], ys + 0.2, xerr=s["S1_conf"], fmt="none", ecolor=INK, lw=0.9, zorder=3
            )
            ax.errorbar(
                s["ST"], ys - 0.2, xerr=s["ST_conf"], fmt="none", ecolor=INK, lw=0.9, zorder=3
            )
            names = [_wrapped(labels.get(f, f), 30) for f in s["factor"]]
            if len(rest):
                st = fmt_number(others_bound(float(rest["ST"].max())), 2, lang=lang)  # type: ignore[arg-type]
                names = [_wrapped(t("sobol_others", lang, k=len(rest), st=st), 30), *names]
            ax.set_yticks(np.arange(len(names)), names, fontsize=8)
            if len(rest):
                ax.get_yticklabels()[0].set_color(MUTED_INK)
            ax.axvline(0, color=INK, lw=0.8)
            ax.set_xlim(
                min(-0.05, float((s["S1"] - s["S1_conf"]).min()) - 0.02),
                max(1.0, float((s["ST"] + s["ST_conf"]).max()) + 0.02),
            )
            if number_ticks:
                ax.xaxis.set_major_formatter(
                    FuncFormatter(lambda v, _: fmt_number(v, 1, lang=lang))  # type: ignore[arg-type]
                )
            panel_title(ax, col, lang, 4.6)
            ax.grid(axis="x", zorder=0)
            ax.tick_params(axis="y", length=0)
        axes[0].legend(loc="lower right")
        for ax in axes[len(outputs) :]:
            ax.set_visible(False)
        return finish_figure(fig, out_dir, name, title, caption)


def figure_tornado(
    oat: pd.DataFrame,
    outputs: Sequence[str],
    labels: dict[str, str],
    out_dir: Path,
    *,
    R: int,
    lang: str = "en",
) -> FigureFiles:
    outputs = [o for o in outputs if o in set(oat["output"])]
    rows, cols = grid_shape(len(outputs))
    D = oat["factor"].nunique()
    caption = t("tornado_caption", lang, R=R)
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(6.8 * cols, (1.3 + 0.36 * D) * rows, caption)
        axes = np.atleast_1d(main.subplots(rows, cols)).ravel()
        for ax, col in zip(axes, outputs, strict=False):
            o = oat[oat["output"] == col]
            wide = o.pivot_table(index="factor", columns="end", values="swing")
            hw = o.pivot_table(index="factor", columns="end", values="swing_half_width_95")
            order = wide.abs().max(axis=1).sort_values().index
            ys = np.arange(len(order))
            for end, colour, dy in (("low", LOW_COLOUR, 0.18), ("high", HIGH_COLOUR, -0.18)):
                if end not in wide.columns:
                    continue
                vals = wide.loc[order, end].to_numpy()
                ax.barh(
                    ys + dy,
                    vals,
                    height=0.36,
                    color=colour,
                    alpha=0.85,
                    zorder=2,
                    label=t(end, lang),
                )
                if end in hw.columns:
                    ax.errorbar(
                        vals,
                        ys + dy,
                        xerr=hw.loc[order, end].to_numpy(),
                        fmt="none",
                        ecolor=INK,
                        lw=0.8,
                        zorder=3,
                    )
            ax.axvline(0, color=INK, lw=0.9)
            ax.set_yticks(ys, [_wrapped(labels.get(f, f), 30) for f in order], fontsize=8)
            ax.set_xlabel(f"{t('swing_axis', lang)} ({output_unit(col, lang)})")
            panel_title(ax, col, lang, 4.6)
            ax.grid(axis="x", zorder=0)
            ax.tick_params(axis="y", length=0)
        axes[0].legend(loc="lower right")
        for ax in axes[len(outputs) :]:
            ax.set_visible(False)
        return finish_figure(fig, out_dir, "tornado", t("tornado_title", lang), caption)


def figure_boxes(
    X: pd.DataFrame,
    winner: pd.Series,
    boxes: pd.DataFrame,
    importance: dict[str, float],
    labels: dict[str, str],
    out_dir: Path,
    *,
    name: str,
    what: str,
    method: str,
    R: int,
    lang: str = "en",
) -> FigureFiles:
    ranked = sorted(importance, key=lambda k: -importance[k])
    fx, fy = (ranked + list(X.columns))[:2] if len(ranked) >= 2 else list(X.columns)[:2]
    word = t(what, lang)
    caption = t("boxes_caption", lang, n=len(X), R=R, what=word, method=method)
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(7.5, 5.2, caption)
        ax = main.subplots()
        for d in order_designs(winner.unique()):
            sel = (winner == d).to_numpy()
            ax.scatter(
                X[fx][sel],
                X[fy][sel],
                s=16,
                color=design_colour(d),
                alpha=0.8,
                label=design_label(d, lang),
                zorder=3,
                edgecolor="white",
                linewidth=0.3,
            )
        for _, b in boxes.iterrows():
            x0, x1 = b[f"{fx}__low"], b[f"{fx}__high"]
            y0, y1 = b[f"{fy}__low"], b[f"{fy}__high"]
            ax.add_patch(
                Rectangle(
                    (x0, y0),
                    x1 - x0,
                    y1 - y0,
                    fill=False,
                    lw=1.6,
                    edgecolor=design_colour(b["winner"]),
                    zorder=4,
                )
            )
            ax.text(
                x0 + 0.01 * (X[fx].max() - X[fx].min()),
                y1,
                str(int(b["box"])),
                va="top",
                ha="left",
                fontsize=8,
                color=INK,
                fontweight="bold",
                zorder=5,
            )
        ax.set_xlabel(labels.get(fx, fx))
        ax.set_ylabel(labels.get(fy, fy))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3)
        title = t("boxes_title", lang, what=word)
        return finish_figure(fig, out_dir, name, title, caption)
