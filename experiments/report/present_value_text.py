"""The present value and payback year in words and as a table, for the brief.

Reads the table of `experiments.report.present_value.present_values` (per variant and
actor: the paired difference in present value with the baseline and the payback year); the
words come from the catalogues (`present_value.*` in texts/<lang>.yaml).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from experiments.report.mkba import ACTORS, SOCIETY, actor_name
from experiments.report.numbers import fmt_eur, fmt_eur_compact, fmt_pct
from experiments.report.style import design_label
from experiments.report.texts import t


def _payback(row: pd.Series, key: str, lang: str) -> str:
    year, years = row["payback_year"], int(row["years"])
    if pd.isna(year):
        return t(f"present_value.{key}_none", lang, y=years)
    if key == "payback" and int(year) == 1:
        return t("present_value.payback_first", lang, y=1)
    return t(f"present_value.{key}", lang, y=int(year))


def present_value_line(table: pd.DataFrame, design: str, base: str, lang: str) -> str | None:
    """The net present value of `design` against the baseline (`base`, its name quoted) for
    the municipality and for society (carers' hours valued), for the whole municipality,
    with the payback years; None when the table lacks them."""
    rows = table[table["design"] == design].set_index("actor")
    if not {"municipality", SOCIETY} <= set(rows.index):
        return None
    mun, soc = rows.loc["municipality"], rows.loc[SOCIETY]
    if pd.isna(mun["difference_eur_municipality"]):
        return None
    head = t(
        "present_value.headline",
        lang,
        base=base,
        y=int(mun["years"]),
        rate=fmt_pct(float(mun["discount_rate"]), lang, 2),
        mun=fmt_eur_compact(float(mun["difference_eur_municipality"]), lang, signed=True),
        soc=fmt_eur_compact(float(soc["difference_eur_municipality"]), lang, signed=True),
    )
    return " ".join([head, _payback(mun, "payback", lang), _payback(soc, "payback_society", lang)])


def present_value_table(
    table: pd.DataFrame, others: Sequence[str], base: str, lang: str
) -> dict[str, Any] | None:
    """Per actor and compared variant: the paired difference in present value per
    inhabitant (median, 90% interval) with the baseline (`base`, its name quoted) and the
    payback year; None when there is nothing."""
    diffs = table.dropna(subset=["difference_eur_per_inhabitant"])
    if diffs.empty or not others:
        return None
    rows = []
    for actor in [*ACTORS, SOCIETY]:
        by_variant = diffs[diffs["actor"] == actor].set_index("design")
        if by_variant.empty:
            continue
        cells: list[dict[str, str] | None] = []
        for d in others:
            if d not in by_variant.index:
                cells.append(None)
                continue
            r = by_variant.loc[d]
            year = r["payback_year"]
            cells.append(
                {
                    "value": fmt_eur(r["difference_eur_per_inhabitant"], 0, lang, signed=True),
                    "interval": f"{fmt_eur(r['p5'], 0, lang, signed=True)} … "
                    f"{fmt_eur(r['p95'], 0, lang, signed=True)}",
                    "payback": t("present_value.table_payback", lang, y=int(year))
                    if not pd.isna(year)
                    else t("present_value.table_no_payback", lang),
                }
            )
        rows.append({"actor": actor_name(actor, lang), "total": actor == SOCIETY, "cells": cells})
    first = diffs.iloc[0]
    return {
        "lead": t(
            "present_value.table_lead",
            lang,
            y=int(first["years"]),
            base=base,
            rate=fmt_pct(float(first["discount_rate"]), lang, 2),
        ),
        "heads": [design_label(d, lang) for d in others],
        "rows": rows,
    }


__all__ = ["present_value_line", "present_value_table"]
