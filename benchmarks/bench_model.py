"""Benchmark the model's week: time per citizen-week, memory per citizen, and Mesa's Boltzmann.

    .venv/bin/python benchmarks/bench_model.py [--sizes 10000 100000 1000000] [--weeks 52]
                                               [--large-weeks 13] [--profile]

Every measurement runs in a fresh Python process (this script started again with ``--_worker``),
so each peak RSS (``resource.getrusage(RUSAGE_SELF).ru_maxrss``, KiB on Linux) belongs to that
one measurement. The parent process imports only the standard library, so a child inherits
almost no peak RSS from it. Goals (see benchmarks/README.md):

* at 100,000 citizens at most 200 ns per citizen-week of ``model.step()``;
* at least 10x less time per agent-step than Mesa's Boltzmann wealth example at 100,000 agents;
* a 1,000,000-citizen run under 2 GiB peak RSS.

Results are printed as a table and written to ``results/bench/model.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

GOAL_NS_PER_CITIZEN_WEEK = 200.0
GOAL_NS_SIZE = 100_000
GOAL_BOLTZMANN_RATIO = 10.0
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


def worker_model(n: int, weeks: int, seed: int, profile: bool) -> dict[str, Any]:
    """Construct the model (not timed in ns/citizen-week), then time `weeks` calls of step()."""
    import gc

    import numpy as np  # noqa: F401 - part of the baseline

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from sim import compose
    from sim.model import SocialDomainModel

    gc.collect()
    baseline_peak_kib = _peak_kib()
    baseline_rss_kib = _rss_now_kib()
    years = max(1, math.ceil(weeks / 52))
    cfg = compose(
        [
            f"population={n}",
            f"years={years}",
            "burn_in_years=0",
            "record_events=false",
            f"seed={seed}",
        ]
    )
    t0 = time.perf_counter()
    model = SocialDomainModel(cfg)
    construct_s = time.perf_counter() - t0
    rss_after_construct_kib = _rss_now_kib()
    peak_after_construct_kib = _peak_kib()
    timer = _instrument(model) if profile else None

    week_ns: list[int] = []
    clock = time.perf_counter_ns
    for _ in range(weeks):
        t = clock()
        model.step()
        week_ns.append(clock() - t)
    total_ns = sum(week_ns)
    peak_kib = _peak_kib()
    srt = sorted(week_ns)
    out: dict[str, Any] = {
        "kind": "model",
        "citizens": n,
        "weeks": weeks,
        "seed": seed,
        "construct_s": construct_s,
        "step_total_s": total_ns / 1e9,
        "ns_per_citizen_week": total_ns / (n * weeks),
        "ns_per_citizen_week_median_week": srt[len(srt) // 2] / n,
        "ns_per_citizen_week_fastest_week": srt[0] / n,
        "ms_per_week_mean": total_ns / weeks / 1e6,
        "baseline_peak_rss_kib": baseline_peak_kib,
        "baseline_rss_kib": baseline_rss_kib,
        "rss_after_construct_kib": rss_after_construct_kib,
        "peak_rss_after_construct_kib": peak_after_construct_kib,
        "peak_rss_kib": peak_kib,
        "peak_rss_mib": peak_kib / 1024,
        "peak_bytes_per_citizen": (peak_kib - baseline_peak_kib) * 1024 / n,
        "profiled": profile,
    }
    if timer is not None:
        stages = {k: v for k, v in timer.stage_ns.items()}
        accounted = sum(stages.values())
        out["profile"] = {
            "stages_ns_per_citizen_week": {k: v / (n * weeks) for k, v in stages.items()},
            "stage_calls": dict(timer.stage_calls),
            "other_ns_per_citizen_week": (total_ns - accounted) / (n * weeks),
            "helpers_ns_per_citizen_week": {k: v / (n * weeks) for k, v in timer.helper_ns.items()},
            "helper_calls": dict(timer.helper_calls),
        }
    return out


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
    p.add_argument("--_worker", choices=["model", "boltzmann", "env"], required=True)
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--weeks", type=int, default=52)
    p.add_argument("--side", type=int, default=300)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--profile", action="store_true")
    a = p.parse_args(argv)
    if a._worker == "model":
        res = worker_model(a.n, a.weeks, a.seed, a.profile)
    elif a._worker == "boltzmann":
        res = worker_boltzmann(a.n, a.side, a.steps, a.seed)
    else:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
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


def main() -> None:
    if any(a.startswith("--_worker") for a in sys.argv[1:]):
        worker_main(sys.argv[1:])
        return
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000, 1_000_000],
        help="citizens per run (default: 10000 100000 1000000)",
    )
    p.add_argument("--weeks", type=int, default=52, help="weeks timed per run (default 52)")
    p.add_argument(
        "--large-weeks",
        type=int,
        default=13,
        help="weeks timed for sizes >= 1,000,000 (default 13; 0 = --weeks)",
    )
    p.add_argument("--boltzmann-agents", type=int, default=100_000)
    p.add_argument("--boltzmann-grid", type=int, default=300, help="grid side (default 300)")
    p.add_argument("--boltzmann-steps", type=int, default=5)
    p.add_argument(
        "--profile",
        action="store_true",
        help="also time each stage of the week (separate run, at --profile-size)",
    )
    p.add_argument("--profile-size", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", type=Path, default=ROOT / "results" / "bench" / "model.json")
    a = p.parse_args()

    print("ketensim model benchmark (each measurement in a fresh process)")
    env = run_worker(["--_worker", "env"], "environment")
    git = _git_state()
    models: list[dict[str, Any]] = []
    for n in a.sizes:
        weeks = a.large_weeks if (n >= 1_000_000 and a.large_weeks > 0) else a.weeks
        res = run_worker(
            ["--_worker", "model", "--n", str(n), "--weeks", str(weeks), "--seed", str(a.seed)],
            f"model, {_fmt_int(n)} citizens x {weeks} weeks",
        )
        res.setdefault("citizens", n)
        res.setdefault("weeks", weeks)
        models.append(res)
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
    profile = None
    if a.profile:
        profile = run_worker(
            [
                "--_worker",
                "model",
                "--n",
                str(a.profile_size),
                "--weeks",
                str(a.weeks),
                "--seed",
                str(a.seed),
                "--profile",
            ],
            f"stage profile, {_fmt_int(a.profile_size)} citizens x {a.weeks} weeks",
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

    # ---------------------------------------------------------------- model table
    print()
    hdr = (
        f"{'citizens':>10} {'weeks':>5} {'ns/citizen-week':>15} {'median wk':>9} "
        f"{'ms/week':>8} {'construct s':>11} {'peak B/citizen':>14} {'peak RSS MiB':>12}"
    )
    print(hdr)
    print("-" * len(hdr))
    for r in models:
        if "error" in r:
            print(f"{_fmt_int(r['citizens']):>10} {r['weeks']:>5}  ERROR: {r['error']}")
            continue
        print(
            f"{_fmt_int(r['citizens']):>10} {r['weeks']:>5} {r['ns_per_citizen_week']:>15.1f} "
            f"{r['ns_per_citizen_week_median_week']:>9.1f} {r['ms_per_week_mean']:>8.2f} "
            f"{r['construct_s']:>11.2f} {r['peak_bytes_per_citizen']:>14.0f} "
            f"{r['peak_rss_mib']:>12.1f}"
        )
    if "error" not in boltz:
        print(
            f"Mesa BoltzmannWealth, {_fmt_int(boltz['agents'])} agents on "
            f"{boltz['grid'][0]}x{boltz['grid'][1]}, {boltz['steps']} steps: "
            f"{boltz['ns_per_agent_step']:.0f} ns/agent-step (model.step incl. its data "
            f"collection); {boltz['ns_per_agent_step_agents_only']:.0f} ns/agent-step "
            f"(agents' shuffle_do only); peak RSS {boltz['peak_rss_mib']:.0f} MiB"
        )
    else:
        print(f"Mesa BoltzmannWealth: ERROR {boltz['error']}")
    print(
        "(peak B/citizen = (peak RSS - peak RSS after imports) / citizens, construction "
        "included; median wk = median week's ns/citizen)"
    )

    # ---------------------------------------------------------------- goals
    by_n = {r["citizens"]: r for r in models if "error" not in r}
    goals: list[dict[str, Any]] = []
    r = by_n.get(GOAL_NS_SIZE)
    val = r["ns_per_citizen_week"] if r else None
    goals.append(
        {
            "goal": f"<= {GOAL_NS_PER_CITIZEN_WEEK:.0f} ns per citizen-week at "
            f"{_fmt_int(GOAL_NS_SIZE)} citizens",
            "value": val,
            "limit": GOAL_NS_PER_CITIZEN_WEEK,
            "ratio": (val / GOAL_NS_PER_CITIZEN_WEEK) if val else None,
            "ratio_meaning": "measured / limit (<= 1 passes)",
            "pass": (val <= GOAL_NS_PER_CITIZEN_WEEK) if val else None,
            "shown": f"{val:.1f} ns" if val else "not measured",
        }
    )
    ratio = (boltz["ns_per_agent_step"] / val) if (val and "error" not in boltz) else None
    strict = (boltz["ns_per_agent_step_agents_only"] / val) if ratio else None
    goals.append(
        {
            "goal": f">= {GOAL_BOLTZMANN_RATIO:.0f}x less time per agent-step than "
            f"Mesa BoltzmannWealth ({_fmt_int(a.boltzmann_agents)} agents)",
            "value": ratio,
            "limit": GOAL_BOLTZMANN_RATIO,
            "ratio": (ratio / GOAL_BOLTZMANN_RATIO) if ratio else None,
            "ratio_meaning": "speed-up / required speed-up (>= 1 passes)",
            "strict_ratio_vs_agents_only": strict,
            "pass": (ratio >= GOAL_BOLTZMANN_RATIO) if ratio else None,
            "shown": (f"{ratio:.1f}x (vs agents only: {strict:.1f}x)" if ratio else "not measured"),
        }
    )
    r = by_n.get(GOAL_PEAK_SIZE)
    peak = r["peak_rss_kib"] * 1024 if r else None
    goals.append(
        {
            "goal": f"{_fmt_int(GOAL_PEAK_SIZE)}-citizen run under 2 GiB peak RSS",
            "value": peak,
            "limit": GOAL_PEAK_BYTES,
            "ratio": (peak / GOAL_PEAK_BYTES) if peak else None,
            "ratio_meaning": "peak / limit (< 1 passes)",
            "pass": (peak < GOAL_PEAK_BYTES) if peak else None,
            "shown": f"{peak / 1024**2:.0f} MiB" if peak else "not measured",
        }
    )
    print()
    print(f"{'goal':<78} {'measured':>28} {'ratio':>6}  result")
    for g in goals:
        rt = f"{g['ratio']:.2f}" if g["ratio"] is not None else "-"
        print(f"{g['goal']:<78} {g['shown']:>28} {rt:>6}  {_verdict(g['pass'])}")
    print("(ratio: ns goal = measured/limit; Boltzmann = speed-up/10; memory = peak/2 GiB)")

    # ---------------------------------------------------------------- profile
    if profile is not None and "error" not in profile:
        pr = profile["profile"]
        total = profile["ns_per_citizen_week"]
        print()
        print(
            f"Stage profile at {_fmt_int(profile['citizens'])} citizens x {profile['weeks']} "
            f"weeks: {total:.1f} ns/citizen-week with timers "
            f"(timer overhead included; untimed runs above are the reference)"
        )
        print(f"{'stage':<40} {'ns/citizen-week':>15} {'share':>7} {'calls':>6}")
        rows = sorted(pr["stages_ns_per_citizen_week"].items(), key=lambda kv: -kv[1])
        for label, v in rows:
            print(f"{label:<40} {v:>15.1f} {100 * v / total:>6.1f}% {pr['stage_calls'][label]:>6}")
        o = pr["other_ns_per_citizen_week"]
        print(f"{'other (week glue, the plan loop)':<40} {o:>15.1f} {100 * o / total:>6.1f}%")
        print(f"{'total step()':<40} {total:>15.1f} {100.0:>6.1f}%")
        print("of which (helpers, timed wherever called; overlap the stages):")
        for label, v in sorted(pr["helpers_ns_per_citizen_week"].items(), key=lambda kv: -kv[1]):
            print(
                f"  {label:<38} {v:>15.1f} {100 * v / total:>6.1f}% {pr['helper_calls'][label]:>6}"
            )
    elif profile is not None:
        print(f"stage profile: ERROR {profile['error']}")

    # ---------------------------------------------------------------- JSON
    out = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "environment": env,
        "git": git,
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(a).items()},
        "model": models,
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
