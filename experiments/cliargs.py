"""Command-line arguments shared by the experiment commands: `key=value` words, split into
the command's own options and model overrides."""

from __future__ import annotations

from collections.abc import Collection

from sim.config import ConfigError


def split_arguments(
    argv: list[str], command_keys: Collection[str], design_hint: str | None = None
) -> tuple[dict[str, str], list[str]]:
    """Split `key=value` words into the command's options and model overrides.

    `design_hint`, when given, is the message for a single `design=` (commands that run
    several designs, or only the baseline, do not take one).
    """
    options: dict[str, str] = {}
    overrides: list[str] = []
    for arg in argv:
        if "=" not in arg:
            raise ConfigError(f"argument '{arg}' is not of the form key=value")
        key, value = arg.split("=", 1)
        if key in command_keys:
            options[key] = value
        elif key == "design" and design_hint is not None:
            raise ConfigError(f"design: {design_hint}")
        else:
            overrides.append(arg)
    return options, overrides
