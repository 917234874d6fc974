"""Variants of an experiment: a design plus levers plus any overrides, compared paired.

An experiment file `scenarios/experiment/<name>.yaml` (or any path ending in `.yaml`) names
the variants; the first is the baseline unless `baseline:` says otherwise::

    baseline: gatekeeping
    variants:
      gatekeeping:
        design: gatekeeping
      early_signalling_chain_care:
        design: early_signalling
        overrides:
          design.levers.chain_care: true
        label: {nl: "Vroegsignalering + ketenzorg", en: "Early signalling + chain care"}

`variants` may also be a list of mappings with a `name:`. On the command line
`variants=gatekeeping,early_signalling+chain_care` is a quick experiment: each item is a
design, optionally followed by `+lever` (a lever switched on) or `+lever:value`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.config import SCENARIOS_DIR, ConfigError
from sim.designs import design_names
from sim.designs.registry import lever_of_field
from sim.params import LeverParams

EXPERIMENT_DIR = SCENARIOS_DIR / "experiment"
LEVERS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(LeverParams))
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$")


@dataclass(frozen=True)
class Variant:
    """One variant: a name (used in file names and tables), a design and overrides."""

    name: str
    design: str
    overrides: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        """The variant's display name: its own label, or the design with its levers."""
        if lang in self.labels:
            return self.labels[lang]
        from experiments.report.style import design_label

        levers = [_lever_phrase(o, lang) for o in self.overrides]
        levers = [x for x in levers if x]
        base = design_label(self.design, lang)
        return " + ".join([base, *levers]) if levers else base

    def override_keys(self) -> set[str]:
        """The dotted keys this variant sets."""
        return {o.split("=", 1)[0] for o in self.overrides}

    def levers(self) -> dict[str, str]:
        """The levers this variant sets: lever name -> value as written."""
        out = {}
        for o in self.overrides:
            key, _, value = o.partition("=")
            if key.startswith("design.levers."):
                out[key.removeprefix("design.levers.")] = value
        return out


@dataclass(frozen=True)
class Experiment:
    """A named set of variants and its baseline variant."""

    name: str
    variants: tuple[Variant, ...]
    baseline: str
    source: str = ""

    def __post_init__(self) -> None:
        names = [v.name for v in self.variants]
        if self.baseline not in names:
            raise ConfigError(
                f"baseline={self.baseline}: not a variant of the experiment; "
                f"allowed: {', '.join(names)}"
            )

    @property
    def names(self) -> list[str]:
        """Variant names, baseline first, then in the order given."""
        rest = [v.name for v in self.variants if v.name != self.baseline]
        return [self.baseline, *rest]

    def by_name(self) -> dict[str, Variant]:
        """Variants by name."""
        return {v.name: v for v in self.variants}


def _lever_phrase(override: str, lang: str) -> str:
    key, _, value = override.partition("=")
    if not key.startswith("design.levers."):
        return ""
    lever = key.removeprefix("design.levers.")
    name = lever_name(lever, lang)
    if value.lower() == "true":
        return name
    if value.lower() == "false":
        return ""
    return f"{name}: {value}"


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def _check_name(name: str, where: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(
            f"{where}: variant name {name!r}; allowed: letters, digits and _ . + - "
            "(starting with a letter or digit)"
        )
    return name


def _variant(name: str, body: Any, where: str) -> Variant:
    _check_name(name, where)
    if not isinstance(body, dict):
        raise ConfigError(
            f"{where}: variant {name} must be a mapping with design: (and overrides:)"
        )
    unknown = set(body) - {"design", "overrides", "label", "name"}
    if unknown:
        raise ConfigError(
            f"{where}: variant {name}: unknown key {sorted(unknown)[0]}; "
            "allowed: design, overrides, label"
        )
    design = body.get("design")
    if design not in design_names():
        raise ConfigError(
            f"{where}: variant {name}: design={design}; allowed: {', '.join(design_names())}"
        )
    raw = body.get("overrides") or {}
    if isinstance(raw, list):
        items = [str(x) for x in raw]
        if any("=" not in x for x in items):
            raise ConfigError(f"{where}: variant {name}: overrides must be key=value or a mapping")
    elif isinstance(raw, dict):
        items = [f"{k}={_value_text(v)}" for k, v in raw.items()]
    else:
        raise ConfigError(f"{where}: variant {name}: overrides must be a mapping of dotted keys")
    for item in items:
        key = item.split("=", 1)[0]
        if key in ("design", "seed", "out", "population", "years", "replications"):
            raise ConfigError(
                f"{where}: variant {name}: {key} cannot differ between variants "
                "(set it on the command line for all)"
            )
    label = body.get("label") or {}
    if isinstance(label, str):
        label = {"nl": label, "en": label}
    if not isinstance(label, dict):
        raise ConfigError(f"{where}: variant {name}: label must be text or {{nl: ..., en: ...}}")
    return Variant(name, design, tuple(items), {str(k): str(v) for k, v in label.items()})


def parse_experiment(data: Any, name: str, where: str) -> Experiment:
    """Build an experiment from the parsed YAML of an experiment file."""
    if not isinstance(data, dict) or "variants" not in data:
        raise ConfigError(f"{where}: expected a mapping with variants:")
    unknown = sorted(str(k) for k in data if k not in ("variants", "baseline"))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]}; allowed: variants, baseline")
    raw = data["variants"]
    variants: list[Variant] = []
    if isinstance(raw, dict):
        variants = [_variant(str(k), v, where) for k, v in raw.items()]
    elif isinstance(raw, list):
        for i, item in enumerate(raw):
            if not isinstance(item, dict) or "name" not in item:
                raise ConfigError(f"{where}: variants[{i}] needs a name: and a design:")
            variants.append(_variant(str(item["name"]), item, where))
    else:
        raise ConfigError(f"{where}: variants must be a mapping or a list")
    if not variants:
        raise ConfigError(f"{where}: no variants")
    names = [v.name for v in variants]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ConfigError(f"{where}: variant {dup[0]} is named twice")
    baseline = str(data.get("baseline") or variants[0].name)
    return Experiment(name, tuple(variants), baseline, where)


def load_experiment(spec: str) -> Experiment:
    """`experiment=levers` (scenarios/experiment/levers.yaml) or `experiment=path.yaml`."""
    from experiments.yaml_files import load_yaml_file

    if spec.endswith((".yaml", ".yml")) or "/" in spec:
        path = Path(spec)
    else:
        path = EXPERIMENT_DIR / f"{spec}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in EXPERIMENT_DIR.glob("*.yaml"))
        raise ConfigError(
            f"experiment={spec}: no such experiment file; allowed: {', '.join(known)} "
            "or a path to a .yaml file"
        )
    data = load_yaml_file(path, f"experiment={spec}")
    return parse_experiment(data, path.stem, f"experiment={spec}")


def parse_variants(spec: str) -> Experiment:
    """`variants=gatekeeping,early_signalling+chain_care,...` as an experiment."""
    variants = []
    for item in [s.strip() for s in spec.split(",") if s.strip()]:
        design, *levers = item.split("+")
        if design not in design_names():
            allowed = ", ".join(design_names())
            raise ConfigError(
                f"variants={spec}: {item}: unknown design {design}; allowed: {allowed}"
            )
        overrides = []
        for lever in levers:
            lname, _, value = lever.partition(":")
            if lname not in LEVERS:
                raise ConfigError(
                    f"variants={spec}: {item}: unknown lever {lname}; allowed: {', '.join(LEVERS)}"
                )
            overrides.append(f"design.levers.{lname}={value or 'true'}")
        name = item.replace(":", "-")
        variants.append(Variant(_check_name(name, f"variants={spec}"), design, tuple(overrides)))
    if not variants:
        raise ConfigError(f"variants={spec}: allowed: design[+lever],... e.g. gatekeeping")
    names = [v.name for v in variants]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ConfigError(f"variants={spec}: variant {dup[0]} is named twice")
    return Experiment("variants", tuple(variants), variants[0].name, f"variants={spec}")


def from_designs(designs: list[str], baseline: str) -> Experiment:
    """The plain comparison: every design as its own variant, named by design."""
    return Experiment("designs", tuple(Variant(d, d) for d in designs), baseline, "designs")


def lever_name(lever: str, lang: str) -> str:
    """Display name of a lever (`sim.designs.registry`), or of one of a lever's parameters
    (the lever's name with the parameter's)."""
    entry = lever_of_field(lever)
    if entry is None:
        raise ConfigError(f"{lever}: not a lever; allowed: {', '.join(LEVERS)}")
    label = entry.label["en" if lang not in entry.label else lang]
    return label if lever == entry.switch else f"{label} ({lever.replace('_', ' ')})"


__all__ = [
    "EXPERIMENT_DIR",
    "LEVERS",
    "Experiment",
    "Variant",
    "from_designs",
    "lever_name",
    "load_experiment",
    "parse_experiment",
    "parse_variants",
]
