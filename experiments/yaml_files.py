"""Reading the user's YAML files (experiments, uncertainties, calibrations) safely: only a
regular file of bounded size, only plain YAML (no `!!python/` objects), no key given twice
in one mapping (the last would win silently), and no alias bomb (a few anchors that expand
to billions of nodes). Every refusal is a `ConfigError` of one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sim.config import ConfigError

MAX_BYTES = 1_000_000  # bytes: the largest scenario file of the project is about 10 kB
MAX_NODES = 100_000  # values after expanding aliases: far more than any real file holds


class _StrictLoader(yaml.SafeLoader):
    """The safe loader, refusing a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _too_large(data: Any, budget: int) -> bool:
    """Whether `data` holds more than `budget` values once aliases are expanded (stops
    counting there, so a bomb is found without expanding it)."""
    stack = [data]
    count = 0
    while stack:
        item = stack.pop()
        count += 1
        if count > budget:
            return True
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def load_yaml_file(path: Path, what: str) -> Any:
    """The data of the YAML file `path`; `what` (e.g. `experiment=x.yaml`) starts every
    error message."""
    if not path.is_file():
        raise ConfigError(f"{what}: not a regular file; allowed: a YAML file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ConfigError(
            f"{what}: {size:,} bytes; allowed: a YAML file of at most {MAX_BYTES:,} bytes"
        )
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "python/" in str(exc):
            first = "a !!python/ tag; allowed: plain YAML (mappings, lists, numbers, text)"
        elif "given twice" in str(exc):
            first = " ".join(str(exc).split())
        raise ConfigError(f"{what}: not valid YAML ({first})") from None
    if _too_large(data, MAX_NODES):
        raise ConfigError(
            f"{what}: expands to more than {MAX_NODES:,} values (aliases of aliases); "
            "allowed: a file without nested aliases"
        )
    return data


__all__ = ["MAX_BYTES", "MAX_NODES", "load_yaml_file"]
