"""`ketensim validate`: the baseline against Dutch data, as an HTML report with figures.

For the baseline (gatekeeping; municipality and behaviour as configured) it runs
`replications` runs and shows, per target of `sim/data/targets_nl.csv`, the simulated
median with its spread (min-max over replications) against the Dutch figure, stocks and
flows in separate groups, and the use of Wmo provisions, household help, youth care and
dementia by age against the sourced age figures of `sim/data/age_profiles_nl.csv`. It
states plainly which targets are met (within the tolerance, 10% by default; an upper bound
is met when the simulated value is not above it) and which are not. A trajectory figure
shows each headline outcome per year with its spread, so drift is seen at a glance; with
`designs=gatekeeping,early_signalling,...` the other designs are run too (same seeds) and
drawn in it (the targets always compare the baseline). Writes `report.html`,
`validation.md`, `targets.csv`, `age_profiles.csv`, `trajectories.csv` and `figures/` (PNG
and SVG, house style) to `out`, and with `docs=PATH` also the Markdown summary to PATH (e.g.
docs/validation.md; a "## Notes" section already in that file is kept).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.calibration.targets import (
    GROUP_LABELS,
    PROFILE_GROUPS,
    PROFILE_LABELS,
    PROFILES,
    TARGETS,
    age_key,
    read_age_profiles,
    read_targets,
    simulate_targets_and_years,
    target_values,
)
from experiments.calibration.validate_figures import age_figure, targets_figure
from experiments.cliargs import check_writable_file, parse_workers, split_arguments
from experiments.ensemble import RunSpec, run_ensemble
from experiments.report.trajectories import drift_table, figure_trajectories, trajectory_label
from sim.cli import prepare_out_dir
from sim.config import ConfigError, compose, to_dict
from sim.designs import BURN_IN_DESIGN, design_names

DEFAULTS = {
    "replications": "10",
    "population": "20000",
    "years": "3",
    "tolerance": "0.10",
    "backend": "local",
    "designs": BURN_IN_DESIGN,
}
KEYS = ("replications", "tolerance", "backend", "workers", "out", "docs", "designs")
BASELINE = BURN_IN_DESIGN  # today's practice
NOTES_HEADING = "## Notes"

USAGE = """usage: ketensim validate [replications=10] [tolerance=0.10]
                         [designs=gatekeeping[,early_signalling,...]]
                         [backend=local|sequential|dask]
                         [workers=N] [out=DIR] [docs=docs/validation.md] [model key=value ...]

Runs the baseline (design=gatekeeping) `replications` times and compares it with the Dutch
figures in sim/data/ (stocks and flows; use by age), and draws each headline outcome per
year (trajectories). designs= adds other designs to the trajectory figure (same seeds).
Defaults: municipality=mid_city, population=20000, years=3, the default behaviour of
scenarios/config.yaml (the fitted one); behaviour=default validates the hand-set starting
point instead. Writes report.html, validation.md, targets.csv, age_profiles.csv,
trajectories.csv and figures/ to out (default results/validate/<time>/)."""


# --------------------------------------------------------------------------- tables
def targets_table(summary: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """One row per target: Dutch figure, simulated median and range, ratio, met or not."""
    values = target_values()
    sources = {r["target"]: r for r in read_targets()}
    rows = []
    for t in TARGETS:
        col = f"obs__{t.simulated}"
        sim = summary[col].to_numpy(dtype=float)
        target = values[t.row]
        med = float(np.median(sim))
        ratio = med / target
        rows.append(
            {
                "target": t.row,
                "group": t.group,
                "bound": t.bound,
                "label": t.label,
                "dutch_value": target,
                "simulated_median": med,
                "simulated_min": float(sim.min()),
                "simulated_max": float(sim.max()),
                "ratio": ratio,
                "ratio_min": float(sim.min()) / target,
                "ratio_max": float(sim.max()) / target,
                "met": t.met(med, target, tolerance),
                "source": sources[t.row]["source"],
                "source_year": sources[t.row]["year"],
                "dutch_figure": f"{sources[t.row]['value']} {sources[t.row]['unit']}",
                "mapping": t.mapping,
            }
        )
    table = pd.DataFrame(rows)
    order = {g: i for i, g in enumerate(GROUP_LABELS)}
    return table.sort_values("group", key=lambda c: c.map(order), kind="stable").reset_index(
        drop=True
    )


def age_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Simulated share by age band per profile (median, min, max over replications)."""
    rows = []
    for prof in PROFILES:
        for band, (lo, hi) in PROFILE_GROUPS.items():
            v = summary[f"obs__{age_key(prof, lo, hi)}"].to_numpy(dtype=float)
            rows.append(
                {
                    "profile": prof,
                    "age_band": band,
                    "age_min": lo,
                    "age_max": hi,
                    "median": float(np.nanmedian(v)),
                    "min": float(np.nanmin(v)),
                    "max": float(np.nanmax(v)),
                }
            )
    return pd.DataFrame(rows)


def reference_table(summary: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """The sourced age figures against the simulated share of the same age group."""
    rows = []
    for r in read_age_profiles():
        v = summary[f"obs__{age_key(r['profile'], r['age_min'], r['age_max'])}"].to_numpy(
            dtype=float
        )
        med = float(np.median(v))
        hi = "" if r["age_max"] >= 200 else f"-{r['age_max'] - 1:g}"
        rows.append(
            {
                "profile": r["profile"],
                "age_group": f"{r['age_min']:g}{hi or '+'}",
                "age_min": r["age_min"],
                "age_max": r["age_max"],
                "dutch_value": r["value"],
                "simulated_median": med,
                "simulated_min": float(v.min()),
                "simulated_max": float(v.max()),
                "ratio": med / r["value"],
                "met": bool(abs(med / r["value"] - 1.0) <= tolerance),
                "source": r["source"],
                "year": r["year"],
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- figures


# --------------------------------------------------------------------------- text
def _num(v: float) -> str:
    a = abs(v)
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.4f}"


def _drift_rows(drift: pd.DataFrame | None) -> list[tuple[str, str, str, str, str]]:
    """Per design and headline outcome: the median in the first and last year, the change."""
    if drift is None or drift.empty:
        return []
    rows = []
    for _, r in drift.iterrows():
        label = trajectory_label(r["outcome"], "en")[0]
        change = "n/a" if r["change"] != r["change"] else f"{r['change']:+.0%}"
        rows.append(
            (
                str(r["design"]),
                label,
                f"{_num(r['median_first_year'])} (year {r['first_year']})",
                f"{_num(r['median_last_year'])} (year {r['last_year']})",
                change,
            )
        )
    return rows


def _drift_lines(drift: pd.DataFrame | None) -> list[str]:
    """Markdown table of each headline outcome's change from the first to the last year."""
    rows = _drift_rows(drift)
    if not rows:
        return []
    lines = [
        "",
        "Trajectories (median over replications; change from the first to the last "
        "simulated year; figure `figures/trajectories.png`):",
        "",
        "| design | outcome | first year | last year | change |",
        "|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def markdown(
    table: pd.DataFrame,
    refs: pd.DataFrame,
    meta: dict[str, Any],
    tolerance: float,
    drift: pd.DataFrame | None = None,
) -> str:
    """The summary as Markdown (docs/validation.md)."""
    met = table[table["met"]]
    off = table[~table["met"]]
    lines = [
        "# Validation: the baseline against Dutch data",
        "",
        f"Generated by `ketensim validate` on {meta['date']} (git {meta['git_commit']}): "
        f"{meta['design']} in {meta['municipality']}, behaviour `{meta['behaviour']}`, "
        f"{meta['population']:,} persons, {meta['years']} years after {meta['burn_in_years']} "
        f"burn-in years, {meta['replications']} replications ({meta['wall_time_s']:.0f} s). "
        f"Command: `{meta['command']}`.",
        "",
        f"**{len(met)} of {len(table)} targets are met** within {tolerance:.0%} "
        f"(median over replications). Met: {', '.join(met['label']) or 'none'}. "
        f"**Not met**: {', '.join(off['label']) or 'none'}.",
        "",
    ]
    for group, rows in table.groupby("group", sort=False):
        lines += [
            f"{GROUP_LABELS[group]}: {int(rows['met'].sum())} of {len(rows)} met.",
            "",
            "| target | Dutch figure | simulated median (min-max) | ratio | met |",
            "|---|---|---|---|---|",
        ]
        for _, r in rows.iterrows():
            upper = " (upper bound)" if r["bound"] == "upper" else ""
            lines.append(
                f"| {r['label']} | {_num(r['dutch_value'])}{upper} | "
                f"{_num(r['simulated_median'])} "
                f"({_num(r['simulated_min'])}-{_num(r['simulated_max'])}) | {r['ratio']:.2f} | "
                f"{'yes' if r['met'] else '**no**'} |"
            )
        lines.append("")
    lines += _drift_lines(drift)
    lines += [
        "",
        "Use by age (share of the age group):",
        "",
        "| use | age | Dutch figure | simulated median (min-max) | ratio |",
        "|---|---|---|---|---|",
    ]
    for _, r in refs.iterrows():
        lines.append(
            f"| {PROFILE_LABELS[r['profile']]} | {r['age_group']} | {r['dutch_value']:.3f} | "
            f"{r['simulated_median']:.3f} ({r['simulated_min']:.3f}-{r['simulated_max']:.3f}) | "
            f"{r['ratio']:.2f} |"
        )
    lines += [
        "",
        "Sources: `sim/data/targets_nl.csv`, `sim/data/age_profiles_nl.csv` (CBS open data "
        "CC BY 4.0, Centraal Bureau voor de Statistiek; SCP; Nibud; Alzheimer Nederland). "
        "How each simulated figure is defined (and which definitions are assumptions): "
        "`experiments/calibration/targets.py`. "
        "Figures: `figures/targets.png`, `figures/age_profiles.png`, "
        "`figures/trajectories.png` in the report folder.",
        "",
    ]
    return "\n".join(lines)


def html_report(
    table: pd.DataFrame,
    refs: pd.DataFrame,
    figs: list[tuple[dict, str]],
    meta: dict[str, Any],
    tolerance: float,
    drift: pd.DataFrame | None = None,
) -> str:
    """The report as one HTML page (figures linked from figures/)."""
    e = html.escape
    met = table[table["met"]]
    off = table[~table["met"]]
    group_head = {
        i: f"<tr><th colspan=7>{e(GROUP_LABELS[g])}</th></tr>"
        for g, i in table.reset_index().groupby("group", sort=False)["index"].min().items()
    }
    rows = "".join(
        group_head.get(i, "")
        + f"<tr class='{'ok' if r['met'] else 'off'}'><td>{e(r['label'])}</td>"
        f"<td>{e(r['dutch_figure'])}<br><small>{e(r['source'])} ({e(str(r['source_year']))})"
        f"</small></td><td class=n>{_num(r['dutch_value'])}</td>"
        f"<td class=n>{_num(r['simulated_median'])}<br><small>{_num(r['simulated_min'])} - "
        f"{_num(r['simulated_max'])}</small></td><td class=n>{r['ratio']:.2f}</td>"
        f"<td>{'met' if r['met'] else '<b>not met</b>'}</td>"
        f"<td><small>{e(r['mapping'])}</small></td></tr>"
        for i, r in table.iterrows()
    )
    drift_rows = "".join(
        "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in _drift_rows(drift)
    )
    drift_html = (
        "<h2>Trajectories</h2><table><tr><th>design</th><th>outcome</th><th>first year</th>"
        f"<th>last year</th><th>change</th></tr>{drift_rows}</table>"
        if drift_rows
        else ""
    )
    ref_rows = "".join(
        f"<tr><td>{e(PROFILE_LABELS[r['profile']])}</td><td>{e(r['age_group'])}</td>"
        f"<td class=n>{r['dutch_value']:.3f}</td><td class=n>{r['simulated_median']:.3f}"
        f"<br><small>{r['simulated_min']:.3f} - {r['simulated_max']:.3f}</small></td>"
        f"<td class=n>{r['ratio']:.2f}</td><td><small>{e(r['source'])}</small></td></tr>"
        for _, r in refs.iterrows()
    )
    fig_html = "".join(
        f"<figure><img src='figures/{p['png'].name}' alt='{e(t)}' width='760'>"
        f"<figcaption>{e(t)} (<a href='figures/{p['svg'].name}'>SVG</a>)</figcaption></figure>"
        for p, t in figs
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ketensim validation</title>
<style>
body {{ font-family: 'DejaVu Sans', sans-serif; max-width: 980px; margin: 2em auto;
       color: #222; line-height: 1.45; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.9em; margin: 1em 0; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 4px 6px; vertical-align: top;
          text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
tr.off td {{ background: #fdf0e8; }}
small {{ color: #555; }}
figcaption {{ font-size: 0.85em; color: #555; }}
</style></head><body>
<h1>Validation: the baseline against Dutch data</h1>
<p>{e(meta["design"])} in <b>{e(meta["municipality"])}</b>, behaviour
<code>{e(meta["behaviour"])}</code>; {meta["population"]:,} persons, {meta["years"]} years after
{meta["burn_in_years"]} burn-in years; {meta["replications"]} replications; generated
{e(meta["date"])}, git {e(meta["git_commit"])}, model {e(meta["version"])}.</p>
<p><b>{len(met)} of {len(table)} targets are met</b> within {tolerance:.0%} (median over
replications).<br>Met: {e(", ".join(met["label"]) or "none")}.<br>
<b>Not met</b>: {e(", ".join(off["label"]) or "none")}.</p>
{fig_html}
<h2>Targets</h2>
<table><tr><th>target</th><th>Dutch figure and source</th><th>in simulated unit</th>
<th>simulated median (min - max)</th><th>ratio</th><th></th><th>how simulated</th></tr>
{rows}</table>
{drift_html}
<h2>Use by age</h2>
<table><tr><th>use</th><th>age</th><th>Dutch figure</th><th>simulated median (min - max)</th>
<th>ratio</th><th>source</th></tr>{ref_rows}</table>
<p><small>Data: CBS open data (CC BY 4.0, Centraal Bureau voor de Statistiek), SCP, Nibud,
Alzheimer Nederland; see sim/data/README.md. The Wmo age profile has no sourced age figure in
the data snapshot and is shown for inspection only.</small></p>
</body></html>
"""


def write_docs(path: Path, text: str) -> None:
    """Write the Markdown summary, keeping a '## Notes' section already in the file."""
    notes = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if NOTES_HEADING in old:
            notes = old[old.index(NOTES_HEADING) :]
    path.write_text(text + ("\n" + notes if notes else ""), encoding="utf-8")


# --------------------------------------------------------------------------- command
def _default_behaviour() -> str:
    """The behaviour group chosen in scenarios/config.yaml's defaults list."""
    from omegaconf import OmegaConf

    from sim.config import SCENARIOS_DIR

    for item in OmegaConf.load(SCENARIOS_DIR / "config.yaml").get("defaults", []):
        if isinstance(item, dict | type(OmegaConf.create({}))) and "behaviour" in item:
            return str(item["behaviour"])
    return "default"


@dataclass(frozen=True)
class Request:
    """What `ketensim validate` was asked: settings, the model's config and the folder."""

    replications: int
    tolerance: float
    designs: list[str]
    backend: str
    workers: int | None
    overrides: list[str]
    cfg: Any  # the composed KetensimConfig of the baseline
    out: Path
    docs: str | None


def parse_request(argv: list[str]) -> Request:
    """The command line read and checked (ConfigError or ValueError for bad input); makes
    the output folder."""
    opts = {k: v for k, v in DEFAULTS.items() if k in KEYS}
    overrides = [f"population={DEFAULTS['population']}", f"years={DEFAULTS['years']}"]
    given, extra = split_arguments(argv, KEYS, "validate checks the baseline (gatekeeping) only")
    opts.update(given)
    overrides.extend(extra)
    try:
        reps = int(opts["replications"])
    except ValueError:
        reps = 0
    if reps < 2:
        raise ConfigError(
            f"replications={opts['replications']}: allowed: a whole number of at least 2"
        )
    try:
        tolerance = float(opts["tolerance"])
    except ValueError:
        tolerance = math.nan
    if not 0 < tolerance < 1:
        raise ConfigError(f"tolerance={opts['tolerance']}: allowed: a number between 0 and 1")
    workers = parse_workers(opts)
    designs = [BASELINE] + [
        d for d in dict.fromkeys(x.strip() for x in opts["designs"].split(",")) if d
    ]
    designs = list(dict.fromkeys(designs))
    unknown = [d for d in designs if d not in design_names()]
    if unknown:
        raise ConfigError(
            f"designs={opts['designs']}: unknown {', '.join(unknown)}; "
            f"allowed: {', '.join(design_names())}"
        )
    backend = opts["backend"]
    if backend not in ("local", "sequential", "dask"):
        raise ConfigError(f"backend={backend}: allowed: local, sequential, dask")
    if opts.get("docs"):
        check_writable_file(opts["docs"], "docs")
    cfg = compose([*overrides, f"design={BASELINE}", "record_events=true", "progress=false"])
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = prepare_out_dir(opts.get("out") or Path("results") / "validate" / stamp)
    return Request(
        reps, tolerance, designs, backend, workers, overrides, cfg, out, opts.get("docs")
    )


def _run(req: Request, behaviour: str) -> Any:
    """Every design's runs (common random numbers); the ensemble's result."""
    cfg, config = req.cfg, to_dict(req.cfg)
    pop = cfg.population or cfg.municipality.inhabitants
    print(
        f"ketensim validate: {', '.join(req.designs)} in {cfg.municipality.name} ({pop:,} "
        f"persons, {cfg.years} years), behaviour {behaviour}, {req.replications} "
        f"replications; results in {req.out}/",
        file=sys.stderr,
    )
    specs = [
        RunSpec(
            run_id=f"{d}-r{k:03d}",
            config=_with_design(config, d),
            seed=cfg.seed + k,  # the same seeds in every design: common random numbers
            labels={"design": d, "replication": k},
        )
        for d in req.designs
        for k in range(req.replications)
    ]
    return run_ensemble(
        specs,
        simulate_targets_and_years,
        req.out / "ensemble",
        backend=req.backend,
        workers=req.workers,
        progress=True,
    )


def _write_outputs(
    req: Request,
    result: Any,
    summary: pd.DataFrame,
    meta: dict[str, Any],
    start: dt.datetime,
) -> tuple[pd.DataFrame, Any]:
    """Tables, figures, validation.md, report.html (and docs=); (targets table, trajectories)."""
    out, tolerance = req.out, req.tolerance
    table = targets_table(summary, tolerance)
    ages = age_table(summary)
    refs = reference_table(summary, tolerance)
    outcomes = trajectory_outcomes(result.tables["yearly"], result.summary)
    trajectories = figure_trajectories(outcomes, out / "figures", lang="en")
    drift = drift_table(outcomes)
    figs = [
        targets_figure(table, out / "figures", tolerance),
        ({"png": trajectories.png, "svg": trajectories.svg}, trajectories.title),
        age_figure(ages, refs, out / "figures"),
    ]
    meta = {**meta, "wall_time_s": (dt.datetime.now() - start).total_seconds()}
    table.to_csv(out / "targets.csv", index=False)
    ages.to_csv(out / "age_profiles.csv", index=False)
    refs.to_csv(out / "age_references.csv", index=False)
    drift.to_csv(out / "trajectories.csv", index=False)
    text = markdown(table, refs, meta, tolerance, drift)
    (out / "validation.md").write_text(text, encoding="utf-8")
    (out / "report.html").write_text(
        html_report(table, refs, figs, meta, tolerance, drift), "utf-8"
    )
    if req.docs:
        write_docs(Path(req.docs), text)
    return table, trajectories


def validate_command(argv: list[str]) -> int:
    """Entry point of `validate`; returns the exit code."""
    if any(a in ("-h", "--help", "help") for a in argv):
        print(USAGE)
        return 0
    from sim.run import __version__, git_commit

    try:
        req = parse_request(argv)
    except (ConfigError, ValueError) as exc:
        print(f"ketensim: error: {exc}", file=sys.stderr)
        return 2
    behaviour = next(
        (a.split("=", 1)[1] for a in req.overrides if a.startswith("behaviour=")),
        _default_behaviour(),
    )
    start = dt.datetime.now()
    result = _run(req, behaviour)
    if result.summary.empty:
        print("ketensim: error: every run failed; see the ensemble failures", file=sys.stderr)
        return 1
    summary = result.summary[result.summary["design"] == BASELINE]
    if summary.empty:
        print(
            "ketensim: error: every baseline run failed; see the ensemble failures", file=sys.stderr
        )
        return 1
    cfg = req.cfg
    meta = {
        "date": dt.date.today().isoformat(),
        "git_commit": git_commit(),
        "version": __version__,
        "design": BASELINE,
        "designs": req.designs,
        "municipality": cfg.municipality.name,
        "behaviour": behaviour,
        "population": cfg.population or cfg.municipality.inhabitants,
        "years": cfg.years,
        "burn_in_years": cfg.burn_in_years,
        "replications": len(summary),
        "command": "ketensim validate " + " ".join(argv),
    }
    table, trajectories = _write_outputs(req, result, summary, meta, start)
    met = int(table["met"].sum())
    print(f"{met} of {len(table)} targets met within {req.tolerance:.0%}:")
    for _, r in table.iterrows():
        mark = "ok " if r["met"] else "OFF"
        print(f"  {mark} {r['label']:<44} ratio {r['ratio']:.2f}")
    print(f"  trajectories: {trajectories.title}")
    print(f"  report: {req.out / 'report.html'}")
    return 0


def _with_design(config: dict[str, Any], design: str) -> dict[str, Any]:
    """The resolved config with another design (its own defaults, same everything else)."""
    if design == config["design"]["name"]:
        return config
    other = to_dict(compose([f"design={design}"]))
    return {**config, "design": other["design"]}


def trajectory_outcomes(yearly: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """The ensemble's yearly tables in the long format of `compare` (run_id, design,
    replication, year, outcome, value, unit), for `figure_trajectories`."""
    labels = summary[["run_id", "design", "replication"]]
    cols = ["run_id", "design", "replication", "year", "outcome", "value", "unit"]
    return yearly.merge(labels, on="run_id", how="inner")[cols]


__all__ = [
    "age_table",
    "reference_table",
    "targets_table",
    "trajectory_outcomes",
    "validate_command",
]
