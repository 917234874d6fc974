"""Declared uncertainties (`scenarios/uncertainty/*.yaml`) and how a sampled point becomes a
model config: factors `set` or `scale` values in the config dict before `from_dict`, so the
model code (`sim/`) knows nothing about sensitivity analysis."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

from sim.config import SCENARIOS_DIR, ConfigError
from sim.designs import design_names
from sim.params import KetensimConfig

UNCERTAINTY_DIR = SCENARIOS_DIR / "uncertainty"
KINDS = ("set", "scale")
DISTS = ("uniform", "triangular")


@dataclass(frozen=True)
class Factor:
    """One uncertain input: a range over one or more config keys."""

    name: str
    keys: tuple[str, ...]
    kind: str
    low: float
    high: float
    label: str = ""
    why: str = ""
    label_nl: str = ""  # the Dutch label (lang=nl); falls back to `label`
    dist: str = "uniform"
    mode: float | None = None
    designs: tuple[str, ...] | None = None  # None = every design

    def applies_to(self, design: str) -> bool:
        return self.designs is None or design in self.designs

    def salib_bounds(self) -> list[float]:
        if self.dist == "triangular":
            # SALib "triang": [lower, upper, peak as a fraction of the width]
            return [self.low, self.high, (float(self.mode) - self.low) / (self.high - self.low)]
        return [self.low, self.high]

    def display(self, lang: str = "en") -> str:
        """The label to show in `lang` (en or nl)."""
        if lang == "nl" and self.label_nl:
            return self.label_nl
        return self.label or self.name

    @property
    def nominal(self) -> float | None:
        """The value that leaves the config unchanged (None for `set`: design-specific)."""
        return 1.0 if self.kind == "scale" else None


def _factor(name: str, raw: dict[str, Any]) -> Factor:
    where = f"uncertainty {name}"
    keys = raw.get("keys") or ([raw["key"]] if "key" in raw else [])
    if not keys:
        raise ConfigError(f"{where}: no keys; allowed: keys: [dotted.config.key, ...]")
    kind = raw.get("kind", "set")
    if kind not in KINDS:
        raise ConfigError(f"{where}.kind={kind}: allowed: {', '.join(KINDS)}")
    dist = raw.get("dist", "uniform")
    if dist not in DISTS:
        raise ConfigError(f"{where}.dist={dist}: allowed: {', '.join(DISTS)}")
    try:
        low, high = float(raw["low"]), float(raw["high"])
    except (KeyError, TypeError, ValueError):
        raise ConfigError(f"{where}: needs numbers low and high") from None
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ConfigError(f"{where}: low={low}, high={high}; allowed: finite numbers")
    if kind == "scale" and low < 0:
        raise ConfigError(
            f"{where}: scale low={low:g}; allowed: a scale factor of 0 or more (it multiplies "
            "the config value)"
        )
    if not low < high:
        raise ConfigError(f"{where}: low={low} must be below high={high}")
    mode = raw.get("mode")
    if dist == "triangular" and (mode is None or not low <= float(mode) <= high):
        raise ConfigError(f"{where}.mode={mode}: triangular needs low <= mode <= high")
    designs = raw.get("designs")
    if designs is not None:
        designs = tuple(designs)
        for d in designs:
            if d not in design_names():
                raise ConfigError(
                    f"{where}.designs: {d} unknown; allowed: {', '.join(design_names())}"
                )
    return Factor(
        name=name,
        keys=tuple(keys),
        kind=kind,
        low=low,
        high=high,
        label=str(raw.get("label", name)),
        why=str(raw.get("why", "")),
        label_nl=str(raw.get("label_nl", "")),
        dist=dist,
        mode=None if mode is None else float(mode),
        designs=designs,
    )


def load_uncertainties(spec: str = "default") -> list[Factor]:
    """Factors of `scenarios/uncertainty/<spec>.yaml` (or of a YAML file path)."""
    path = Path(spec)
    if not path.suffix and "/" not in spec:  # a name in scenarios/uncertainty/
        path = UNCERTAINTY_DIR / f"{spec}.yaml"
    if not path.exists():
        options = sorted(p.stem for p in UNCERTAINTY_DIR.glob("*.yaml"))
        raise ConfigError(f"uncertainty={spec}: no such file; allowed: {', '.join(options)}")
    if path.is_dir():
        raise ConfigError(f"uncertainty={spec}: is a folder; allowed: a YAML file")
    from experiments.yaml_files import load_yaml_file

    data = load_yaml_file(path, f"uncertainty={spec}")
    try:
        raw = OmegaConf.to_container(OmegaConf.create(data), resolve=True)
    except Exception as exc:  # interpolation, types: all a bad file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"uncertainty={spec}: not valid YAML ({first})") from None
    table = raw.get("uncertainties") if isinstance(raw, dict) else None
    if not isinstance(table, dict) or not table:
        raise ConfigError(f"uncertainty={spec}: no 'uncertainties:' mapping in {path}")
    factors = []
    for name, entry in table.items():
        if not isinstance(entry, dict):
            raise ConfigError(
                f"uncertainty {name}: a {type(entry).__name__}; allowed: a mapping with keys, "
                "kind, low, high (and dist, mode, designs, label, label_nl, why)"
            )
        factors.append(_factor(str(name), dict(entry)))
    return factors


def problem(factors: list[Factor]) -> dict[str, Any]:
    """The SALib problem dict of `factors`."""
    prob: dict[str, Any] = {
        "num_vars": len(factors),
        "names": [f.name for f in factors],
        "bounds": [f.salib_bounds() for f in factors],
    }
    if any(f.dist != "uniform" for f in factors):
        prob["dists"] = ["triang" if f.dist == "triangular" else "unif" for f in factors]
    return prob


def factors_hash(factors: list[Factor], extra: Any = None) -> str:
    """A short stable hash of what the factors do to a run (and `extra`), for folder names:
    labels and reasons are left out, so editing them keeps finished runs."""
    shown = ("label", "label_nl", "why")
    what = [{k: v for k, v in dataclasses.asdict(f).items() if k not in shown} for f in factors]
    blob = json.dumps([*what, extra], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:10]


# --- applying a point to a config --------------------------------------------------------


def _meta_bounds(cfg: KetensimConfig, path: list[str]) -> tuple[float | None, float | None]:
    """Allowed [min, max] of the value at `path` from the schema metadata."""
    obj: Any = cfg
    meta: dict[str, Any] = {}
    for part in path:
        if dataclasses.is_dataclass(obj):
            fields = {f.name: f for f in dataclasses.fields(obj)}
            if part not in fields:
                return None, None
            meta = dict(fields[part].metadata)
            obj = getattr(obj, part)
        elif isinstance(obj, dict):
            obj = obj.get(part)
        else:
            break
    return meta.get("min"), meta.get("max")


def _matches(node: Any, parts: list[str], path: list[str]) -> list[list[str]]:
    """Every concrete path below `node` that `parts` (with `*`) matches."""
    if not parts:
        return [path]
    head, rest = parts[0], parts[1:]
    if not isinstance(node, dict):
        return []
    names = list(node) if head == "*" else ([head] if head in node else [])
    out: list[list[str]] = []
    for name in names:
        out.extend(_matches(node[name], rest, [*path, name]))
    return out


def _clip(x: float, lo: float | None, hi: float | None) -> float:
    if lo is not None:
        x = max(x, lo)
    if hi is not None:
        x = min(x, hi)
    return x


def _transform(value: Any, factor: Factor, x: float, lo: Any, hi: Any) -> Any:
    if isinstance(value, dict):
        return {k: _transform(v, factor, x, lo, hi) for k, v in value.items()}
    if isinstance(value, list):
        return [_transform(v, factor, x, lo, hi) for v in value]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"uncertainty {factor.name}: matches a non-number ({value!r})")
    new = value * x if factor.kind == "scale" else x
    new = _clip(float(new), lo, hi)
    return round(new) if isinstance(value, int) else new


def apply_point(
    config: dict[str, Any],
    design: str,
    factors: list[Factor],
    values: dict[str, float],
    schema: KetensimConfig | None = None,
    touched: list[list[str]] | None = None,
) -> dict[str, Any]:
    """A copy of the config dict with each factor in `values` applied (others unchanged).

    The paths changed are appended to `touched` if given."""
    out = copy.deepcopy(config)
    schema = schema if schema is not None else KetensimConfig()
    by_name = {f.name: f for f in factors}
    for name, x in values.items():
        factor = by_name[name]
        if not factor.applies_to(design):
            continue
        hits = [m for key in factor.keys for m in _matches(out, key.split("."), [])]
        if not hits:
            raise ConfigError(
                f"uncertainty {name}: keys {', '.join(factor.keys)} match nothing in the config"
            )
        for path in hits:
            parent = out
            for part in path[:-1]:
                parent = parent[part]
            lo, hi = _meta_bounds(schema, path)
            parent[path[-1]] = _transform(parent[path[-1]], factor, float(x), lo, hi)
            if touched is not None:
                touched.append(path)
    return out


def apply_point_to_config(
    config: dict[str, Any],
    cfg: KetensimConfig,
    design: str,
    factors: list[Factor],
    values: dict[str, float],
) -> KetensimConfig:
    """Like `apply_point`, but on a copy of the typed, validated config `cfg` of `config`
    (no OmegaConf round trip: much faster per run); validated again afterwards."""
    from sim.config import validate

    touched: list[list[str]] = []
    new = apply_point(config, design, factors, values, schema=cfg, touched=touched)
    out = copy.deepcopy(cfg)
    for path in touched:
        value: Any = new
        for part in path:
            value = value[part]
        parent: Any = out
        for part in path[:-1]:
            parent = parent[part] if isinstance(parent, dict) else getattr(parent, part)
        if isinstance(parent, dict):
            parent[path[-1]] = copy.deepcopy(value)
        else:
            setattr(parent, path[-1], copy.deepcopy(value))
    validate(out)
    return out


def _check_range(factor: Factor, cfg: dict[str, Any], schema: KetensimConfig) -> None:
    """A factor's range must reach the allowed values of the keys it changes: a range wholly
    outside them would be clipped to one constant and silently vary nothing."""
    for key in factor.keys:
        for path in _matches(cfg, key.split("."), []):
            lo, hi = _meta_bounds(schema, path)
            if lo is None and hi is None:
                continue
            value: Any = cfg
            for part in path:
                value = value[part]
            values = value if isinstance(value, list) else [value]
            numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
            if factor.kind == "scale":
                numbers = [v for v in numbers if v != 0]  # a scaled zero stays zero anyway
            if not numbers:
                continue
            outside = []
            for v in numbers:
                ends = (
                    [v * factor.low, v * factor.high]
                    if factor.kind == "scale"
                    else [
                        factor.low,
                        factor.high,
                    ]
                )
                a, b = min(ends), max(ends)
                outside.append((hi is not None and a >= hi) or (lo is not None and b <= lo))
            if all(outside):
                allowed = (
                    f"{'-inf' if lo is None else f'{lo:g}'} to {'inf' if hi is None else f'{hi:g}'}"
                )
                raise ConfigError(
                    f"uncertainty {factor.name}: low={factor.low:g}, high={factor.high:g} "
                    f"puts {'.'.join(path)} wholly outside its allowed values ({allowed}); "
                    "allowed: a range that reaches them"
                )


def check_factors(factors: list[Factor], configs: dict[str, dict[str, Any]]) -> None:
    """Fail early (ConfigError) if a factor matches nothing, lies wholly outside the allowed
    values, or breaks validation at its ends."""
    from sim.config import from_dict

    for design, cfg in configs.items():
        schema = from_dict(cfg)
        mine = [f for f in factors if f.applies_to(design)]
        for f in mine:
            _check_range(f, cfg, schema)
        for end in ("low", "high"):
            values = {f.name: getattr(f, end) for f in mine}
            from_dict(apply_point(cfg, design, factors, values, schema=schema))
