"""The one place where access designs and levers are declared.

A design is one `DesignEntry`: its strategy class, its own parameter section (a subclass of
`DesignParams` with only the parameters it uses), its values (a YAML file in
`scenarios/design/`, or a mapping for a design declared in code, e.g. in a test), its labels
and descriptions in Dutch and English, its colour in figures and the explorer's controls for
it. A lever is one `LeverEntry`: its parameters (fields of `LeverParams`), the values of its
switch, its hook object (`sim.designs.levers.Lever`: where it acts in the week) and its texts.

Every list elsewhere (the allowed designs, their classes, names, colours and texts in the
report, the variants' lever names, the explorer's controls) derives from here: a module in
`sim/designs/` that calls `register_design` (or `register_lever`) at import is all a new
design needs, beside its YAML. A missing text is an error when the entry is registered.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.params import DesignParams, LeverParams

if TYPE_CHECKING:
    from sim.designs.base import AccessDesign
    from sim.designs.levers import Lever

LANGUAGES: tuple[str, ...] = ("nl", "en")
# today's practice: the design every burn-in runs, whatever design follows, and the default
# baseline of a comparison
BURN_IN_DESIGN = "gatekeeping"
SCENARIOS_DESIGN_DIR = Path(__file__).resolve().parents[2] / "scenarios" / "design"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class RegistryError(ValueError):
    """A design or lever entry that cannot be used (one line for the developer)."""


def _texts(owner: str, what: str, texts: Mapping[str, str]) -> dict[str, str]:
    """`texts` in every language, each non-empty, or a RegistryError naming what lacks."""
    missing = [lang for lang in LANGUAGES if not str(texts.get(lang, "")).strip()]
    if missing:
        raise RegistryError(f"{owner}: {what} missing in {', '.join(missing)}")
    extra = sorted(set(texts) - set(LANGUAGES))
    if extra:
        raise RegistryError(f"{owner}: {what} in unknown languages {', '.join(extra)}")
    return {lang: str(texts[lang]) for lang in LANGUAGES}


@dataclass(frozen=True)
class ExplorerControl:
    """A design parameter the explorer offers as a select (`default` keeps the YAML's
    value): the dotted key below `design.`, its label and the values offered."""

    key: str
    label: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class DesignEntry:
    """One access design, declared once (see the module docstring)."""

    name: str
    cls: type[AccessDesign]
    params: type[DesignParams]
    label: Mapping[str, str]
    description: Mapping[str, str]
    colour: str
    values: Mapping[str, Any] | None = None
    explorer: tuple[ExplorerControl, ...] = ()
    order: int = 100

    def __post_init__(self) -> None:
        owner = f"design {self.name}"
        if not _NAME.match(self.name):
            raise RegistryError(f"{owner}: a name is lower case, digits and _")
        if not (isinstance(self.params, type) and issubclass(self.params, DesignParams)):
            raise RegistryError(f"{owner}: params must be DesignParams or a subclass of it")
        if not _COLOUR.match(self.colour):
            raise RegistryError(f"{owner}: colour {self.colour!r} is not #RRGGBB")
        object.__setattr__(self, "label", _texts(owner, "label", self.label))
        object.__setattr__(self, "description", _texts(owner, "description", self.description))
        names = {f.name for f in dataclasses.fields(self.params)}
        for control in self.explorer:
            if control.key not in names:
                raise RegistryError(f"{owner}: explorer control {control.key} is no parameter")
        if self.values is None and not self.yaml_path.exists():
            raise RegistryError(f"{owner}: no values: neither {self.yaml_path} nor values=")

    @property
    def yaml_path(self) -> Path:
        """The design's YAML file in `scenarios/design/`."""
        return SCENARIOS_DESIGN_DIR / f"{self.name}.yaml"

    def parameter_names(self) -> tuple[str, ...]:
        """The names of the design's own parameter section (levers included)."""
        return tuple(f.name for f in dataclasses.fields(self.params))


@dataclass(frozen=True)
class LeverEntry:
    """One lever that combines with any design (see the module docstring). `switch` is the
    `LeverParams` field that turns it on (its first value in `values` is off); `fields` are
    all the `LeverParams` fields that belong to it."""

    name: str
    switch: str
    values: tuple[str, ...]
    fields: tuple[str, ...]
    hooks: Lever
    label: Mapping[str, str]
    description: Mapping[str, str]
    explorer_label: str
    on_value: str = ""
    acts_in: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        owner = f"lever {self.name}"
        known = {f.name for f in dataclasses.fields(LeverParams)}
        unknown = [f for f in (self.switch, *self.fields) if f not in known]
        if unknown:
            raise RegistryError(f"{owner}: {', '.join(unknown)} not in LeverParams")
        if self.switch not in self.fields:
            raise RegistryError(f"{owner}: its switch {self.switch} must be one of its fields")
        if len(self.values) < 2:
            raise RegistryError(f"{owner}: a switch has an off value and at least one other")
        object.__setattr__(self, "label", _texts(owner, "label", self.label))
        object.__setattr__(self, "description", _texts(owner, "description", self.description))
        if not self.on_value:
            object.__setattr__(self, "on_value", self.values[1])

    def is_on(self, levers: LeverParams) -> bool:
        """Whether the lever's switch is at another value than off."""
        value = getattr(levers, self.switch)
        text = str(value).lower() if isinstance(value, bool) else str(value)
        return text != self.values[0]

    def override(self, value: str | None = None) -> str:
        """The dotted override that sets the lever (`on_value` when no value is given)."""
        return f"design.levers.{self.switch}={self.on_value if value is None else value}"


# the explorer's controls of parameters every design has (`DesignParams`)
BASE_EXPLORER_CONTROLS: tuple[ExplorerControl, ...] = (
    ExplorerControl(
        "approval_need_threshold",
        "Approval threshold (severity 0-1)",
        ("0.0", "0.15", "0.25", "0.35", "0.45", "0.55"),
    ),
)
LEVERS_DEFAULT_YAML = SCENARIOS_DESIGN_DIR.parent / "levers" / "default.yaml"

_DESIGNS: dict[str, DesignEntry] = {}
_LEVERS: dict[str, LeverEntry] = {}


def register_design(entry: DesignEntry, replace: bool = False) -> DesignEntry:
    """Declare a design. Its values (a mapping) are offered to the composer as the config
    group option `design=<name>` when it has no YAML file; `replace` lets a test declare a
    name again."""
    if entry.name in _DESIGNS and not replace and _DESIGNS[entry.name] != entry:
        raise RegistryError(f"design {entry.name}: declared twice")
    if entry.values is not None:
        from hydra.core.config_store import ConfigStore

        node = {**dict(entry.values), "name": entry.name}
        ConfigStore.instance().store(group="design", name=entry.name, node=node)
    _DESIGNS[entry.name] = entry
    return entry


def unregister_design(name: str) -> None:
    """Take a design declared in code out again (tests)."""
    _DESIGNS.pop(name, None)


def register_lever(entry: LeverEntry) -> LeverEntry:
    """Declare a lever."""
    if entry.name in _LEVERS and _LEVERS[entry.name] != entry:
        raise RegistryError(f"lever {entry.name}: declared twice")
    _LEVERS[entry.name] = entry
    return entry


def design_entries() -> tuple[DesignEntry, ...]:
    """Every declared design, in their stated order (today's practice first)."""
    _load()
    return tuple(sorted(_DESIGNS.values(), key=lambda e: (e.order, e.name)))


def design_names() -> tuple[str, ...]:
    """The names of every declared design."""
    return tuple(e.name for e in design_entries())


def design_entry(name: str) -> DesignEntry:
    """The entry of design `name`; a KeyError that lists the declared ones."""
    _load()
    try:
        return _DESIGNS[name]
    except KeyError:
        raise KeyError(f"unknown design {name}; allowed: {', '.join(design_names())}") from None


def lever_entries() -> tuple[LeverEntry, ...]:
    """Every declared lever."""
    _load()
    return tuple(_LEVERS.values())


def lever_entry(name: str) -> LeverEntry:
    """The entry of lever `name` (its name or its switch's name)."""
    _load()
    for entry in _LEVERS.values():
        if name in (entry.name, entry.switch):
            return entry
    raise KeyError(f"unknown lever {name}; allowed: {', '.join(_LEVERS)}")


def lever_of_field(field_name: str) -> LeverEntry | None:
    """The lever a `LeverParams` field belongs to (None if it belongs to none)."""
    _load()
    for entry in _LEVERS.values():
        if field_name in entry.fields:
            return entry
    return None


def design_values(name: str) -> dict[str, Any]:
    """The values of design `name` as its YAML file (or its declared mapping) gives them,
    over the levers' default values (`scenarios/levers/default.yaml`)."""
    import yaml

    entry = design_entry(name)
    if entry.values is not None:
        own = dict(entry.values)
    else:
        own = yaml.safe_load(entry.yaml_path.read_text(encoding="utf-8")) or {}
    own.pop("defaults", None)
    levers = yaml.safe_load(LEVERS_DEFAULT_YAML.read_text(encoding="utf-8")) or {}
    return {**own, "name": name, "levers": {**levers, **own.get("levers", {})}}


def other_designs_with(parameter: str, name: str) -> list[str]:
    """The declared designs other than `name` that have a parameter `parameter`."""
    return [e.name for e in design_entries() if e.name != name and parameter in e.parameter_names()]


def _load() -> None:
    """Import every module of `sim.designs` once, so that their declarations run."""
    if not _loaded:
        import importlib
        import pkgutil

        import sim.designs as package

        _loaded.append(True)
        for info in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"sim.designs.{info.name}")


_loaded: list[bool] = []
