"""What indications, decisions and accountability cost: administration per act and
variant (docs/ODD.md 7.15), from the yearly outcomes `admin_by_act__<act>_...`."""

from __future__ import annotations

import pandas as pd

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
