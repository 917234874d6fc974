"""What indications, decisions and accountability cost: administration per act and
variant (docs/ODD.md 7.20), from the yearly outcomes `admin_by_act__<act>_...`."""

from __future__ import annotations

from typing import Any

import pandas as pd

from experiments.report.numbers import fmt_eur
from experiments.report.style import design_label, design_ref
from experiments.report.texts import t
from sim.params import ACTS

EUR = "_eur_per_inhabitant_per_year"
HOURS = "_hours_per_1000_inhabitants_per_year"


def administration_by_act(outcomes: pd.DataFrame, year: int = 0) -> pd.DataFrame:
    """One row per variant (`design` column) and act: the mean over replications of the
    act's cost (EUR per inhabitant per year; the access staff's acts valued at their hourly
    rate) and hours (per 1,000 inhabitants per year), in `year` (0 = the mean over the
    years). Acts in their process order."""
    data = outcomes[outcomes["year"] == year]
    rows = []
    for act in ACTS:
        eur = data[data["outcome"] == f"admin_by_act__{act}{EUR}"]
        hours = data[data["outcome"] == f"admin_by_act__{act}{HOURS}"]
        if eur.empty:
            continue
        e = eur.groupby("design", sort=False)["value"].mean()
        h = hours.groupby("design", sort=False)["value"].mean()
        for design in e.index:
            rows.append(
                {
                    "design": design,
                    "act": act,
                    "eur_per_inhabitant_per_year": float(e[design]),
                    "hours_per_1000_inhabitants_per_year": float(h.get(design, 0.0)),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "design",
            "act",
            "eur_per_inhabitant_per_year",
            "hours_per_1000_inhabitants_per_year",
        ],
    )


def largest_acts(table: pd.DataFrame, design: str, n: int = 5) -> pd.DataFrame:
    """The `n` acts that cost `design` the most (EUR per inhabitant per year)."""
    mine = table[table["design"] == design]
    return mine.nlargest(n, "eur_per_inhabitant_per_year")


def administration_section(
    outcomes: pd.DataFrame, order: list[str], baseline: str, lang: str
) -> dict[str, Any] | None:
    """The brief's table of administration per act (rows) and variant (columns), in EUR
    per inhabitant per year, with a total and a sentence per variant; None without the
    per-act outcomes (runs of an older model)."""
    table = administration_by_act(outcomes)
    if table.empty or baseline not in set(table["design"]):
        return None
    wide = table.pivot_table(
        index="act", columns="design", values="eur_per_inhabitant_per_year", aggfunc="sum"
    )
    order = [d for d in order if d in wide.columns]
    acts = [a for a in ACTS if a in wide.index and (wide.loc[a, order].abs() > 0.005).any()]
    wide = wide.loc[acts, order]
    totals = wide.sum()

    def eur(x: float, signed: bool = False) -> str:
        return fmt_eur(x, decimals=1 if abs(x) < 10 else 0, lang=lang, signed=signed)

    rows = [
        {"act": t(f"acts.{a}", lang), "cells": [eur(v) for v in wide.loc[a]], "total": False}
        for a in acts
    ]
    rows.append(
        {
            "act": t("administration.total", lang),
            "cells": [eur(totals[d]) for d in order],
            "total": True,
        }
    )
    base = design_ref(baseline, lang)

    def largest(d: str) -> str:
        return t(f"acts.{wide[d].idxmax()}", lang)

    findings = [
        t(
            "administration.finding",
            lang,
            base=base,
            total=eur(totals[baseline]),
            largest=largest(baseline),
            largest_eur=eur(wide[baseline].max()),
        )
    ]
    for d in order:
        if d != baseline:
            findings.append(
                t(
                    "administration.other",
                    lang,
                    v=design_label(d, lang),
                    total=eur(totals[d]),
                    diff=eur(totals[d] - totals[baseline], signed=True),
                    base=base,
                    largest=largest(d),
                )
            )
    return {"heads": [design_label(d, lang) for d in order], "rows": rows, "findings": findings}
