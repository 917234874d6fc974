"""Compose a run configuration from the Hydra configs in `scenarios/` and validate it.

Errors are `ConfigError`s with a one-line message naming the key, the value and what is
allowed; the command line prints that line and exits with code 2.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import (
    ConfigKeyError,
    MissingMandatoryValue,
    OmegaConfBaseException,
    ValidationError,
)

from sim import plain_config
from sim.admin_params import ACTORS, CONTRACT_MODELS, TABLE_ACTS
from sim.designs.registry import (
    BURN_IN_DESIGN,
    DesignEntry,
    design_entry,
    design_names,
    other_designs_with,
)
from sim.params import (
    AGE_BANDS,
    DOMAINS,
    FINANCIERS,
    MUNICIPAL_FINANCIERS,
    PROVIDERS,
    KetensimConfig,
)

SCENARIOS_DIR = Path(__file__).resolve().parent.parent / "scenarios"


class ConfigError(ValueError):
    """A configuration that cannot be run; the message is one line for the user."""


def check_words(argv: list[str] | tuple[str, ...]) -> None:
    """Command-line words every command refuses before any work: a word not of the form
    key=value, a key given twice (the last would win silently), Hydra's own settings
    (`hydra.*`, which ketensim does not use) and an empty `out=`."""
    seen: dict[str, str] = {}
    for word in argv:
        if "=" not in word:
            raise ConfigError(f"argument '{word}' is not of the form key=value")
        key, value = word.split("=", 1)
        name = key.lstrip("+~")
        if name in seen:
            raise ConfigError(
                f"{name}: given twice ({name}={seen[name]} and {name}={value}); allowed: once"
            )
        seen[name] = value
        if name == "hydra" or name.startswith(("hydra.", "hydra/")):
            raise ConfigError(
                f"{word}: Hydra's own settings are not used by ketensim; allowed: model "
                "keys (ketensim run --help) and the command's options"
            )
        if name == "out" and not value.strip():
            raise ConfigError("out=: empty; allowed: a folder that can be created or written to")


def _hydra_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text


def compose(
    overrides: list[str] | tuple[str, ...] = (),
    scenarios_dir: Path | None = None,
    *,
    reference: bool = False,
) -> KetensimConfig:
    """Compose `scenarios/config.yaml` with `key=value` overrides, then validate
    (`reference`: as in `from_dictconfig`)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    directory = Path(scenarios_dir or SCENARIOS_DIR).resolve()
    if not (directory / "config.yaml").exists():
        raise ConfigError(f"no config.yaml in scenarios directory {directory}")
    for item in overrides:
        if "=" not in item:
            raise ConfigError(f"argument '{item}' is not of the form key=value")
    overrides, from_file = _municipality_file_overrides(list(overrides), directory)
    key = (str(directory), tuple(overrides), _yaml_stamp(directory))
    raw = None if from_file else _COMPOSED.get(key)
    if raw is None:
        GlobalHydra.instance().clear()
        try:
            with initialize_config_dir(config_dir=str(directory), version_base=None):
                raw = hydra_compose(config_name="config", overrides=list(overrides))
        except Exception as exc:  # Hydra raises several types; all mean a bad override
            raise ConfigError(_explain_hydra(exc, overrides)) from None
        finally:
            GlobalHydra.instance().clear()
        if from_file:
            _apply_municipality_file(raw, from_file, overrides)
        else:
            while len(_COMPOSED) >= _COMPOSED_KEPT:
                del _COMPOSED[next(iter(_COMPOSED))]
            _COMPOSED[key] = raw
    return from_dictconfig(raw, reference=reference)


# Hydra's composition (about 0.25 s) kept per process for the same directory, overrides and
# YAML files (their modification times); from_dictconfig only reads it.
_COMPOSED: dict[tuple[Any, ...], DictConfig] = {}
_COMPOSED_KEPT = 32


def _yaml_stamp(directory: Path) -> tuple[tuple[str, int], ...]:
    """The YAML files under `directory` with their modification times (ns)."""
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in directory.rglob("*.yaml")))


def _municipality_file_overrides(
    overrides: list[str], directory: Path
) -> tuple[list[str], dict[str, Any]]:
    """Take `municipality=file:path.csv[@GMxxxx]` out of the overrides: compose with its base
    profile instead and return the file's fields (see sim/municipality_file.py)."""
    from sim.municipality_file import MunicipalityFileError, municipality_fields, parse_spec

    rest: list[str] = []
    fields: dict[str, Any] = {}
    for item in overrides:
        key, _, value = item.partition("=")
        if key.lstrip("+~") == "municipality" and value.startswith("file:"):
            path, code = parse_spec(value)
            profiles = tuple(sorted(p.stem for p in (directory / "municipality").glob("*.yaml")))
            try:
                fields, base = municipality_fields(path, code, profiles)
            except MunicipalityFileError as exc:
                raise ConfigError(f"municipality={value}: {exc}") from None
            rest.append(f"municipality={base}")
        else:
            rest.append(item)
    return rest, fields


def _apply_municipality_file(raw: DictConfig, fields: dict[str, Any], overrides: list[str]) -> None:
    """Put a municipality file's fields over its base profile, then re-apply the explicit
    `municipality.<key>=value` overrides (they win over the file)."""
    import yaml
    from omegaconf import open_dict

    with open_dict(raw):
        for key, value in fields.items():
            raw.municipality[key] = value
        for item in overrides:
            key, _, value = item.partition("=")
            if key.startswith("municipality."):
                OmegaConf.update(raw, key, yaml.safe_load(value), merge=True)


def _explain_hydra(exc: Exception, overrides: list[str] | tuple[str, ...]) -> str:
    msg = _hydra_message(exc)
    if "Could not find" in msg and "/" in msg:
        # e.g. "In 'config': Could not find 'design/foo'"
        group = msg.split("Could not find")[1].strip(" '").split("'")[0]
        key, _, value = group.partition("/")
        options = sorted(p.stem for p in (SCENARIOS_DIR / key).glob("*.yaml"))
        return f"{key}={value}: unknown {key}; allowed: {', '.join(options)}"
    key = None
    if "Key '" in msg and "is not in struct" in msg:
        key = msg.split("Key '")[1].split("'")[0]
    elif "Could not override" in msg:
        key = msg.split("Could not override '")[1].split("'")[0] if "'" in msg else msg
    if key is not None:
        group = key.split(".", 1)[0]
        if _is_schema_key(key) and "." in key:
            chosen = _chosen_profile(group, overrides)
            return (
                f"{key}: a setting that {group}={chosen} does not set "
                f"(scenarios/{group}/{chosen}.yaml); allowed: the keys of that profile, "
                f"or +{key}=VALUE to add it anyway"
            )
        return _unknown_key(key, overrides)
    return f"bad override ({' '.join(overrides)}): {msg}"


def _is_schema_key(dotted: str) -> bool:
    """Whether `dotted` (e.g. design.signal_threshold) names a field of the schema."""
    import typing

    cls: Any = KetensimConfig
    for part in dotted.split("."):
        if not dataclasses.is_dataclass(cls):
            return False
        hints = typing.get_type_hints(cls)
        if part not in hints:
            return False
        cls = hints[part]
    return True


def _chosen_profile(group: str, overrides: list[str] | tuple[str, ...]) -> str:
    """The profile of config group `group` (design, municipality...) this compose uses."""
    import yaml

    for item in reversed(overrides):
        key, _, value = item.partition("=")
        if key.lstrip("+~") == group:
            return value
    data = yaml.safe_load((SCENARIOS_DIR / "config.yaml").read_text(encoding="utf-8"))
    for item in data.get("defaults", []):
        if isinstance(item, dict) and group in item:
            return str(item[group])
    return "?"


def _unknown_key(key: str, overrides: list[str] | tuple[str, ...] = ()) -> str:
    """The message for a key the schema does not have: a parameter of another design is
    named as such."""
    if key.startswith("design.") and key.count(".") == 1:
        param = key.removeprefix("design.")
        chosen = BURN_IN_DESIGN  # the default scenario's design (scenarios/config.yaml)
        for item in overrides:
            k, _, v = item.partition("=")
            if k.lstrip("+~") == "design":
                chosen = v
        others = other_designs_with(param, chosen)
        if others:
            return (
                f"{key}: a parameter of {', '.join(others)}, not of design {chosen}; "
                f"allowed: the parameters of {chosen} (docs/parameters.md)"
            )
    return f"{key}: unknown key (not in the configuration schema)"


def _design_entry_of(raw: DictConfig) -> DesignEntry:
    """The registry entry of the raw config's design (a ConfigError if none is declared)."""
    name = OmegaConf.select(raw, "design.name", default=None)
    if name is None:
        raise ConfigError(f"design.name: missing; allowed: {', '.join(design_names())}")
    try:
        return design_entry(str(name))
    except KeyError:
        raise ConfigError(
            f"design.name={name}: unknown design; allowed: {', '.join(design_names())}"
        ) from None


def from_dictconfig(raw: DictConfig | dict[str, Any], *, reference: bool = False) -> KetensimConfig:
    """Type-check a raw config against the schema, build the dataclasses, check ranges. The
    design's section is checked against its own parameters (`sim.designs.registry`). Data
    already of the schema's types is built without OmegaConf's merge (`sim.plain_config`);
    `reference=True` always takes OmegaConf's path (the tests compare the two)."""
    data = raw if isinstance(raw, dict) else OmegaConf.to_container(raw, resolve=False)
    assert isinstance(data, dict)
    fast = None if reference else _plain_build(data)
    if fast is not None:
        validate(fast)
        return fast
    if isinstance(raw, dict):
        raw = OmegaConf.create(raw)
    entry = _design_entry_of(raw)
    data = OmegaConf.to_container(raw, resolve=False)
    assert isinstance(data, dict)
    design_data = data.pop("design")
    rest = OmegaConf.create(data)
    design_raw = OmegaConf.create(design_data)
    _check_switches(rest, KetensimConfig, "")
    _check_switches(design_raw, entry.params, "design.")
    for key in design_raw:
        if key not in entry.parameter_names():
            raise ConfigError(_unknown_key(f"design.{key}", [f"design={entry.name}"]))
    schema = OmegaConf.structured(KetensimConfig)
    try:
        merged = OmegaConf.merge(schema, rest)
        merged.design = OmegaConf.merge(OmegaConf.structured(entry.params), design_raw)
        cfg = OmegaConf.to_object(merged)
    except MissingMandatoryValue as exc:
        key = getattr(exc, "full_key", "?")
        raise ConfigError(
            f"{key}: no value; allowed: a value in the design's YAML file or as {key}=..."
        ) from None
    except ConfigKeyError as exc:
        key = getattr(exc, "full_key", None) or _hydra_message(exc)
        raise ConfigError(_unknown_key(str(key), [f"design={entry.name}"])) from None
    except ValidationError as exc:
        key = getattr(exc, "full_key", "?")
        msg = _hydra_message(exc)
        if "could not be converted to Integer" in msg:
            value = msg.split("'")[1] if "'" in msg else "?"
            raise ConfigError(
                f"{key}={value}: not a whole number; allowed: a whole number written in "
                "digits, e.g. 1500 (no decimals, no exponent)"
            ) from None
        raise ConfigError(f"{key}: {msg}") from None
    except OmegaConfBaseException as exc:
        raise ConfigError(f"{getattr(exc, 'full_key', '?')}: {_hydra_message(exc)}") from None
    assert isinstance(cfg, KetensimConfig)
    validate(cfg)
    return cfg


def _plain_build(data: dict[str, Any]) -> KetensimConfig | None:
    """The config built from plain data of the schema's types without OmegaConf's merge
    (`sim.plain_config`), or None when the data needs OmegaConf's conversion or messages
    (an unknown design among them)."""
    design = data.get("design")
    name = design.get("name") if isinstance(design, dict) else None
    if not isinstance(name, str) or name not in design_names():
        return None
    rest = dict(data)
    try:
        design = plain_config.build(design_entry(name).params, rest.pop("design"))
        return plain_config.build(KetensimConfig, rest, KetensimConfig(design=design))
    except plain_config.NotPlainError:
        return None


def _check_switches(raw: Any, cls: type, prefix: str) -> None:
    """On/off settings must be true or false: OmegaConf would read `record_events=2` as on."""
    import typing

    if not isinstance(raw, DictConfig) or not dataclasses.is_dataclass(cls):
        return
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.name not in raw:
            continue
        kind = hints.get(f.name)
        value = raw._get_node(f.name)._value()  # the raw value, interpolations unresolved
        if kind is bool and value is not None and not isinstance(value, bool):
            raise ConfigError(f"{prefix}{f.name}={value}: not a switch; allowed: true, false")
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            _check_switches(raw[f.name], kind, f"{prefix}{f.name}.")


def from_dict(data: dict[str, Any]) -> KetensimConfig:
    """Rebuild a validated config from `to_dict` output (e.g. in a worker process)."""
    return from_dictconfig(data)


def to_dict(cfg: KetensimConfig) -> dict[str, Any]:
    """A plain, JSON-able dict of a config."""
    return dataclasses.asdict(cfg)


def to_yaml(cfg: KetensimConfig) -> str:
    """The resolved config as YAML text."""
    return OmegaConf.to_yaml(OmegaConf.create(to_dict(cfg)))


def _fmt_range(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"a number from {lo:g} to {hi:g}"
    if lo is not None:
        return f"a number of at least {lo:g}"
    return f"a number of at most {hi:g}"


def _check_number(key: str, value: Any, lo: float | None, hi: float | None) -> None:
    if value is None or isinstance(value, bool):
        return
    if not isinstance(value, int | float):
        return
    if isinstance(value, float) and math.isnan(value):
        raise ConfigError(f"{key}=nan: not a number; allowed: {_fmt_range(lo, hi)}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ConfigError(f"{key}={value}: out of range; allowed: {_fmt_range(lo, hi)}")


def _check_fields(obj: Any, prefix: str) -> None:
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        key = f"{prefix}{f.name}"
        lo, hi = f.metadata.get("min"), f.metadata.get("max")
        keys = f.metadata.get("keys")
        if dataclasses.is_dataclass(value):
            _check_fields(value, key + ".")
        elif isinstance(value, dict):
            if keys:
                for k in value:
                    if k not in keys:
                        raise ConfigError(f"{key}.{k}: unknown name; allowed: {', '.join(keys)}")
            for k, v in value.items():
                if dataclasses.is_dataclass(v):
                    _check_fields(v, f"{key}.{k}.")
                elif isinstance(v, list):
                    for i, x in enumerate(v):
                        _check_number(f"{key}.{k}[{i}]", x, lo, hi)
                else:
                    _check_number(f"{key}.{k}", v, lo, hi)
        elif isinstance(value, list):
            for i, x in enumerate(value):
                _check_number(f"{key}[{i}]", x, lo, hi)
        else:
            _check_number(key, value, lo, hi)


QUEUE_DISCIPLINES = ("oldest_first", "signals_first", "need_first")


def validate(cfg: KetensimConfig) -> None:
    """Range and consistency checks beyond types; raise ConfigError on the first problem."""
    _check_fields(cfg, "")
    if cfg.design.name not in design_names():
        raise ConfigError(
            f"design.name={cfg.design.name}: unknown design; allowed: {', '.join(design_names())}"
        )
    _validate_levers(cfg)
    _validate_administration(cfg)
    qd = cfg.design.queue_discipline
    if qd not in QUEUE_DISCIPLINES:
        raise ConfigError(f"design.queue_discipline={qd}: allowed: {', '.join(QUEUE_DISCIPLINES)}")
    m = cfg.municipality
    if len(m.age_band_shares) != len(AGE_BANDS):
        raise ConfigError(
            f"municipality.age_band_shares: {len(m.age_band_shares)} values; "
            f"allowed: {len(AGE_BANDS)} shares for bands {', '.join(AGE_BANDS)}"
        )
    if abs(sum(m.age_band_shares) - 1.0) > 0.01:
        raise ConfigError(
            f"municipality.age_band_shares sum to {sum(m.age_band_shares):.3f}; "
            "allowed: shares that sum to 1"
        )
    if len(m.income_shares) != 3 or abs(sum(m.income_shares) - 1.0) > 0.01:
        raise ConfigError(
            f"municipality.income_shares={m.income_shares}; allowed: three shares "
            "(low, middle, high) that sum to 1"
        )
    missing = [p for p in PROVIDERS if p not in m.provider_capacity_per_1000]
    if missing:
        raise ConfigError(f"municipality.provider_capacity_per_1000: missing {', '.join(missing)}")
    b = cfg.behaviour
    for name in (
        "onset_per_year",
        "growth_per_year",
        "remission_per_year",
        "duration_years",
        "chronic",
    ):
        table = getattr(b, name)
        missing = [d for d in DOMAINS if d not in table]
        if missing:
            raise ConfigError(f"behaviour.{name}: missing {', '.join(missing)}")
    for d, row in b.onset_per_year.items():
        if len(row) != len(AGE_BANDS):
            raise ConfigError(
                f"behaviour.onset_per_year.{d}: {len(row)} values; allowed: "
                f"{len(AGE_BANDS)} (one per age band)"
            )
    missing = [p for p in PROVIDERS if p not in b.providers]
    if missing:
        raise ConfigError(f"behaviour.providers: missing {', '.join(missing)}")
    for name, prov in b.providers.items():
        if prov.financier not in FINANCIERS:
            raise ConfigError(
                f"behaviour.providers.{name}.financier={prov.financier}: "
                f"allowed: {', '.join(FINANCIERS)}"
            )
        if prov.financier_under_18 and prov.financier_under_18 not in FINANCIERS:
            raise ConfigError(
                f"behaviour.providers.{name}.financier_under_18={prov.financier_under_18}: "
                f"allowed: '', {', '.join(FINANCIERS)}"
            )
        if prov.price_item not in cfg.prices.eur:
            raise ConfigError(
                f"behaviour.providers.{name}.price_item={prov.price_item}: not in prices.eur"
            )
        for d in prov.domains:
            if d not in DOMAINS:
                raise ConfigError(
                    f"behaviour.providers.{name}.domains: {d} unknown; allowed: "
                    f"{', '.join(DOMAINS)}"
                )
    _validate_contractors(cfg)
    for name, place in b.places.items():
        if place.financier not in FINANCIERS:
            raise ConfigError(
                f"behaviour.places.{name}.financier={place.financier}: "
                f"allowed: {', '.join(FINANCIERS)}"
            )
        if place.price_item and place.price_item not in cfg.prices.eur:
            raise ConfigError(
                f"behaviour.places.{name}.price_item={place.price_item}: not in prices.eur"
            )


def _validate_levers(cfg: KetensimConfig) -> None:
    """A lever's switch takes one of its declared values (`sim.designs.registry`)."""
    from sim.designs.registry import lever_entries

    for lever in lever_entries():
        value = getattr(cfg.design.levers, lever.switch)
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if text not in lever.values:
            raise ConfigError(
                f"design.levers.{lever.switch}={value}: allowed: {', '.join(lever.values)}"
            )


def _validate_administration(cfg: KetensimConfig) -> None:
    """Every act has a known actor, every contract model is declared, the design's contract
    model is one of them."""
    adm = cfg.administration
    for section, names in (("acts", TABLE_ACTS), ("contract_models", CONTRACT_MODELS)):
        missing = [n for n in names if n not in getattr(adm, section)]
        if missing:
            raise ConfigError(f"administration.{section}: missing {', '.join(missing)}")
    for name, act in adm.acts.items():
        if act.actor not in ACTORS:
            raise ConfigError(
                f"administration.acts.{name}.actor={act.actor}: allowed: {', '.join(ACTORS)}"
            )
    for actor in ("back_office", "provider"):
        if actor not in adm.hour_eur:
            raise ConfigError(f"administration.hour_eur: missing {actor}")
    if cfg.design.contract_model not in CONTRACT_MODELS:
        raise ConfigError(
            f"design.contract_model={cfg.design.contract_model}: "
            f"allowed: {', '.join(CONTRACT_MODELS)}"
        )


def _validate_contractors(cfg: KetensimConfig) -> None:
    """Contractors deliver a municipal kind of care; per kind, their capacity and contract
    shares each sum to 1."""
    b = cfg.behaviour
    shares: dict[str, list[float]] = {}
    for name, con in b.contractors.items():
        prov = b.providers.get(con.kind)
        if prov is None:
            raise ConfigError(
                f"behaviour.contractors.{name}.kind={con.kind}: allowed: {', '.join(PROVIDERS)}"
            )
        if prov.financier not in MUNICIPAL_FINANCIERS:
            raise ConfigError(
                f"behaviour.contractors.{name}.kind={con.kind}: allowed: a kind of municipal "
                "care (Wmo, youth, participation, welfare)"
            )
        cap, contract = shares.setdefault(con.kind, [0.0, 0.0])
        shares[con.kind] = [cap + con.capacity_share, contract + con.contract_share]
    for kind, (cap, contract) in shares.items():
        for what, total in (("capacity_share", cap), ("contract_share", contract)):
            if abs(total - 1.0) > 0.01:
                raise ConfigError(
                    f"behaviour.contractors: the {what}s of {kind} sum to {total:.3f}; "
                    "allowed: shares that sum to 1"
                )
