"""The calibrated behaviour file: an evaluated parameter set (`Evaluation`: the values, the
simulated targets with their spread, the residuals and the cost), the fit's facts
(`fit_meta`), and the behaviour YAML that records them beside the fitted values
(`behaviour_yaml`). Written by both methods of `ketensim calibrate`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from experiments.calibration.spec import (
    CalibrationSpec,
    apply,
)
from experiments.calibration.targets import TARGET_BY_ROW


@dataclass
class Evaluation:
    x: np.ndarray
    observed: dict[str, float]  # target row -> simulated mean
    spread: dict[str, tuple[float, float]]  # target row -> (min, max) over replications
    residuals: np.ndarray
    cost: float


def short_number(v: float) -> str:
    return f"{v:.4g}"


def fit_meta(
    base: dict[str, Any], evaluations: int, runs: int, wall_time_s: float, start_cost: float
) -> dict[str, Any]:
    """What a calibration's outputs record about the fit (the behaviour file's header and the
    report): when, which code, which baseline, how much work, the starting misfit."""
    from sim.run import __version__, git_commit

    return {
        "date": dt.date.today().isoformat(),
        "git_commit": git_commit(),
        "version": __version__,
        "design": base["design"]["name"],
        "municipality": base["municipality"]["name"],
        "burn_in_years": base["burn_in_years"],
        "evaluations": evaluations,
        "runs": runs,
        "wall_time_s": wall_time_s,
        "start_cost": start_cost,
    }


def behaviour_yaml(
    spec: CalibrationSpec,
    base: dict[str, Any],
    x0: np.ndarray,
    best: Evaluation,
    targets: dict[str, float],
    meta: dict[str, Any],
) -> str:
    """The fitted behaviour as a Hydra config with the fit documented in comments."""
    import yaml

    cfg = apply(spec, base, best.x)
    behaviour = cfg["behaviour"]
    lines = [
        "# Calibrated behaviour: `ketensim calibrate` output; select it with behaviour=calibrated.",
        f"# Fit date: {meta['date']}; git commit {meta['git_commit']}; model {meta['version']}.",
        f"# Fitted on {meta['design']} in {meta['municipality']} ({spec.population:,} persons, "
        f"{spec.years} years after {meta['burn_in_years']} burn-in years, "
        f"{spec.replications} replications per set, seeds {spec.seed}..).",
        f"# Method: {spec.method}; {meta['evaluations']} parameter sets evaluated "
        f"({meta['runs']} runs, {meta['wall_time_s']:.0f} s); weighted sum of squared "
        f"relative errors {meta['start_cost']:.4f} at the start -> {best.cost:.4f}.",
        "# Declared in scenarios/calibration/ (parameters, bounds, targets, weights).",
        "#",
        "# Fitted parameters (start -> fitted; bounds; a scale multiplies every age band of the"
        " starting behaviour):",
    ]
    for prm, a, b in zip(spec.parameters, x0, best.x, strict=True):
        lines.append(
            f"#   {prm.key} ({prm.kind}): {short_number(a)} -> {short_number(b)}  "
            f"[{prm.lo:g}, {prm.hi:g}]"
        )
    lines += [
        "#",
        "# Targets (sim/data/targets_nl.csv; in the simulated unit): target, achieved (mean over",
        "# replications), achieved / target, weight:",
    ]
    for row, w in spec.targets.items():
        t = targets[row]
        a = best.observed[row]
        flag = "met" if TARGET_BY_ROW[row].met(a, t, 0.10) else "NOT within 10%"
        lines.append(
            f"#   {row}: {short_number(t)}, {short_number(a)}, {a / t:.2f} ({flag}), weight {w:g}"
        )
    lines += [
        "# Everything else is copied from the starting behaviour; units and sources of each",
        "# parameter: docs/parameters.md.",
        "",
    ]
    body = yaml.safe_dump(
        json.loads(json.dumps(behaviour)), sort_keys=False, default_flow_style=None, width=100
    )
    return "\n".join(lines) + body


__all__ = ["Evaluation", "behaviour_yaml", "fit_meta", "short_number"]
