"""How many model runs per hour the sensitivity analysis sustains here, and what a Morris and a
Sobol analysis with the default settings cost (here and on a 100-core Dask cluster).

    .venv/bin/python benchmarks/bench_sensitivity.py [--runs 4] [--workers 2] [--quick]

Runs `--runs` sample points of the declared uncertainties (default scenario, mid_city,
80,000 people, 10 years after 3 years burn-in) through the sensitivity path
(`experiments.sensitivity.core.evaluate`, the ensemble runner with local worker processes), measures
wall time and per-run time, and prints the estimates as JSON. `--quick` uses 5,000 people and
2 years to check the script itself.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from experiments.sensitivity import core
from experiments.sensitivity.command import DEFAULTS
from experiments.sensitivity.factors import load_uncertainties
from sim.config import compose, to_dict


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=4, help="model runs to time (>= workers)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cluster-cores", type=int, default=100)
    args = ap.parse_args()
    extra = ["population=5000", "years=2", "burn_in_years=1"] if args.quick else []
    configs = {"gatekeeping": to_dict(compose([*extra, "design=gatekeeping", "progress=false"]))}
    configs["gatekeeping"]["record_events"] = False
    factors = load_uncertainties("default")
    evaluator = core.ModelEvaluator(configs, factors)
    X = core.latin_sample(factors, args.runs, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        ev = core.evaluate(
            evaluator,
            X,
            [f.name for f in factors],
            1,
            Path(tmp),
            "bench",
            backend="local",
            workers=args.workers,
        )
        wall = time.perf_counter() - t0
    per_run = float(ev.runs["wall_time_s"].mean())
    runs_per_hour = args.runs / wall * 3600
    D, designs = len(factors), 3
    R, r, n = DEFAULTS["replications"], DEFAULTS["trajectories"], DEFAULTS["n"]
    morris_runs = r * (D + 1) * R * designs
    out = {
        "population": configs["gatekeeping"]["population"]
        or configs["gatekeeping"]["municipality"]["inhabitants"],
        "years": configs["gatekeeping"]["years"],
        "burn_in_years": configs["gatekeeping"]["burn_in_years"],
        "workers": args.workers,
        "runs_timed": args.runs,
        "seconds_per_run_in_worker": round(per_run, 2),
        "runs_per_hour_here": round(runs_per_hour),
        "defaults": {"replications": R, "trajectories": r, "n": n, "double": True},
        "morris": {
            "runs": morris_runs,
            "hours_here": round(morris_runs / runs_per_hour, 1),
            f"hours_{args.cluster_cores}_cores": round(
                morris_runs * per_run / args.cluster_cores / 3600, 2
            ),
        },
        "sobol": {},
    }
    for kept in (6, 10, D):
        runs = 2 * n * (kept + 2) * R * designs
        out["sobol"][f"{kept}_factors"] = {
            "runs": runs,
            "hours_here": round(runs / runs_per_hour, 1),
            f"hours_{args.cluster_cores}_cores": round(
                runs * per_run / args.cluster_cores / 3600, 2
            ),
        }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
