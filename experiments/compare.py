"""`ketensim compare`: variants (designs plus levers) x R replications with common random
numbers, summarised with uncertainty, paired differences against the baseline variant, a
societal cost-benefit table per actor, figures and a council brief."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import shutil
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import stats
from experiments.adaptive import PrecisionTarget, decide
from experiments.cliargs import (
    check_address,
    check_run_count,
    parse_switch,
    parse_workers,
    split_arguments,
)
from experiments.compare_outputs import (
    outcomes_table,
    write_error,
    write_outputs_atomically,
    write_text_atomically,
)
from experiments.ensemble import RunSpec, load_ensemble, run_ensemble
from experiments.out_lock import out_dir_lock, remove_if_unused
from experiments.robustness_study import FOLDER as ROBUSTNESS_FOLDER
from experiments.robustness_study import (
    RUN_FUTURES,
    STUDY_POPULATION,
    RobustnessChoice,
    parse_robustness,
    run_study,
    study_argv,
)
from experiments.variants import (
    Experiment,
    from_designs,
    load_experiment,
    parse_variants,
)
from sim.burn_in import shared_store
from sim.cli import prepare_out_dir
from sim.config import ConfigError, compose, from_dict, to_dict
from sim.designs import BURN_IN_DESIGN, design_names
from sim.run import run

# By default compare adds replications until the paired differences are precise enough
# (experiments/adaptive.py), from 5 up to this many. Measured on mid_city (80,000 people,
# 10 years): at R=25 the 95% intervals of the paired differences of total chain cost were
# within 1% of gatekeeping's mean, and early signalling's unmet-need difference (+842
# person-weeks per 1,000, +115%) was known to +-10 (1.2% of itself).
DEFAULT_REPLICATIONS = 25
MAX_REPLICATIONS = 10_000  # replications; the adaptive rule stopped by 25 in every study
DEFAULT_PRECISION = "0.01"  # half-width <= 1% of the baseline's mean ...
DEFAULT_DIFFERENCE_PRECISION = "0.02"  # ... or <= 2% of the difference itself
# compare's horizon unless years= is given: long enough for the variants to settle (issue 27).
# Measured on mid_city (20,000 people, seeds 1-3): early signalling's unmet-need difference
# with gatekeeping was +74% as a 10-year mean, about 0 in year 10 and -21% in years 16-20;
# yes-is-cheaper's cost gap still shrank at year 20. The brief gives the settled difference
# (mean of the last 5 years) and the transition apart (experiments/report/settling.py) and
# names what is still moving in the last year. `ketensim run` keeps the scenario's 10 years.
DEFAULT_YEARS = 20
COMPARE_KEYS = (
    "designs",
    "experiment",
    "variants",
    "replications",
    "baseline",
    "lang",
    "backend",
    "workers",
    "address",
    "out",
    "sensitivity",
    "robustness",
    "share_burn_in",
    "precision",
    "difference_precision",
    "max_replications",
    "brief",
)
# settings that do not change a run's results: left out of its identity (config hash)
_NOT_IN_HASH = ("out", "progress", "record_events")
SEED_MAX = 2**63 - 1  # the largest root seed the schema allows (sim/params.py)

USAGE = f"""usage: ketensim compare [experiment=levers | variants=a,b+lever,... | designs=a,b,c]
                        [replications=auto|R [precision=0.01] [difference_precision=0.02]
                         [max_replications=25]]
                        [baseline=NAME] [lang=nl|en|nl,en]
                        [backend=local|sequential|dask] [workers=N] [address=tcp://host:8786]
                        [sensitivity=REPORT.html] [robustness=run|N|DISCOVERY_DIR]
                        [share_burn_in=true|false] [brief=true|false] [out=DIR]
                        [model key=value ...]

Runs each variant with common random numbers (replication k of every variant uses seed + k).
By default (replications=auto) it adds replications in batches until the 95% intervals of
the paired differences of total chain cost and unmet need are within precision= (default
0.01: 1% of the baseline's mean) or within difference_precision= (default 0.02: 2% of the
difference itself, whichever is wider), from 5 up to max_replications= (default
{DEFAULT_REPLICATIONS}), and says where and why it stopped; replications=R runs exactly R.
A variant is a design plus levers and overrides: experiment=NAME reads
scenarios/experiment/NAME.yaml (or a .yaml path);
variants=gatekeeping,early_signalling+chain_care is a quick one (+lever switches a lever on;
levers: chain_care, integrated_financing, own_contribution:income); without either every
design is a variant. The first variant is the baseline unless baseline= says otherwise.
Writes runs.parquet, outcomes.parquet, summary, paired differences and the societal
cost-benefit table (CSV, Dutch CSV, XLSX), figures (PNG+SVG) and brief.html (lang=en:
brief_en.html and figures_en/) to out (default results/compare/<timestamp>/).
Re-running the same command with the same out resumes; runs made with other settings are
not reused. Model overrides (municipality=small_town population=5000 years=2 seed=7 ...)
apply to every variant; record_events is false unless you set it, and years is
{DEFAULT_YEARS} unless you set it (long enough to settle; the brief separates the transition
from the settled difference of the last years). The burn-in (today's
practice before the variants start) runs once per replication and is shared by every
variant (share_burn_in=false runs it in each run: the same numbers, slower).
brief=false writes the tables only (no figures, brief or PDF): for scripted studies.
robustness=DIR attaches a scenario discovery (the out folder of `ketensim sensitivity
method=discovery`); robustness=run ({RUN_FUTURES} futures) or robustness=N runs a small one
after the compare, over the declared uncertainties, in the same municipality and years at
a population of at most {STUDY_POPULATION:,} and 1 replication per future, into out/robustness/
(a failed study leaves the compare's tables and brief intact); the brief states its setting."""


def simulate(config: dict[str, Any], seed: int, burn_in_dir: str | None = None) -> dict[str, Any]:
    """Ensemble run function: one model run -> summary and the yearly outcomes table. With
    `burn_in_dir` the run forks the shared burn-in of its seed (sim.burn_in)."""
    cfg = from_dict(config)
    results = run(cfg, seed=seed, burn_in=shared_store(burn_in_dir) if burn_in_dir else None)
    return {"summary": results.summary, "tables": {"yearly": results.yearly}}


def _parse(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    return split_arguments(
        argv, COMPARE_KEYS, "use designs=a,b,c or variants=... with compare (it runs several)"
    )


def config_hash(config: dict[str, Any]) -> str:
    """A short hash of a resolved config: part of each run's identity, so a resume never
    mixes runs made with other settings."""
    kept = {k: v for k, v in config.items() if k not in _NOT_IN_HASH}
    text = json.dumps(kept, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def build_specs(
    experiment: Experiment | list[str], replications: int, overrides: list[str]
) -> tuple[list[RunSpec], dict[str, dict[str, Any]]]:
    """One spec per variant and replication; replication k of every variant shares a seed.

    `experiment` may be a list of designs (each design a variant). Returns the specs and
    the resolved config per variant.
    """
    if not isinstance(experiment, Experiment):
        experiment = from_designs(list(experiment), next(iter(experiment)))
    user_keys = {o.split("=", 1)[0].lstrip("+~") for o in overrides}
    quiet = [] if "record_events" in user_keys else ["record_events=false"]
    if "years" not in user_keys:
        quiet.append(f"years={DEFAULT_YEARS}")
    configs = {}
    for v in experiment.variants:
        own = [o for o in overrides if o.split("=", 1)[0].lstrip("+~") not in v.override_keys()]
        configs[v.name] = to_dict(
            compose([*quiet, *own, f"design={v.design}", *v.overrides, "progress=false"])
        )
    base_seed = int(configs[experiment.variants[0].name]["seed"])
    if base_seed + replications - 1 > SEED_MAX:
        raise ConfigError(
            f"seed={base_seed}: replication k runs seed+k, so the last of {replications} "
            f"replications would be above {SEED_MAX}; allowed: a seed of at most "
            f"{SEED_MAX - replications + 1}"
        )
    hashes = {name: config_hash(cfg) for name, cfg in configs.items()}
    specs = [
        RunSpec(
            run_id=f"{v.name}-r{k:03d}-{hashes[v.name]}",
            config=configs[v.name],
            seed=base_seed + k,
            labels={
                "variant": v.name,
                "design": v.design,
                "replication": k,
                "config_hash": hashes[v.name],
            },
        )
        for k in range(replications)
        for v in experiment.variants
    ]
    return specs, configs


def _experiment(opts: dict[str, str]) -> Experiment:
    given = [k for k in ("experiment", "variants", "designs") if k in opts]
    if len(given) > 1:
        raise ConfigError(
            f"{given[0]}= and {given[1]}=: allowed: one of experiment, variants, designs"
        )
    if "experiment" in opts:
        exp = load_experiment(opts["experiment"])
    elif "variants" in opts:
        exp = parse_variants(opts["variants"])
    else:
        designs = [d for d in opts.get("designs", ",".join(design_names())).split(",") if d]
        if not designs:
            raise ConfigError(
                f"designs={opts['designs']}: allowed: one or more of {', '.join(design_names())}"
            )
        for d in designs:
            if d not in design_names():
                allowed = ", ".join(design_names())
                raise ConfigError(
                    f"designs={opts['designs']}: unknown design {d}; allowed: {allowed}"
                )
        if len(set(designs)) < len(designs):
            raise ConfigError(f"designs={opts['designs']}: a design is named twice")
        default = BURN_IN_DESIGN if BURN_IN_DESIGN in designs else designs[0]
        exp = from_designs(designs, opts.get("baseline", default))
    if "baseline" in opts and opts["baseline"] != exp.baseline:
        exp = Experiment(exp.name, exp.variants, opts["baseline"], exp.source)
    return exp


def _replications(opts: dict[str, str]) -> int:
    raw = opts.get("replications", "auto")
    try:
        reps = int(raw)
    except ValueError:
        reps = 0
    if not 2 <= reps <= MAX_REPLICATIONS:
        raise ConfigError(
            f"replications={raw}: allowed: a whole number of at least 2 and at most "
            f"{MAX_REPLICATIONS}"
        )
    return reps


def _precision_target(opts: dict[str, str]) -> PrecisionTarget | None:
    """The adaptive-replications target of `replications=auto` (the default), or None for a
    fixed R."""
    if opts.get("replications", "auto") != "auto":
        for key in ("precision", "difference_precision", "max_replications"):
            if key in opts:
                raise ConfigError(f"{key}= goes with replications=auto")
        return None
    raw_p = opts.get("precision", DEFAULT_PRECISION)
    raw_d = opts.get("difference_precision", DEFAULT_DIFFERENCE_PRECISION)
    raw_m = opts.get("max_replications", str(DEFAULT_REPLICATIONS))
    shares = []
    for key, raw in (("precision", raw_p), ("difference_precision", raw_d)):
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not 0 < value < 1:
            raise ConfigError(f"{key}={raw}: allowed: a share between 0 and 1, e.g. 0.01")
        shares.append(value)
    precision, of_difference = shares
    try:
        most = int(raw_m)
    except ValueError:
        most = 0
    if not 5 <= most <= MAX_REPLICATIONS:
        raise ConfigError(
            f"max_replications={raw_m}: allowed: a whole number of at least 5 and at most "
            f"{MAX_REPLICATIONS}"
        )
    return PrecisionTarget(
        relative=precision,
        of_difference=of_difference,
        min_replications=5,
        max_replications=most,
    )


def _run_adaptive(
    specs: list[RunSpec],
    fn: Any,
    ensemble_dir: Path,
    experiment: Experiment,
    target: PrecisionTarget,
    backend: str,
    workers: int | None,
    opts: dict[str, str],
) -> tuple[Any, int, str]:
    """Run replications 0..R-1 of every variant in growing batches (each batch resumes the
    ensemble) until the paired differences are precise enough; returns the ensemble result,
    R and the sentence saying why it stopped."""
    n = target.min_replications
    while True:
        result = run_ensemble(
            [s for s in specs if s.labels["replication"] < n],
            fn,
            ensemble_dir,
            backend=backend,
            workers=workers,
            address=opts.get("address"),
            progress=True,
            label="runs",
        )
        outcomes = outcomes_table(result.tables["yearly"], result.summary)
        pairs = stats.paired_values(
            outcomes.assign(design=outcomes["variant"]), experiment.baseline
        )
        decision = decide(pairs, target)
        note = decision.message(target)
        print(note, file=sys.stderr)
        if decision.stop or result.failures:
            return result, n, note
        n = decision.next_replications


def _languages(opts: dict[str, str]) -> list[str]:
    raw = opts.get("lang", "nl")
    langs = [x for x in raw.split(",") if x]
    if not langs or any(x not in ("nl", "en") for x in langs):
        raise ConfigError(f"lang={raw}: allowed: nl, en or nl,en")
    return list(dict.fromkeys(langs))


def _sensitivity_link(opts: dict[str, str], out: Path) -> str | None:
    raw = opts.get("sensitivity")
    if not raw:
        return None
    path = Path(raw)
    if path.is_dir():
        path = path / "report.html"
    if not path.is_file() or path.suffix.lower() not in (".html", ".htm"):
        raise ConfigError(
            f"sensitivity={raw}: no sensitivity report there; allowed: the report.html "
            "(or folder) of a `ketensim sensitivity` run"
        )
    try:
        return str(path.resolve().relative_to(out.resolve()))
    except ValueError:
        import os

        return os.path.relpath(path.resolve(), out.resolve())


@dataclass
class Request:
    """What `ketensim compare` was asked: the experiment, its runs and where they go."""

    opts: dict[str, str]
    overrides: list[str]
    experiment: Experiment
    target: PrecisionTarget | None  # None: exactly `reps` replications
    reps: int
    langs: list[str]
    backend: str
    workers: int | None
    share_burn_in: bool
    specs: list[RunSpec]
    configs: dict[str, dict[str, Any]]
    link: str | None  # to a sensitivity report, relative to `out`
    out: Path
    created: bool = False  # the command made `out` (removed again if it stops with exit 2)
    robustness: str | None = None  # a discovery folder whose futures the brief summarises
    robustness_futures: int | None = None  # robustness=run|N: run a small discovery after
    robustness_study: dict[str, Any] | None = None  # what that study did (compare.json)
    brief: bool = True  # brief=false: the tables only, no figures, brief or PDF


def parse_request(argv: list[str]) -> Request:
    """The command line read and checked (ConfigError for bad input); makes the folder."""
    opts, overrides = _parse(argv)
    experiment = _experiment(opts)
    target = _precision_target(opts)
    reps = target.max_replications if target else _replications(opts)
    langs = _languages(opts)
    backend = opts.get("backend", "local")
    if backend not in ("local", "sequential", "dask"):
        raise ConfigError(f"backend={backend}: allowed: local, sequential, dask")
    workers = parse_workers(opts)
    share = parse_switch(opts, "share_burn_in", True)
    with_brief = parse_switch(opts, "brief", True)
    if not with_brief and "lang" in opts:
        raise ConfigError(
            f"lang={opts['lang']}: the language of a brief, and brief=false writes none; "
            "allowed: lang= without brief=false"
        )
    check_run_count(
        len(experiment.variants) * reps,
        f"{len(experiment.variants)} variant(s) x replications={reps}",
    )
    specs, configs = build_specs(experiment, reps, overrides)
    _check_memory(configs[experiment.baseline], backend, workers, opts)
    check_address(opts, backend)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    wanted_out = Path(opts["out"]) if "out" in opts else Path("results") / "compare" / stamp
    link = _sensitivity_link(opts, wanted_out)
    choice: RobustnessChoice = parse_robustness(opts.get("robustness"))
    created = not wanted_out.exists()
    out = prepare_out_dir(wanted_out)
    return Request(
        opts,
        overrides,
        experiment,
        target,
        reps,
        langs,
        backend,
        workers,
        share,
        specs,
        configs,
        link,
        out,
        created,
        choice.folder,
        choice.futures,
        brief=with_brief,
    )


def _rerun(req: Request) -> str:
    """How to resume: the same command, with out= named when the folder was made by the
    clock (without it a new run would start a new folder and reuse nothing)."""
    if "out" in req.opts:
        return "re-run the same command"
    return f"re-run the command with out={req.out}"


def _announce(req: Request) -> None:
    """What will run, where; and what an earlier run in the same folder leaves to reuse."""
    first = req.configs[req.experiment.baseline]
    pop = first["population"] or first["municipality"]["inhabitants"]
    names = req.experiment.names
    print(
        f"ketensim compare: {len(names)} variant(s) ({', '.join(names)}) x "
        f"{f'5 to {req.reps} (adaptive)' if req.target else req.reps} replications "
        f"in {first['municipality']['name']} ({pop:,} people, {first['years']} years), "
        f"backend {req.backend}; results in {req.out}/"
        + ("" if "out" in req.opts else f" (after a stop, add out={req.out} to resume)"),
        file=sys.stderr,
    )
    ensemble_dir = req.out / "ensemble"
    wanted = {s.run_id for s in req.specs}
    old = load_ensemble(ensemble_dir) if ensemble_dir.is_dir() else None
    if old is not None and len(old.summary):
        stale = sorted(set(old.summary["run_id"]) - wanted)
        reuse = len(set(old.summary["run_id"]) & wanted)
        msg = f"resuming in {req.out}/: {reuse} of {len(req.specs)} runs already done and reused"
        if stale:
            msg += (
                f"; {len(stale)} earlier runs there were made with other settings and are "
                "not used (their variants run afresh)"
            )
        print(msg, file=sys.stderr)


def _run(req: Request) -> tuple[Any, str | None]:
    """The ensemble, fixed or adaptive (then `req.reps` and `req.specs` shrink to what
    ran); the result and the adaptive note."""
    ensemble_dir = req.out / "ensemble"
    fn = (
        partial(simulate, burn_in_dir=str(ensemble_dir / "burn_in"))
        if req.share_burn_in
        else simulate
    )
    if req.target is None:
        result = run_ensemble(
            req.specs,
            fn,
            ensemble_dir,
            backend=req.backend,
            workers=req.workers,
            address=req.opts.get("address"),
            progress=True,
            label="runs",
        )
        return result, None
    result, req.reps, note = _run_adaptive(
        req.specs,
        fn,
        ensemble_dir,
        req.experiment,
        req.target,
        req.backend,
        req.workers,
        req.opts,
    )
    req.specs = [s for s in req.specs if s.labels["replication"] < req.reps]
    return result, note


def _failed_badly(req: Request, summary: pd.DataFrame) -> bool:
    """Say so when every run, or every run of the baseline, failed."""
    failures = req.out / "ensemble" / "failures"
    if summary.empty:
        print(
            f"ketensim: error: all {len(req.specs)} runs failed; details in {failures}/",
            file=sys.stderr,
        )
        return True
    if req.experiment.baseline not in set(summary["variant"]):
        print(
            f"ketensim: error: every run of the baseline variant {req.experiment.baseline} "
            f"failed; details in {failures}/",
            file=sys.stderr,
        )
        return True
    return False


def _write_report(req: Request, result: Any, page: dict[str, Any], note: str | None) -> None:
    """compare.json: the variants, replications, failures, reuse and stability."""
    experiment = req.experiment
    report = {
        "experiment": experiment.name,
        "variants": experiment.names,
        "designs": [v.design for v in experiment.variants],
        "replications": req.reps,
        "baseline": experiment.baseline,
        "failed": len(result.failures),
        "reused_runs": result.n_skipped_resumed,
        "adaptive_replications": note,
        "stability_of_median_total_chain_cost": page["stability"],
        "robustness_study": req.robustness_study,
    }
    write_text_atomically(req.out / "compare.json", json.dumps(report, indent=2) + "\n")


def _print_summary(req: Request, page: dict[str, Any]) -> None:
    """Each variant's median total chain cost and its precision; the briefs."""
    print("median total chain cost (EUR per inhabitant per year):")
    for v in req.experiment.names:
        s = page["stability"].get(v)
        if s is None:
            continue
        print(
            f"  {v:<34} {s['median']:>9,.0f}   95% CI of the median "
            f"+/-{100 * s['rel_half_width_95']:.1f}%"
            f"{'' if s['stable_to_1pct'] else ' (not yet stable to 1%)'}"
        )
    for path in page["briefs"]:
        print(f"brief: {path}")
    for html, pdf in page.get("pdfs", {}).items():
        print(f"pdf of {Path(html).name}: {pdf}")


def compare_command(argv: list[str]) -> int:
    """Entry point of `compare`; returns the exit code. One compare at a time per `out=`
    (an OS file lock); a folder made for a command that stops with exit 2 is removed."""
    if any(a in ("-h", "--help", "help") for a in argv):
        print(USAGE)
        return 0
    lock = contextlib.ExitStack()
    req = None
    try:
        req = parse_request(argv)
        lock.enter_context(out_dir_lock(req.out, "compare"))
    except ConfigError as exc:
        if req is not None and req.created:
            remove_if_unused(req.out)
        print(f"ketensim: error: {exc}", file=sys.stderr)
        return 2
    with lock:
        code = _run_and_write(req)
    if code == 2 and req.created:
        remove_if_unused(req.out)
    return code


def _run_and_write(req: Request) -> int:
    """Run the ensemble into `req.out` (locked) and write the outputs from a complete set of
    runs only, atomically; returns the exit code."""
    from experiments.ensemble import Interrupted

    _announce(req)
    ensemble_dir = req.out / "ensemble"
    try:
        result, note = _run(req)
    except KeyboardInterrupt as exc:
        why = "stopped" if isinstance(exc, Interrupted) else "interrupted"
        print(
            f"ketensim: {why}; finished runs are kept in {ensemble_dir}/ ({_rerun(req)} to resume)",
            file=sys.stderr,
        )
        return 130
    except (ImportError, RuntimeError, ValueError, ConnectionError) as exc:
        print(f"ketensim: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"ketensim: error: {write_error(exc, ensemble_dir)}", file=sys.stderr)
        return 1
    failed = len(result.failures)
    if not failed:  # the burnt-in models are a cache for this ensemble only
        shutil.rmtree(ensemble_dir / "burn_in", ignore_errors=True)
    if _failed_badly(req, result.summary):
        return 1
    if failed:
        print(
            f"ketensim: error: {failed} of {len(req.specs)} runs failed; no tables or brief "
            f"are written from an incomplete set; details in {ensemble_dir / 'failures'}/ "
            f"({_rerun(req)} to retry them)",
            file=sys.stderr,
        )
        return 1
    if req.robustness_futures:
        _robustness_study(req)
    try:
        page = write_outputs_atomically(
            req.out,
            req.experiment,
            req.configs,
            result.summary,
            result.tables["yearly"],
            req.reps,
            req.langs if req.brief else [],
            req.overrides,
            req.link,
            req.robustness,
        )
        _write_report(req, result, page, note)
        if not req.brief:
            _remove_earlier_briefs(req.out)
    except OSError as exc:
        print(f"ketensim: error: {write_error(exc, req.out)}", file=sys.stderr)
        return 1
    _print_summary(req, page)
    return 0


def _remove_earlier_briefs(out: Path) -> None:
    """brief=false: the briefs, PDFs and figures an earlier run left in `out` would not match
    the tables just written; remove them and say so."""
    old = [*out.glob("brief*.html"), *out.glob("brief*.pdf"), *out.glob("figures*/")]
    for path in old:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    if old:
        names = ", ".join(sorted(p.name for p in old))
        print(
            f"ketensim: brief=false: removed {names} of an earlier run in {out}/ "
            "(they would not match these tables)",
            file=sys.stderr,
        )


def _robustness_study(req: Request) -> None:
    """robustness=run|N: a small discovery over the declared uncertainties after the
    compare's runs, into <out>/robustness/ (resumable); on failure the compare goes on."""
    experiment = req.experiment
    designs = list(dict.fromkeys(v.design for v in experiment.variants))
    base = next(v.design for v in experiment.variants if v.name == experiment.baseline)
    if len(designs) < 2:
        print(
            "ketensim: robustness study skipped: it compares designs and these variants "
            "have only one",
            file=sys.stderr,
        )
        req.robustness_study = {"error": "fewer than two designs"}
        return
    argv = study_argv(
        req.configs[experiment.baseline],
        designs,
        base,
        req.overrides,
        int(req.robustness_futures or 0),
        req.out / ROBUSTNESS_FOLDER,
        req.langs[0],
        req.backend,
        req.workers,
    )
    folder, error = run_study(argv)
    req.robustness_study = {"argv": argv, "folder": folder, "error": error}
    if folder is None:
        print(
            f"ketensim: robustness study failed ({error}); the compare's tables and brief "
            f"are written without it ({_rerun(req)} to retry; finished runs in "
            f"{req.out / ROBUSTNESS_FOLDER}/ are reused)",
            file=sys.stderr,
        )
        return
    req.robustness = folder


def _check_memory(
    config: dict[str, Any], backend: str, workers: int | None, opts: dict[str, str]
) -> None:
    """Refuse a population and worker count whose models would not fit in memory here
    (each local worker holds a running model and its burn-in)."""
    if backend == "dask" and "address" in opts:
        return  # the cluster's memory, not this machine's
    import os

    from sim.resources import check_memory

    n = 1 if backend == "sequential" else workers or os.cpu_count() or 1
    population = int(config["population"] or config["municipality"]["inhabitants"])
    check_memory(population, 2 * n, n + 1, f"population={population:,} with {n} worker(s)")
