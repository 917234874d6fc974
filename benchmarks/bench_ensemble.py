"""Benchmark the ensemble runner: the same ensemble on 1 and on 2 local worker processes.

    .venv/bin/python benchmarks/bench_ensemble.py [--runs 12] [--seconds 1.2] [--model auto]

Each run takes at least ``--seconds`` of CPU (a single-threaded numpy toy calibrated on this
machine), or is a run of the real model when ``--model real`` (or ``auto`` and ``sim.run``
exists). Wall times include starting the worker processes. Goal: speedup >= 1.7x on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from experiments.ensemble import RunSpec, run_ensemble  # noqa: E402

_BLOCK = 50_000


def cpu_toy_run(config: dict, seed: int) -> dict:
    """CPU-bound, single-threaded numpy work: ``config["iterations"]`` sorts of random blocks."""
    rng = np.random.default_rng(seed)
    acc = 0.0
    for _ in range(int(config["iterations"])):
        x = np.sort(rng.random(_BLOCK))
        acc += float(x[_BLOCK // 2])
    return {"summary": {"median_sum": acc}, "tables": {}}


def real_model_config() -> dict:
    """A real model run of a few seconds: mid_city's profile, 20,000 people, 2 years."""
    from sim import compose, to_dict

    return to_dict(
        compose(["population=20000", "years=2", "record_events=false", "progress=false"])
    )


def calibrate(seconds: float) -> int:
    """Iterations of :func:`cpu_toy_run` that take about ``seconds`` here."""
    cpu_toy_run({"iterations": 5}, 0)  # warm up
    t0 = time.perf_counter()
    cpu_toy_run({"iterations": 40}, 0)
    per_iter = (time.perf_counter() - t0) / 40
    return max(1, int(seconds / per_iter))


def choose_model(model: str, seconds: float) -> tuple[str, object, dict]:
    if model in ("auto", "real"):
        try:
            from experiments.compare import simulate

            config = real_model_config()
            t0 = time.perf_counter()
            simulate(config, 0)
            print(f"real model: one run takes {time.perf_counter() - t0:.2f} s")
            return "real model (20,000 people, 2+3 years)", simulate, config
        except Exception as exc:
            if model == "real":
                raise
            print(f"real model not usable ({type(exc).__name__}: {exc}); using the numpy toy")
    iterations = calibrate(seconds)
    return (
        f"numpy toy ({iterations} sorts of {_BLOCK} ~ {seconds:.1f} s/run)",
        cpu_toy_run,
        {"iterations": iterations},
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=12)
    ap.add_argument("--seconds", type=float, default=1.2, help="target seconds per toy run")
    ap.add_argument("--model", choices=["auto", "toy", "real"], default="auto")
    ap.add_argument("--chunk-seconds", type=float, default=5.0)
    args = ap.parse_args()

    name, run_fn, config = choose_model(args.model, args.seconds)
    specs = [
        RunSpec(run_id=f"bench-r{i:03d}", config=config, seed=i, labels={"replication": i})
        for i in range(args.runs)
    ]
    print(f"{args.runs} runs of the {name}")
    walls: dict[int, float] = {}
    results = {}
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            res = run_ensemble(
                specs,
                run_fn,
                Path(tmp),
                backend="local",
                workers=workers,
                chunk_seconds=args.chunk_seconds,
                progress=False,
            )
            walls[workers] = time.perf_counter() - t0
        assert res.n_done == args.runs and res.n_failed == 0
        results[workers] = res.summary.drop(columns="wall_time_s")
        mean_run = res.summary["wall_time_s"].mean()
        print(
            f"workers={workers}: wall {walls[workers]:6.2f} s "
            f"(mean run {mean_run:.2f} s, sum of runs {res.summary['wall_time_s'].sum():.2f} s)"
        )
    assert results[1].equals(results[2]), "results differ between 1 and 2 workers"
    speedup = walls[1] / walls[2]
    print(
        f"speedup 2 vs 1 workers: {speedup:.2f}x (goal >= 1.7x) "
        f"{'OK' if speedup >= 1.7 else 'BELOW GOAL'}"
    )


if __name__ == "__main__":
    main()
