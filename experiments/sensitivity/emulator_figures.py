"""Figures of the emulator stage of the sensitivity analysis, in the house style: the held-out
validation (simulated against predicted, with intervals) and the Sobol indices on the
emulator."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from experiments.report.canvas import FigureFiles, finish_figure, new_figure
from experiments.report.numbers import fmt_number
from experiments.report.style import (
    INK,
    MUTED_INK,
    rc_params,
)
from experiments.sensitivity.figures import (
    S1_COLOUR,
    ST_COLOUR,
    grid_shape,
    output_unit,
    panel_title,
    sobol_bars,
    sobol_finding,
)

_T_EMU: dict[str, dict[str, str]] = {
    "en": {
        "valid_title_ok": "The emulator meets its target on held-out runs: Q² {lo}–{hi} for "
        "each design's cost and unmet need (target {target})",
        "valid_title_short": "The emulator falls short of its target on held-out runs: Q² "
        "{lo}–{hi} for each design's cost and unmet need (target {target})",
        "valid_caption": "Each dot: a held-out point of the uncertainties (not used for "
        "fitting), the mean of {R} replications simulated (x) against the emulator's "
        "prediction (y); lines: 95% prediction intervals (surrogate uncertainty plus the noise "
        "of a {R}-replication mean). On the dotted line prediction equals simulation. Q²: "
        "1 - squared error / variance over the held-out points; coverage: share of the "
        "held-out means inside the 90% and 95% intervals. The target applies to each "
        "design's own outcomes; paired differences are harder to emulate and shown for "
        "reference.",
        "simulated": "simulated",
        "predicted": "emulator",
        "sobol_title": "Share of the output variance due to each uncertainty (Sobol on the "
        "emulator)",
        "sobol_caption": "Sobol indices of the emulator fitted to {points} model points (each "
        "the mean of {R} replications with the same seeds), from {n} base samples x (D + 2) "
        "points per posterior draw of the emulator ({draws} draws). S1: share of variance "
        "explained by the factor alone; ST: including its interactions. Lines: 95% intervals "
        "that include the emulator's own uncertainty (spread over draws), the sampling error "
        "(bootstrap) and its misfit on held-out runs (1 - Q²).",
    },
    "nl": {
        "valid_title_ok": "De emulator haalt zijn doel op achtergehouden runs: Q² {lo}–{hi} "
        "voor kosten en onvervulde behoefte per ontwerp (doel {target})",
        "valid_title_short": "De emulator haalt zijn doel niet op achtergehouden runs: Q² "
        "{lo}–{hi} voor kosten en onvervulde behoefte per ontwerp (doel {target})",
        "valid_caption": "Elke stip: een achtergehouden punt van de onzekerheden (niet gebruikt "
        "voor het fitten), het gemiddelde van {R} herhalingen gesimuleerd (x) tegen de "
        "voorspelling van de emulator (y); lijnen: 95%-voorspelintervallen (onzekerheid van "
        "de emulator plus de ruis van een gemiddelde van {R} herhalingen). Op de stippellijn "
        "is voorspelling gelijk aan simulatie. Q²: 1 - kwadratische fout / variantie over de "
        "achtergehouden punten; dekking: aandeel binnen de 90%- en 95%-intervallen. Het doel "
        "geldt voor de uitkomsten per ontwerp; gepaarde verschillen zijn moeilijker en staan "
        "er ter vergelijking.",
        "simulated": "gesimuleerd",
        "predicted": "emulator",
        "sobol_title": "Aandeel van de variantie door elke onzekerheid (Sobol op de emulator)",
        "sobol_caption": "Sobol-indices van de emulator, gefit op {points} modelpunten (elk het "
        "gemiddelde van {R} herhalingen met dezelfde seeds), uit {n} basissamples x (D + 2) "
        "punten per trekking uit de posterior van de emulator ({draws} trekkingen). S1: "
        "aandeel van de factor alleen; ST: inclusief interacties. Lijnen: 95%-intervallen "
        "inclusief de onzekerheid van de emulator en de steekproeffout (bootstrap).",
    },
}


def _t_emu(key: str, lang: str, **kw: object) -> str:
    return _T_EMU[lang][key].format(**kw)


def _decimals(v: float) -> int:
    """Decimals a tick value needs (0, 1 or 2)."""
    for d in (0, 1):
        if abs(v * 10**d - round(v * 10**d)) < 1e-9:
            return d
    return 2


def _num_emu(x: float, lang: str, decimals: int = 2) -> str:
    return fmt_number(x, decimals, lang=lang)  # type: ignore[arg-type]


def _axis_unit(col: str, lang: str) -> str:
    try:
        return output_unit(col, lang)
    except (KeyError, ValueError):
        return ""


def figure_validation(
    simulated: pd.DataFrame,
    predicted: dict[str, Any],
    bands: dict[str, tuple[np.ndarray, np.ndarray]],
    validation: pd.DataFrame,
    out_dir: Path,
    *,
    R: int,
    target: float = 0.9,
    targeted: Sequence[str] = (),
    lang: str = "en",
) -> FigureFiles:
    """Predicted against simulated on the held-out points, one panel per output (`predicted`:
    output -> emulator prediction with `.mean`); the title judges the `targeted` outputs."""
    outputs = list(predicted)
    rows, cols = grid_shape(len(outputs))
    val = validation.set_index("output")
    judged = [o for o in targeted if o in val.index] or outputs
    q2s = val.loc[judged, "q2"]
    lo, hi = _num_emu(float(q2s.min()), lang), _num_emu(float(q2s.max()), lang)
    title_key = "valid_title_ok" if float(q2s.min()) >= target else "valid_title_short"
    title = _t_emu(title_key, lang, lo=lo, hi=hi, target=_num_emu(target, lang, 1))
    caption = _t_emu("valid_caption", lang, R=R)
    fmt = FuncFormatter(lambda v, _: fmt_number(v, _decimals(v), lang=lang))  # type: ignore[arg-type]
    with mpl.rc_context(rc_params()):
        fig, main = new_figure(5.0 * cols, 4.2 * rows, caption)
        axes = np.atleast_1d(main.subplots(rows, cols)).ravel()
        for ax, col in zip(axes, outputs, strict=False):
            y = simulated[col].to_numpy(dtype=float)
            p = predicted[col].mean
            low, high = bands[col]
            ax.errorbar(
                y,
                p,
                yerr=np.vstack([p - low, high - p]),
                fmt="o",
                ms=3.5,
                color=ST_COLOUR,
                ecolor=S1_COLOUR,
                elinewidth=0.8,
                zorder=3,
            )
            span = [min(y.min(), low.min()), max(y.max(), high.max())]
            ax.plot(span, span, ls=":", color=MUTED_INK, lw=0.9, zorder=2)
            r = val.loc[col]
            ax.text(
                0.03,
                0.97,
                f"Q² {_num_emu(r['q2'], lang)}\n90%: {_num_emu(r['coverage_90'] * 100, lang, 0)}%"
                f"  95%: {_num_emu(r['coverage_95'] * 100, lang, 0)}%",
                transform=ax.transAxes,
                va="top",
                fontsize=8,
                color=INK,
            )
            unit = _axis_unit(col, lang)
            suffix = f" ({unit})" if unit else ""
            ax.set_xlabel(_t_emu("simulated", lang, R=R) + suffix)
            ax.set_ylabel(_t_emu("predicted", lang) + suffix)
            ax.xaxis.set_major_formatter(fmt)
            ax.yaxis.set_major_formatter(fmt)
            panel_title(ax, col, lang, 4.2)
            ax.grid(True, zorder=0)
        for ax in axes[len(outputs) :]:
            ax.set_visible(False)
        return finish_figure(fig, out_dir, "emulator_validation", title, caption)


def figure_emulator_sobol(
    sobol: pd.DataFrame,
    outputs: Sequence[str],
    labels: dict[str, str],
    out_dir: Path,
    *,
    n: int,
    draws: int,
    points: int,
    R: int,
    lang: str = "en",
) -> FigureFiles:
    """S1 and ST bars with intervals that include the emulator's uncertainty."""
    caption = _t_emu("sobol_caption", lang, n=n, draws=draws, points=points, R=R)
    title = sobol_finding(sobol, outputs, labels, lang, emulated=True) or _t_emu(
        "sobol_title", lang
    )
    return sobol_bars(
        sobol, outputs, labels, out_dir, "emulator_sobol", title, caption, lang, number_ticks=True
    )
