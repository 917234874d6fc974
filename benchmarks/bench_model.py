"""Benchmark the model's week: time per citizen-week, memory per citizen, and Mesa's Boltzmann.

    .venv/bin/python benchmarks/bench_model.py [--size 100000] [--weeks 52] [--repeats 3]
                                               [--memory-size 1000000] [--profile]

Every measurement runs in a fresh Python process (this script started again with ``--_worker``),
so each peak RSS (``resource.getrusage(RUSAGE_SELF).ru_maxrss``, KiB on Linux) belongs to that
one measurement. The parent process imports only the standard library, so a child inherits
almost no peak RSS from it. Goals (see benchmarks/README.md):

* at 100,000 citizens at most 120 ns per citizen-week of ``model.step()`` in steady state,
  as ``compare`` runs it (after the shared burn-in, ``record_events=false``);
* a 1,000,000-citizen ``compare`` worker under 2 GiB peak RSS.

Other work on the machine slows the model (a memory-bound process on the other core: up to
1.75x here), so the load average is printed from before the first measurement and after the
last: a 1-minute load of more than about 1 before it means other work was running. A shared
host can be slow with the machine itself idle (the same code 97-110 ns in a quiet quarter of
an hour, 115-142 in a slow one, at the same load): compare figures paired, one right after
the other (benchmarks/README.md).

Results are printed as a table and written to ``results/bench/model.json``.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

GOAL_NS_PER_CITIZEN_WEEK = 120.0  # issue 12: steady state, as `compare` runs
GOAL_NS_SIZE = 100_000
DESIGNS = ("gatekeeping", "early_signalling", "yes_is_cheaper")
GOAL_PEAK_BYTES = 2 * 1024**3
GOAL_PEAK_SIZE = 1_000_000
RESULT_MARKER = "@@BENCH_RESULT@@ "

# The stages of the week are the model's plan (`sim.model.week_plan()`): each stage's `step`
# is timed under its plan name. Around the plan: (owner, attribute, label), owners "model",
# "design", "recorder", "ledger", "municipality", "datacollector", "draws", "access". Each is
# timed inclusively when called at the top level of the week; the remainder of step() is
# reported as "other (week glue)".
STAGES: list[tuple[str, str, str]] = [
    ("ledger", "new_week", "ledger.new_week"),
    ("recorder", "new_week", "recorder.new_week"),
    ("recorder", "close_year", "recorder.close_year"),
    ("datacollector", "collect", "datacollector.collect"),
]
# Helpers called from inside the stages: timed inclusively wherever they are called ("of
# which" lines; they overlap the stages above and are not added to the total).
HELPERS: list[tuple[str, str, str]] = [
    ("draws", "uniform", "draws.uniform (one draw per person)"),
    ("draws", "week_rng", "draws.week_rng (seeded generator)"),
    ("access", "join_waiting_list", "access.join_waiting_list"),
    ("providers", "discharge", "Provider.discharge"),
    ("recorder", "log", "recorder.log"),
    ("model", "book", "book (ledger)"),
    ("design", "dose", "design.dose"),
]


# ============================================================================ worker side
def _rss_now_kib() -> int:
    """Current resident set size in KiB (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError):
        return 0


def _peak_kib() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _environment() -> dict[str, Any]:
    import numpy as np

    env: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "numpy": np.__version__,
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
    }
    try:
        import mesa

        env["mesa"] = mesa.__version__
    except ImportError:
        env["mesa"] = None
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        env["numpy_blas"] = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # informational only
        env["numpy_blas"] = None
    try:
        from threadpoolctl import threadpool_info

        env["threadpoolctl"] = [
            {
                k: info.get(k)
                for k in ("user_api", "internal_api", "version", "num_threads", "architecture")
            }
            for info in threadpool_info()
        ]
    except ImportError:
        env["threadpoolctl"] = "not installed"
    return env


def _git_state() -> dict[str, Any]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
            ).stdout.strip()
        except OSError:
            return ""

    dirty = git("status", "--porcelain", "--", "sim", "scenarios")
    return {
        "commit": git("rev-parse", "--short", "HEAD") or None,
        "sim_or_scenarios_modified_files": len(dirty.splitlines()) if dirty else 0,
    }


class _StageTimer:
    """Wraps bound methods of one model instance with timers (nothing in sim/ is changed)."""

    def __init__(self) -> None:
        self.stage_ns: dict[str, int] = {}
        self.stage_calls: dict[str, int] = {}
        self.helper_ns: dict[str, int] = {}
        self.helper_calls: dict[str, int] = {}
        self.depth = 0  # > 0 while a stage runs

    def wrap_stage(self, obj: Any, attr: str, label: str) -> None:
        fn = getattr(obj, attr)
        self.stage_ns.setdefault(label, 0)
        self.stage_calls.setdefault(label, 0)
        clock = time.perf_counter_ns

        def timed(*args: Any, **kwargs: Any) -> Any:
            if self.depth:  # a stage called from inside another stage: count it there
                return fn(*args, **kwargs)
            self.depth += 1
            t0 = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                self.stage_ns[label] += clock() - t0
                self.stage_calls[label] += 1
                self.depth -= 1

        setattr(obj, attr, timed)

    def wrap_helper(self, obj: Any, attr: str, label: str) -> None:
        fn = getattr(obj, attr)
        self.helper_ns.setdefault(label, 0)
        self.helper_calls.setdefault(label, 0)
        clock = time.perf_counter_ns

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                self.helper_ns[label] += clock() - t0
                self.helper_calls[label] += 1

        setattr(obj, attr, timed)

    def reset(self) -> None:
        for d in (self.stage_ns, self.stage_calls, self.helper_ns, self.helper_calls):
            for k in d:
                d[k] = 0


def _owners(model: Any) -> dict[str, list[Any]]:
    designs = [model.design]
    if model.burn_in_design is not model.design:
        designs.append(model.burn_in_design)
    return {
        "draws": [model.draws],
        "access": [model.access],
        "providers": list(model.providers),
        "model": [model],
        "design": designs,
        "recorder": [model.recorder],
        "ledger": [model.ledger],
        "municipality": [model.municipality],
        "datacollector": [model.datacollector],
    }


def _instrument(model: Any) -> _StageTimer:
    timer = _StageTimer()
    owners = _owners(model)
    for stage in model.plan:
        timer.wrap_stage(stage, "step", stage.name)
    for kind, attr, label in STAGES:
        for obj in owners[kind]:
            if hasattr(obj, attr):
                timer.wrap_stage(obj, attr, label)
    for kind, attr, label in HELPERS:
        for obj in owners[kind]:
            if hasattr(obj, attr):
                timer.wrap_helper(obj, attr, label)
    return timer


def _load_sim() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def _config(n: int, design: str, weeks: int, seed: int, burn_in_years: int | None) -> Any:
    """The setting `compare` runs: the default scenario (mid_city, calibrated behaviour) at
    `n` citizens, `record_events=false`, enough years for `weeks`."""
    from sim import compose

    overrides = [
        f"population={n}",
        f"design={design}",
        f"years={max(1, math.ceil(weeks / 52))}",
        "record_events=false",
        "progress=false",
        f"seed={seed}",
    ]
    if burn_in_years is not None:
        overrides.append(f"burn_in_years={burn_in_years}")
    return compose(overrides)


def _time_weeks(model: Any, weeks: int) -> tuple[list[int], int]:
    """Wall time (ns) of each of `weeks` calls of model.step(), and their total CPU time (ns)
    of this process (less sensitive than wall time to other processes on a shared machine;
    numpy's element-wise work here is single-threaded, so on an idle machine they agree)."""
    clock = time.perf_counter_ns
    cpu0 = time.process_time_ns()
    week_ns: list[int] = []
    for _ in range(weeks):
        t = clock()
        model.step()
        week_ns.append(clock() - t)
    return week_ns, time.process_time_ns() - cpu0


def _week_stats(timed: tuple[list[int], int], n: int) -> dict[str, float]:
    week_ns, cpu_ns = timed
    srt = sorted(week_ns)
    return {
        "ns_per_citizen_week": sum(week_ns) / (n * len(week_ns)),
        "cpu_ns_per_citizen_week": cpu_ns / (n * len(week_ns)),
        "ns_per_citizen_week_median_week": srt[len(srt) // 2] / n,
        "ms_per_week_mean": sum(week_ns) / len(week_ns) / 1e6,
    }


def _profile_result(timer: _StageTimer, total_ns: int, n: int, weeks: int) -> dict[str, Any]:
    stages = dict(timer.stage_ns)
    accounted = sum(stages.values())
    return {
        "stages_ns_per_citizen_week": {k: v / (n * weeks) for k, v in stages.items()},
        "stage_calls": dict(timer.stage_calls),
        "other_ns_per_citizen_week": (total_ns - accounted) / (n * weeks),
        "helpers_ns_per_citizen_week": {k: v / (n * weeks) for k, v in timer.helper_ns.items()},
        "helper_calls": dict(timer.helper_calls),
    }


def _spread(runs: list[dict[str, float]]) -> dict[str, float]:
    """Median, min and max over runs of the wall and CPU ns per citizen-week."""
    out: dict[str, float] = {}
    for key in ("ns_per_citizen_week", "cpu_ns_per_citizen_week"):
        vals = sorted(r[key] for r in runs)
        out[f"{key}_median"] = statistics.median(vals)
        out[f"{key}_min"] = vals[0]
        out[f"{key}_max"] = vals[-1]
    return out


def worker_steady(
    n: int,
    weeks: int,
    seed: int,
    designs: list[str],
    repeats: int,
    burn_in_years: int | None,
    profile: bool,
) -> dict[str, Any]:
    """Steady state as `compare` runs it: one shared burn-in (`sim.burn_in.BurnInStore`, not
    timed), then per repeat and design a fork of it (its design started at week 0) whose
    `weeks` calls of model.step() are timed. Repeats are interleaved over the designs, so
    the machine's drift hits every design alike. With `profile`, one fork of the first
    design is timed per stage instead."""
    import gc

    _load_sim()
    from sim.burn_in import BurnInStore

    store = BurnInStore(keep=1)
    cfgs = {d: _config(n, d, weeks, seed, burn_in_years) for d in designs}
    t0 = time.perf_counter()
    store.model(cfgs[designs[0]]).remove_from_mesa_registry()  # the burn-in, once
    burn_in_s = time.perf_counter() - t0
    out: dict[str, Any] = {
        "kind": "steady",
        "citizens": n,
        "weeks": weeks,
        "seed": seed,
        "burn_in_years": cfgs[designs[0]].burn_in_years,
        "burn_in_s": burn_in_s,
        "repeats": repeats,
        "designs": {},
    }
    if profile:
        model = store.model(cfgs[designs[0]])
        timer = _instrument(model)
        gc.collect()
        timed = _time_weeks(model, weeks)
        model.remove_from_mesa_registry()
        out["design"] = designs[0]
        out.update(_week_stats(timed, n))
        out["profile"] = _profile_result(timer, sum(timed[0]), n, weeks)
        return out
    runs: dict[str, list[dict[str, float]]] = {d: [] for d in designs}
    fork_s: list[float] = []
    for _ in range(repeats):
        for d in designs:
            t0 = time.perf_counter()
            model = store.model(cfgs[d])
            fork_s.append(time.perf_counter() - t0)
            gc.collect()
            runs[d].append(_week_stats(_time_weeks(model, weeks), n))
            model.remove_from_mesa_registry()
            del model
    for d, rs in runs.items():
        out["designs"][d] = {**_spread(rs), "runs": rs}
    out["fork_s_median"] = statistics.median(fork_s)
    return out


def worker_cold(n: int, weeks: int, seed: int, repeats: int) -> dict[str, Any]:
    """Cold start: construction without burn-in (`burn_in_years=0`, timed apart), then the
    first `weeks` weeks of model.step() timed; `repeats` times in this process."""
    import gc

    _load_sim()
    from sim.model import SocialDomainModel

    cfg = _config(n, "gatekeeping", weeks, seed, 0)
    runs: list[dict[str, float]] = []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        model = SocialDomainModel(cfg)
        construct_s = time.perf_counter() - t0
        runs.append({"construct_s": construct_s, **_week_stats(_time_weeks(model, weeks), n)})
        model.remove_from_mesa_registry()
        del model
    return {
        "kind": "cold",
        "citizens": n,
        "weeks": weeks,
        "seed": seed,
        "repeats": repeats,
        **_spread(runs),
        "construct_s_median": statistics.median(r["construct_s"] for r in runs),
        "runs": runs,
    }


def worker_memory(n: int, weeks: int, seed: int, burn_in_years: int | None) -> dict[str, Any]:
    """Peak RSS of a process that builds the model with its burn-in and steps it, in two
    phases: (1) one model is burnt in (as `ketensim run` holds one model); (2) a copy is
    forked from it and stepped `weeks` weeks, as a `compare` worker does with
    `sim.burn_in.BurnInStore` (the burnt-in model stays in the store beside the fork)."""
    import gc

    import numpy as np  # noqa: F401 - part of the baseline

    _load_sim()
    from sim.model import SocialDomainModel, burn_in_config

    gc.collect()
    baseline_peak_kib = _peak_kib()
    cfg = _config(n, "gatekeeping", weeks, seed, burn_in_years)
    t0 = time.perf_counter()
    burnt = SocialDomainModel(burn_in_config(cfg))  # what BurnInStore keeps
    burn_in_s = time.perf_counter() - t0
    peak_burn_in_kib = _peak_kib()
    rss_burnt_kib = _rss_now_kib()
    model = copy.deepcopy(burnt)
    model.start_design(cfg)
    timed = _time_weeks(model, weeks)
    peak_kib = _peak_kib()
    model.remove_from_mesa_registry()
    return {
        "kind": "memory",
        "citizens": n,
        "weeks": weeks,
        "seed": seed,
        "burn_in_years": cfg.burn_in_years,
        "burn_in_s": burn_in_s,
        "baseline_peak_rss_kib": baseline_peak_kib,
        "peak_rss_burn_in_kib": peak_burn_in_kib,
        "rss_after_burn_in_kib": rss_burnt_kib,
        "peak_rss_kib": peak_kib,
        "peak_rss_mib": peak_kib / 1024,
        "peak_bytes_per_citizen_one_model": (peak_burn_in_kib - baseline_peak_kib) * 1024 / n,
        "peak_bytes_per_citizen_fork": (peak_kib - baseline_peak_kib) * 1024 / n,
        **_week_stats(timed, n),
    }


def _import_boltzmann() -> Any:
    """`BoltzmannWealth` from Mesa's examples. `mesa/examples/__init__.py` imports every
    example (some need networkx, which is not a ketensim dependency); if that fails, register
    `mesa.examples` as a bare package so only the Boltzmann modules are imported."""
    try:
        from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannWealth
    except ImportError:
        import types

        import mesa

        for name in [k for k in sys.modules if k.startswith("mesa.examples")]:
            del sys.modules[name]
        pkg = types.ModuleType("mesa.examples")
        pkg.__path__ = [str(Path(mesa.__file__).parent / "examples")]
        sys.modules["mesa.examples"] = pkg
        from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannWealth
    return BoltzmannWealth


def worker_boltzmann(n: int, side: int, steps: int, seed: int) -> dict[str, Any]:
    """Time `steps` calls of BoltzmannWealth.step() (agents' shuffle_do plus the example's own
    data collection), and separately `steps` calls of the agents' part alone."""
    import gc

    BoltzmannWealth = _import_boltzmann()
    gc.collect()
    baseline_peak_kib = _peak_kib()
    t0 = time.perf_counter()
    model = BoltzmannWealth(n=n, width=side, height=side, seed=seed)
    construct_s = time.perf_counter() - t0
    clock = time.perf_counter_ns
    step_ns = []
    for _ in range(steps):
        t = clock()
        model.step()
        step_ns.append(clock() - t)
    agents_ns = []
    for _ in range(steps):
        t = clock()
        model.agents.shuffle_do("step")
        agents_ns.append(clock() - t)
    peak_kib = _peak_kib()
    return {
        "kind": "boltzmann",
        "agents": n,
        "grid": [side, side],
        "steps": steps,
        "seed": seed,
        "construct_s": construct_s,
        "ns_per_agent_step": sum(step_ns) / (n * steps),
        "ns_per_agent_step_agents_only": sum(agents_ns) / (n * steps),
        "peak_rss_mib": peak_kib / 1024,
        "peak_bytes_per_agent": (peak_kib - baseline_peak_kib) * 1024 / n,
    }


def worker_main(argv: list[str]) -> None:
    p = argparse.ArgumentParser()
    p.add_argument(
        "--_worker", choices=["steady", "cold", "memory", "boltzmann", "env"], required=True
    )
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--weeks", type=int, default=52)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--designs", nargs="+", default=list(DESIGNS))
    p.add_argument("--burn-in-years", type=int, default=None)
    p.add_argument("--side", type=int, default=300)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--profile", action="store_true")
    a = p.parse_args(argv)
    if a._worker == "steady":
        res = worker_steady(a.n, a.weeks, a.seed, a.designs, a.repeats, a.burn_in_years, a.profile)
    elif a._worker == "cold":
        res = worker_cold(a.n, a.weeks, a.seed, a.repeats)
    elif a._worker == "memory":
        res = worker_memory(a.n, a.weeks, a.seed, a.burn_in_years)
    elif a._worker == "boltzmann":
        res = worker_boltzmann(a.n, a.side, a.steps, a.seed)
    else:
        _load_sim()
        res = {"kind": "env", **_environment()}
    print(RESULT_MARKER + json.dumps(res), flush=True)


# ============================================================================ parent side
def run_worker(args: list[str], label: str) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; return its JSON result."""
    cmd = [sys.executable, str(Path(__file__).resolve()), *args]
    print(f"  running {label} ...", end=" ", flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            print(f"done in {wall:.1f} s", flush=True)
            res = json.loads(line[len(RESULT_MARKER) :])
            res["process_wall_s"] = wall
            return res
    print(f"FAILED (exit {proc.returncode})", flush=True)
    sys.stderr.write(proc.stderr[-4000:])
    return {"error": f"exit code {proc.returncode}", "stderr_tail": proc.stderr[-2000:]}


def _fmt_int(n: int) -> str:
    return f"{n:,}"


def _verdict(ok: bool | None) -> str:
    return "n/a " if ok is None else ("PASS" if ok else "FAIL")


def _span(r: dict[str, Any], key: str = "ns_per_citizen_week") -> str:
    return f"{r[key + '_median']:7.1f}  ({r[key + '_min']:.1f}-{r[key + '_max']:.1f})"


def _print_profile(profile: dict[str, Any]) -> None:
    pr = profile["profile"]
    total = profile["ns_per_citizen_week"]
    print()
    print(
        f"Stage profile, steady state ({profile['design']}, {_fmt_int(profile['citizens'])} "
        f"citizens x {profile['weeks']} weeks after a {profile['burn_in_years']}-year burn-in): "
        f"{total:.1f} ns/citizen-week with timers (CPU {profile['cpu_ns_per_citizen_week']:.1f};"
        f" timer overhead included; the untimed figures above are the reference)"
    )
    print(f"{'stage (model.plan order)':<40} {'ns/citizen-week':>15} {'share':>7} {'calls':>6}")
    for label, v in pr["stages_ns_per_citizen_week"].items():
        print(f"{label:<40} {v:>15.1f} {100 * v / total:>6.1f}% {pr['stage_calls'][label]:>6}")
    o = pr["other_ns_per_citizen_week"]
    print(f"{'other (week glue, the plan loop)':<40} {o:>15.1f} {100 * o / total:>6.1f}%")
    print(f"{'total step()':<40} {total:>15.1f} {100.0:>6.1f}%")
    print("of which (helpers, timed wherever called; overlap the stages):")
    for label, v in sorted(pr["helpers_ns_per_citizen_week"].items(), key=lambda kv: -kv[1]):
        print(f"  {label:<38} {v:>15.1f} {100 * v / total:>6.1f}% {pr['helper_calls'][label]:>6}")


def main() -> None:
    if any(a.startswith("--_worker") for a in sys.argv[1:]):
        worker_main(sys.argv[1:])
        return
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size", type=int, default=GOAL_NS_SIZE, help="citizens (default 100000)")
    p.add_argument("--weeks", type=int, default=52, help="weeks timed per run (default 52)")
    p.add_argument("--repeats", type=int, default=3, help="runs per measurement (default 3)")
    p.add_argument("--designs", nargs="+", default=list(DESIGNS))
    p.add_argument(
        "--burn-in-years",
        type=int,
        default=None,
        help="burn-in before the steady-state runs (default: the scenario's)",
    )
    p.add_argument(
        "--memory-size",
        type=int,
        default=GOAL_PEAK_SIZE,
        help="citizens of the memory run (default 1000000; 0 skips it)",
    )
    p.add_argument("--memory-weeks", type=int, default=13)
    p.add_argument(
        "--memory-burn-in-years",
        type=int,
        default=None,
        help="burn-in of the memory run (default: the scenario's)",
    )
    p.add_argument("--boltzmann", action="store_true", help="also time Mesa's Boltzmann example")
    p.add_argument("--boltzmann-agents", type=int, default=100_000)
    p.add_argument("--boltzmann-grid", type=int, default=300, help="grid side (default 300)")
    p.add_argument("--boltzmann-steps", type=int, default=5)
    p.add_argument("--profile", action="store_true", help="also time each stage of the week")
    p.add_argument("--only-profile", action="store_true", help="the stage profile alone")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", type=Path, default=ROOT / "results" / "bench" / "model.json")
    a = p.parse_args()

    print("ketensim model benchmark (each measurement in a fresh process)")
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    env = run_worker(["--_worker", "env"], "environment")
    git = _git_state()
    common = ["--n", str(a.size), "--weeks", str(a.weeks), "--seed", str(a.seed)]
    burn = [] if a.burn_in_years is None else ["--burn-in-years", str(a.burn_in_years)]
    steady = cold = memory = boltz = profile = None
    if not a.only_profile:
        steady = run_worker(
            [
                "--_worker",
                "steady",
                *common,
                "--repeats",
                str(a.repeats),
                "--designs",
                *a.designs,
                *burn,
            ],
            f"steady state, {_fmt_int(a.size)} citizens, {len(a.designs)} designs x "
            f"{a.repeats} repeats x {a.weeks} weeks",
        )
        cold = run_worker(
            ["--_worker", "cold", *common, "--repeats", str(a.repeats)],
            f"cold start, {_fmt_int(a.size)} citizens, {a.repeats} x {a.weeks} weeks",
        )
        if a.memory_size > 0:
            mem_burn = (
                []
                if a.memory_burn_in_years is None
                else ["--burn-in-years", str(a.memory_burn_in_years)]
            )
            memory = run_worker(
                [
                    "--_worker",
                    "memory",
                    "--n",
                    str(a.memory_size),
                    "--weeks",
                    str(a.memory_weeks),
                    "--seed",
                    str(a.seed),
                    *mem_burn,
                ],
                f"memory, {_fmt_int(a.memory_size)} citizens, burn-in + {a.memory_weeks} weeks",
            )
        if a.boltzmann:
            boltz = run_worker(
                [
                    "--_worker",
                    "boltzmann",
                    "--n",
                    str(a.boltzmann_agents),
                    "--side",
                    str(a.boltzmann_grid),
                    "--steps",
                    str(a.boltzmann_steps),
                    "--seed",
                    str(a.seed),
                ],
                f"Mesa BoltzmannWealth, {_fmt_int(a.boltzmann_agents)} agents "
                f"on {a.boltzmann_grid}x{a.boltzmann_grid} x {a.boltzmann_steps} steps",
            )
    if a.profile or a.only_profile:
        profile = run_worker(
            ["--_worker", "steady", *common, "--designs", a.designs[0], "--profile", *burn],
            f"stage profile, {a.designs[0]}, {_fmt_int(a.size)} citizens x {a.weeks} weeks",
        )

    # ---------------------------------------------------------------- environment
    print()
    print(
        f"python {env.get('python')}  numpy {env.get('numpy')} (BLAS: {env.get('numpy_blas')})"
        f"  mesa {env.get('mesa')}  cpus {env.get('cpu_count')}"
    )
    print(
        f"OPENBLAS_CORETYPE={env.get('OPENBLAS_CORETYPE')!r}  "
        f"threadpoolctl: {env.get('threadpoolctl')}"
    )
    print(
        f"git {git['commit']}  (modified files in sim/ or scenarios/: "
        f"{git['sim_or_scenarios_modified_files']})"
    )
    if load_before is not None:
        after = os.getloadavg()
        print(
            "load average (1, 5, 15 min) before: "
            + ", ".join(f"{x:.2f}" for x in load_before)
            + "; at the end: "
            + ", ".join(f"{x:.2f}" for x in after)
            + " (the benchmark itself adds about 1)"
        )

    # ---------------------------------------------------------------- tables
    goals: list[dict[str, Any]] = []
    if steady is not None and "error" not in steady:
        print()
        print(
            f"STEADY STATE (headline): {_fmt_int(steady['citizens'])} citizens, after a "
            f"{steady['burn_in_years']}-year shared burn-in (not timed: "
            f"{steady['burn_in_s']:.1f} s; "
            f"fork {steady['fork_s_median']:.2f} s), record_events=false, "
            f"{steady['weeks']} weeks timed per run, {steady['repeats']} runs per design"
        )
        print(
            f"{'design':<18} {'wall ns/citizen-week median (min-max)':>38} "
            f"{'CPU ns/citizen-week median (min-max)':>38} {'ms/week':>8}"
        )
        for d, r in steady["designs"].items():
            ms = statistics.median(x["ms_per_week_mean"] for x in r["runs"])
            cpu = _span(r, "cpu_ns_per_citizen_week")
            print(f"{d:<18} {_span(r):>38} {cpu:>38} {ms:>8.1f}")
        head = steady["designs"].get(DESIGNS[0]) or next(iter(steady["designs"].values()))
        val = head["ns_per_citizen_week_median"] if steady["citizens"] == GOAL_NS_SIZE else None
        goals.append(
            {
                "goal": f"<= {GOAL_NS_PER_CITIZEN_WEEK:.0f} ns per citizen-week at "
                f"{_fmt_int(GOAL_NS_SIZE)} citizens, steady state ({DESIGNS[0]}, median)",
                "value": val,
                "limit": GOAL_NS_PER_CITIZEN_WEEK,
                "ratio": (val / GOAL_NS_PER_CITIZEN_WEEK) if val else None,
                "pass": (val <= GOAL_NS_PER_CITIZEN_WEEK) if val else None,
                "shown": f"{val:.1f} ns" if val else "not measured",
            }
        )
    elif steady is not None:
        print(f"steady state: ERROR {steady['error']}")
    if cold is not None and "error" not in cold:
        print()
        print(
            f"COLD START (not the headline): {_fmt_int(cold['citizens'])} citizens, built "
            f"without burn-in (construct {cold['construct_s_median']:.1f} s, not timed), the "
            f"first {cold['weeks']} weeks, {cold['repeats']} runs: "
            f"{_span(cold).strip()} ns/citizen-week median (min-max); CPU "
            f"{_span(cold, 'cpu_ns_per_citizen_week').strip()}"
        )
    elif cold is not None:
        print(f"cold start: ERROR {cold['error']}")
    if memory is not None and "error" not in memory:
        print()
        print(
            f"MEMORY: {_fmt_int(memory['citizens'])} citizens, {memory['burn_in_years']}-year "
            f"burn-in ({memory['burn_in_s']:.0f} s) then {memory['weeks']} weeks of a fork "
            f"({memory['ns_per_citizen_week']:.0f} ns/citizen-week; CPU "
            f"{memory['cpu_ns_per_citizen_week']:.0f})"
        )
        print(
            f"  one model (burn-in, as `ketensim run`): "
            f"{memory['peak_bytes_per_citizen_one_model']:.0f} B/citizen peak "
            f"(RSS after burn-in {memory['rss_after_burn_in_kib'] / 1024:.0f} MiB)"
        )
        print(
            f"  burnt-in model + stepped fork (a `compare` worker): "
            f"{memory['peak_bytes_per_citizen_fork']:.0f} B/citizen peak; "
            f"process peak RSS {memory['peak_rss_mib']:.0f} MiB"
        )
        print(
            "  (B/citizen = (peak RSS - peak RSS after imports) / citizens; peak RSS = "
            "getrusage ru_maxrss of the worker process)"
        )
        peak = memory["peak_rss_kib"] * 1024 if memory["citizens"] == GOAL_PEAK_SIZE else None
        goals.append(
            {
                "goal": f"{_fmt_int(GOAL_PEAK_SIZE)}-citizen compare worker under 2 GiB peak RSS",
                "value": peak,
                "limit": GOAL_PEAK_BYTES,
                "ratio": (peak / GOAL_PEAK_BYTES) if peak else None,
                "pass": (peak < GOAL_PEAK_BYTES) if peak else None,
                "shown": f"{peak / 1024**2:.0f} MiB" if peak else "not measured",
            }
        )
    elif memory is not None:
        print(f"memory: ERROR {memory['error']}")
    if boltz is not None and "error" not in boltz:
        print()
        print(
            f"Mesa BoltzmannWealth, {_fmt_int(boltz['agents'])} agents on "
            f"{boltz['grid'][0]}x{boltz['grid'][1]}, {boltz['steps']} steps: "
            f"{boltz['ns_per_agent_step']:.0f} ns/agent-step (model.step incl. its data "
            f"collection); {boltz['ns_per_agent_step_agents_only']:.0f} ns/agent-step "
            f"(agents' shuffle_do only); peak RSS {boltz['peak_rss_mib']:.0f} MiB"
        )
    if goals:
        print()
        print(f"{'goal':<78} {'measured':>14} {'ratio':>6}  result")
        for g in goals:
            rt = f"{g['ratio']:.2f}" if g["ratio"] is not None else "-"
            print(f"{g['goal']:<78} {g['shown']:>14} {rt:>6}  {_verdict(g['pass'])}")
        print("(ratio = measured / limit; <= 1 passes)")
    if profile is not None and "error" not in profile:
        _print_profile(profile)
    elif profile is not None:
        print(f"stage profile: ERROR {profile['error']}")

    # ---------------------------------------------------------------- JSON
    out = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "environment": env,
        "load_average_before": load_before,
        "git": git,
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(a).items()},
        "steady": steady,
        "cold": cold,
        "memory": memory,
        "boltzmann": boltz,
        "goals": goals,
        "profile": profile,
    }
    a.json.parent.mkdir(parents=True, exist_ok=True)
    a.json.write_text(json.dumps(out, indent=2) + "\n")
    print()
    print(f"wrote {a.json.relative_to(ROOT) if a.json.is_relative_to(ROOT) else a.json}")


if __name__ == "__main__":
    main()
