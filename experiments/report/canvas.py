"""The canvas every report figure is drawn on, and the marks the figures share.

`new_figure` gives a figure with its caption in a strip below the axes, `finish_figure`
titles it and saves it as PNG (150 dpi) and SVG, returning a `FigureFiles`. The marks:
interval bars (median from zero, 50% and 90% lines), fan lines per year, and tick labels in
the figure's language (`NumberFormatter`). Matplotlib's object API only: no pyplot, no global
backend or rcParams changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure, SubFigure
from matplotlib.ticker import Formatter

from experiments.report.numbers import fmt_number, fmt_value
from experiments.report.style import INK, MUTED_INK, design_colour, design_label, wrap


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


class NumberFormatter(Formatter):
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


def number_formatter(lang: str) -> Formatter:
    return NumberFormatter(lang)


def luminance(colour: str) -> float:
    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def interval_bars(
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
    ax.set_yticks(ys, [design_label(d, lang) for d in order])
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", zorder=0)
    ax.set_axisbelow(True)
    ax.set_ylim(-0.6, len(order) - 0.4)


def pad_xlim(ax: Axes, table: pd.DataFrame, outcome: str, frac: float = 0.18) -> None:
    rows = table[table["outcome"] == outcome]
    lo = min(0.0, rows["p5"].min(), rows["median"].min())
    hi = max(0.0, rows["p95"].max(), rows["median"].max())
    span = hi - lo or 1.0
    ax.set_xlim(lo - (frac * span if lo < 0 else 0), hi + (frac * span if hi > 0 else 0))


def n_replications(table: pd.DataFrame) -> int:
    return int(table["n"].min()) if not table.empty else 0


def fan(ax: Axes, rows: pd.DataFrame, colour: str, label: str | None) -> None:
    ax.fill_between(rows["year"], rows["p25"], rows["p75"], color=colour, alpha=0.28, lw=0)
    for q in ("p5", "p95"):
        ax.plot(rows["year"], rows[q], color=colour, lw=0.9, ls=(0, (1.5, 1.5)))
    ax.plot(rows["year"], rows["median"], color=colour, lw=2.0, marker="o", ms=3.5, label=label)
