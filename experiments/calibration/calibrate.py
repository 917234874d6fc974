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

import copy
import datetime as dt
import hashlib
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import OmegaConf

from experiments.calibration.targets import TARGET_BY_ROW, simulate_targets, target_values
from experiments.cliargs import check_writable_file, parse_workers, split_arguments
from experiments.ensemble import RunSpec, run_ensemble
from sim.cli import prepare_out_dir
from sim.config import SCENARIOS_DIR, ConfigError, compose, from_dict, to_dict

CALIBRATION_DIR = SCENARIOS_DIR / "calibration"
HM_KEYS = (
    "waves",
    "points_per_wave",
    "cutoff",
    "nth",
    "observation_uncertainty",
    "model_discrepancy",
    "min_q2",
)  # method=history_matching (experiments/calibration/history_matching.py)
METHODS = ("least_squares", "nelder-mead", "powell", "history_matching")
SETTINGS = (
    "population",
    "years",
    "replications",
    "seed",
    "method",
    "max_evaluations",
    "diff_step",
    "write",
)
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


# --------------------------------------------------------------------------- specification
@dataclass(frozen=True)
class FitParameter:
    """One fitted parameter: a dotted key, `value` or `scale`, bounds in its own unit."""

    key: str
    kind: str
    lo: float
    hi: float

    def to_unit(self, x: float) -> float:
        return (x - self.lo) / (self.hi - self.lo)

    def from_unit(self, u: float) -> float:
        return self.lo + float(np.clip(u, 0.0, 1.0)) * (self.hi - self.lo)


@dataclass
class CalibrationSpec:
    """Everything a calibration needs (from the YAML file and the command line)."""

    parameters: list[FitParameter]
    targets: dict[str, float]  # target row -> weight
    model_overrides: list[str]
    population: int = 20000
    years: int = 2
    replications: int = 2
    seed: int = 101
    method: str = "least_squares"
    max_evaluations: int = 110
    diff_step: float = 0.06
    write: str | None = "scenarios/behaviour/calibrated.yaml"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def fitted_rows(self) -> list[str]:
        """The target rows the fit uses (weight above 0), in the file's order."""
        return [r for r, w in self.targets.items() if w > 0]


def _get(tree: dict[str, Any], key: str) -> Any:
    node: Any = tree
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise ConfigError(f"parameters: {key}: unknown key (not in the configuration)")
        node = node[part]
    return node


def _set(tree: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = tree
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value


def load_spec(name_or_path: str, cli: dict[str, str], overrides: list[str]) -> CalibrationSpec:
    """Read a calibration file (a name in scenarios/calibration/ or a path) and apply the
    command-line settings; check every key, bound and target."""
    path = Path(name_or_path)
    if not path.suffix:
        path = CALIBRATION_DIR / f"{name_or_path}.yaml"
    if not path.exists():
        options = sorted(p.stem for p in CALIBRATION_DIR.glob("*.yaml"))
        raise ConfigError(
            f"config={name_or_path}: no such calibration; allowed: {', '.join(options)}"
        )
    from experiments.yaml_files import load_yaml_file

    data = load_yaml_file(path, f"config={name_or_path}")
    try:
        raw = OmegaConf.to_container(OmegaConf.create(data), resolve=True)
    except Exception as exc:  # interpolation, types: all a bad file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"config={name_or_path}: not a calibration file ({first})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"config={name_or_path}: allowed: a mapping of settings")
    unknown = set(raw) - {*SETTINGS, "parameters", "targets", "model_overrides", "history_matching"}
    if unknown:
        raise ConfigError(f"{path}: unknown key {sorted(unknown)[0]}")
    for key in SETTINGS:
        if key in cli:
            raw[key] = cli[key]
    params = []
    for i, item in enumerate(raw.get("parameters") or []):
        try:
            lo, hi = (float(b) for b in item["bounds"])
            kind = str(item.get("kind", "value"))
            params.append(FitParameter(str(item["key"]), kind, lo, hi))
        except (KeyError, TypeError, ValueError):
            raise ConfigError(
                f"{path}: parameters[{i}]: needs key, kind (value|scale) and bounds [lo, hi]"
            ) from None
        if kind not in ("value", "scale") or not lo < hi:
            raise ConfigError(
                f"{path}: parameters[{i}] ({item['key']}): kind must be value or scale and "
                f"bounds lo < hi; got {kind} {item['bounds']}"
            )
    if not params:
        raise ConfigError(f"{path}: no parameters to fit")
    targets = {str(k): float(v) for k, v in (raw.get("targets") or {}).items()}
    for row in targets:
        if row not in TARGET_BY_ROW:
            raise ConfigError(
                f"{path}: targets: {row}: unknown target; allowed: {', '.join(TARGET_BY_ROW)}"
            )
    if not any(w > 0 for w in targets.values()):
        raise ConfigError(f"{path}: no target with a positive weight")
    try:
        spec = CalibrationSpec(
            parameters=params,
            targets=targets,
            model_overrides=_merge_overrides(list(raw.get("model_overrides") or []), overrides),
            population=int(raw.get("population", 20000)),
            years=int(raw.get("years", 2)),
            replications=int(raw.get("replications", 2)),
            seed=int(raw.get("seed", 101)),
            method=str(raw.get("method", "least_squares")),
            max_evaluations=int(raw.get("max_evaluations", 110)),
            diff_step=float(raw.get("diff_step", 0.06)),
            write=None
            if str(raw.get("write", "")).lower() in ("", "none", "null")
            else str(raw["write"]),
            extra={"history_matching": raw.get("history_matching") or {}},
        )
    except ValueError as exc:
        raise ConfigError(f"calibration settings: {exc}") from None
    if spec.method not in METHODS:
        raise ConfigError(f"method={spec.method}: allowed: {', '.join(METHODS)}")
    if spec.replications < 1 or spec.max_evaluations < 2:
        raise ConfigError("replications must be at least 1 and max_evaluations at least 2")
    if not 0 < spec.diff_step < 0.5:
        raise ConfigError(f"diff_step={spec.diff_step}: allowed: a number from 0 to 0.5")
    return spec


def _merge_overrides(declared: list[str], given: list[str]) -> list[str]:
    """Declared model overrides, with the command line's replacing those of the same key."""
    keys = {g.split("=", 1)[0] for g in given}
    return [d for d in declared if d.split("=", 1)[0] not in keys] + list(given)


def base_config(spec: CalibrationSpec) -> dict[str, Any]:
    """The resolved config every evaluation starts from (a plain dict)."""
    cfg = compose(
        [
            *spec.model_overrides,
            f"population={spec.population}",
            f"years={spec.years}",
            "progress=false",
        ]
    )
    base = to_dict(cfg)
    for prm in spec.parameters:
        value = _get(base, prm.key)
        if prm.kind == "scale" and not isinstance(value, list | dict):
            raise ConfigError(f"parameters: {prm.key}: kind scale needs a table or list")
        if prm.kind == "value" and not isinstance(value, int | float):
            raise ConfigError(f"parameters: {prm.key}: kind value needs a number")
    _check_bounds_allowed(spec, base)
    return base


def _check_bounds_allowed(spec: CalibrationSpec, base: dict[str, Any]) -> None:
    """Every parameter at either bound (the others at their start) is a valid config: a
    scale bound that pushes a table past its allowed range is a clear error before any run,
    not a failed run per sampled point."""
    lows = np.array([p.lo for p in spec.parameters])
    highs = np.array([p.hi for p in spec.parameters])
    try:  # every parameter at its low bound, then at its high bound: two checks if all is well
        for x in (lows, highs):
            from_dict(apply(spec, base, x))
        return
    except ConfigError:
        pass
    start = start_point(spec, base)  # find the culprit: one parameter at a time
    for j, prm in enumerate(spec.parameters):
        for bound in (prm.lo, prm.hi):
            x = start.copy()
            x[j] = bound
            try:
                from_dict(apply(spec, base, x))
            except ConfigError as exc:
                raise ConfigError(
                    f"parameters: {prm.key}: bound {bound:g} gives an invalid config "
                    f"from this behaviour ({exc}); narrow the bounds"
                ) from None


def start_point(spec: CalibrationSpec, base: dict[str, Any]) -> np.ndarray:
    """Natural values of the starting point: the config's value, scale 1 (clipped)."""
    x = []
    for prm in spec.parameters:
        v = 1.0 if prm.kind == "scale" else float(_get(base, prm.key))
        x.append(float(np.clip(v, prm.lo, prm.hi)))
    return np.array(x)


def _scaled(value: Any, factor: float) -> Any:
    if isinstance(value, dict):
        return {k: _scaled(v, factor) for k, v in value.items()}
    if isinstance(value, list):
        return [_scaled(v, factor) for v in value]
    return float(value) * factor


def apply(spec: CalibrationSpec, base: dict[str, Any], x: np.ndarray) -> dict[str, Any]:
    """The base config with the parameters set to natural values `x`."""
    cfg = copy.deepcopy(base)
    for prm, value in zip(spec.parameters, x, strict=True):
        if prm.kind == "scale":
            _set(cfg, prm.key, _scaled(_get(base, prm.key), float(value)))
        else:
            current = _get(base, prm.key)
            _set(cfg, prm.key, round(value) if isinstance(current, int) else float(value))
    return cfg


# --------------------------------------------------------------------------- evaluation
class BudgetExhaustedError(Exception):
    """The evaluation budget is used up."""


@dataclass
class Evaluation:
    x: np.ndarray
    observed: dict[str, float]  # target row -> simulated mean
    spread: dict[str, tuple[float, float]]  # target row -> (min, max) over replications
    residuals: np.ndarray
    cost: float


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
def _fmt(v: float) -> str:
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
            f"#   {prm.key} ({prm.kind}): {_fmt(a)} -> {_fmt(b)}  [{prm.lo:g}, {prm.hi:g}]"
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
        lines.append(f"#   {row}: {_fmt(t)}, {_fmt(a)}, {a / t:.2f} ({flag}), weight {w:g}")
    lines += [
        "# Everything else is copied from the starting behaviour; units and sources of each",
        "# parameter: docs/parameters.md.",
        "",
    ]
    body = yaml.safe_dump(
        json.loads(json.dumps(behaviour)), sort_keys=False, default_flow_style=None, width=100
    )
    return "\n".join(lines) + body


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
        from experiments.calibration.history_matching import run_command

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
        print(f"  {mark} {row:<44} target {_fmt(t):>9}  achieved {_fmt(a):>9}  ({a / t:.2f})")
    print(f"  written: {out / 'calibrated.yaml'}" + (f" and {spec.write}" if spec.write else ""))
    return 0


__all__ = [
    "CalibrationSpec",
    "FitParameter",
    "Objective",
    "apply",
    "base_config",
    "calibrate_command",
    "fit",
    "load_spec",
    "start_point",
]
