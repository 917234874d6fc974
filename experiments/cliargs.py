"""Command-line arguments shared by the experiment commands: `key=value` words, split into
the command's own options and model overrides."""

from __future__ import annotations

from collections.abc import Collection

from sim.config import ConfigError, check_words


def split_arguments(
    argv: list[str], command_keys: Collection[str], design_hint: str | None = None
) -> tuple[dict[str, str], list[str]]:
    """Split `key=value` words into the command's options and model overrides.

    `design_hint`, when given, is the message for a single `design=` (commands that run
    several designs, or only the baseline, do not take one).
    """
    check_words(argv)
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


def parse_workers(opts: dict[str, str]) -> int | None:
    """`workers=N` (a whole number of at least 1), or None when absent (all cores)."""
    if "workers" not in opts:
        return None
    raw = opts["workers"]
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigError(f"workers={raw}: allowed: a whole number of at least 1 (processes)")
    return value


def parse_switch(opts: dict[str, str], key: str, default: bool) -> bool:
    """An on/off option: true/false (also yes/no, on/off, 1/0)."""
    raw = opts.get(key)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in ("true", "yes", "on", "1"):
        return True
    if value in ("false", "no", "off", "0"):
        return False
    raise ConfigError(f"{key}={raw}: not a switch; allowed: true, false")
