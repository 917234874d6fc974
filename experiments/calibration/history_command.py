"""`ketensim calibrate method=history_matching`: run the waves, then write and print what they
left: the ranges not ruled out, how near each target any simulated set came, the pairs plot,
the report (history_matching.json) and the calibrated behaviour (the least implausible
simulated set); `waves=0` checks the starting behaviour alone."""

from __future__ import annotations

import json
import math
import sys
import warnings
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.calibration.behaviour_file import Evaluation, behaviour_yaml, fit_meta
from experiments.calibration.history_matching import (
    Result,
    Settings,
    history_match,
    nth_largest_text,
    nth_max,
    run_points,
    settings_from,
    simulated_implausibility,
    target_variances,
    to_natural,
)
from experiments.calibration.spec import CalibrationSpec, apply, start_point
from experiments.calibration.targets import target_values
from sim.config import ConfigError, from_dict


def ranges(spec: CalibrationSpec, result: Result) -> pd.DataFrame:
    """Per parameter: declared bounds and the range of the space not ruled out, from the
    reference sample, or, when none of it is left, from the simulated sets no wave rules
    out (column `from`)."""
    source = "reference sample"
    inside = to_natural(spec, result.reference[result.kept]) if result.kept.any() else None
    if inside is None and result.simulated_inside():
        inside, source = result.X[result.inside], "simulated sets"
    rows = []
    for j, p in enumerate(spec.parameters):
        lo = float(inside[:, j].min()) if inside is not None else math.nan
        hi = float(inside[:, j].max()) if inside is not None else math.nan
        rows.append(
            {
                "parameter": p.key,
                "kind": p.kind,
                "low": p.lo,
                "high": p.hi,
                "not_ruled_out_low": lo,
                "not_ruled_out_high": hi,
                "share_of_range": (hi - lo) / (p.hi - p.lo) if inside is not None else 0.0,
                "calibrated": float(result.X[result.best, j]) if result.best >= 0 else math.nan,
                "from": source if inside is not None else "",
            }
        )
    return pd.DataFrame(rows)


def target_reach(result: Result, targets: dict[str, float], rows: list[str]) -> pd.DataFrame:
    """Per target: how close the simulated parameter sets came to it, on that target alone.

    For each target row: the target, the smallest and largest simulated mean, the share of the
    simulated sets within the cutoff on this target (implausibility with the observation and
    discrepancy sd and the run noise, no emulator), the smallest such implausibility, and the
    ratio simulated / target at the calibrated default. A target that no simulated set comes
    within the cutoff of (`reached` false) rules out the whole simulated design by itself:
    a miss the declared parameters cannot close, which names the mechanism to look at.
    """
    s = result.settings
    z, var = target_variances(s, rows, targets)
    sim = result.means[rows].to_numpy(float)
    noise = result.variances[rows].to_numpy(float)
    imp = np.abs(sim - z) / np.sqrt(var + np.nan_to_num(noise))
    best = result.best
    table = pd.DataFrame(
        {
            "target": rows,
            "value": z,
            "simulated_min": np.nanmin(sim, axis=0),
            "simulated_max": np.nanmax(sim, axis=0),
            "share_within_cutoff": np.mean(imp <= s.cutoff, axis=0),
            "smallest_implausibility": np.nanmin(imp, axis=0),
            "ratio_at_calibrated": sim[best] / z if best >= 0 else np.full(len(rows), np.nan),
        }
    )
    table["reached"] = table["smallest_implausibility"] <= s.cutoff
    return table.sort_values("smallest_implausibility", ascending=False, ignore_index=True)


def evaluation_of(
    spec: CalibrationSpec, result: Result, i: int, targets: dict[str, float]
) -> Evaluation:
    """The simulated point i as a calibration `Evaluation` (for the behaviour file)."""
    observed = {r: float(result.means.loc[i, r]) for r in spec.targets}
    sd = {r: math.sqrt(max(float(result.variances.loc[i, r]), 0.0)) for r in spec.targets}
    rows = spec.fitted_rows
    weights = np.array([spec.targets[r] for r in rows])
    res = weights * np.array([observed[r] / targets[r] - 1.0 for r in rows])
    spread = {r: (observed[r] - sd[r], observed[r] + sd[r]) for r in spec.targets}
    return Evaluation(result.X[i], observed, spread, res, float(res @ res))


def check_start(
    spec: CalibrationSpec,
    base: dict[str, Any],
    s: Settings,
    out: Path,
    backend: str = "local",
    workers: int | None = None,
    targets: dict[str, float] | None = None,
) -> pd.DataFrame:
    """`waves=0`: the starting behaviour's own implausibility per fitted target, from its
    simulated runs alone (no emulator; the run noise of the mean of `replications` runs in
    the denominator). Is the behaviour one starts from (the shipped default) in the space?"""
    targets = target_values() if targets is None else dict(targets)
    rows = spec.fitted_rows
    means, noise = run_points(
        spec, base, start_point(spec, base)[None, :], 0, out, backend, workers
    )
    z = np.array([targets[r] for r in rows])
    simulated = means[rows].iloc[0].to_numpy(float)
    table = pd.DataFrame(
        {
            "target": rows,
            "value": z,
            "simulated": simulated,
            "ratio": simulated / np.where(z != 0, z, np.nan),
            "implausibility": simulated_implausibility(means, noise, rows, s, targets)[0],
        }
    )
    return table.sort_values("implausibility", ascending=False, ignore_index=True)


def run_command(
    spec: CalibrationSpec,
    base: dict[str, Any],
    out: Path,
    backend: str,
    workers: int | None,
    cli: dict[str, str],
) -> int:
    """`ketensim calibrate method=history_matching`: run, report, write; the exit code."""
    try:
        s = settings_from(spec.extra.get("history_matching", {}), cli)
    except ConfigError as exc:
        print(f"ketensim: error: {exc}", file=sys.stderr)
        return 2
    targets = target_values()
    if s.waves == 0:
        return _report_start(spec, base, s, out, backend, workers, targets)
    say = lambda m: print(m, file=sys.stderr)  # noqa: E731
    say(
        f"  history matching: {s.waves} waves x {s.points_per_wave or 10 * len(spec.parameters)} "
        f"points; cutoff {s.cutoff:g} on the {nth_largest_text(s.nth)} "
        f"implausibility; observation sd {s.observation_uncertainty} and model discrepancy sd "
        f"{s.model_discrepancy} of each target"
    )
    try:
        result = history_match(spec, base, s, out, backend, workers, targets, log=say)
    except (RuntimeError, ImportError, ValueError) as exc:
        print(f"ketensim: error: {exc}", file=sys.stderr)
        return 1
    table, reach, figure = _write_space(spec, result, targets, out)
    _write_report(spec, s, result, table, reach, figure, out)
    _print_space(s, result, table, reach)
    return _write_calibrated(spec, base, s, result, targets, out, figure)


def _write_space(
    spec: CalibrationSpec, result: Result, targets: dict[str, float], out: Path
) -> tuple[pd.DataFrame, pd.DataFrame, Any]:
    """The ranges not ruled out, the reference samples inside, the simulated points, the
    pairs plot and each target's reach; returns (ranges, reach, figure)."""
    from experiments.calibration.figures import figure_pairs

    table = ranges(spec, result)
    table.to_csv(out / "not_ruled_out_ranges.csv", index=False)
    inside = pd.DataFrame(
        to_natural(spec, result.reference[result.kept]) if result.kept.any() else None,
        columns=[p.key for p in spec.parameters],
    )
    inside.to_parquet(out / "not_ruled_out_samples.parquet", index=False)
    runs = pd.DataFrame(result.X, columns=[p.key for p in spec.parameters])
    runs.insert(0, "wave", result.wave_of)
    runs = pd.concat([runs, result.means.add_prefix("sim__")], axis=1)
    runs.to_parquet(out / "history_matching_points.parquet", index=False)
    figure = figure_pairs(spec, result, table, out / "figures")
    reach = target_reach(result, targets, spec.fitted_rows)
    reach.to_csv(out / "target_reach.csv", index=False)
    return table, reach, figure


def _write_report(
    spec: CalibrationSpec,
    s: Settings,
    result: Result,
    table: pd.DataFrame,
    reach: pd.DataFrame,
    figure: Any,
    out: Path,
) -> None:
    """history_matching.json: settings, runs, the space per wave, ranges, reach, the pick."""
    report = {
        "method": "history_matching",
        "settings": asdict(s),
        "runs": result.runs,
        "wall_time_s": result.wall_time_s,
        "not_ruled_out_share_per_wave": result.volume,
        "waves": [
            {
                "wave": w.wave,
                "points": int((result.wave_of == w.wave).sum()),
                "emulator_q2": w.q2,
                "targets_ruling_out": list(w.models),
                "held_out_wrongly_ruled_out": w.misclassified,
            }
            for w in result.waves
        ],
        "ranges": table.to_dict(orient="records"),
        "target_reach": reach.to_dict(orient="records"),
        "calibrated": {
            "inside_space": result.best_inside,
            "implausibility": result.best_implausibility,
            "x": dict(
                zip([p.key for p in spec.parameters], result.X[result.best].tolist(), strict=True)
            )
            if result.best >= 0
            else None,
        },
        "figure": str(figure.png),
    }
    (out / "history_matching.json").write_text(json.dumps(report, indent=2, default=str) + "\n")


def _print_space(s: Settings, result: Result, table: pd.DataFrame, reach: pd.DataFrame) -> None:
    """What is left after the waves, per parameter, and the targets no set reaches."""
    print(
        f"done in {result.wall_time_s:.0f} s ({result.runs} runs): not ruled out after "
        f"{len(result.waves)} wave(s): {result.space_text()}"
    )
    for r in table.itertuples():
        kept = (
            f"[{r.not_ruled_out_low:.4g}, {r.not_ruled_out_high:.4g}]"
            if np.isfinite(r.not_ruled_out_low)
            else "all ruled out"
        )
        print(f"  {r.parameter:<58} [{r.low:g}, {r.high:g}] -> {kept}")
    unreached = reach[~reach["reached"]]
    if len(unreached):
        print(
            f"  {len(unreached)} target(s) no simulated set comes within {s.cutoff:g} sd of, "
            "each on its own (target_reach.csv): a miss these parameters cannot close"
        )
        for r in unreached.itertuples():
            print(
                f"    {r.target:<58} target {r.value:.4g}, simulated {r.simulated_min:.4g} "
                f"to {r.simulated_max:.4g}"
            )


def _write_calibrated(
    spec: CalibrationSpec,
    base: dict[str, Any],
    s: Settings,
    result: Result,
    targets: dict[str, float],
    out: Path,
    figure: Any,
) -> int:
    """calibrated.yaml (the least implausible simulated set) in the run folder, and at
    `write` when it lies inside the space; the exit code."""
    if result.best < 0:
        print("  no parameter set was simulated; nothing written")
        return 1
    ev = evaluation_of(spec, result, result.best, targets)
    x0 = start_point(spec, base)
    meta = fit_meta(
        base,
        evaluations=len(result.X),
        runs=result.runs,
        wall_time_s=result.wall_time_s,
        start_cost=evaluation_of(spec, result, 0, targets).cost,
    )
    where = "inside" if result.best_inside else "NOT inside (every simulated set was ruled out)"
    header = (
        f"# History matching: {len(result.waves)} wave(s); not ruled out (cutoff {s.cutoff:g}): "
        f"{result.space_text()};\n# this set is the simulated one "
        f"least implausible ({result.best_implausibility:.2f}), {where} the space. The space "
        f"itself:\n# not_ruled_out_ranges.csv and not_ruled_out_samples.parquet next to the run.\n"
    )
    text = header + behaviour_yaml(spec, base, x0, ev, targets, meta)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_dict(apply(spec, base, result.X[result.best]))  # must pass validation
    (out / "calibrated.yaml").write_text(text, encoding="utf-8")
    print(
        f"  calibrated default: the least implausible simulated set ({where} the space), "
        f"max implausibility {result.best_implausibility:.2f}"
    )
    # a set the matching ruled out does not replace the behaviour at `write` (the shipped
    # default, by default): it stays in the run folder, for a user who wants it anyway
    replace = bool(spec.write) and result.best_inside
    if replace:
        target_path = Path(spec.write)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target_path.write_text(text, encoding="utf-8")
    print(f"  written: {out / 'calibrated.yaml'}" + (f" and {spec.write}" if replace else ""))
    if spec.write and not replace:
        print(
            f"  not written to {spec.write}: every simulated set was ruled out, so it keeps "
            "its behaviour (copy the run's calibrated.yaml there to use the least implausible "
            "set anyway)"
        )
    print(f"  pairs plot: {figure.png}")
    return 0


def _report_start(
    spec: CalibrationSpec,
    base: dict[str, Any],
    s: Settings,
    out: Path,
    backend: str,
    workers: int | None,
    targets: dict[str, float],
) -> int:
    """Print and write `check_start`'s table and its verdict; the exit code."""
    try:
        table = check_start(spec, base, s, out, backend, workers, targets)
    except (RuntimeError, ValueError) as exc:
        print(f"ketensim: error: {exc}", file=sys.stderr)
        return 1
    table.to_csv(out / "start_implausibility.csv", index=False)
    nth = float(nth_max(table["implausibility"].to_numpy()[None, :], s.nth)[0])
    verdict = "not ruled out" if nth <= s.cutoff else "ruled out"
    print(
        f"the starting behaviour, by its own {spec.replications} run(s) (no emulator): "
        f"{nth_largest_text(s.nth)} implausibility {nth:.2f} against the cutoff {s.cutoff:g}: "
        f"{verdict}"
    )
    for r in table.head(8).itertuples():
        print(f"  {r.implausibility:5.2f}  {r.ratio:5.2f} x the target  {r.target}")
    print(f"  written: {out / 'start_implausibility.csv'}")
    return 0


__all__ = ["check_start", "evaluation_of", "ranges", "run_command", "target_reach"]
