"""`ketensim explore [port=8765] [host=localhost] [municipality=] [population=] [design=]
[seed=] [years=] [results=DIR]`: serve the explorer page (experiments/explore/app.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from experiments.cliargs import split_arguments
from sim.config import ConfigError

EXPLORE_KEYS = (
    "port",
    "host",
    "municipality",
    "population",
    "design",
    "seed",
    "years",
    "burn_in_years",
    "results",
)
APP = Path(__file__).resolve().parent / "app.py"

USAGE = """usage: ketensim explore [port=8765] [host=localhost] [municipality=small_town]
                        [population=20000] [design=gatekeeping] [seed=1] [years=10]
                        [burn_in_years=N] [results=DIR]

Serves an interactive page (Mesa SolaraViz): move the design, levers and settings, watch the
weeks go by (unmet need, queues, cost per financier, informal care, escalations), read one
person's story; the Results page opens a finished compare or sensitivity folder (results=
opens one at start). Needs the viz extra: pip install -e ".[viz]". Stop with Ctrl-C."""


def _whole(key: str, value: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise ConfigError(f"{key}={value}: allowed: a whole number from {low} to {high}")
    return number


def explore_settings(argv: list[str]) -> tuple[dict[str, Any], int, str]:
    """Validate the arguments: (the app's settings, port, host); raises ConfigError."""
    from experiments.explore.model import overrides_for
    from sim.config import compose

    opts, rest = split_arguments(argv, EXPLORE_KEYS)
    if rest:
        key = rest[0].split("=", 1)[0]
        raise ConfigError(f"{key}: unknown option; allowed: {', '.join(EXPLORE_KEYS)}")
    port = _whole("port", opts.get("port", "8765"), 1, 65535)
    host = opts.get("host", "localhost")
    settings: dict[str, Any] = {
        "design": opts.get("design", "gatekeeping"),
        "municipality": opts.get("municipality", "small_town"),
        "population": _whole("population", opts.get("population", "20000"), 100, 10_000_000),
        "seed": _whole("seed", opts.get("seed", "1"), 0, 2**31 - 1),
        "years": _whole("years", opts.get("years", "10"), 1, 100),
        "burn_in_years": (
            _whole("burn_in_years", opts["burn_in_years"], 0, 50)
            if "burn_in_years" in opts
            else None  # the scenario's own
        ),
        "results": opts.get("results", ""),
    }
    if settings["results"] and not Path(settings["results"]).is_dir():
        raise ConfigError(f"results={settings['results']}: no such folder")
    keys = ("design", "municipality", "population", "seed", "years", "burn_in_years")
    compose(overrides_for(**{k: settings[k] for k in keys}))  # names the bad key, if any
    return settings, port, host


def page_url(host: str, port: int, settings: dict[str, Any]) -> str:
    """The address to open: the Results tab when a results folder was given, else the live
    model (the page's other tab)."""
    return f"http://{host}:{port}/" + ("results" if settings.get("results") else "")


def explore_command(argv: list[str]) -> int:
    """Entry point of `explore`; returns the exit code."""
    if any(a in ("-h", "--help", "help") for a in argv):
        print(USAGE)
        return 0
    try:
        settings, port, host = explore_settings(argv)
    except ConfigError as exc:
        print(f"ketensim: error: {exc}", file=sys.stderr)
        return 2
    try:
        import mesa.visualization  # noqa: F401
        import solara  # noqa: F401
    except ImportError as exc:
        print(
            f"ketensim: error: explore needs the viz extra ({exc.name} is missing): "
            'pip install -e ".[viz]"',
            file=sys.stderr,
        )
        return 2
    env = {**os.environ, "KETENSIM_EXPLORE": json.dumps(settings)}
    # solara's rules-of-hooks check warns about Mesa 3.3.1's own ComponentsView at start
    env.setdefault("SOLARA_CHECK_HOOKS", "off")
    cmd = [sys.executable, "-m", "solara", "run", str(APP), "--port", str(port)]
    cmd += ["--host", host, "--production", "--no-open", "--log-level", "warning"]
    print(f"ketensim explore: {page_url(host, port, settings)} (Ctrl-C to stop)", file=sys.stderr)
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0
