"""`ketensim explore [port=8765] [host=localhost] [municipality=] [population=] [design=]
[seed=] [years=] [results=DIR]`: serve the explorer page (experiments/explore/app.py)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from experiments.cliargs import parse_switch, split_arguments
from sim.config import ConfigError
from sim.designs import BURN_IN_DESIGN

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
    "results_root",
    "max_population",
    "allow_remote",
)
WILDCARD_HOSTS = ("", "0.0.0.0", "::", "[::]", "*")
APP = Path(__file__).resolve().parent / "app.py"

USAGE = """usage: ketensim explore [port=8765] [host=localhost] [municipality=small_town]
                        [population=20000] [design=<a design>] [seed=1] [years=10]
                        [burn_in_years=N] [results=DIR] [results_root=results]
                        [max_population=200000] [allow_remote=false]

Serves an interactive page (Mesa SolaraViz): move the design, levers and settings, watch the
weeks go by (unmet need, queues, cost per financier, informal care, escalations), read one
person's story; the Results page opens a finished compare or sensitivity folder (results=
opens one at start); it reads only folders under results_root= (default results/, symlinks
resolved). The page has no login: it listens on localhost unless host= names another
interface; an empty or wildcard host (0.0.0.0, ::) needs allow_remote=true and is then
open to anyone who can reach the port. A visitor can build a model of at most
max_population= persons (default 200,000, about 120 MB). Needs the viz extra:
pip install -e ".[viz]". Stop with Ctrl-C or SIGTERM (the server stops with it)."""


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
    from experiments.explore.model import MAX_POPULATION, overrides_for
    from experiments.explore.results_page import inside_root
    from sim.config import compose

    opts, rest = split_arguments(argv, EXPLORE_KEYS)
    if rest:
        key = rest[0].split("=", 1)[0]
        raise ConfigError(f"{key}: unknown option; allowed: {', '.join(EXPLORE_KEYS)}")
    port = _whole("port", opts.get("port", "8765"), 1, 65535)
    host = opts.get("host", "localhost").strip()
    remote = parse_switch(opts, "allow_remote", False)
    if host in WILDCARD_HOSTS and not remote:
        raise ConfigError(
            f"host={host}: listens on every interface, and the page has no login; allowed: "
            "localhost or one interface's address, or add allow_remote=true to mean it"
        )
    max_population = _whole(
        "max_population", opts.get("max_population", str(MAX_POPULATION)), 100, 10_000_000
    )
    root = Path(opts.get("results_root", "results"))
    if "results_root" in opts and not root.is_dir():
        raise ConfigError(f"results_root={opts['results_root']}: no such folder")
    settings: dict[str, Any] = {
        "design": opts.get("design", BURN_IN_DESIGN),
        "municipality": opts.get("municipality", "small_town"),
        "population": _whole("population", opts.get("population", "20000"), 100, max_population),
        "seed": _whole("seed", opts.get("seed", "1"), 0, 2**31 - 1),
        "years": _whole("years", opts.get("years", "10"), 1, 100),
        "burn_in_years": (
            _whole("burn_in_years", opts["burn_in_years"], 0, 50)
            if "burn_in_years" in opts
            else None  # the scenario's own
        ),
        "results": opts.get("results", ""),
        "results_root": str(root.resolve()),
        "max_population": max_population,
        "remote": remote,
    }
    if settings["results"] and not Path(settings["results"]).is_dir():
        raise ConfigError(f"results={settings['results']}: no such folder")
    if settings["results"] and inside_root(settings["results"], root) is None:
        raise ConfigError(
            f"results={settings['results']}: outside results_root={root}; allowed: a folder "
            "under it (or set results_root=)"
        )
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
    if settings["remote"]:
        print(
            f"ketensim explore: warning: host={host} and allow_remote=true: anyone who can "
            f"reach port {port} can use the page (no login) and build models of up to "
            f"{settings['max_population']:,} persons",
            file=sys.stderr,
        )
    print(f"ketensim explore: {page_url(host, port, settings)} (Ctrl-C to stop)", file=sys.stderr)
    return serve(cmd, env)


def _die_with_parent() -> None:
    """In the server process before it starts: end it when this command dies (Linux)."""
    import ctypes
    import signal

    with contextlib.suppress(Exception):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def serve(cmd: list[str], env: dict[str, str]) -> int:
    """Run the server until it ends; Ctrl-C or SIGTERM to this command stops it too (and it
    dies with this command even on kill -9, on Linux), so the port is freed."""
    import signal

    linux = sys.platform.startswith("linux")
    proc = subprocess.Popen(cmd, env=env, preexec_fn=_die_with_parent if linux else None)

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
