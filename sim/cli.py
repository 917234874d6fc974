"""`ketensim run key=value ...` (also `python -m sim run ...`): one simulation to a folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from sim.config import ConfigError, check_words, compose, to_yaml
from sim.resources import check_memory
from sim.run import UNITS, Results, __version__, git_commit, run

USAGE = """usage: ketensim run [key=value ...]

Simulate one municipality under one access design and write the results.
Examples:
  ketensim run
  ketensim run design=early_signalling municipality=small_town population=5000 years=2 seed=7
  ketensim run design=yes_is_cheaper design.levers.own_contribution=income out=results/my_run
Config groups: design (gatekeeping, early_signalling, yes_is_cheaper),
municipality (small_town, mid_city, large_city), prices (nl_2024), behaviour (default).
Any parameter can be set with its dotted key (see docs/parameters.md).
`ketensim plan` (or `python -m sim plan`) prints the week's stages in order."""


def prepare_out_dir(out: Path | str, key: str = "out") -> Path:
    """Create the output folder (or accept an existing one) and check that it is writable,
    before any simulation runs; a ConfigError names what is wrong."""
    import tempfile

    path = Path(out)
    allowed = "allowed: a folder that can be created or written to"
    if str(out).strip() == "":
        raise ConfigError(f"{key}=: empty; {allowed}")
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{key}={out}: is a file, not a folder; {allowed}")
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise ConfigError(f"{key}={out}: {parent} is a file, not a folder; {allowed}")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"{key}={out}: cannot write there ({reason}); {allowed}") from None
    return path


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _atomic_parquet(frame, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def write_results(results: Results, out: Path) -> dict[str, Path]:
    """Write summary.json, yearly/weekly/ledger Parquet files and the resolved config."""
    out.mkdir(parents=True, exist_ok=True)
    cfg = results.config
    summary = {
        "outcomes": {k: v for k, v in results.summary.items()},
        "units": {k: UNITS.get(k, "") for k in results.summary},
        "run": {
            "design": cfg.design.name,
            "municipality": cfg.municipality.name,
            "population": results.meta.get("population"),
            "years": cfg.years,
            "burn_in_years": cfg.burn_in_years,
            "seed": results.seed,
            "model_version": __version__,
            "git_commit": git_commit(),
            "wall_time_s": round(results.wall_time_s, 3),
            "finished": dt.datetime.now().isoformat(timespec="seconds"),
        },
    }
    paths = {
        "summary": out / "summary.json",
        "yearly": out / "yearly.parquet",
        "weekly": out / "weekly.parquet",
        "ledger": out / "ledger.parquet",
        "config": out / "config.yaml",
    }
    _atomic_parquet(results.yearly, paths["yearly"])
    _atomic_parquet(results.weekly, paths["weekly"])
    _atomic_parquet(results.ledger, paths["ledger"])
    _atomic_write_text(paths["config"], to_yaml(cfg))
    _atomic_write_text(paths["summary"], json.dumps(summary, indent=2) + "\n")
    return paths


HEADLINE = (
    ("total_chain_cost_eur_per_inhabitant_per_year", "total chain cost", "EUR/inhabitant/year"),
    ("cost_by_financier__wmo_eur_per_inhabitant_per_year", "  of which Wmo", "EUR/inhabitant/year"),
    (
        "cost_by_financier__youth_eur_per_inhabitant_per_year",
        "  of which youth",
        "EUR/inhabitant/year",
    ),
    ("cost_by_financier__zvw_eur_per_inhabitant_per_year", "  of which Zvw", "EUR/inhabitant/year"),
    ("cost_by_financier__wlz_eur_per_inhabitant_per_year", "  of which Wlz", "EUR/inhabitant/year"),
    ("wellbeing_index_0_100", "wellbeing", "index 0-100"),
    (
        "unmet_need_person_weeks_per_1000_inhabitants_per_year",
        "unmet need",
        "person-weeks/1,000/year",
    ),
    ("waiting_weeks_mean", "waiting time", "weeks"),
    ("carer_burnouts_per_1000_inhabitants_per_year", "carer burnouts", "per 1,000/year"),
)


def run_command(argv: list[str]) -> int:
    """Entry point of `run`; returns the exit code."""
    if any(a in ("-h", "--help", "help") for a in argv):
        print(USAGE)
        return 0
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        check_words(argv)
        cfg = compose(argv)
        population = cfg.population or cfg.municipality.inhabitants
        check_memory(population, 1, 1, f"population={population:,}")
        out = prepare_out_dir(cfg.out if cfg.out else Path("results") / "run" / stamp)
    except ConfigError as exc:
        print(f"ketensim: error: {exc}", file=sys.stderr)
        return 2
    n = cfg.population or cfg.municipality.inhabitants
    print(
        f"ketensim {__version__}: {cfg.design.name} in {cfg.municipality.name}, {n:,} people, "
        f"{cfg.years} years (+{cfg.burn_in_years} burn-in), seed {cfg.seed}",
        file=sys.stderr,
    )
    start = time.perf_counter()
    results = run(cfg, progress=cfg.progress)
    paths = write_results(results, out)
    print(f"done in {time.perf_counter() - start:.1f} s; results in {out}/", file=sys.stderr)
    for key, label, unit in HEADLINE:
        print(f"  {label:<22} {results.summary[key]:>12,.1f}  {unit}")
    print(f"  files: {', '.join(p.name for p in paths.values())}")
    return 0


def plan_command(argv: list[str]) -> int:
    """Entry point of `plan`: print the week's plan with each stage's purpose."""
    from sim.model import describe_plan

    print(describe_plan())
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m sim run ...` or `python -m sim plan`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    if argv[0] == "plan":
        return plan_command(argv[1:])
    if argv[0] != "run":
        print(
            f"ketensim: error: unknown command '{argv[0]}' (python -m sim knows: run, plan)",
            file=sys.stderr,
        )
        return 2
    return run_command(argv[1:])
