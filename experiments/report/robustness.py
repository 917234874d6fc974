"""Robustness over the declared uncertainties, for the brief (issue 27 point 2).

Reads a scenario-discovery result of `ketensim sensitivity method=discovery` (a folder with
`lhs_outputs.parquet`: per point of a Latin hypercube over `scenarios/uncertainty/`, per
design, the run's outcomes; and `discovery_boxes.csv`: where each design wins). Per design:
the share of the plausible futures (points) in which it has the lowest total chain cost and
the least unmet need, and its regret: how much worse it is in a point than the best design
there (median and worst over the points). The ranking is called robust when one design is
best in at least `ROBUST_SHARE` of the points; the discovery's boxes say, in the factors'
own labels, under which conditions another design is best.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.report.numbers import fmt_eur, fmt_number, fmt_pct
from experiments.report.style import design_ref
from experiments.report.texts import join_words, t

TOTAL = "total_chain_cost_eur_per_inhabitant_per_year"
UNMET = "unmet_need_person_weeks_per_1000_inhabitants_per_year"
# The present value over the run's years (discounted at the MKBA rate), per future: recorded
# by the discovery since issue 27 (experiments.sensitivity.core.TOTAL_PV, MUNICIPAL_PV).
TOTAL_PV = "total_chain_cost_present_value_eur_per_inhabitant"
MUNICIPAL_PV = "municipal_spending_present_value_eur_per_inhabitant"
TARGETS = {"cost": TOTAL, "unmet": UNMET}
BOX_TARGET = {"cost": "lowest_total_chain_cost", "unmet": "lowest_unmet_need"}

# A ranking holds "in most futures" (robuust) when one design is best in at least this share
# of the points (assumption: two in three).
ROBUST_SHARE = 2 / 3

# A box is worth naming as a condition for a flip when its winner really wins in at least
# this share of its points (assumption: one in two).
BOX_DENSITY = 0.5

COLUMNS = [
    "design",
    "points",
    "cost_basis",
    "share_lowest_cost",
    "share_least_unmet_need",
    "share_lowest_municipal",
    "regret_cost_median",
    "regret_cost_max",
    "regret_unmet_median",
    "regret_unmet_max",
    "regret_municipal_median",
]

# cost_basis: "present_value" (euros per inhabitant over the run, discounted) or "mean" (euros
# per inhabitant per year, the mean over the years: a discovery folder from before the
# present values were recorded)
PRESENT_VALUE, MEAN = "present_value", "mean"


def point_means(outputs: pd.DataFrame) -> pd.DataFrame:
    """The long discovery outputs (point, replication, output, value) -> per point (rows) and
    `<design>__<outcome>` (columns): the mean over the replications."""
    return outputs.pivot_table(index="point", columns="output", values="value", aggfunc="mean")


def robustness_table(means: pd.DataFrame, designs: Sequence[str]) -> pd.DataFrame:
    """Per design (of `designs` found in `means`): the share of points where it is best for
    cost and for unmet need, and its regret against the best design of each point. Cost is
    the present value of the chain cost when the discovery recorded it (`cost_basis`
    present_value; the municipality's spending in present value then too), else the mean
    over the years (`cost_basis` mean)."""
    present = [d for d in designs if all(f"{d}__{o}" in means.columns for o in TARGETS.values())]
    if len(present) < 2:
        return pd.DataFrame(columns=COLUMNS)

    def has(outcome: str) -> bool:
        return all(
            f"{d}__{outcome}" in means.columns and means[f"{d}__{outcome}"].notna().all()
            for d in present
        )

    basis = PRESENT_VALUE if has(TOTAL_PV) else MEAN
    targets = {"cost": TOTAL_PV if basis == PRESENT_VALUE else TOTAL, "unmet": UNMET}
    if basis == PRESENT_VALUE and has(MUNICIPAL_PV):
        targets["municipal"] = MUNICIPAL_PV
    share_keys = {
        "cost": "share_lowest_cost",
        "unmet": "share_least_unmet_need",
        "municipal": "share_lowest_municipal",
    }
    records: dict[str, dict[str, Any]] = {d: {"design": d, "cost_basis": basis} for d in present}
    for what, outcome in targets.items():
        values = means[[f"{d}__{outcome}" for d in present]].dropna().to_numpy(dtype=float)
        best = values.min(axis=1, keepdims=True)
        winner = np.argmin(values, axis=1)
        regret = values - best
        for k, d in enumerate(present):
            records[d]["points"] = int(values.shape[0])
            records[d][share_keys[what]] = float(np.mean(winner == k))
            records[d][f"regret_{what}_median"] = float(np.median(regret[:, k]))
            if what != "municipal":
                records[d][f"regret_{what}_max"] = float(np.max(regret[:, k]))
    return pd.DataFrame([records[d] for d in present], columns=COLUMNS)


def load_discovery(folder: Path | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per-point means, boxes) of a discovery folder; a clear error when it is not one."""
    path = Path(folder)
    outputs = path / "lhs_outputs.parquet"
    if not outputs.is_file():
        raise FileNotFoundError(
            f"robustness={folder}: no lhs_outputs.parquet there; allowed: the out folder of "
            "`ketensim sensitivity method=discovery`"
        )
    means = point_means(pd.read_parquet(outputs))
    boxes_file = path / "discovery_boxes.csv"
    boxes = pd.read_csv(boxes_file) if boxes_file.is_file() else pd.DataFrame()
    return means, boxes


def discovery_meta(folder: Path | str) -> dict[str, Any]:
    """The setting of a discovery (report.json's meta: profile, population, years,
    replications, ...); {} when the folder has none."""
    import json

    path = Path(folder) / "report.json"
    if not path.is_file():
        return {}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")).get("meta") or {})
    except (ValueError, AttributeError):
        return {}


def setting_text(meta: dict[str, Any], lang: str) -> str:
    """The discovery's setting in words (municipality, population, years, replications),
    for the lead sentence; "" when unknown."""
    if not meta.get("population") or not meta.get("years"):
        return ""
    reps = int(meta.get("replications") or 1)
    return t(
        "robustness.setting_one" if reps == 1 else "robustness.setting",
        lang,
        profile=str(meta.get("profile", "?")),
        pop=fmt_number(float(meta["population"]), 0, lang),
        years=int(meta["years"]),
        reps=reps,
    )


# the words a box's rule is read with ("a <= 1 and b > 2" -> "a at most 1 and b above 2")
RULE_WORDS = {
    "en": {
        "<=": "at most",
        ">": "above",
        "and": "and",
        "between": "{name} from {low} to {high}",
        "set": " (declared range {low} to {high})",
        "scale": " (times today's value; declared range {low} to {high})",
    },
    "nl": {
        "<=": "hoogstens",
        ">": "boven",
        "and": "en",
        "between": "{name} van {low} tot {high}",
        "set": " (opgegeven bereik {low} tot {high})",
        "scale": " (maal de huidige waarde; opgegeven bereik {low} tot {high})",
    },
}


def readable(
    rule: str,
    labels: dict[str, str],
    lang: str = "en",
    ranges: dict[str, tuple[str, float, float]] | None = None,
    said: set[str] | None = None,
) -> str:
    """A box's rule with the factors' labels and numbers in the brief's language; with
    `ranges` (name -> kind, low, high) each condition also says the declared range, so a
    threshold such as 0.874 can be read against what was thought plausible. `said`: the
    factors whose range an earlier part of the sentence gave (not repeated; updated)."""
    from experiments.sensitivity.discovery_stage import readable_rule

    words = RULE_WORDS.get(lang, RULE_WORDS["en"])
    ranges = ranges or {}
    said = set() if said is None else said

    def declared(name: str) -> str:
        if name not in ranges or name in said:
            return ""
        said.add(name)
        kind, low, high = ranges[name]
        return words["scale" if kind == "scale" else "set"].format(low=f"{low:g}", high=f"{high:g}")

    conditions = []
    for cond in rule.split(" and "):  # factor names have no spaces; labels may have "and"
        both = re.fullmatch(r"(\S+) < (\S+) <= (\S+)", cond)
        if both:
            lo, name, hi = both.groups()
            conditions.append(words["between"].format(name=name, low=lo, high=hi) + declared(name))
            continue
        name = cond.split(" ", 1)[0]
        cond = cond.replace(" <= ", f" {words['<=']} ").replace(" > ", f" {words['>']} ")
        conditions.append(cond + declared(name))
    text = f" {words['and']} ".join(conditions)
    if lang == "nl":  # decimal commas in the thresholds, before the labels (may hold "1.000")
        text = re.sub(r"(?<=\d)\.(?=\d)", ",", text)
    return readable_rule(text, labels)


def declared_factors(
    lang: str,
) -> tuple[dict[str, str], dict[str, tuple[str, float, float]]]:
    """The declared uncertainties (scenarios/uncertainty/default.yaml), read once: their
    labels in `lang`, and their kind ("set" a value, "scale" today's value) and range."""
    from experiments.sensitivity.factors import load_uncertainties

    factors = load_uncertainties()
    labels = {f.name: f.display(lang) for f in factors}
    ranges = {f.name: (f.kind, float(f.low), float(f.high)) for f in factors}
    return labels, ranges


def in_present_value(table: pd.DataFrame) -> bool:
    """Whether a robustness table ranks the chain cost in present value (else the
    undiscounted mean of an older discovery)."""
    return str(table["cost_basis"].iloc[0]) == PRESENT_VALUE


def robustness_lines(
    table: pd.DataFrame,
    boxes: pd.DataFrame,
    lang: str,
    setting: str = "",
    years: int | None = None,
) -> list[str]:
    """The robustness statement in words: per design its shares and regret, per target
    whether the ranking is robust, and the conditions under which it flips. The cost basis
    (present value over `years` years at the MKBA rate, or the undiscounted mean of an older
    discovery) is said in the lead and the regret's unit."""
    from experiments.report.present_value import DISCOUNT_RATE

    if table.empty:
        return []
    pv = in_present_value(table)
    basis = (
        t("robustness.basis_pv", lang, years=years or "?", rate=fmt_pct(DISCOUNT_RATE, lang, 2))
        if pv
        else t("robustness.basis_mean", lang)
    )
    per = t("robustness.per_pv" if pv else "robustness.per_year", lang)
    lines = [
        t("robustness.lead", lang, n=int(table["points"].iloc[0]), setting=setting, basis=basis)
    ]
    municipal = pv and table["share_lowest_municipal"].notna().all()
    for _, r in table.iterrows():
        line = t(
            "robustness.design",
            lang,
            d=design_ref(r["design"], lang),
            cost=fmt_pct(r["share_lowest_cost"], lang),
            unmet=fmt_pct(r["share_least_unmet_need"], lang),
            regret=fmt_eur(r["regret_cost_median"], 0, lang),
            worst=fmt_eur(r["regret_cost_max"], 0, lang),
            per=per,
            regret_unmet=fmt_number(r["regret_unmet_median"], 0, lang),
        )
        if municipal:
            line += " " + t(
                "robustness.municipal",
                lang,
                share=fmt_pct(r["share_lowest_municipal"], lang),
                regret=fmt_eur(r["regret_municipal_median"], 0, lang),
            )
        lines.append(line)
    labels, ranges = declared_factors(lang)
    for what in ("cost", "unmet"):
        key = "share_lowest_cost" if what == "cost" else "share_least_unmet_need"
        top = table.loc[table[key].idxmax()]
        share = float(top[key])
        verdict = "robust" if share >= ROBUST_SHARE else "not_robust"
        line = t(
            f"robustness.{what}_{verdict}",
            lang,
            d=design_ref(top["design"], lang),
            share=fmt_pct(share, lang),
            need=fmt_pct(ROBUST_SHARE, lang),
        )
        if not boxes.empty and "target" in boxes:
            own = boxes[
                (boxes["target"] == BOX_TARGET[what])
                & (boxes["winner"] != top["design"])
                & (boxes["density"] >= BOX_DENSITY)
            ]
            if not own.empty:
                line += " " + flip_sentence(own, labels, lang, ranges)
        lines.append(line)
    return lines


def flip_sentence(
    own: pd.DataFrame,
    labels: dict[str, str],
    lang: str,
    ranges: dict[str, tuple[str, float, float]],
) -> str:
    """The conditions under which the ranking flips, one box (winner, rule, n_points,
    density) each. Conditions every box shares are said once, before the colon, and a
    factor's declared range only at its first mention: 'where A at most 0.874: B at most
    0.002 (then X ...) or B above 0.002 (then Y ...)'."""
    rules = [str(r).split(" and ") for r in own["rule"]]
    common = [c for c in rules[0] if all(c in r for r in rules[1:])] if len(rules) > 1 else []
    rests = [[c for c in r if c not in common] for r in rules]
    if not common or not all(rests):
        common, rests = [], rules
    said: set[str] = set()

    def words(conditions: list[str]) -> str:
        return readable(" and ".join(conditions), labels, lang, ranges, said)

    head = words(common) if common else ""
    items = [
        t(
            "robustness.flip",
            lang,
            d=design_ref(b["winner"], lang),
            rule=words(rest),
            n=int(b["n_points"]),
            density=fmt_pct(float(b["density"]), lang),
        )
        for rest, (_, b) in zip(rests, own.iterrows(), strict=True)
    ]
    if head:
        return t("robustness.flips_where", lang, common=head, items=join_words(items, lang, "or"))
    return t("robustness.flips", lang, items=join_words(items, lang, "or"))


__all__ = [
    "ROBUST_SHARE",
    "discovery_meta",
    "in_present_value",
    "load_discovery",
    "point_means",
    "robustness_lines",
    "robustness_table",
    "setting_text",
]
