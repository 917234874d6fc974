"""What a finished `ketensim compare` writes: the runs and outcomes tables (Parquet), the
summary, paired differences, societal cost-benefit table and present values (contante
waarde, payback year) per variant (CSV, Dutch CSV, XLSX), the stability of each variant's
median, and, per language, the figures and the council brief (HTML, and PDF when a browser
can print it)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from experiments import stats
from experiments.variants import (
    Experiment,
    lever_name,
)
from sim.run import __version__

TOTAL = "total_chain_cost_eur_per_inhabitant_per_year"


def _runs_table(
    summary: pd.DataFrame, configs: dict[str, dict[str, Any]], commit: str
) -> pd.DataFrame:
    params = []
    for variant, cfg in configs.items():
        flat = pd.json_normalize(cfg, sep=".")
        flat = flat.drop(
            columns=[
                c
                for c in flat.columns
                if c.startswith("behaviour.providers") or c.startswith("behaviour.places")
            ],
            errors="ignore",
        )
        params.append(flat.assign(variant=variant))
    ptable = pd.concat(params, ignore_index=True).drop(columns=["seed", "out"], errors="ignore")
    ptable = ptable.astype(
        {
            c: str
            for c in ptable.columns
            if ptable[c].map(lambda v: isinstance(v, list | dict)).any()
        }
    )
    cols = ["run_id", "variant", "design", "replication", "seed", "config_hash", "wall_time_s"]
    runs = summary[cols].merge(ptable.copy(), on="variant", how="left").copy()
    return runs.assign(model_version=__version__, git_commit=commit).copy()


def outcomes_table(yearly: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    labels = summary[["run_id", "variant", "design", "replication"]]
    long = yearly.merge(labels, on="run_id", how="left")
    keys = ["run_id", "variant", "design", "replication", "outcome", "unit"]
    whole = long.groupby(keys, sort=False)["value"].mean().reset_index().assign(year=0)
    cols = ["run_id", "variant", "design", "replication", "year", "outcome", "value", "unit"]
    return pd.concat([whole[cols], long[cols]], ignore_index=True)


def by_variant(table: pd.DataFrame, experiment: Experiment) -> pd.DataFrame:
    """A stats table grouped on its `design` column (holding variant names) -> `variant`
    first, then the variant's design."""
    designs = {v.name: v.design for v in experiment.variants}
    out = table.rename(columns={"design": "variant"})
    out.insert(1, "design", out["variant"].map(designs))
    return out


def _behaviour_name(overrides: list[str]) -> str:
    for o in reversed(overrides):
        key, _, value = o.partition("=")
        if key.lstrip("+~") == "behaviour":
            return value
    import yaml

    from sim.config import SCENARIOS_DIR

    data = yaml.safe_load((SCENARIOS_DIR / "config.yaml").read_text(encoding="utf-8"))
    for item in data.get("defaults", []):
        if isinstance(item, dict) and "behaviour" in item:
            return str(item["behaviour"])
    return "default"


def _variant_meta(experiment: Experiment, configs: dict[str, dict[str, Any]]) -> list[dict]:
    from experiments.report.style import NAMED_LEVERS

    out = []
    for v in experiment.variants:
        levers = configs[v.name]["design"]["levers"]
        # the levers switched on (a lever's own parameters, set in every variant, are not)
        on = {
            k: val for k, val in levers.items() if k in NAMED_LEVERS and val not in (False, "flat")
        }
        out.append(
            {
                "name": v.name,
                "design": v.design,
                "labels": {lang: v.label(lang) for lang in ("nl", "en")},
                "lever_keys": list(on),
                "levers": {
                    lang: [
                        lever_name(k, lang) + ("" if val is True else f": {val}")
                        for k, val in on.items()
                    ]
                    for lang in ("nl", "en")
                },
                "overrides": [o for o in v.overrides if not o.startswith("design.levers.")],
            }
        )
    return out


def write_outputs(
    out: Path,
    experiment: Experiment,
    configs: dict[str, dict[str, Any]],
    summary: pd.DataFrame,
    yearly: pd.DataFrame,
    reps: int,
    langs: list[str],
    overrides: list[str],
    sensitivity_link: str | None = None,
    robustness: str | None = None,
) -> dict[str, Any]:
    """Tables, figures and briefs of a finished compare; returns stability and brief paths."""
    from experiments.report import brief, export, figures, mkba, present_value, settling
    from experiments.report.administration import administration_by_act
    from experiments.report.pdf import write_pdf
    from experiments.report.style import use_variants
    from experiments.report.trajectories import figure_trajectories
    from sim.run import git_commit

    commit = git_commit()
    runs = _runs_table(summary, configs, commit)
    outcomes = outcomes_table(yearly, summary)
    runs.to_parquet(out / "runs.parquet", index=False)
    outcomes.to_parquet(out / "outcomes.parquet", index=False)
    present = [v for v in experiment.names if v in set(summary["variant"])]
    # the report modules group on `design`: there it holds the variant's name
    view = outcomes.assign(design=outcomes["variant"]).drop(columns="variant")
    view_runs = runs.assign(design=runs["variant"]).drop(columns="variant")
    baseline = experiment.baseline
    table = by_variant(stats.summarise(view, year=0), experiment)
    diffs = by_variant(stats.paired_differences(view, baseline=baseline, year=0), experiment)
    first = configs[baseline]
    inhabitants = int(first["municipality"]["inhabitants"])
    society = mkba.societal_table(view, baseline, inhabitants)
    export.export_tables(
        {
            "summary": table,
            "paired_differences": diffs,
            "societal_cost_benefit": by_variant(society, experiment),
            "present_value": by_variant(
                present_value.present_values(view, baseline, inhabitants), experiment
            ),
            "administration_by_act": by_variant(administration_by_act(view), experiment),
            "settling": by_variant(settling.settling(view, baseline), experiment),
            **({"robustness": _robustness(robustness, present)} if robustness else {}),
        },
        out,
    )
    stability = {}
    for v in present:
        values = view[(view.design == v) & (view.year == 0) & (view.outcome == TOTAL)]["value"]
        s = stats.replications_for_stability(values)
        stability[v] = {
            "median": s.median,
            "rel_half_width_95": s.rel_half_width,
            "stable_to_1pct": s.stable,
            "suggested_replications": s.suggested_n,
        }
    variants = _variant_meta(experiment, configs)
    meta = {
        "model_version": __version__,
        "git_commit": commit,
        "date": dt.date.today().isoformat(),
        "population": first["population"] or inhabitants,
        "inhabitants": inhabitants,
        "years": first["years"],
        "burn_in_years": first["burn_in_years"],
        "profile": first["municipality"]["name"],
        "cbs_code": first["municipality"].get("cbs_code"),
        "wmo_budget": first["municipality"].get("wmo_budget_eur_per_inhabitant"),
        "youth_budget": first["municipality"].get("youth_budget_eur_per_inhabitant"),
        "informal_care_price": first["prices"]["eur"].get("informal_care_replacement"),
        "behaviour": _behaviour_name(overrides),
        "replications": reps,
        "variants": [x for x in variants if x["name"] in present],
        "experiment": experiment.name,
        "sensitivity_link": sensitivity_link,
        "robustness": robustness,
    }
    labels = {x["name"]: x["labels"] for x in variants if x["name"] in present}
    briefs = []
    with use_variants(labels):
        for lang in langs:
            suffix = "" if lang == "nl" else f"_{lang}"
            figs = figures.make_all_figures(
                view, out / f"figures{suffix}", lang=lang, baseline=baseline
            )
            # every headline outcome per year and variant, with its spread: drift at a glance
            figure_trajectories(
                view, out / f"figures{suffix}", lang=lang, baseline=baseline, name="drift"
            )
            briefs.append(
                brief.write_brief(
                    out,
                    view_runs,
                    view,
                    figs,
                    lang=lang,
                    meta=meta,
                    baseline=baseline,
                    filename=f"brief{suffix}.html",
                )
            )
    # a PDF of each brief beside it, when a browser can print one (else the reason)
    pdfs = {str(path): write_pdf(path) for path in briefs}
    return {
        "stability": stability,
        "briefs": briefs,
        "pdfs": {html: str(pdf) if pdf else reason for html, (pdf, reason) in pdfs.items()},
    }


__all__ = [
    "TOTAL",
    "by_variant",
    "outcomes_table",
    "placed_path",
    "write_error",
    "write_outputs",
    "write_outputs_atomically",
    "write_text_atomically",
]


def write_error(exc: OSError, where: Path) -> str:
    """One line for a failed write: a full disk says what to do; runs done are kept."""
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"disk full while writing in {where}/; finished runs are kept: free space and "
            "run the same command again to resume"
        )
    return f"cannot write in {where}/ ({exc.strerror or exc}); finished runs are kept"


def write_text_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` under a temporary name, then rename it into place."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # like the other outputs (mkstemp makes 0600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _robustness(folder: str, variants: list[str]) -> pd.DataFrame:
    """The robustness table of a discovery folder for the variants that are designs."""
    from experiments.report.robustness import load_discovery, robustness_table

    means, _ = load_discovery(folder)
    return robustness_table(means, variants)


def write_outputs_atomically(out: Path, *args: Any) -> dict[str, Any]:
    """`write_outputs` into a hidden staging folder of `out`, then each file renamed into
    place: a failure (a full disk) leaves no half-written table, figure or brief."""
    import os
    import tempfile

    staging = Path(tempfile.mkdtemp(prefix=".outputs-", dir=out))
    try:
        page = write_outputs(staging, *args)
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                target = out / path.relative_to(staging)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    page["briefs"] = [out / Path(b).relative_to(staging) for b in page["briefs"]]
    page["pdfs"] = {
        placed_path(h, staging, out): placed_path(p, staging, out)
        for h, p in page.get("pdfs", {}).items()
    }
    return page


def placed_path(path: str, staging: Path, out: Path) -> str:
    """Where a file written in the staging folder is after the move into `out` (relative or
    absolute, as either was given); anything else (a reason a PDF is missing) unchanged."""
    try:
        inside = Path(path).resolve().relative_to(staging.resolve())
    except (ValueError, OSError):
        return path
    return str(out / inside)
