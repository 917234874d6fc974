"""`ketensim calibrate`: fit the behavioural parameters of the baseline to the Dutch targets.

What is fitted, within which bounds, against which targets and with what budget is declared
in `scenarios/calibration/<name>.yaml`, not here. The fit minimises the weighted sum of
squared relative errors (simulated / target - 1; for an upper bound such as a legal maximum
only the excess above it, `Target.relative_error`) with `scipy.optimize`:

* `least_squares` (default): trust-region reflective on the parameters scaled to [0, 1],
  with a forward-difference Jacobian whose probes run as one parallel batch;
* `nelder-mead` or `powell`: `scipy.optimize.minimize` on the same objective.

Each evaluated parameter set runs `replications` times with seeds seed, seed+1, ... (common
random numbers: every parameter set faces the same citizens and life events, so the
objective is smooth enough for finite differences). Runs go through the ensemble runner
(`experiments.ensemble`), which makes the whole fit resumable: re-running the same command
with the same `out` reuses every finished run. The best parameter set evaluated is written
as a behaviour config (`scenarios/behaviour/calibrated.yaml`, selected with
`behaviour=calibrated`) with the fit date, the targets and the achieved values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from experiments.calibration.behaviour_file import (
    Evaluation,
    behaviour_yaml,
    fit_meta,
    short_number,
)
from experiments.calibration.spec import (
    HM_KEYS,
    SETTINGS,
    CalibrationSpec,
    apply,
    base_config,
    load_spec,
    start_point,
)
from experiments.calibration.targets import TARGET_BY_ROW, simulate_targets, target_values
from experiments.cliargs import check_writable_file, parse_workers, split_arguments
from experiments.ensemble import RunSpec, run_ensemble
from sim.cli import prepare_out_dir
from sim.config import ConfigError, from_dict

CLI_KEYS = (*SETTINGS, "config", "backend", "workers", "out", *HM_KEYS)

USAGE = """usage: ketensim calibrate [config=default] [max_evaluations=N] [replications=R]
                          [population=N] [years=Y] [seed=S]
                          [method=least_squares|nelder-mead|powell|history_matching]
                          [waves=3] [points_per_wave=N] [cutoff=3] [nth=1]
                          [observation_uncertainty=0.1] [model_discrepancy=0.05]
                          [backend=local|sequential|dask] [workers=N] [out=DIR]
                          [write=scenarios/behaviour/calibrated.yaml|none] [model key=value ...]

Fits the behavioural parameters declared in scenarios/calibration/<config>.yaml to the Dutch
targets (sim/data/targets_nl.csv) on the baseline (gatekeeping, mid_city by default), with
replications and common random numbers, and writes the best set as a behaviour config
(select it with behaviour=calibrated). method=history_matching rules out, in waves of emulated
implausibility, the parameter sets that cannot match the targets within their observation
uncertainty, reports the space not ruled out and writes its least implausible simulated set.
Runs go to out (default results/calibrate/<time>/);
re-running with the same out resumes. Model overrides (municipality=small_town ...) apply to
every run."""


# --------------------------------------------------------------------------- evaluation
class BudgetExhaustedError(Exception):
    """The evaluation budget is used up."""


class Objective:
    """Runs parameter sets (batched, through the ensemble runner) and keeps every result.

    `targets` (target row -> value in the simulated unit) defaults to the Dutch figures;
    tests pass values produced by the model itself (synthetic truth)."""

    def __init__(
        self,
        spec: CalibrationSpec,
        base: dict[str, Any],
        out: Path,
        backend: str = "local",
        workers: int | None = None,
        log: Any = None,
        targets: dict[str, float] | None = None,
    ) -> None:
        self.spec = spec
        self.base = base
        self.out = out
        self.backend = backend
        self.workers = workers
        self.targets = target_values() if targets is None else dict(targets)
        self.rows = spec.fitted_rows
        self.weights = np.array([spec.targets[r] for r in self.rows])
        self.cache: dict[str, Evaluation] = {}
        self.trace: list[Evaluation] = []
        self.log = log or (lambda msg: None)
        self.started = time.perf_counter()

    def _key(self, x: np.ndarray) -> str:
        text = ",".join(f"{v:.6g}" for v in x)
        return hashlib.sha1(text.encode()).hexdigest()[:12]

    def evaluate(self, xs: list[np.ndarray]) -> list[Evaluation]:
        """Natural parameter vectors -> evaluations (new ones run as one parallel batch)."""
        P = self.spec.parameters
        xs = [np.array([p.from_unit(p.to_unit(v)) for p, v in zip(P, x, strict=True)]) for x in xs]
        new = []
        for x in xs:
            k = self._key(x)
            if k not in self.cache and k not in {self._key(y) for y in new}:
                new.append(x)
        room = self.spec.max_evaluations - len(self.cache)
        if len(new) > room:
            raise BudgetExhaustedError
        if new:
            specs = [
                RunSpec(
                    run_id=f"e{self._key(x)}-r{k:02d}",
                    config=apply(self.spec, self.base, x),
                    seed=self.spec.seed + k,
                    labels={"point": self._key(x), "replication": k},
                )
                for x in new
                for k in range(self.spec.replications)
            ]
            result = run_ensemble(
                specs,
                simulate_targets,
                self.out / "ensemble",
                backend=self.backend,
                workers=self.workers,
                progress=False,
            )
            if result.failures:
                first = result.failures[0]
                raise RuntimeError(
                    f"{len(result.failures)} calibration run(s) failed, e.g. {first['run_id']}: "
                    f"{first.get('error_type')}: {first.get('error_message')}"
                )
            table = result.summary
            for x in new:
                rows = table[table["point"] == self._key(x)]
                ev = self._evaluation(x, rows)
                self.cache[self._key(x)] = ev
                self.trace.append(ev)
                best = min(self.trace, key=lambda e: e.cost)
                self.log(
                    f"  evaluation {len(self.trace):>3}/{self.spec.max_evaluations}: "
                    f"cost {ev.cost:.4f} (best {best.cost:.4f}), "
                    f"{time.perf_counter() - self.started:.0f} s"
                )
        return [self.cache[self._key(x)] for x in xs]

    def _evaluation(self, x: np.ndarray, rows: Any) -> Evaluation:
        observed: dict[str, float] = {}
        spread: dict[str, tuple[float, float]] = {}
        for row in self.spec.targets:
            col = f"obs__{TARGET_BY_ROW[row].simulated}"
            values = rows[col].to_numpy(dtype=float)
            observed[row] = float(values.mean())
            spread[row] = (float(values.min()), float(values.max()))
        residuals = self.weights * np.array(
            [TARGET_BY_ROW[r].relative_error(observed[r], self.targets[r]) for r in self.rows]
        )
        return Evaluation(x, observed, spread, residuals, float(residuals @ residuals))

    @property
    def best(self) -> Evaluation:
        return min(self.trace, key=lambda e: e.cost)


# --------------------------------------------------------------------------- the fit
def fit(spec: CalibrationSpec, objective: Objective, x0: np.ndarray) -> Evaluation:
    """Run the optimiser from `x0` until it converges or the budget is used; return the best
    evaluation seen (the optimiser's own probes included)."""
    from scipy import optimize

    P = spec.parameters
    n = len(P)

    def to_x(u: np.ndarray) -> np.ndarray:
        return np.array([p.from_unit(v) for p, v in zip(P, u, strict=True)])

    u0 = np.array([p.to_unit(v) for p, v in zip(P, x0, strict=True)])
    h = spec.diff_step
    try:
        if spec.method == "least_squares":

            def fun(u: np.ndarray) -> np.ndarray:
                return objective.evaluate([to_x(u)])[0].residuals

            def jac(u: np.ndarray) -> np.ndarray:
                steps = np.where(u + h <= 1.0, h, -h)
                probes = [u.copy() for _ in range(n)]
                for j in range(n):
                    probes[j][j] += steps[j]
                evs = objective.evaluate([to_x(u)] + [to_x(q) for q in probes])
                r0 = evs[0].residuals
                return np.column_stack([(evs[j + 1].residuals - r0) / steps[j] for j in range(n)])

            optimize.least_squares(
                fun,
                u0,
                jac=jac,
                bounds=(np.zeros(n), np.ones(n)),
                method="trf",
                x_scale=1.0,
                xtol=1e-3,
                ftol=1e-4,
                max_nfev=spec.max_evaluations,
            )
        else:

            def cost(u: np.ndarray) -> float:
                return objective.evaluate([to_x(np.clip(u, 0, 1))])[0].cost

            options: dict[str, Any] = {"maxfev": spec.max_evaluations, "xatol": 1e-3}
            if spec.method == "nelder-mead":
                options["initial_simplex"] = np.vstack(
                    [u0] + [np.clip(u0 + 0.15 * np.eye(n)[j], 0, 1) for j in range(n)]
                )
            else:
                options = {"maxfev": spec.max_evaluations, "xtol": 1e-3}
            optimize.minimize(
                cost,
                u0,
                method="Nelder-Mead" if spec.method == "nelder-mead" else "Powell",
                bounds=[(0.0, 1.0)] * n,
                options=options,
            )
    except BudgetExhaustedError:
        pass
    return objective.best


# --------------------------------------------------------------------------- output


def calibrate_command(argv: list[str]) -> int:
    """Entry point of `calibrate`; returns the exit code."""
    if any(a in ("-h", "--help", "help") for a in argv):
        print(USAGE)
        return 0

    try:
        cli, overrides = split_arguments(argv, CLI_KEYS)
        spec = load_spec(cli.get("config", "default"), cli, overrides)
        backend = cli.get("backend", "local")
        if backend not in ("local", "sequential", "dask"):
            raise ConfigError(f"backend={backend}: allowed: local, sequential, dask")
        workers = parse_workers(cli)
        if spec.write and "write" in cli:  # the calibration file's default is the repo's
            check_writable_file(spec.write, "write")
        base = base_config(spec)
        if spec.method == "history_matching":  # its settings, checked before out= is made
            from experiments.calibration.history_matching import settings_from

            settings_from(spec.extra.get("history_matching", {}), cli)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        out = prepare_out_dir(cli.get("out") or Path("results") / "calibrate" / stamp)
    except ConfigError as exc:
        print(f"ketensim: error: {exc}", file=sys.stderr)
        return 2
    if spec.method == "history_matching":
        from experiments.calibration.history_command import run_command

        return run_command(spec, base, out, backend, workers, cli)
    print(
        f"ketensim calibrate: {len(spec.parameters)} parameters, {len(spec.targets)} targets, "
        f"{spec.method}, at most {spec.max_evaluations} sets x {spec.replications} runs of "
        f"{spec.population:,} persons x {spec.years} years ({base['design']['name']}, "
        f"{base['municipality']['name']}); runs in {out}/",
        file=sys.stderr,
    )
    objective = Objective(
        spec, base, out, backend, workers, log=lambda m: print(m, file=sys.stderr)
    )
    x0 = start_point(spec, base)
    start = time.perf_counter()
    try:
        start_eval = objective.evaluate([x0])[0]
        best = fit(spec, objective, x0)
    except (RuntimeError, ImportError, ValueError) as exc:
        print(f"ketensim: error: {exc}", file=sys.stderr)
        return 1
    wall = time.perf_counter() - start
    targets = target_values()
    meta = fit_meta(
        base,
        evaluations=len(objective.trace),
        runs=len(objective.trace) * spec.replications,
        wall_time_s=wall,
        start_cost=start_eval.cost,
    )
    text = behaviour_yaml(spec, base, x0, best, targets, meta)
    from_dict(apply(spec, base, best.x))  # the fitted set must pass validation
    (out / "calibrated.yaml").write_text(text, encoding="utf-8")
    report = {
        **meta,
        "parameters": {
            p.key: {"kind": p.kind, "bounds": [p.lo, p.hi], "start": float(a), "fitted": float(b)}
            for p, a, b in zip(spec.parameters, x0, best.x, strict=True)
        },
        "targets": {
            row: {
                "target": targets[row],
                "start": start_eval.observed[row],
                "achieved": best.observed[row],
                "min": best.spread[row][0],
                "max": best.spread[row][1],
                "weight": w,
            }
            for row, w in spec.targets.items()
        },
        "cost": best.cost,
        "trace": [{"x": [float(v) for v in e.x], "cost": e.cost} for e in objective.trace],
    }
    (out / "calibration.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if spec.write:
        target_path = Path(spec.write)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target_path.write_text(text, encoding="utf-8")
    print(f"done in {wall:.0f} s: cost {start_eval.cost:.4f} -> {best.cost:.4f}")
    for row in spec.targets:
        t, a = targets[row], best.observed[row]
        mark = "ok " if TARGET_BY_ROW[row].met(a, t, 0.10) else "OFF"
        print(
            f"  {mark} {row:<44} target {short_number(t):>9}  "
            f"achieved {short_number(a):>9}  ({a / t:.2f})"
        )
    print(f"  written: {out / 'calibrated.yaml'}" + (f" and {spec.write}" if spec.write else ""))
    return 0


__all__ = [
    "Objective",
    "calibrate_command",
    "fit",
]
