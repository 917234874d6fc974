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


MAX_WORKERS = 1024  # processes; more than any machine or Dask cluster of this project
MAX_RUNS = 200_000  # model runs of one command: about a week on 100 cores at mid_city size


def parse_workers(opts: dict[str, str]) -> int | None:
    """`workers=N` (a whole number from 1 to MAX_WORKERS), or None when absent (all cores)."""
    if "workers" not in opts:
        return None
    raw = opts["workers"]
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_WORKERS:
        raise ConfigError(
            f"workers={raw}: allowed: a whole number of at least 1 and at most {MAX_WORKERS} "
            "(processes)"
        )
    return value


def check_run_count(runs: int, what: str) -> None:
    """Refuse a command that would plan more than MAX_RUNS model runs (before any list of
    them is built); `what` names the settings that decide the count."""
    if runs > MAX_RUNS:
        raise ConfigError(
            f"{what}: {runs:,} model runs; allowed: at most {MAX_RUNS:,} runs in one command"
        )


def check_address(opts: dict[str, str], backend: str) -> None:
    """`address=` goes with backend=dask and must name a scheduler that answers (checked
    with a plain TCP connection, before any work)."""
    import socket
    from urllib.parse import urlsplit

    if "address" not in opts:
        return
    raw = opts["address"]
    if backend != "dask":
        raise ConfigError(f"address={raw}: goes with backend=dask (backend is {backend})")
    parts = urlsplit(raw if "://" in raw else f"tcp://{raw}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if parts.scheme not in ("tcp", "tls") or not host or not port:
        raise ConfigError(
            f"address={raw}: not a scheduler address; allowed: tcp://host:port, e.g. "
            "tcp://scheduler:8786"
        )
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(
            f"address={raw}: no Dask scheduler answers there ({reason}); allowed: the "
            "address of a running scheduler"
        ) from None


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


def check_writable_file(raw: str, key: str) -> None:
    """A file the command writes at its end (`docs=`, `write=`): checked before any work,
    so hours of runs are not lost to a typo in a folder name."""
    import os
    from pathlib import Path

    path = Path(raw)
    allowed = "allowed: a file in an existing folder you can write to"
    if not raw.strip() or path.is_dir():
        raise ConfigError(f"{key}={raw}: not a file name; {allowed}")
    parent = path.parent
    if not parent.is_dir():
        raise ConfigError(f"{key}={raw}: the folder {parent} does not exist; {allowed}")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError(f"{key}={raw}: cannot write there; {allowed}")
