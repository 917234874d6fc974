"""`ketensim sensitivity`: which uncertainties drive the answer, and where each design wins.

Stages (`method=`):

* `morris`: screening with Morris elementary effects over every declared uncertainty;
* `sobol`: Sobol' first-order and total indices with bootstrap intervals over the factors
  that survived screening (from a Morris run in the same `out`, else `factors=` or all),
  evaluated at 2n and analysed at n and 2n as a convergence check;
* `oat`: the one-at-a-time tornado around the default (a local view, labelled as such);
* `discovery`: a Latin hypercube over the uncertainties, the winning design per point, and
  the boxes where each design wins (classification tree, or PRIM of ema_workbench);
  exported in the EMA Workbench format;
* `all`: morris, then sobol on the survivors, oat, discovery;
* `emulator`: Sobol indices on a surrogate fitted to a few hundred runs, validated on held-out
  runs, with a sequential design (experiments/sensitivity/emulator.py).

Every sample point runs every design x R replications; replication k uses seed `seed + k`
at every point and for every design (common random numbers), so design differences are
paired and the noise does not differ between points. Outputs: total chain cost, unmet need,
escalations, carer burnout per design, and the paired differences design - baseline.
Runs go through the ensemble runner (local processes or Dask) and resume like `compare`.

The pipeline itself lives in `experiments/sensitivity/core.py` and is model-agnostic: the tests run
the Ishigami and G functions through it to check the indices against their analytical values.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.cliargs import (
    check_address,
    check_run_count,
    parse_switch,
    parse_workers,
    split_arguments,
)
from experiments.sensitivity import core, emulator
from experiments.sensitivity.context import Context, check_complete, save_evaluation, write_table
from experiments.sensitivity.discovery import require_library
from experiments.sensitivity.discovery_stage import run_discovery
from experiments.sensitivity.factors import check_factors, load_uncertainties
from sim.cli import prepare_out_dir
from sim.config import ConfigError, compose, to_dict
from sim.designs import BURN_IN_DESIGN, design_names

METHODS = ("morris", "sobol", "oat", "discovery", "all", "emulator")
KEYS = (
    "method",
    "uncertainty",
    "designs",
    "baseline",
    "replications",
    "trajectories",
    "levels",
    "n",
    "double",
    "samples",
    "threshold",
    "factors",
    "discovery",
    "backend",
    "workers",
    "address",
    "out",
    "lang",
    *emulator.KEYS,
)
DEFAULTS: dict[str, Any] = {
    "method": "all",
    "uncertainty": "default",
    "baseline": BURN_IN_DESIGN,
    "replications": 3,
    "trajectories": 10,
    "levels": 4,
    "n": 64,
    "double": True,
    "samples": 200,
    "threshold": 0.1,
    "discovery": "tree",
    "backend": "local",
    "lang": "en",
}

USAGE = """usage: ketensim sensitivity [method=morris|sobol|oat|discovery|all|emulator]
                            [uncertainty=default]
                            [replications=R] [trajectories=10] [levels=4] [n=64] [double=true]
                            [samples=200] [threshold=0.1] [factors=a,b] [discovery=tree|prim]
                            [designs=a,b,c] [baseline=gatekeeping] [lang=en|nl]
                            [backend=local|sequential|dask] [workers=N] [address=tcp://...]
                            [out=DIR] [model key=value ...]

Global sensitivity analysis over the uncertainties declared in scenarios/uncertainty/<name>.yaml.
method=morris screens every factor (trajectories x (D+1) points); method=sobol computes S1 and ST
with bootstrap intervals on the factors Morris kept (mu* >= threshold x largest), at n and 2n
base samples (double=false: n only); method=oat draws the one-at-a-time tornado; method=discovery
samples a Latin hypercube and finds where each design is cheapest / has least unmet need
(discovery=prim needs ema_workbench: pip install -e ".[discovery]");
method=all does all four. method=emulator fits a surrogate per output ([surrogate=gp|gbt|auto]) to
[points=10xD] Latin hypercube points, checks it on [holdout=N] held-out points, adds [batch=N]
points where it is least sure until held-out Q2 >= [q2=0.9] or [budget=runs] is spent, and
computes Sobol indices on it ([sobol_n=1024] [draws=48] [outputs=headline|all]). Each point
runs every design x R replications (default 3) with common random numbers. Writes Parquet, CSV,
figures (PNG+SVG), an EMA Workbench archive and report.html to out (default
results/sensitivity/<timestamp>/); re-running with the same out resumes.
Model overrides (municipality=small_town population=5000 years=3 seed=7 ...) apply to all runs."""


# --- stages ---------------------------------------------------------------------------------


def run_morris(ctx: Context, trajectories: int, levels: int, threshold: float) -> list[str]:
    """Morris screening over every factor; returns the factors kept for Sobol."""
    factors = ctx.factors
    names = [f.name for f in factors]
    X = core.morris_sample(factors, trajectories, levels, ctx.seed)
    ctx.say(f"  morris: {len(X)} points x {ctx.replications} replications")
    ev = ctx.evaluate(X, names, "morris")
    save_evaluation(ctx, ev, "morris")
    check_complete(ev, "morris")
    mi = core.morris_indices(factors, ev, levels, ctx.seed)
    write_table(mi, ctx.out, "morris_indices")
    noise = core.noise_shares(ev).assign(stage="morris")
    ctx.tables["noise_morris"] = noise
    kept = core.screen(mi, threshold)
    ctx.report["morris"] = {
        "points": len(X),
        "trajectories": trajectories,
        "levels": levels,
        "runs": len(ev.runs),
        "threshold": threshold,
        "kept": kept,
        "dropped": [n for n in names if n not in kept],
    }
    from experiments.sensitivity.figures import figure_morris

    ctx.figures["morris"] = figure_morris(
        mi,
        ctx.headline(list(ev.table.columns)),
        ctx.labels,
        kept,
        ctx.out / "figures",
        r=trajectories,
        levels=levels,
        R=ctx.replications,
        threshold=threshold,
        lang=ctx.lang,
    )
    return kept


def run_sobol(ctx: Context, names: list[str], n: int, double: bool) -> pd.DataFrame:
    """Sobol S1/ST on `names` (others held at their scenario values) at n (and 2n)."""
    factors = [f for f in ctx.factors if f.name in names]
    n_eval = 2 * n if double else n
    X = core.sobol_sample(factors, n_eval, ctx.seed)
    ctx.say(f"  sobol: {len(X)} points x {ctx.replications} replications ({len(factors)} factors)")
    ev = ctx.evaluate(X, [f.name for f in factors], "sobol")
    save_evaluation(ctx, ev, "sobol")
    check_complete(ev, "sobol")
    means = ev.means
    small = core.sobol_indices(factors, means, n, ctx.seed)
    result = small
    conv = pd.DataFrame()
    if double:
        large = core.sobol_indices(factors, means, 2 * n, ctx.seed)
        conv = core.convergence(small, large)
        write_table(conv, ctx.out, "sobol_convergence")
        result = pd.concat([small, large], ignore_index=True)
    write_table(result, ctx.out, "sobol_indices")
    ctx.tables["noise_sobol"] = core.noise_shares(ev).assign(stage="sobol")
    final_n = 2 * n if double else n
    ctx.report["sobol"] = {
        "factors": [f.name for f in factors],
        "n": n,
        "n_analysed": final_n,
        "points": len(X),
        "runs": len(ev.runs),
        "converged": {r.output: bool(r.converged) for r in conv.itertuples()} if len(conv) else {},
    }
    from experiments.sensitivity.figures import figure_sobol

    final = result[result["n"] == final_n]
    ctx.figures["sobol"] = figure_sobol(
        final,
        ctx.headline(list(ev.table.columns)),
        ctx.labels,
        ctx.out / "figures",
        n=final_n,
        R=ctx.replications,
        lang=ctx.lang,
    )
    return final


def run_oat(ctx: Context) -> pd.DataFrame:
    """One-at-a-time low/high swings around the default (the tornado)."""
    X, _ = core.oat_matrix(ctx.factors)
    ctx.say(f"  oat: {len(X)} points x {ctx.replications} replications")
    ev = ctx.evaluate(X, [f.name for f in ctx.factors], "oat")
    save_evaluation(ctx, ev, "oat")
    check_complete(ev, "oat")
    swings = core.oat_swings(ctx.factors, ev)
    write_table(swings, ctx.out, "oat_swings")
    ctx.report["oat"] = {"points": len(X), "runs": len(ev.runs)}
    from experiments.sensitivity.figures import figure_tornado

    ctx.figures["tornado"] = figure_tornado(
        swings,
        ctx.headline(list(ev.table.columns)),
        ctx.labels,
        ctx.out / "figures",
        R=ctx.replications,
        lang=ctx.lang,
    )
    return swings


def _parse(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    return split_arguments(argv, KEYS, "use designs=a,b,c with sensitivity (it runs several)")


MAX_COUNT = 100_000  # trajectories, levels, n, samples, replications: caps before sampling


def _int(opts: dict[str, str], key: str, minimum: int) -> int:
    raw = opts.get(key, DEFAULTS[key])
    allowed = f"allowed: a whole number of at least {minimum} and at most {MAX_COUNT:,}"
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{key}={raw}: {allowed}") from None
    if not minimum <= value <= MAX_COUNT:
        raise ConfigError(f"{key}={raw}: {allowed}")
    return value


def _planned_runs(settings: dict[str, Any], n_factors: int, n_designs: int) -> int:
    """Model runs the chosen method(s) plan (an upper bound), before any sample is drawn."""
    d = n_factors
    points = {
        "morris": settings["trajectories"] * (d + 1),
        "sobol": settings["n"] * ((2 * d + 2) if settings["double"] else (d + 2)),
        "oat": 2 * d + 1,
        "discovery": settings["samples"],
    }
    method = settings["method"]
    planned = sum(points.values()) if method not in points else points[method]
    return planned * settings["replications"] * n_designs


def build_context(argv: list[str], log: Any = None) -> tuple[Context, dict[str, Any]]:
    """Parse the command line into a stage context and the stage settings."""
    opts, overrides = _parse(argv)
    method = opts.get("method", DEFAULTS["method"])
    if method not in METHODS:
        raise ConfigError(f"method={method}: allowed: {', '.join(METHODS)}")
    designs = [d for d in opts.get("designs", ",".join(design_names())).split(",") if d]
    for d in designs:
        if d not in design_names():
            raise ConfigError(f"designs: unknown design {d}; allowed: {', '.join(design_names())}")
    baseline = opts.get("baseline", DEFAULTS["baseline"])
    if baseline not in designs:
        raise ConfigError(f"baseline={baseline}: must be one of the designs ({', '.join(designs)})")
    lang = opts.get("lang", DEFAULTS["lang"])
    if lang not in ("en", "nl"):
        raise ConfigError(f"lang={lang}: allowed: en, nl")
    backend = opts.get("backend", DEFAULTS["backend"])
    if backend not in ("local", "sequential", "dask"):
        raise ConfigError(f"backend={backend}: allowed: local, sequential, dask")
    discovery = opts.get("discovery", DEFAULTS["discovery"])
    if discovery not in ("tree", "prim"):
        raise ConfigError(f"discovery={discovery}: allowed: tree, prim")
    if method in ("discovery", "all"):
        try:  # before the runs: a study must not fail at its end for a missing library
            require_library(discovery)
        except ImportError as exc:
            raise ConfigError(f"method={method}: {exc}") from None
    try:
        threshold = float(opts.get("threshold", DEFAULTS["threshold"]))
    except ValueError:
        threshold = math.nan
    if not 0 <= threshold <= 1:
        raise ConfigError(f"threshold={opts['threshold']}: allowed: a number from 0 to 1")
    workers = parse_workers(opts)
    settings = {
        "method": method,
        "replications": _int(opts, "replications", 1),
        "trajectories": _int(opts, "trajectories", 2),
        "levels": _int(opts, "levels", 2),
        "n": _int(opts, "n", 2),
        "double": parse_switch(opts, "double", True),
        "samples": _int(opts, "samples", 4),
        "threshold": threshold,
        "discovery": discovery,
        "uncertainty": opts.get("uncertainty", DEFAULTS["uncertainty"]),
        "factors": [f for f in opts.get("factors", "").split(",") if f] or None,
    }
    factors = load_uncertainties(settings["uncertainty"])
    known = [f.name for f in factors]
    for name in settings["factors"] or []:
        if name not in known:
            raise ConfigError(f"factors: unknown factor {name}; allowed: {', '.join(known)}")
    check_run_count(
        _planned_runs(settings, len(settings["factors"] or known), len(designs)),
        f"method={method} with these counts",
    )
    check_address(opts, backend)
    configs = {d: to_dict(compose([*overrides, f"design={d}", "progress=false"])) for d in designs}
    seed = int(configs[designs[0]]["seed"])
    if seed + settings["replications"] - 1 > 2**63 - 1:
        raise ConfigError(
            f"seed={seed}: replication k runs seed+k; allowed: a seed of at most "
            f"{2**63 - settings['replications']}"
        )
    for cfg in configs.values():
        cfg["record_events"] = False  # not needed for summaries; saves time and memory
    check_factors(factors, configs)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = prepare_out_dir(opts.get("out") or Path("results") / "sensitivity" / stamp)
    evaluator = core.ModelEvaluator(configs, factors, baseline=baseline)

    ctx = Context(
        evaluator=evaluator,
        factors=factors,
        replications=settings["replications"],
        out=out,
        seed=int(configs[designs[0]]["seed"]),
        backend=backend,
        workers=workers,
        address=opts.get("address"),
        lang=lang,
        # a bar on a terminal, otherwise a line every 5% of the runs (a log file shows how far)
        progress=log is not None,
        log=log,
    )
    settings["configs"] = configs
    if method == "emulator":
        settings["emulator"] = emulator.settings_from(
            opts, len(factors), settings["replications"] * len(designs)
        )
    return ctx, settings


def _sobol_factors(ctx: Context, settings: dict[str, Any], kept: list[str] | None) -> list[str]:
    if settings["factors"]:
        return settings["factors"]
    if kept is not None:
        return kept
    path = ctx.out / "morris_indices.parquet"
    if path.exists():
        return core.screen(pd.read_parquet(path), settings["threshold"])
    return [f.name for f in ctx.factors]


def run_stages(ctx: Context, settings: dict[str, Any]) -> dict[str, Any]:
    """Run the stages of `settings['method']`, write tables, report.json and report.html."""
    ctx.out.mkdir(parents=True, exist_ok=True)
    method = settings["method"]
    kept = None
    if method in ("morris", "all"):
        kept = run_morris(ctx, settings["trajectories"], settings["levels"], settings["threshold"])
    if method in ("sobol", "all"):
        names = _sobol_factors(ctx, settings, kept)
        if len(names) >= 2:
            run_sobol(ctx, names, settings["n"], settings["double"])
        else:
            ctx.report["sobol"] = {"skipped": "fewer than two factors survived screening"}
    if method in ("oat", "all"):
        run_oat(ctx)
    if method in ("discovery", "all"):
        run_discovery(ctx, settings["samples"], settings["discovery"])
    if method == "emulator":
        emulator.run_emulator(ctx, settings["emulator"])
    noise = [v for k, v in ctx.tables.items() if k.startswith("noise_")]
    if noise:
        write_table(pd.concat(noise, ignore_index=True), ctx.out, "noise")
    write_table(
        pd.DataFrame(
            [
                {
                    "factor": f.name,
                    "label": f.label,
                    "label_nl": f.label_nl,
                    "keys": ", ".join(f.keys),
                    "kind": f.kind,
                    "dist": f.dist,
                    "low": f.low,
                    "high": f.high,
                    "designs": ", ".join(f.designs) if f.designs else "all",
                    "why": f.why,
                }
                for f in ctx.factors
            ]
        ),
        ctx.out,
        "uncertainties",
    )
    from sim.run import __version__, git_commit

    first = next(iter(settings["configs"].values()))
    ctx.report["meta"] = {
        "model_version": __version__,
        "git_commit": git_commit(),
        "date": dt.date.today().isoformat(),
        "profile": first["municipality"]["name"],
        "population": first["population"] or first["municipality"]["inhabitants"],
        "years": first["years"],
        "burn_in_years": first["burn_in_years"],
        "seed": first["seed"],
        "replications": ctx.replications,
        "designs": ctx.evaluator.designs,
        "baseline": ctx.evaluator.baseline,
        "uncertainty": settings["uncertainty"],
    }
    (ctx.out / "report.json").write_text(
        json.dumps(ctx.report, indent=2, default=str) + "\n", encoding="utf-8"
    )
    from experiments.sensitivity.report import write_report

    write_report(ctx)
    return ctx.report


def sensitivity_command(argv: list[str]) -> int:
    """Entry point of `sensitivity`; returns the exit code."""
    if any(a in ("-h", "--help", "help") for a in argv):
        print(USAGE)
        return 0
    try:
        ctx, settings = build_context(argv, log=sys.stderr)
    except ConfigError as exc:
        print(f"ketensim: error: {exc}", file=sys.stderr)
        return 2
    first = next(iter(settings["configs"].values()))
    pop = first["population"] or first["municipality"]["inhabitants"]
    print(
        f"ketensim sensitivity: method={settings['method']}, {len(ctx.factors)} uncertainties, "
        f"{len(ctx.evaluator.designs)} designs x {ctx.replications} replications per point, "
        f"{first['municipality']['name']} ({pop:,} people, {first['years']} years), backend "
        f"{ctx.backend}; results in {ctx.out}/",
        file=sys.stderr,
    )
    try:
        report = run_stages(ctx, settings)
    except (ImportError, RuntimeError, ValueError) as exc:
        print(f"ketensim: error: {exc}", file=sys.stderr)
        return 1 if isinstance(exc, RuntimeError) else 2
    if "morris" in report:
        m = report["morris"]
        print(f"morris: kept {', '.join(m['kept']) or 'none'}; dropped {len(m['dropped'])}")
    if "sobol" in report and "converged" in report["sobol"]:
        conv = report["sobol"]["converged"]
        bad = [k for k, v in conv.items() if not v]
        print(
            f"sobol: n={report['sobol']['n_analysed']}; "
            + (f"not converged for {len(bad)} outputs (increase n)" if bad else "converged")
        )
    if "emulator" in report:
        e = report["emulator"]
        print(
            f"emulator: {e['training_points']} + {e['holdout_points']} held-out points, "
            f"{e['runs']} runs; worst headline Q2 {e['worst_headline_q2']:.3f} "
            + ("(target met)" if e["target_met"] else f"(target {e['q2']} NOT met)")
        )
    if "discovery" in report:
        for rule in report["discovery"]["cost"]["rules"]:
            print(f"  cheapest: {rule}")
    print(f"report: {ctx.out / 'report.html'}")
    return 0
