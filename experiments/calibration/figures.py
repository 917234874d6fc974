"""Figures of `ketensim calibrate method=history_matching` in the house style: the pairs plot
of the parameter space not ruled out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd

from experiments.report.canvas import FigureFiles, finish_figure, new_figure
from experiments.report.numbers import share_text
from experiments.report.style import INK, rc_params

INSIDE_COLOUR = "#0072B2"  # Okabe-Ito blue: not ruled out
RULED_OUT_COLOUR = "#BBBBBB"
CALIBRATED_COLOUR = "#D55E00"  # Okabe-Ito vermillion


def _short(key: str) -> str:
    """The last two parts of a dotted key without the `behaviour.` prefix."""
    parts = key.split(".")
    return ".".join(parts[1:] if parts[0] == "behaviour" and len(parts) <= 3 else parts[-2:])


def figure_pairs(
    spec: Any, result: Any, table: pd.DataFrame, out_dir: Path, most: int = 6
) -> FigureFiles:
    """Pairs plot of the `most` parameters whose range shrank most: below the diagonal the
    simulated points (grey: ruled out, blue: not) and the calibrated default; on the diagonal
    the distribution of the space not ruled out over each declared range."""
    order = table.sort_values("share_of_range").index[: min(most, len(table))].to_list()
    keys = [spec.parameters[j].key for j in order]
    X = result.X[:, order]
    ref = result.reference[result.kept][:, order]
    lows = np.array([spec.parameters[j].lo for j in order])
    highs = np.array([spec.parameters[j].hi for j in order])
    ref_nat = lows + ref * (highs - lows)

    share = result.volume[-1] if result.volume else 1.0
    k, k_sim = len(order), result.simulated_inside()
    inside = result.inside if k_sim else np.zeros(len(X), dtype=bool)
    caption = (
        f"History matching in {len(result.waves)} wave(s) ({result.runs} model runs). Blue cloud: "
        f"a reference sample of the parameter space that no wave's emulators rule out "
        f"(implausibility <= {result.settings.cutoff:g} with observation uncertainty, model "
        "discrepancy and emulator uncertainty); grey: simulated parameter sets (blue: not "
        "ruled out); orange: the "
        "calibrated default (the simulated set least implausible inside the space). Diagonal: "
        "where the space not ruled out lies in each parameter's declared range. Shown: the "
        f"{k} parameters whose range shrank most."
    )
    title = (
        f"History matching rules out {'almost all' if share < 0.005 else f'{1 - share:.0%}'} "
        f"of the parameter space: {share_text(share)} remains compatible with the Dutch targets"
        if share > 0
        else (
            f"History matching leaves a tiny part of the parameter space: {k_sim} of "
            f"{len(result.X)} simulated sets, no reference point, remain compatible with the "
            "Dutch targets"
        )
        if k_sim
        else "History matching rules out the whole declared parameter space"
    )
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(1.9 * k + 0.8, 1.9 * k + 0.4, caption)
        axes = np.atleast_2d(main.subplots(k, k, squeeze=False))
        for i in range(k):
            for j in range(k):
                ax = axes[i, j]
                if j > i:
                    ax.set_visible(False)
                    continue
                if i == j:
                    if len(ref_nat) or k_sim:  # the reference sample, else the simulated sets
                        ax.hist(
                            ref_nat[:, i] if len(ref_nat) else X[inside, i],
                            bins=20,
                            range=(lows[i], highs[i]),
                            color=INSIDE_COLOUR,
                            alpha=0.8,
                        )
                    ax.set_xlim(lows[i], highs[i])
                    ax.set_yticks([])
                else:
                    ax.scatter(X[:, j], X[:, i], s=5, color=RULED_OUT_COLOUR, zorder=1)
                    if k_sim:  # simulated sets no wave rules out
                        ax.scatter(X[inside, j], X[inside, i], s=14, color=INSIDE_COLOUR, zorder=2)
                    if len(ref_nat):
                        sub = ref_nat[: min(len(ref_nat), 3000)]
                        ax.scatter(
                            sub[:, j], sub[:, i], s=2, color=INSIDE_COLOUR, alpha=0.25, zorder=2
                        )
                    if result.best >= 0:
                        ax.scatter(
                            X[result.best, j],
                            X[result.best, i],
                            s=40,
                            marker="*",
                            color=CALIBRATED_COLOUR,
                            zorder=3,
                        )
                    ax.set_xlim(lows[j], highs[j])
                    ax.set_ylim(lows[i], highs[i])
                ax.tick_params(labelsize=6)
                if i == k - 1:
                    ax.set_xlabel(_short(keys[j]), fontsize=7, color=INK)
                else:
                    ax.set_xticklabels([])
                if j == 0 and i > 0:
                    ax.set_ylabel(_short(keys[i]), fontsize=7, color=INK)
                elif i != j:
                    ax.set_yticklabels([])
        return finish_figure(fig, out_dir, "history_matching_pairs", title, caption)
