"""The discovery stage of `ketensim sensitivity`: a Latin hypercube over the uncertainties,
the winning design per point (lowest total chain cost, least unmet need), the boxes where
each design wins (a classification tree, or PRIM of ema_workbench), and the points exported
in the EMA Workbench format."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd

from experiments.sensitivity import core
from experiments.sensitivity.context import Context, check_complete, save_evaluation, write_table
from sim.config import ConfigError


def run_discovery(ctx: Context, samples: int, method: str = "tree") -> pd.DataFrame:
    """Latin hypercube -> winner per point -> boxes per design; EMA Workbench export."""
    from experiments.sensitivity import discovery as disc
    from experiments.sensitivity.figures import figure_boxes

    if len(getattr(ctx.evaluator, "designs", [])) < 2:
        raise ConfigError("discovery: needs at least two designs")
    if isinstance(ctx.evaluator, core.ModelEvaluator):  # the present values stored per future
        ctx = dataclasses.replace(
            ctx, evaluator=dataclasses.replace(ctx.evaluator, outcomes=core.RECORDED)
        )
    ev_ = ctx.evaluator
    factors = ctx.factors
    names = [f.name for f in factors]
    X = core.latin_sample(factors, samples, ctx.seed)
    ctx.say(f"  discovery: {len(X)} points x {ctx.replications} replications")
    ev = ctx.evaluate(X, names, "lhs")
    save_evaluation(ctx, ev, "lhs")
    check_complete(ev, "discovery")
    means = ev.means
    Xf = pd.DataFrame(X, columns=names)
    all_boxes = []
    for what, outcome in (("cost", core.TOTAL), ("unmet", core.UNMET)):
        win = disc.winners(means, ev_.designs, outcome)
        if method == "prim":
            boxes = disc.prim_boxes(Xf, win, ev_.designs, labels=None)
            importance = (
                {
                    n: float(
                        (
                            (boxes[f"{n}__low"] > Xf[n].min()) | (boxes[f"{n}__high"] < Xf[n].max())
                        ).sum()
                    )
                    for n in names
                }
                if len(boxes)
                else {}
            )
        else:
            boxes, importance = disc.tree_boxes(Xf, win, seed=ctx.seed)
        boxes.insert(
            0, "target", f"lowest_{'total_chain_cost' if what == 'cost' else 'unmet_need'}"
        )
        boxes["rule_text"] = boxes["rule"].map(lambda r: readable_rule(r, ctx.labels))
        all_boxes.append(boxes)
        ctx.report.setdefault("discovery", {})[what] = {
            "wins": {d: int((win == d).sum()) for d in ev_.designs},
            "rules": [
                f"{r.winner} (box {r.box}: density {r.density:.0%}, coverage "
                f"{r.coverage:.0%}, {r.n_points} points) when {r.rule_text}"
                for r in boxes.itertuples()
            ],
        }
        ctx.figures[f"boxes_{what}"] = figure_boxes(
            Xf,
            win,
            boxes,
            importance,
            ctx.labels,
            ctx.out / "figures",
            name=f"boxes_{what}",
            what=what,
            method="PRIM" if method == "prim" else "a classification tree",
            R=ctx.replications,
            lang=ctx.lang,
        )
        means[f"winner__{outcome}"] = win
    boxes = pd.concat(all_boxes, ignore_index=True)
    write_table(boxes, ctx.out, "discovery_boxes")
    ctx.tables["discovery_boxes"] = boxes
    _export_ema(ctx, Xf, means)
    ctx.report["discovery"]["method"] = method
    ctx.report["discovery"]["points"] = len(X)
    return boxes


def readable_rule(rule: str, labels: dict[str, str]) -> str:
    """A rule with factor names replaced by their labels, in one pass (a label that contains
    another factor's name, e.g. "growth", is not replaced again)."""
    if not labels:
        return rule
    names = "|".join(re.escape(n) for n in sorted(labels, key=len, reverse=True))
    return re.sub(rf"\b(?:{names})\b", lambda m: labels[m.group(0)], rule)


def _export_ema(ctx: Context, Xf: pd.DataFrame, means: pd.DataFrame) -> None:
    """experiments x outcomes in ema_workbench's save_results layout: one row per point x
    design (policy = design) and one per point for the paired differences (policy = none)."""
    from experiments.sensitivity.discovery import save_ema_results

    ev = ctx.evaluator
    rows, outcomes = [], {}
    for d in ev.designs:
        exp = Xf.copy()
        exp["scenario"] = np.arange(len(Xf))
        exp["policy"] = d
        exp["model"] = "ketensim"
        rows.append(exp)
    experiments = pd.concat(rows, ignore_index=True)
    for c in ("scenario", "policy", "model"):
        experiments[c] = experiments[c].astype(str).astype("category")
    for o in ev.outcomes:
        outcomes[o] = np.concatenate([means[f"{d}__{o}"].to_numpy(dtype=float) for d in ev.designs])
    save_ema_results(experiments, outcomes, ctx.out / "ema_results.tar.gz")
    exp2 = Xf.copy()
    exp2["scenario"] = np.arange(len(Xf))
    exp2["policy"] = "none"
    exp2["model"] = "ketensim"
    for c in ("scenario", "policy", "model"):
        exp2[c] = exp2[c].astype(str).astype("category")
    contrasts = {c: means[c].to_numpy(dtype=float) for c in means.columns if "_minus_" in str(c)}
    for target in (core.TOTAL, core.UNMET):
        win = means[f"winner__{target}"]
        contrasts[f"winner_index__{target}"] = np.array([ev.designs.index(w) for w in win], float)
    save_ema_results(exp2, contrasts, ctx.out / "ema_results_differences.tar.gz")
    (ctx.out / "ema_readme.txt").write_text(
        "ema_results.tar.gz: experiments (uncertainties, scenario, policy = design, model) and\n"
        "scalar outcomes (replication means), one row per sample point x design.\n"
        "ema_results_differences.tar.gz: one row per sample point; outcomes are the paired\n"
        "differences <design>_minus_<baseline>__<outcome> and winner_index__<outcome>\n"
        f"(index into {ev.designs}).\n"
        "Load with: from ema_workbench import load_results; "
        "experiments, outcomes = load_results('ema_results.tar.gz')\n",
        encoding="utf-8",
    )
