"""report.html of `ketensim sensitivity`: one self-contained page in the brief's house style."""

from __future__ import annotations

from typing import Any

import pandas as pd

from experiments.report.pages import esc, figure_html, page_css
from experiments.sensitivity.core import contrast_name
from experiments.sensitivity.figures import output_label

EXTRA_CSS = """
table.sa td, table.sa th { font-size: .85rem; }
.note { background: #fff8e6; border-left: 4px solid #E69F00; padding: .6rem .9rem; }
"""


def _table(df: pd.DataFrame, numeric: tuple[str, ...] = (), caption: str = "") -> str:
    head = "".join(f'<th class="{"num" if c in numeric else ""}">{esc(c)}</th>' for c in df.columns)
    body = []
    for _, row in df.iterrows():
        cells = []
        for c in df.columns:
            v = row[c]
            if c in numeric and isinstance(v, int | float):
                cells.append(f'<td class="num">{v:.3g}</td>')
            else:
                cells.append(f"<td>{esc(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<table class="sa">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


class _Page:
    """The report's HTML as the sections add it; figures numbered in page order."""

    def __init__(self, figures: dict[str, Any]) -> None:
        self.figures = figures
        self.parts: list[str] = []
        self.count = 0

    def add(self, part: str) -> None:
        """Append a piece of HTML."""
        self.parts.append(part)

    def figure(self, name: str) -> None:
        """Append figure `name` if the run made it."""
        if name in self.figures:
            self.count += 1
            self.add(figure_html(self.figures[name], self.count, "Figure"))


def _introduction(ctx: Any, page: _Page) -> None:
    """The question, and how every point was run."""
    meta = ctx.report.get("meta", {})
    ev, base = ctx.evaluator, ctx.evaluator.baseline
    page.add(
        '<header><p class="kicker">ketensim · sensitivity analysis and scenario discovery</p>'
        "<h1>Which uncertainties drive the answer, and where each design wins</h1></header>"
    )
    page.add(
        '<p class="lead">The model compares access designs on total chain cost and outcomes. '
        "Many of its parameters are stated assumptions. This page shows which of them move the "
        f"result, above all the <em>difference</em> between each design and {esc(base)} "
        "(paired by seed), and in which region of the uncertainties each design is cheapest.</p>"
    )
    page.add(
        f"<p>Every sample point ran {len(ev.designs)} designs × {ctx.replications} replications; "
        "replication <i>k</i> used the same seed at every point and for every design (common "
        "random numbers), and the analyses use the mean over replications. Municipality "
        f"{esc(meta.get('profile'))}, {meta.get('population', 0):,} people, "
        f"{meta.get('years')} years after {meta.get('burn_in_years')} years of burn-in.</p>"
    )


def _declared_uncertainties(ctx: Any, page: _Page) -> None:
    """The factors and their ranges."""
    meta = ctx.report.get("meta", {})
    page.add("<h2>Declared uncertainties</h2>")
    unc = pd.DataFrame(
        [
            {
                "factor": f.name,
                "what": f.label,
                "range": f"{f.kind} {f.low:g} – {f.high:g}",
                "designs": ", ".join(f.designs) if f.designs else "all",
                "why": f.why,
            }
            for f in ctx.factors
        ]
    )
    page.add(
        _table(
            unc,
            caption=f"From scenarios/uncertainty/{meta.get('uncertainty')}.yaml. "
            "scale: multiplies the scenario values; set: replaces them.",
        )
    )


def _screening(ctx: Any, page: _Page) -> None:
    """Morris screening: which factors are kept for Sobol."""
    rep = ctx.report
    labels = ctx.labels
    if "morris" in rep:
        m = rep["morris"]
        page.add("<h2>Screening (Morris)</h2>")
        kept = ", ".join(labels.get(k, k) for k in m["kept"]) or "none"
        dropped = ", ".join(labels.get(k, k) for k in m["dropped"]) or "none"
        page.add(
            f"<p>{m['points']} points ({m['trajectories']} trajectories, {m['levels']} levels), "
            f"{m['runs']} model runs. Kept for Sobol (mu* at least {m['threshold']:.0%} of the "
            f"largest for some output): <strong>{esc(kept)}</strong>. "
            f"Screened out: {esc(dropped)}.</p>"
        )
        page.figure("morris")


def _sobol(ctx: Any, page: _Page) -> None:
    """Sobol indices of the cost difference, and their convergence."""
    rep = ctx.report
    labels = ctx.labels
    ev, base = ctx.evaluator, ctx.evaluator.baseline
    if "sobol" in rep and "factors" in rep["sobol"]:
        s = rep["sobol"]
        page.add("<h2>Global sensitivity (Sobol)</h2>")
        page.add(
            f"<p>{len(s['factors'])} factors, n = {s['n_analysed']} base samples "
            f"({s['points']} points, {s['runs']} model runs).</p>"
        )
        idx = pd.read_parquet(ctx.out / "sobol_indices.parquet")
        idx = idx[idx["n"] == s["n_analysed"]]
        items = []
        for d in ev.designs:
            if d == base:
                continue
            col = contrast_name(d, base, "total_chain_cost_eur_per_inhabitant_per_year")
            top = idx[idx["output"] == col].sort_values("ST", ascending=False).head(3)
            if len(top):
                lst = ", ".join(
                    f"{labels.get(r.factor, r.factor)} (ST {r.ST:.2f} ± {r.ST_conf:.2f})"
                    for r in top.itertuples()
                )
                items.append(f"<li><strong>{esc(output_label(col))}</strong>: {esc(lst)}</li>")
        if items:
            page.add(
                "<p>What drives the cost difference most (total index):</p><ul>"
                + "".join(items)
                + "</ul>"
            )
        page.figure("sobol")
        conv = rep["sobol"].get("converged", {})
        if conv:
            bad = [k for k, v in conv.items() if not v]
            page.add(
                "<p><strong>Convergence (n → 2n):</strong> "
                + (
                    "indices changed by less than 0.05 or their interval for every output."
                    if not bad
                    else f"not yet converged for {len(bad)} of {len(conv)} outputs "
                    f"({esc(', '.join(output_label(b) for b in bad[:4]))}"
                    f"{'…' if len(bad) > 4 else ''}); increase n."
                )
                + "</p>"
            )


def _emulator(ctx: Any, page: _Page) -> None:
    """Sobol indices on an emulator, with its held-out validation."""
    rep = ctx.report
    if "emulator" in rep:
        e = rep["emulator"]
        page.add("<h2>Global sensitivity on an emulator</h2>")
        verdict = (
            "met"
            if e["target_met"]
            else "<strong>NOT met</strong> (run budget spent; read the indices with care)"
        )
        page.add(
            f"<p>A {esc(e['surrogate'])} surrogate per output, fitted to the replication means "
            f"at {e['training_points']} points ({e['waves']} waves of the sequential design) "
            f"and checked on {e['holdout_points']} held-out points; {e['runs']} model runs in "
            f"all. Validation target Q² ≥ {e['q2']:g} for total chain cost and unmet need: "
            f"{verdict} (worst {e['worst_headline_q2']:.3f}).</p>"
        )
        val = pd.read_parquet(ctx.out / "emulator_validation.parquet")
        shown = val[val["output"].isin(ctx.headline(list(val["output"])))].copy()
        shown["output"] = shown["output"].map(output_label)
        wanted = ("output", "surrogate", "q2", "coverage_90", "coverage_95")
        cols = [c for c in wanted if c in shown]
        page.add(
            _table(
                shown[cols],
                numeric=("q2", "coverage_90", "coverage_95"),
                caption="Held-out validation: Q² = 1 - squared error / variance; coverage = "
                "share of held-out means inside the 90% and 95% prediction intervals.",
            )
        )
        page.figure("emulator_validation")
        page.figure("emulator_sobol")


def _noise(ctx: Any, page: _Page) -> None:
    """How much of the output variance is run-to-run noise."""
    noise = [v for k, v in ctx.tables.items() if k.startswith("noise_")]
    if noise:
        nz = pd.concat(noise, ignore_index=True)
        nz = nz[nz["output"].isin(ctx.headline(list(nz["output"].unique())))]
        if "noise_share_single_run" in nz.columns:
            shown = nz[["stage", "output", "noise_share_single_run", "noise_share_of_mean"]].copy()
            shown["output"] = shown["output"].map(output_label)
            page.add("<h2>Stochastic noise</h2>")
            page.add(
                _table(
                    shown,
                    numeric=("noise_share_single_run", "noise_share_of_mean"),
                    caption="Share of the output variance that is run-to-run noise (variance "
                    "across seeds at a point / total variance), for one run and for the "
                    "replication mean the indices use. With common random numbers part of it is "
                    "shared by all points and does not affect the indices: an upper bound.",
                )
            )


def _one_at_a_time(ctx: Any, page: _Page) -> None:
    """The local tornado, for orientation."""
    rep = ctx.report
    if "oat" in rep:
        page.add("<h2>One-at-a-time swings (local)</h2>")
        page.add(
            '<p class="note">This tornado moves one factor at a time around the default. It is '
            "a local view for orientation, not the global analysis above: it ignores "
            "interactions and the rest of the range.</p>"
        )
        page.figure("tornado")


def _discovery(ctx: Any, page: _Page) -> None:
    """Scenario discovery: where each design wins."""
    rep = ctx.report
    if "discovery" in rep:
        dsc = rep["discovery"]
        page.add("<h2>Where each design wins (scenario discovery)</h2>")
        for what, title in (("cost", "lowest total chain cost"), ("unmet", "least unmet need")):
            if what not in dsc:
                continue
            wins = ", ".join(f"{d} {n}" for d, n in dsc[what]["wins"].items())
            page.add(
                f"<h3>{title}</h3><p>Winner counts over {dsc['points']} Latin hypercube points: "
                f"{esc(wins)}. Boxes ({esc(dsc['method'])}):</p><ul>"
                + "".join(f"<li>{esc(r)}</li>" for r in dsc[what]["rules"])
                + "</ul>"
            )
            page.figure(f"boxes_{what}")
        page.add(
            "<p>Density: share of the points in the box where that design wins; coverage: "
            "share of all its wins that fall in the box. Experiments and outcomes are in "
            "<code>ema_results.tar.gz</code> (EMA Workbench format, "
            "<code>ema_workbench.load_results</code>).</p>"
        )


def _how_made(ctx: Any, page: _Page) -> None:
    """The run's facts."""
    meta = ctx.report.get("meta", {})
    page.add("<h2>How this was made</h2><dl class='how'>")
    for k in (
        "model_version",
        "git_commit",
        "date",
        "designs",
        "baseline",
        "seed",
        "replications",
        "uncertainty",
    ):
        page.add(f"<dt>{esc(k)}</dt><dd>{esc(meta.get(k))}</dd>")
    page.add("</dl>")


def write_report(ctx: Any) -> None:
    """Write ctx.out/report.html from the context's report, tables and figures."""
    page = _Page(ctx.figures)
    steps = (
        _introduction,
        _declared_uncertainties,
        _screening,
        _sobol,
        _emulator,
        _noise,
        _one_at_a_time,
        _discovery,
        _how_made,
    )
    for step in steps:
        step(ctx, page)
    html = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>ketensim sensitivity analysis</title>"
        f"<style>{page_css()}{EXTRA_CSS}</style></head><body><main>{''.join(page.parts)}</main>"
        "</body></html>\n"
    )
    (ctx.out / "report.html").write_text(html, encoding="utf-8")
