"""Figures of `ketensim validate`: each target's simulated spread against the Dutch figure
(stocks and flows apart), and the use of care by age against the sourced age profiles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.calibration.targets import (
    GROUP_LABELS,
    PROFILE_GROUPS,
    PROFILE_LABELS,
    PROFILES,
)
from sim.designs import BURN_IN_DESIGN


def _band_of(age: float) -> str:
    for band, (lo, hi) in PROFILE_GROUPS.items():
        if lo <= age < hi:
            return band
    return list(PROFILE_GROUPS)[-1]


def _save(fig: Any, folder: Path, name: str) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"png": folder / f"{name}.png", "svg": folder / f"{name}.svg"}
    fig.savefig(paths["png"], bbox_inches="tight")
    fig.savefig(paths["svg"], bbox_inches="tight")
    return paths


def targets_figure(table: pd.DataFrame, folder: Path, tolerance: float) -> tuple[dict, str]:
    """Dot plot: simulated / Dutch figure per target, spread over replications, the band."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from experiments.report.numbers import fmt_pct
    from experiments.report.style import GRID, INK, MUTED_INK, design_colour, rc_params

    met = int(table["met"].sum())
    by_group = ", ".join(
        f"{GROUP_LABELS[g].split(' ')[0].lower()} {int(grp['met'].sum())} of {len(grp)}"
        for g, grp in table.groupby("group", sort=False)
    )
    title = (
        f"{met} of {len(table)} Dutch figures are met within {fmt_pct(tolerance, 'en')} "
        f"by the simulated baseline ({by_group})"
    )
    colour = design_colour(BURN_IN_DESIGN)
    miss = "#D55E00"  # Okabe-Ito vermillion: outside the band
    xmax = float(np.clip(table["ratio_max"].max() + 0.05, 1.5, 4.0))
    groups = list(dict.fromkeys(table["group"]))
    # one row per target, a header row before each group (from the top)
    ys: list[float] = []
    headers: list[tuple[float, str]] = []
    pos = 0.0
    for g in groups:
        headers.append((pos, GROUP_LABELS[g]))
        pos += 1.0
        for _ in range(int((table["group"] == g).sum())):
            ys.append(pos)
            pos += 1.0
    y = -np.array(ys)
    with mpl.rc_context(rc_params()):
        fig = Figure(figsize=(7.6, 0.36 * pos + 1.6))
        ax = fig.add_subplot()
        ax.axvspan(1 - tolerance, 1 + tolerance, color=GRID, alpha=0.6, lw=0)
        ax.axvline(1.0, color=MUTED_INK, lw=0.8)
        for yi, (_, r) in zip(y, table.iterrows(), strict=True):
            c = colour if r["met"] else miss
            lo_r, hi_r = min(r["ratio_min"], xmax), min(r["ratio_max"], xmax)
            ax.plot([lo_r, hi_r], [yi, yi], color=c, lw=2.2, alpha=0.45)
            ax.plot(
                min(r["ratio"], xmax),
                yi,
                ">" if r["ratio"] > xmax else "o",
                color=c,
                mfc=c if r["met"] else "white",
                mew=1.5,
                ms=6,
            )
            ax.text(
                1.02,
                yi,
                f"{r['ratio']:.2f}" + (" (max.)" if r["bound"] == "upper" else ""),
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=8,
                color=INK if r["met"] else miss,
            )
        for yh, text in headers:
            ax.text(
                -0.02,
                -yh,
                text,
                transform=ax.get_yaxis_transform(),
                ha="right",
                va="center",
                fontsize=9,
                fontweight="bold",
                color=INK,
            )
        ax.set_yticks(y, table["label"])
        ax.set_ylim(-pos + 0.4, 0.6)
        lo = min(0.0, float(table["ratio_min"].min()) - 0.05)
        ax.set_xlim(lo, xmax)
        ax.set_xlabel("simulated / Dutch figure (1 = equal)")
        ax.set_title(title, loc="left", wrap=True)
        caption = (
            f"Dot: median over replications; bar: min-max over replications. Grey band: within "
            f"{fmt_pct(tolerance, 'en')} of the Dutch figure; open dots in vermillion are "
            f"outside it; a triangle at the right edge: ratio above {xmax:.1f} (the number "
            "is the ratio). (max.): the figure is an upper bound (a legal maximum), met when "
            "the simulated value is not above it. Dutch figures and sources: "
            "sim/data/targets_nl.csv."
        )
        fig.text(0.0, -0.02, caption, fontsize=7.5, color=MUTED_INK, ha="left", va="top", wrap=True)
        return _save(fig, folder, "targets"), title


def age_figure(ages: pd.DataFrame, refs: pd.DataFrame, folder: Path) -> tuple[dict, str]:
    """Small multiples: simulated use by age (median and range) with the sourced figures."""
    import matplotlib as mpl
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    from experiments.report.numbers import fmt_pct
    from experiments.report.style import INK, MUTED_INK, design_colour, rc_params

    colour = design_colour(BURN_IN_DESIGN)
    title = "Use of care by age: simulated baseline (line) against Dutch figures (black)"
    with mpl.rc_context(rc_params()):
        fig = Figure(figsize=(8.4, 5.6), layout="constrained")
        axes = fig.subplots(2, 2, sharex=True)
        bands = list(PROFILE_GROUPS)
        x = np.arange(len(bands))
        for ax, prof in zip(axes.ravel(), PROFILES, strict=True):
            a = ages[ages["profile"] == prof]
            ax.fill_between(x, a["min"], a["max"], color=colour, alpha=0.2, lw=0)
            ax.plot(x, a["median"], color=colour, lw=1.8, marker="o", ms=3.5)
            r = refs[refs["profile"] == prof]
            for _, row in r.iterrows():
                i0 = bands.index(_band_of(row["age_min"]))
                i1 = (
                    len(bands) - 1
                    if row["age_max"] >= 200
                    else bands.index(_band_of(row["age_max"] - 1))
                )
                mid = (i0 + i1) / 2
                ax.plot([i0 - 0.4, i1 + 0.4], [row["dutch_value"]] * 2, color=INK, lw=2)
                ax.plot(
                    [mid, mid],
                    [row["dutch_value"], row["simulated_median"]],
                    color=MUTED_INK,
                    lw=0.8,
                    ls=":",
                )
                ax.plot(mid, row["simulated_median"], "D", mfc="white", mec=colour, mew=1.4, ms=5)
                left = i0 < len(bands) / 2
                ax.text(
                    i0 - 0.4 if left else i1 + 0.4,
                    row["dutch_value"],
                    f"{row['age_group']}: {fmt_pct(row['dutch_value'], 'en', 1)} "
                    f"(sim. {fmt_pct(row['simulated_median'], 'en', 1)})",
                    fontsize=7,
                    color=INK,
                    va="bottom",
                    ha="left" if left else "right",
                )
            if r.empty:
                ax.text(
                    0.02,
                    0.9,
                    "no sourced age figure in the data snapshot",
                    transform=ax.transAxes,
                    fontsize=7.5,
                    color=MUTED_INK,
                )
            ax.set_title(PROFILE_LABELS[prof])
            ax.set_ylim(bottom=0)
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_pct(v, "en")))
            ax.set_xticks(x, bands, rotation=45)
        for ax in axes[1]:
            ax.set_xlabel("age band (years)")
        for ax in axes[:, 0]:
            ax.set_ylabel("share of the age group")
        fig.suptitle(title, x=0.0, ha="left", fontsize=10, fontweight="bold")
        fig.text(
            0.0,
            -0.02,
            "Line: median over replications; band: min-max. Wmo, household help and youth "
            "care: used at some time in the last simulated year; dementia: has it at year end. "
            "Black segments: Dutch figures over the age group they cover (open-ended groups "
            "drawn to the last band); open diamond: the simulated share of that same age group. "
            "Sources: sim/data/age_profiles_nl.csv.",
            fontsize=7.5,
            color=MUTED_INK,
            ha="left",
            va="top",
            wrap=True,
        )
        return _save(fig, folder, "age_profiles"), title
