"""What a calibration fits: the parameters, their bounds and scales, the targets and their
weights, the budget, read from `scenarios/calibration/<name>.yaml` (a `CalibrationSpec`);
the baseline config the fit starts from, and a parameter set applied to it."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import OmegaConf

from experiments.calibration.targets import TARGET_BY_ROW
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


__all__ = [
    "CALIBRATION_DIR",
    "HM_KEYS",
    "METHODS",
    "SETTINGS",
    "CalibrationSpec",
    "FitParameter",
    "apply",
    "base_config",
    "load_spec",
    "start_point",
]
