"""Figures of a design comparison, in the house style, in Dutch (default) or English.

Every figure: a title that states the finding computed from the data, units on the axes,
uncertainty drawn and explained in a caption under the axes, bars from zero, one fixed
colour per design. Each is saved as PNG (150 dpi) and SVG; each function returns a
`FigureFiles` with both paths, the title and the caption.

Uses matplotlib's object API (`matplotlib.figure.Figure`, Agg canvas): no pyplot, no global
backend or rcParams changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure, SubFigure
from matplotlib.ticker import Formatter, MaxNLocator

from experiments import stats
from experiments.report.style import (
    BASELINE,
    ESCALATIONS_TOTAL,
    FINANCIERS,
    GRID,
    INK,
    MINUS,
    MUTED_INK,
    TOTAL_COST,
    design_colour,
    design_name,
    financier_colour,
    financier_name,
    financier_outcome,
    fmt_eur,
    fmt_number,
    fmt_pct,
    fmt_value,
    order_designs,
    outcome_label,
    outcome_unit,
    rc_params,
    wrap,
)

OUTCOME_PANEL: tuple[str, ...] = (
    "unmet_need_person_weeks_per_1000_inhabitants_per_year",
    ESCALATIONS_TOTAL,
    "carer_burnouts_per_1000_inhabitants_per_year",
    "waiting_weeks_mean",
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
)


@dataclass(frozen=True)
class FigureFiles:
    """The files of one figure, with its title and caption as text (for alt text)."""

    name: str
    png: Path
    svg: Path
    title: str
    caption: str

    @property
    def paths(self) -> tuple[Path, Path]:
        """(png, svg)."""
        return (self.png, self.svg)


# --- words -----------------------------------------------------------------------------

_T = {
    "nl": {
        "median_of": "Balk en punt: mediaan over {n} herhalingen.",
        "intervals": "Dikke lijn: middelste 50% van de herhalingen (p25–p75); "
        "dunne lijn: 90% (p5–p95).",
        "spread": "De spreiding is toeval in het model (per herhaling andere inwoners en "
        "gebeurtenissen); onzekerheid over de aannames zelf valt erbuiten (zie "
        "Onzekerheden in de notitie).",
        "paired": "Verschillen zijn gepaard: herhaling k van elke variant had dezelfde "
        "inwoners en gebeurtenissen (zelfde seed). Links van nul: goedkoper dan {base}.",
        "diff_axis": "€ per inwoner per jaar",
        "cost_panel": "Totale ketenkosten",
        "diff_panel": "Verschil met {base}, gepaard",
        "cheaper": "{d} kost in de mediaan {x} per inwoner per jaar minder dan {base}",
        "dearer": "{base} is het goedkoopst: de andere varianten kosten in de mediaan "
        "{lo} tot {hi} per inwoner per jaar meer",
        "dearer_one": "{base} is het goedkoopst: {d} kost in de mediaan {x} per inwoner "
        "per jaar meer",
        "unclear": "; het verschil is onzeker (in {share} van de herhalingen is het andersom)",
        "same": "De ketenkosten per inwoner verschillen nauwelijks tussen de varianten",
        "stack_title": "{f} betaalt in elke variant het grootste deel: {lo}–{hi} van de "
        "ketenkosten",
        "stack_title_mixed": "De grootste betaler verschilt per variant: {parts}",
        "stack_caption": "Segmenten: mediaan per financier over {n} herhalingen; het getal "
        "achter de balk is de mediaan van het totaal. Medianen tellen niet precies op, "
        "dus de som van de segmenten kan een paar euro afwijken. Mantelzorg is niet "
        "meegeteld in de ketenkosten.",
        "stack_axis": "€ per inwoner per jaar (mediaan)",
        "wp_head": "Wie betaalt meer en wie bespaart, ten opzichte van {base}?",
        "wp_line": "{d}: grootste extra kosten bij {up} ({x}), grootste besparing bij {down} ({y})",
        "wp_line_up": "{d}: alle financiers betalen meer of gelijk, het meest {up} ({x})",
        "wp_line_down": "{d}: alle financiers besparen of blijven gelijk, het meest {down} ({y})",
        "wp_axis": "← bespaart        betaalt meer →\n€ per inwoner per jaar",
        "wp_caption": "Balk: mediaan van het gepaarde verschil met {base} over {n} "
        "herhalingen, per financier; de onderste rij is de totale ketenkosten.",
        "total": "Totaal",
        "out_best_all": "{d} scoort op alle vier uitkomsten het best (laagste mediaan)",
        "out_best": "{parts}",
        "out_part": "{what} laagst bij {d}",
        "out_caption_lower": "Bij alle vier geldt: lager is beter.",
        "fan_title": "Het kostenvoordeel van {d} ten opzichte van {base} {trend} van {a} "
        "per inwoner in jaar {y0} naar {b} in jaar {y1} (mediaan)",
        "grows": "groeit",
        "shrinks": "krimpt",
        "stays": "blijft ongeveer gelijk",
        "fan_title_dearer": "Het kostennadeel van {d} ten opzichte van {base} {trend} van {a} "
        "per inwoner in jaar {y0} naar {b} in jaar {y1} (mediaan)",
        "fan_title_mixed": "Verschil in ketenkosten van {d} met {base}: {a} per inwoner in "
        "jaar {y0}, {b} in jaar {y1} (mediaan)",
        "gap_panel": "Verschil in ketenkosten met {base}",
        "fan_title_flat": "Ketenkosten en uitkomsten per jaar, per variant",
        "fan_caption": "Lijn: mediaan per jaar over {n} herhalingen. Donkere band: middelste "
        "50% van de herhalingen (p25–p75); stippellijnen: 90% (p5–p95). Rechtsboven: "
        "gepaard verschil met {base} (zelfde seed per herhaling); onder nul is goedkoper.",
        "year": "Jaar",
        "and": "en",
        "traj_title_all": "{what} {verb} in alle varianten van jaar {y0} naar jaar {y1}; "
        "bij {base} van {a} naar {b}",
        "traj_title_some": "{what} {verb} bij {items} van jaar {y0} naar jaar {y1}",
        "traj_title_flat": "Uitgaven van de gemeente en onvervulde hulpvraag per jaar, per variant",
        "rises": "stijgt",
        "falls": "daalt",
        "traj_caption": "Per variant (kolom): lijn is de mediaan per jaar over {n} "
        "herhalingen, band de middelste 50% (p25–p75), stippellijnen 90% (p5–p95). Grijze "
        "streeplijn: de mediaan van {base}, ter vergelijking. Uitgaven van de gemeente: Wmo, "
        "Jeugd, Participatie en Welzijn samen.",
    },
    "en": {
        "median_of": "Bar and dot: median over {n} replications.",
        "intervals": "Thick line: middle 50% of replications (p25–p75); thin line: 90% (p5–p95).",
        "spread": "The spread is chance within the model (each replication has other "
        "citizens and events); uncertainty about the assumptions themselves is not included "
        "(see Uncertainties in the brief).",
        "paired": "Differences are paired: replication k of every variant had the same "
        "citizens and events (same seed). Left of zero: cheaper than {base}.",
        "diff_axis": "€ per inhabitant per year",
        "cost_panel": "Total chain cost",
        "diff_panel": "Difference from {base}, paired",
        "cheaper": "{d} costs a median {x} per inhabitant per year less than {base}",
        "dearer": "{base} is cheapest: the other variants cost a median {lo} to {hi} per "
        "inhabitant per year more",
        "dearer_one": "{base} is cheapest: {d} costs a median {x} per inhabitant per year more",
        "unclear": "; the difference is uncertain (in {share} of replications it is the "
        "other way round)",
        "same": "Chain cost per inhabitant hardly differs between the variants",
        "stack_title": "{f} pays the largest share in every variant: {lo}–{hi} of the chain cost",
        "stack_title_mixed": "The largest payer differs by variant: {parts}",
        "stack_caption": "Segments: median per financier over {n} replications; the number "
        "after the bar is the median of the total. Medians do not add up exactly, so the "
        "segments may differ from the total by a few euros. Informal care is not counted "
        "in the chain cost.",
        "stack_axis": "€ per inhabitant per year (median)",
        "wp_head": "Who pays more and who saves, compared with {base}?",
        "wp_line": "{d}: {up} pays most extra ({x}), {down} saves most ({y})",
        "wp_line_up": "{d}: every financier pays more or the same, {up} most ({x})",
        "wp_line_down": "{d}: every financier saves or pays the same, {down} most ({y})",
        "wp_axis": "← saves        pays more →\n€ per inhabitant per year",
        "wp_caption": "Bar: median of the paired difference from {base} over {n} "
        "replications, per financier; the bottom row is the total chain cost.",
        "total": "Total",
        "out_best_all": "{d} does best on all four outcomes (lowest median)",
        "out_best": "{parts}",
        "out_part": "{what} lowest under {d}",
        "out_caption_lower": "For all four, lower is better.",
        "fan_title": "The cost advantage of {d} over {base} {trend} from {a} per inhabitant "
        "in year {y0} to {b} in year {y1} (median)",
        "grows": "grows",
        "shrinks": "shrinks",
        "stays": "stays about the same",
        "fan_title_dearer": "The extra cost of {d} over {base} {trend} from {a} per "
        "inhabitant in year {y0} to {b} in year {y1} (median)",
        "fan_title_mixed": "Difference in chain cost of {d} from {base}: {a} per inhabitant "
        "in year {y0}, {b} in year {y1} (median)",
        "gap_panel": "Difference in chain cost from {base}",
        "fan_title_flat": "Chain cost and outcomes per year, by variant",
        "fan_caption": "Line: median per year over {n} replications. Dark band: middle 50% "
        "of replications (p25–p75); dotted lines: 90% (p5–p95). Top right: paired "
        "difference from {base} (same seed per replication); below zero is cheaper.",
        "year": "Year",
        "and": "and",
        "traj_title_all": "{what} {verb} in every variant from year {y0} to year {y1}; "
        "under {base} from {a} to {b}",
        "traj_title_some": "{what} {verb} under {items} from year {y0} to year {y1}",
        "traj_title_flat": "Municipal spending and unmet need per year, by variant",
        "rises": "rises",
        "falls": "falls",
        "traj_caption": "Per variant (column): the line is the median per year over {n} "
        "replications, the band the middle 50% (p25–p75), dotted lines 90% (p5–p95). Grey "
        "dashed line: the median of {base}, for comparison. Municipal spending: Wmo, youth "
        "care, participation and welfare together.",
    },
}


def text(key: str, lang: str = "nl", **kwargs: object) -> str:
    """A phrase of the figures and brief in the given language, filled in."""
    return _T[lang][key].format(**kwargs)


def design_ref(design: str, lang: str = "nl") -> str:
    """A design's name quoted for running text: ‘Vroegsignalering’."""
    return f"‘{design_name(design, lang)}’"


def _join(parts: Sequence[str], lang: str) -> str:
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {text('and', lang)} " + parts[-1]


def _lower_first(s: str) -> str:
    """Lower-case the first letter unless the word is an acronym (Wmo stays, GGZ stays)."""
    if len(s) > 1 and s[1].islower():
        return s[0].lower() + s[1:]
    return s


# --- findings, shared with the brief ---------------------------------------------------


def cost_finding(
    diffs: pd.DataFrame, lang: str = "nl", baseline: str = BASELINE, outcome: str = TOTAL_COST
) -> str:
    """One sentence on the total chain cost of the designs vs the baseline (paired medians)."""
    rows = diffs[diffs["outcome"] == outcome].set_index("design")
    if rows.empty:
        return text("same", lang)
    base = design_ref(baseline, lang)
    best = rows["median"].idxmin()
    r = rows.loc[best]
    if abs(r["median"]) < 0.5 and rows["median"].abs().max() < 0.5:
        return text("same", lang)
    if r["median"] < 0:
        s = text(
            "cheaper", lang, d=design_ref(best, lang), x=fmt_eur(-r["median"], 0, lang), base=base
        )
        if r["p95"] >= 0:
            s += text("unclear", lang, share=fmt_pct(1 - r["share_lower"], lang))
        return s
    ordered = rows["median"].sort_values()
    if len(ordered) == 1:
        s = text(
            "dearer_one", lang, base=base, d=design_ref(best, lang), x=fmt_eur(r["median"], 0, lang)
        )
    else:
        s = text(
            "dearer",
            lang,
            base=base,
            lo=fmt_eur(ordered.iloc[0], 0, lang),
            hi=fmt_eur(ordered.iloc[-1], 0, lang),
        )
    if r["p5"] <= 0:
        s += text("unclear", lang, share=fmt_pct(r["share_lower"], lang))
    return s


def pocket_shifts(diffs: pd.DataFrame, design: str) -> tuple[pd.Series, pd.Series]:
    """Median paired difference per financier for one design: (pays more, saves), sorted."""
    rows = diffs[diffs["design"] == design].set_index("outcome")["median"]
    per_fin = pd.Series(
        {f: rows[financier_outcome(f)] for f in FINANCIERS if financier_outcome(f) in rows}
    )
    up = per_fin[per_fin >= 0.5].sort_values(ascending=False)
    down = per_fin[per_fin <= -0.5].sort_values()
    return up, down


def pocket_line(diffs: pd.DataFrame, design: str, lang: str = "nl") -> str:
    """One sentence on the financier paying most extra and the one saving most."""
    up, down = pocket_shifts(diffs, design)
    d = design_ref(design, lang)
    if not up.empty and not down.empty:
        return text(
            "wp_line",
            lang,
            d=d,
            up=financier_name(up.index[0], lang),
            x=fmt_eur(up.iloc[0], 0, lang, signed=True),
            down=financier_name(down.index[0], lang),
            y=fmt_eur(down.iloc[0], 0, lang, signed=True),
        )
    if not up.empty:
        return text(
            "wp_line_up",
            lang,
            d=d,
            up=financier_name(up.index[0], lang),
            x=fmt_eur(up.iloc[0], 0, lang, signed=True),
        )
    if not down.empty:
        return text(
            "wp_line_down",
            lang,
            d=d,
            down=financier_name(down.index[0], lang),
            y=fmt_eur(down.iloc[0], 0, lang, signed=True),
        )
    return f"{d}: ±€ 0"


# --- drawing helpers -------------------------------------------------------------------

CAPTION_SIZE = 8.5


def new_figure(width: float, height: float, caption: str) -> tuple[Figure, SubFigure]:
    """A figure with a main area of `height` inches and the caption in a strip below it.

    Returns (figure, main subfigure): draw on the subfigure. The caption lives in its own
    subfigure, so legends placed "outside lower center" of the main one never cover it.
    """
    wrapped = wrap(caption, width - 0.3, CAPTION_SIZE)
    cap_h = (wrapped.count("\n") + 1) * CAPTION_SIZE * 1.45 / 72 + 0.2
    fig = Figure(figsize=(width, height + cap_h), layout="constrained")
    main, strip = fig.subfigures(2, 1, height_ratios=[height, cap_h])
    strip.text(
        0.1 / width,
        1 - 0.12 / cap_h,
        wrapped,
        ha="left",
        va="top",
        fontsize=CAPTION_SIZE,
        color=MUTED_INK,
        linespacing=1.45,
    )
    return fig, main


def finish_figure(fig: Figure, out_dir: Path, name: str, title: str, caption: str) -> FigureFiles:
    width = fig.get_figwidth()
    fig.suptitle(
        wrap(title, width - 0.3, 12),
        x=0.1 / width,
        ha="left",
        fontsize=12,
        fontweight="bold",
        color=INK,
    )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    png, svg = out_dir / f"{name}.png", out_dir / f"{name}.svg"
    fig.savefig(png, dpi=150, bbox_inches="tight", pad_inches=0.15)
    fig.savefig(svg, bbox_inches="tight", pad_inches=0.15)
    return FigureFiles(name=name, png=png, svg=svg, title=title, caption=caption)


class _NumberFormatter(Formatter):
    """Tick labels in the language's number format, decimals from the tick step."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._ticks: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        self._ticks = sorted(float(v) for v in locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        locs = self._ticks
        step = min(np.diff(locs)) if len(locs) > 1 else 1.0
        decimals = 0
        while decimals < 4 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-6:
            decimals += 1
        return fmt_number(x, decimals, self.lang)


def _number_formatter(lang: str) -> Formatter:
    return _NumberFormatter(lang)


def _interval_bars(
    ax: Axes,
    table: pd.DataFrame,
    order: Sequence[str],
    outcome: str,
    lang: str,
    signed: bool = False,
    labels: bool = True,
) -> None:
    """Horizontal bars (median, from zero) with 50% and 90% interval lines, one per design."""
    rows = table[table["outcome"] == outcome].set_index("design")
    ys = np.arange(len(order))[::-1]
    span = max(rows[["p5", "p95", "median"]].abs().to_numpy().max(), 1e-9)
    for y, design in zip(ys, order, strict=True):
        if design not in rows.index:
            continue
        r = rows.loc[design]
        colour = design_colour(design)
        ax.barh(y, r["median"], height=0.62, color=colour, alpha=0.85, zorder=2)
        ax.hlines(y, r["p5"], r["p95"], color=INK, lw=1.2, zorder=3)
        ax.hlines(y, r["p25"], r["p75"], color=INK, lw=4.0, zorder=3)
        ax.plot(r["median"], y, "o", ms=5.5, mfc="white", mec=INK, mew=1.2, zorder=4)
        if labels:
            x_end = max(r["p95"], 0) if r["median"] >= 0 else min(r["p5"], 0)
            ha = "left" if r["median"] >= 0 else "right"
            pad = 0.02 * span * (1 if ha == "left" else -1)
            ax.text(
                x_end + pad,
                y,
                fmt_value(r["median"], outcome, lang, signed=signed),
                va="center",
                ha=ha,
                fontsize=8.5,
                color=INK,
            )
    ax.set_yticks(ys, [design_name(d, lang) for d in order])
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", zorder=0)
    ax.set_axisbelow(True)
    ax.set_ylim(-0.6, len(order) - 0.4)


def _pad_xlim(ax: Axes, table: pd.DataFrame, outcome: str, frac: float = 0.18) -> None:
    rows = table[table["outcome"] == outcome]
    lo = min(0.0, rows["p5"].min(), rows["median"].min())
    hi = max(0.0, rows["p95"].max(), rows["median"].max())
    span = hi - lo or 1.0
    ax.set_xlim(lo - (frac * span if lo < 0 else 0), hi + (frac * span if hi > 0 else 0))


def _n_reps(table: pd.DataFrame) -> int:
    return int(table["n"].min()) if not table.empty else 0


# --- the figures -----------------------------------------------------------------------


def figure_total_cost(
    outcomes: pd.DataFrame, out_dir: Path | str, lang: str = "nl", baseline: str = BASELINE
) -> FigureFiles:
    """(a) Total chain cost per inhabitant per year by design, and paired difference."""
    summary = stats.summarise(outcomes)
    diffs = stats.paired_differences(outcomes, baseline)
    order = order_designs(summary["design"])
    others = [d for d in order if d != baseline]
    base = design_name(baseline, lang)
    caption = " ".join(
        [
            text("median_of", lang, n=_n_reps(summary)),
            text("intervals", lang),
            text("paired", lang, base=base),
            text("spread", lang),
        ]
    )
    if not others:
        caption = " ".join([text("median_of", lang, n=_n_reps(summary)), text("intervals", lang)])
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(10, 1.3 + 0.55 * len(order), caption)
        if not others:
            ax1 = main.subplots(1, 1)
        else:
            ax1, ax2 = main.subplots(1, 2, width_ratios=[1.15, 1], sharey=False)
        _interval_bars(ax1, summary, order, TOTAL_COST, lang)
        _pad_xlim(ax1, summary, TOTAL_COST)
        ax1.xaxis.set_major_formatter(_number_formatter(lang))
        ax1.set_xlabel(outcome_unit(TOTAL_COST, lang))
        ax1.set_title(text("cost_panel", lang))
        if not others:
            med = float(summary.loc[summary["outcome"] == TOTAL_COST, "median"].iloc[0])
            unit = outcome_unit(TOTAL_COST, lang).removeprefix("€ ")
            title = f"{text('cost_panel', lang)}: {fmt_eur(med, 0, lang)} {unit}"
            return finish_figure(fig, Path(out_dir), "total_cost", title, caption)
        d_order = [d for d in order if d in others]
        _interval_bars(ax2, diffs, d_order, TOTAL_COST, lang, signed=True)
        ax2.set_ylim(-0.6, len(order) - 0.4)
        _pad_xlim(ax2, diffs, TOTAL_COST, frac=0.3)
        ax2.axvline(0, color=INK, lw=0.9, zorder=3)
        ax2.xaxis.set_major_formatter(_number_formatter(lang))
        ax2.set_xlabel(text("diff_axis", lang, base=base))
        ax2.set_title(text("diff_panel", lang, base=base))
        title = cost_finding(diffs, lang, baseline)
        return finish_figure(fig, Path(out_dir), "total_cost", title, caption)


def _luminance(colour: str) -> float:
    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


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
    caption = text("stack_caption", lang, n=_n_reps(summary))
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
            ink = "white" if _luminance(colour) < 0.45 else INK
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
        ax.set_yticks(ys, [design_name(d, lang) for d in order])
        ax.tick_params(axis="y", length=0)
        ax.set_xlim(0, grand * 1.12)
        ax.xaxis.set_major_formatter(_number_formatter(lang))
        ax.set_xlabel(text("stack_axis", lang))
        ax.grid(axis="x", zorder=0)
        ax.set_axisbelow(True)
        main.legend(loc="outside lower center", ncols=4, handlelength=1.2, columnspacing=1.5)
        shares = med[[financier_outcome(f) for f in fins]].div(totals, axis=0)
        top = shares.idxmax(axis=1)
        if top.nunique() == 1:
            f = top.iloc[0].split("__")[1].removesuffix("_eur_per_inhabitant_per_year")
            s = shares[top.iloc[0]]
            title = text(
                "stack_title",
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
            title = text("stack_title_mixed", lang, parts="; ".join(parts))
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
    ] + [text("total", lang)]
    sub = diffs[diffs["outcome"].isin(rows_order)]
    lo = min(0.0, sub["p5"].min())
    hi = max(0.0, sub["p95"].max())
    span = hi - lo or 1.0
    base = design_name(baseline, lang)
    caption = " ".join(
        [
            text("wp_caption", lang, base=base, n=_n_reps(sub)),
            text("intervals", lang),
            text("paired", lang, base=base),
            text("spread", lang),
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
            ax.xaxis.set_major_formatter(_number_formatter(lang))
            ax.xaxis.set_major_locator(MaxNLocator(6))
            ax.set_xlabel(text("wp_axis", lang))
            ax.set_title(design_name(design, lang), color=colour)
            ax.grid(axis="x", zorder=0)
            ax.set_axisbelow(True)
            ax.tick_params(axis="y", length=0)
        axes[0].set_yticks(ys, labels)
        for t in axes[0].get_yticklabels()[-1:]:
            t.set_fontweight("bold")
        title = "\n".join(
            [text("wp_head", lang, base=design_ref(baseline, lang))]
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
            text("median_of", lang, n=_n_reps(summary)),
            text("intervals", lang),
            text("out_caption_lower", lang),
            text("spread", lang),
        ]
    )
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(10, 0.6 + nrows * (1.1 + 0.45 * len(order)), caption)
        axes = main.subplots(nrows, ncols, squeeze=False).ravel()
        for i, (ax, outcome) in enumerate(zip(axes, panel, strict=False)):
            _interval_bars(ax, summary, order, outcome, lang)
            _pad_xlim(ax, summary, outcome)
            ax.xaxis.set_major_formatter(_number_formatter(lang))
            ax.set_xlabel(outcome_unit(outcome, lang))
            ax.set_title(outcome_label(outcome, lang))
            if i % ncols:
                ax.set_yticklabels([])
        for ax in axes[len(panel) :]:
            ax.set_visible(False)
        med = summary.pivot(index="outcome", columns="design", values="median")
        best = {o: med.loc[o].idxmin() for o in panel}
        if len(set(best.values())) == 1 and len(panel) == 4:
            title = text("out_best_all", lang, d=design_ref(next(iter(best.values())), lang))
        else:
            parts = []
            for d in order:
                whats = [outcome_label(o, lang) for o in panel if best[o] == d]
                if whats:
                    what = _join([whats[0]] + [_lower_first(w) for w in whats[1:]], lang)
                    parts.append(text("out_part", lang, what=what, d=design_ref(d, lang)))
            title = "; ".join([parts[0]] + [_lower_first(p) for p in parts[1:]])
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


def _fan(ax: Axes, rows: pd.DataFrame, colour: str, label: str | None) -> None:
    ax.fill_between(rows["year"], rows["p25"], rows["p75"], color=colour, alpha=0.28, lw=0)
    for q in ("p5", "p95"):
        ax.plot(rows["year"], rows[q], color=colour, lw=0.9, ls=(0, (1.5, 1.5)))
    ax.plot(rows["year"], rows["median"], color=colour, lw=2.0, marker="o", ms=3.5, label=label)


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
            text(
                "fan_caption",
                lang,
                n=int(yearly["n"].min()) if len(yearly) else 0,
                base=design_name(baseline, lang),
            ),
            text("spread", lang),
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
                        _fan(ax, r, design_colour(design), None)
                ax.set_title(text("gap_panel", lang, base=base))
                ax.set_ylabel(outcome_unit(TOTAL_COST, lang))
            else:
                for design in order:
                    r = yearly[(yearly["outcome"] == outcome) & (yearly["design"] == design)]
                    if not r.empty:
                        label = design_name(design, lang) if ax is axes[0] else None
                        _fan(ax, r, design_colour(design), label)
                ax.set_title(outcome_label(outcome, lang))
                ax.set_ylabel(outcome_unit(outcome, lang))
            ax.set_xlabel(text("year", lang))
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.yaxis.set_major_formatter(_number_formatter(lang))
            ax.grid(axis="y", zorder=0)
        for ax in slots:
            ax.set_visible(False)
        main.legend(loc="outside lower center", ncols=len(order))
        title = text("fan_title_flat", lang)
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
                "trend": text(trend, lang),
                "y0": y0,
                "y1": y1,
            }
            if g[y0] <= 0 and g[y1] < 0:
                title = text("fan_title", lang, a=fmt_eur(a, 0, lang), b=fmt_eur(b, 0, lang), **kw)
            elif g[y0] >= 0 and g[y1] > 0:
                title = text(
                    "fan_title_dearer", lang, a=fmt_eur(a, 0, lang), b=fmt_eur(b, 0, lang), **kw
                )
            else:
                title = text(
                    "fan_title_mixed",
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
    base = design_name(baseline, lang)
    caption = " ".join(
        [
            text("traj_caption", lang, n=_n_reps(yearly), base=base),
            text("spread", lang),
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
                _fan(ax, rows[rows["design"] == design], design_colour(design), None)
                if i == 0:
                    ax.set_title(wrap(design_name(design, lang), 2.6, 9.5), fontsize=9.5)
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
                    ax.set_xlabel(text("year", lang))
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
                ax.yaxis.set_major_formatter(_number_formatter(lang))
                ax.grid(axis="y", zorder=0)
        title = _trajectory_title(yearly, order, baseline, lang)
        return finish_figure(fig, Path(out_dir), "trajectories", title, caption)


def _trajectory_title(yearly: pd.DataFrame, order: list[str], baseline: str, lang: str) -> str:
    """Names the direction of unmet need over the years (the number most likely to move)."""
    outcome = "unmet_need_person_weeks_per_1000_inhabitants_per_year"
    rows = yearly[yearly["outcome"] == outcome]
    if rows.empty or rows["year"].nunique() < 2:
        return text("traj_title_flat", lang)
    y0, y1 = int(rows["year"].min()), int(rows["year"].max())
    moves = {}
    for d in order:
        r = rows[rows["design"] == d].set_index("year")["median"]
        if y0 in r.index and y1 in r.index:
            moves[d] = (float(r[y0]), float(r[y1]))
    what = outcome_label(outcome, lang)
    for verb, test in (("rises", lambda a, b: b > a * 1.1), ("falls", lambda a, b: b < a * 0.9)):
        group = [d for d, (a, b) in moves.items() if test(a, b)]
        if group and len(group) == len(moves) and baseline in moves:
            a, b = moves[baseline]
            return text(
                "traj_title_all",
                lang,
                what=what,
                verb=text(verb, lang),
                y0=y0,
                y1=y1,
                base=design_ref(baseline, lang),
                a=fmt_number(a, 0, lang),
                b=fmt_number(b, 0, lang),
            )
        if group:
            return text(
                "traj_title_some",
                lang,
                what=what,
                verb=text(verb, lang),
                items=_join([design_ref(d, lang) for d in group], lang),
                y0=y0,
                y1=y1,
            )
    return text("traj_title_flat", lang)


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
    return figs


__all__ = [
    "FIGURE_NAMES",
    "MINUS",
    "FigureFiles",
    "cost_finding",
    "design_ref",
    "figure_cost_by_financier",
    "figure_fan_charts",
    "figure_outcomes",
    "figure_total_cost",
    "figure_trajectories",
    "figure_wrong_pocket",
    "make_all_figures",
    "pocket_line",
    "pocket_shifts",
    "text",
]
