"""Build the config dataclasses from plain data (a YAML or JSON tree of dicts, lists and
scalars) the way OmegaConf's structured merge would, without OmegaConf's per-node cost.

`sim.config.from_dictconfig` merges the data over the schema with OmegaConf, which costs about
0.3 s per config (thousands of nodes); a compare worker rebuilds one config per run and the
calibration one per candidate. `build` does the same merge for data that is already of the
schema's types: a float field takes a float or an int (made a float), an int field an int, a
switch a bool, a text a str; a dict field keeps its default keys and takes the given ones over
them (the given order after the default order), a list is replaced, a nested dataclass merges
field by field over its default. For anything else (a text where a number belongs, an unknown
key, a missing mandatory value, an interpolation) it raises `NotPlainError`, and the caller takes
OmegaConf's path, whose messages say what is wrong.
"""

from __future__ import annotations

import copy
import dataclasses
import types
import typing
from functools import cache
from typing import Any, TypeVar

from omegaconf import MISSING

T = TypeVar("T")


class NotPlainError(Exception):
    """The data needs OmegaConf's conversion or its error message."""


@cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls) if f.init)


def build(cls: type[T], data: Any, base: T | None = None) -> T:
    """An instance of dataclass `cls`: `data` (a dict) merged over `base` (default: `cls()`)."""
    if not isinstance(data, dict):
        raise NotPlainError
    fields = _fields(cls)
    if base is None:
        base = cls()
    names = {name for name, _ in fields}
    if any(key not in names for key in data):
        raise NotPlainError
    values: dict[str, Any] = {}
    for name, kind in fields:
        current = getattr(base, name)
        if name in data:
            values[name] = _convert(kind, data[name], current)
        elif isinstance(current, str) and current == MISSING:
            raise NotPlainError
        else:
            values[name] = copy.deepcopy(current) if isinstance(current, list | dict) else current
    return cls(**values)


def _convert(kind: Any, value: Any, current: Any) -> Any:
    """`value` as type `kind`, merged over `current` (the default) where OmegaConf merges."""
    origin = typing.get_origin(kind)
    if kind is float:
        if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool)):
            return float(value)
        raise NotPlainError
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise NotPlainError
    if kind is bool:
        if isinstance(value, bool):
            return value
        raise NotPlainError
    if kind is str:
        if isinstance(value, str) and value != MISSING and "${" not in value:
            return value
        raise NotPlainError
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(kind)
        if value is None and type(None) in args:
            return None
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1:
            raise NotPlainError
        return _convert(rest[0], value, current)
    if dataclasses.is_dataclass(kind):
        return build(kind, value, current if isinstance(current, kind) else None)
    if origin is list:
        if not isinstance(value, list | tuple):
            raise NotPlainError
        (item,) = typing.get_args(kind)
        return [_convert(item, x, None) for x in value]
    if origin is dict:
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise NotPlainError
        key_kind, item = typing.get_args(kind)
        if key_kind is not str:
            raise NotPlainError
        merged = copy.deepcopy(current) if isinstance(current, dict) else {}
        for k, v in value.items():
            merged[k] = _convert(item, v, merged.get(k))
        return merged
    raise NotPlainError
