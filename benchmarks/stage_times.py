"""Time the week stage by stage: milliseconds per week of each stage of the plan, in one run.

    .venv/bin/python benchmarks/stage_times.py [POPULATION] [--years 20] [--burn-in-years 8]
                                               [--design gatekeeping] [--json PATH]

A small run's week is mostly a fixed cost per week spread over the stages (numpy and Python
call overhead on small arrays), not work per citizen: this script shows where it goes. The
model is built (burn-in included, not timed), then every stage's `step` is wrapped with a
timer and the run goes to its horizon (`model.step()`, the week plus the DataCollector). It
prints the week's total in wall time and in CPU time of the process (the steadier figure on a
shared machine), then each stage's wall milliseconds per week, largest first.

Compare two versions paired, one right after the other, on the same settings (the machine's
speed drifts): e.g. run this script alternately from two checkouts and quote the medians.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sim import compose
from sim.model import SocialDomainModel


def stage_times(
    population: int, years: int, burn_in_years: int, design: str, seed: int | None = None
) -> dict[str, Any]:
    """One run's week time (wall and CPU ms per week) and each stage's wall ms per week."""
    overrides = [
        f"population={population}",
        f"years={years}",
        f"burn_in_years={burn_in_years}",
        f"design={design}",
        "record_events=false",
        "progress=false",
    ]
    if seed is not None:
        overrides.append(f"seed={seed}")
    t0 = time.perf_counter()
    model = SocialDomainModel(compose(overrides))
    built = time.perf_counter() - t0
    spent: dict[str, float] = defaultdict(float)
    clock = time.perf_counter
    for stage in model.plan:
        step, name = stage.step, type(stage).__name__

        def timed(m: SocialDomainModel, step: Any = step, name: str = name) -> None:
            start = clock()
            step(m)
            spent[name] += clock() - start

        stage.step = timed  # type: ignore[method-assign]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while model.running:
        model.step()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    weeks = model.horizon_weeks
    return {
        "population": population,
        "years": years,
        "burn_in_years": burn_in_years,
        "design": design,
        "weeks": weeks,
        "build_s": built,
        "ms_per_week": wall / weeks * 1e3,
        "cpu_ms_per_week": cpu / weeks * 1e3,
        "stages_ms_per_week": {
            k: v / weeks * 1e3 for k, v in sorted(spent.items(), key=lambda kv: -kv[1])
        },
    }


def main(argv: list[str] | None = None) -> None:
    """Run one timed run and print (and optionally write) its figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("population", nargs="?", type=int, default=2000)
    ap.add_argument("--years", type=int, default=20)
    ap.add_argument("--burn-in-years", type=int, default=8)
    ap.add_argument("--design", default="gatekeeping")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args(argv)
    res = stage_times(args.population, args.years, args.burn_in_years, args.design, args.seed)
    print(
        f"{res['population']} persons, {res['design']}, {res['years']} years after "
        f"{res['burn_in_years']} burn-in: build {res['build_s']:.1f} s; week "
        f"{res['ms_per_week']:.2f} ms wall, {res['cpu_ms_per_week']:.2f} ms CPU"
    )
    for name, ms in res["stages_ms_per_week"].items():
        print(f"  {name:28s} {ms:6.2f} ms/week")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
