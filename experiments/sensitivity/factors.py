"""Declared uncertainties (`scenarios/uncertainty/*.yaml`) and how a sampled point becomes a
model config: factors `set` or `scale` values in the config dict before `from_dict`, so the
model code (`sim/`) knows nothing about sensitivity analysis."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

from sim.config import SCENARIOS_DIR, ConfigError
from sim.params import DESIGNS, KetensimConfig

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
    if not low < high:
        raise ConfigError(f"{where}: low={low} must be below high={high}")
    mode = raw.get("mode")
    if dist == "triangular" and (mode is None or not low <= float(mode) <= high):
        raise ConfigError(f"{where}.mode={mode}: triangular needs low <= mode <= high")
    designs = raw.get("designs")
    if designs is not None:
        designs = tuple(designs)
        for d in designs:
            if d not in DESIGNS:
                raise ConfigError(f"{where}.designs: {d} unknown; allowed: {', '.join(DESIGNS)}")
    return Factor(
        name=name,
        keys=tuple(keys),
        kind=kind,
        low=low,
        high=high,
        label=str(raw.get("label", name)),
        why=str(raw.get("why", "")),
        dist=dist,
        mode=None if mode is None else float(mode),
        designs=designs,
    )


def load_uncertainties(spec: str = "default") -> list[Factor]:
    """Factors of `scenarios/uncertainty/<spec>.yaml` (or of a YAML file path)."""
    path = Path(spec)
    if not path.suffix:
        path = UNCERTAINTY_DIR / f"{spec}.yaml"
    if not path.exists():
        options = sorted(p.stem for p in UNCERTAINTY_DIR.glob("*.yaml"))
        raise ConfigError(f"uncertainty={spec}: no such file; allowed: {', '.join(options)}")
    raw = OmegaConf.to_container(OmegaConf.load(path), resolve=True)
    table = raw.get("uncertainties") if isinstance(raw, dict) else None
    if not isinstance(table, dict) or not table:
        raise ConfigError(f"uncertainty={spec}: no 'uncertainties:' mapping in {path}")
    return [_factor(str(name), dict(entry)) for name, entry in table.items()]


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
    """A short stable hash of the factor definitions (and `extra`), for folder names."""
    blob = json.dumps([dataclasses.asdict(f) for f in factors] + [extra], sort_keys=True)
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


def check_factors(factors: list[Factor], configs: dict[str, dict[str, Any]]) -> None:
    """Fail early (ConfigError) if a factor matches nothing or breaks validation at its ends."""
    from sim.config import from_dict

    for design, cfg in configs.items():
        schema = from_dict(cfg)
        mine = [f for f in factors if f.applies_to(design)]
        for end in ("low", "high"):
            values = {f.name: getattr(f, end) for f in mine}
            from_dict(apply_point(cfg, design, factors, values, schema=schema))
