"""The config built from plain data (`sim.plain_config`) is OmegaConf's, value for value."""

from __future__ import annotations

import dataclasses
import itertools
import json
from typing import Any

import pytest
from omegaconf import OmegaConf

from sim.config import ConfigError, compose, from_dict, from_dictconfig, to_dict
from sim.designs import design_names


def shape(x: Any) -> Any:
    """Every value with its type and every dict's key order (== alone ignores both)."""
    if dataclasses.is_dataclass(x):
        fields = dataclasses.fields(x)
        return (type(x).__name__, [(f.name, shape(getattr(x, f.name))) for f in fields])
    if isinstance(x, dict):
        return ("dict", [(k, shape(v)) for k, v in x.items()])
    if isinstance(x, list):
        return ("list", [shape(v) for v in x])
    return (type(x).__name__, x)


SETTINGS = [
    (design, municipality, behaviour)
    for design, (municipality, behaviour) in itertools.product(
        design_names(), (("mid_city", "calibrated"), ("small_town", "default"))
    )
]


@pytest.mark.parametrize(("design", "municipality", "behaviour"), SETTINGS)
def test_plain_build_is_omegaconfs_merge(design, municipality, behaviour):
    overrides = [
        f"design={design}",
        f"municipality={municipality}",
        f"behaviour={behaviour}",
        "population=1500",
        "design.levers.integrated_financing=true",
        "behaviour.providers.guidance.effect_per_week=0.01",
    ]
    plain = compose(overrides)
    reference = compose(overrides, reference=True)
    assert shape(plain) == shape(reference)
    data = to_dict(plain)
    for rebuilt in (from_dict(data), from_dict(json.loads(json.dumps(data)))):
        assert shape(rebuilt) == shape(reference)
    assert shape(from_dictconfig(OmegaConf.create(data), reference=True)) == shape(reference)


def test_data_that_needs_conversion_takes_omegaconfs_path():
    data = to_dict(compose([]))
    data["seed"] = "7"  # a text where a whole number belongs: OmegaConf converts it
    data["behaviour"]["providers"]["guidance"]["effect_per_week"] = "0.25"
    cfg = from_dict(data)
    assert cfg.seed == 7
    assert cfg.behaviour.providers["guidance"].effect_per_week == 0.25


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("seed",), "seven", "seed"),
        (("record_events",), 2, "record_events=2: not a switch"),
        (("design", "no_such_parameter"), 1.0, "design.no_such_parameter"),
        (("municipality", "inhabitants"), 1, "municipality.inhabitants=1: out of range"),
    ],
)
def test_bad_data_gives_the_same_message_on_both_paths(path, value, message):
    data = to_dict(compose([]))
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(ConfigError, match=message) as plain:
        from_dict(data)
    with pytest.raises(ConfigError) as reference:
        from_dictconfig(OmegaConf.create(data), reference=True)
    assert str(plain.value) == str(reference.value)


def test_the_built_config_shares_no_list_with_the_defaults():
    first = from_dict(to_dict(compose([])))
    first.behaviour.onset_per_year["debt"][0] = 123.0
    first.municipality.age_band_shares[0] = 0.9
    second = compose([])
    assert second.behaviour.onset_per_year["debt"][0] != 123.0
    assert second.municipality.age_band_shares[0] != 0.9
