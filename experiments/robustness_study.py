"""A small robustness study run from inside `ketensim compare` (issue 27): `robustness=run`
or `robustness=N` runs, after the compare's own runs, a scenario discovery
(`ketensim sensitivity method=discovery`) over the declared uncertainties
(scenarios/uncertainty/) in the same municipality and years, at a reduced population and one
replication per future, into `<out>/robustness/`; the brief then states its shares, regret and
flip conditions (experiments.report.robustness) with that setting. A failed or interrupted
study does not lose the compare: its tables and brief are written without it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from experiments.sensitivity.discovery import require_library
from sim.config import ConfigError

# robustness=run: this many futures (points of a Latin hypercube over the uncertainties);
# assumption: enough for a share to move in steps of about 6%, small enough for a compare.
RUN_FUTURES = 16
# robustness=N: at least the discovery's minimum (4 points), at most this many.
MIN_FUTURES, MAX_FUTURES = 4, 500
# The study's population: the compare's, but at most this many people (assumption: a
# ranking per future needs less precision than the compare's own differences).
STUDY_POPULATION = 2_000
FOLDER = "robustness"


@dataclass(frozen=True)
class RobustnessChoice:
    """What robustness= asked: a discovery folder to attach, or futures to run (or neither)."""

    folder: str | None = None
    futures: int | None = None


def parse_robustness(raw: str | None) -> RobustnessChoice:
    """robustness=run | N (futures) | DIR (a discovery out folder); ConfigError otherwise."""
    allowed = (
        f"allowed: run (a small study of {RUN_FUTURES} futures), a whole number of futures "
        f"from {MIN_FUTURES} to {MAX_FUTURES}, or the out folder of `ketensim sensitivity "
        "method=discovery`"
    )
    if raw is None or raw == "":
        if raw == "":
            raise ConfigError(f"robustness=: empty; {allowed}")
        return RobustnessChoice()
    if raw == "run" or raw.lstrip("+-").isdigit():
        n = RUN_FUTURES if raw == "run" else int(raw)
        if not MIN_FUTURES <= n <= MAX_FUTURES:
            raise ConfigError(f"robustness={raw}: {allowed}")
        try:  # the study's decision tree: say so before the compare, not after its runs
            require_library("tree")
        except ImportError as exc:
            raise ConfigError(f"robustness={raw}: {exc}") from None
        return RobustnessChoice(futures=n)
    path = Path(raw)
    if not (path / "lhs_outputs.parquet").is_file():
        raise ConfigError(
            f"robustness={raw}: no discovery result there (lhs_outputs.parquet); {allowed}"
        )
    return RobustnessChoice(folder=str(path.resolve()))


def study_population(config: dict[str, Any]) -> int:
    """The study's population: the compare's, capped at `STUDY_POPULATION`."""
    pop = int(config["population"] or config["municipality"]["inhabitants"])
    return min(pop, STUDY_POPULATION)


def study_argv(
    config: dict[str, Any],
    designs: Sequence[str],
    baseline: str,
    overrides: Sequence[str],
    futures: int,
    out: Path,
    lang: str,
    backend: str,
    workers: int | None,
) -> list[str]:
    """The `ketensim sensitivity` command line of the study: the compare's model overrides
    with the population reduced and the compare's years and burn-in."""
    own = [
        o
        for o in overrides
        if o.split("=", 1)[0].lstrip("+~") not in ("population", "years", "burn_in_years")
    ]
    argv = [
        "method=discovery",
        f"samples={futures}",
        "replications=1",
        f"designs={','.join(designs)}",
        f"baseline={baseline}",
        f"lang={lang}",
        f"backend={'local' if backend == 'dask' else backend}",
        f"out={out}",
        *own,
        f"population={study_population(config)}",
        f"years={config['years']}",
        f"burn_in_years={config['burn_in_years']}",
    ]
    if workers:
        argv.append(f"workers={workers}")
    return argv


def run_study(argv: list[str], log: Any = None) -> tuple[str | None, str | None]:
    """Run the discovery of `argv` with progress on `log` (default: the current stderr);
    (its folder, None) when it finished, (None, why) when it failed or was interrupted
    (the compare goes on)."""
    from experiments.sensitivity.command import build_context, run_stages

    log = log if log is not None else sys.stderr

    try:
        ctx, settings = build_context(argv, log=log)
        print(
            f"robustness: a scenario discovery over {settings['samples']} futures x "
            f"{len(ctx.evaluator.designs)} designs, 1 replication each, "
            f"{study_population(next(iter(settings['configs'].values())))} people; "
            f"results in {ctx.out}/",
            file=log,
        )
        run_stages(ctx, settings)
    except KeyboardInterrupt:
        return None, "interrupted"
    except Exception as exc:  # a failed study must not lose the compare
        return None, f"{type(exc).__name__}: {exc}"
    return str(Path(ctx.out).resolve()), None


__all__ = [
    "FOLDER",
    "MAX_FUTURES",
    "MIN_FUTURES",
    "RUN_FUTURES",
    "STUDY_POPULATION",
    "RobustnessChoice",
    "parse_robustness",
    "run_study",
    "study_argv",
    "study_population",
]
