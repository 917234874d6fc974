"""Synthetic `runs` and `outcomes` tables in the compare command's data contract.

3 designs x R replications x Y years. Replication k of every design shares one seed and one
"municipality shock" (common random numbers), so paired differences are much tighter than
the spread of each design. Year 0 is the mean over years 1..Y of each run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

# Let `import experiments` work under a bare `pytest` too (repo root not installed).
_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

DESIGNS = ("gatekeeping", "early_signalling", "yes_is_cheaper")
FINANCIERS = (
    "wmo",
    "youth",
    "participation",
    "welfare",
    "zvw",
    "wlz",
    "own_contribution",
    "care_finding_places",
)
# euros per inhabitant per year, baseline
BASE_COST = {
    "wmo": 420.0,
    "youth": 310.0,
    "participation": 150.0,
    "welfare": 60.0,
    "zvw": 520.0,
    "wlz": 640.0,
    "own_contribution": 45.0,
    "care_finding_places": 12.0,
}
# additive design effect per financier, euros per inhabitant per year
COST_EFFECT = {
    "early_signalling": {
        "wmo": -20.0,
        "youth": -45.0,
        "welfare": 25.0,
        "zvw": 10.0,
        "wlz": -70.0,
        "care_finding_places": 18.0,
    },
    "yes_is_cheaper": {
        "wmo": 60.0,
        "youth": -15.0,
        "welfare": 5.0,
        "zvw": -5.0,
        "wlz": -40.0,
        "own_contribution": 12.0,
    },
}
CATEGORY_SHARE = {"care": 0.86, "administration": 0.09, "prevention": 0.05}
CATEGORY_SHIFT = {
    "gatekeeping": (0.0, 0.0),
    "early_signalling": (-0.03, 0.03),
    "yes_is_cheaper": (0.05, -0.05),
}  # (care, administration); prevention rest
OTHER = {
    # outcome: (unit, baseline, relative effect early, relative effect yes)
    "wellbeing_index_0_100": ("index 0-100", 62.0, 0.04, 0.02),
    "unmet_need_person_weeks_per_1000_inhabitants_per_year": (
        "person-weeks per 1000 inhabitants per year",
        900.0,
        -0.30,
        -0.20,
    ),
    "weeks_from_onset_to_help_mean": ("weeks", 26.0, -0.40, -0.25),
    "escalations__residential_youth_per_1000_inhabitants_per_year": (
        "per 1000 inhabitants per year",
        1.2,
        -0.25,
        -0.05,
    ),
    "escalations__nursing_home_per_1000_inhabitants_per_year": (
        "per 1000 inhabitants per year",
        3.5,
        -0.10,
        -0.08,
    ),
    "escalations__mental_health_crisis_per_1000_inhabitants_per_year": (
        "per 1000 inhabitants per year",
        2.1,
        -0.20,
        -0.05,
    ),
    "escalations__eviction_per_1000_inhabitants_per_year": (
        "per 1000 inhabitants per year",
        0.4,
        -0.30,
        -0.10,
    ),
    "escalations__problematic_debt_per_1000_inhabitants_per_year": (
        "per 1000 inhabitants per year",
        4.0,
        -0.25,
        -0.05,
    ),
    "carer_burnouts_per_1000_inhabitants_per_year": (
        "per 1000 inhabitants per year",
        2.6,
        -0.20,
        0.05,
    ),
    "waiting_weeks_mean": ("weeks", 9.0, -0.30, -0.50),
    "admin_hours_per_1000_inhabitants_per_year": (
        "hours per 1000 inhabitants per year",
        1400.0,
        -0.30,
        -0.60,
    ),
    "informal_care_hours_per_inhabitant_per_year": (
        "hours per inhabitant per year",
        38.0,
        0.05,
        -0.05,
    ),
    "formal_care_hours_per_inhabitant_per_year": (
        "hours per inhabitant per year",
        21.0,
        0.02,
        0.10,
    ),
    "informal_care_value_eur_per_inhabitant_per_year": (
        "eur per inhabitant per year",
        760.0,
        0.05,
        -0.05,
    ),
    "users__household_help_per_1000_inhabitants": ("per 1000 inhabitants", 28.0, 0.0, 0.15),
}
PER_INH = "_eur_per_inhabitant_per_year"


# outcomes added after the tests above were written, drawn from their own stream
LATER = {
    "request_to_care_weeks_mean": ("weeks", 16.0, -0.30, -0.50),
    "request_to_decision_over_8_weeks_share": ("share of decisions", 0.4, -0.30, -0.50),
}


def make_tables(
    replications: int = 20, years: int = 5, seed: int = 7, population: int = 50_000
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (runs, outcomes) with design effects, noise and common random numbers."""
    rng = np.random.default_rng(seed)
    extra_rng = np.random.default_rng(seed + 1)  # outcomes added later: the others' draws stay
    runs, rows = [], []
    # shared per replication and year (the same citizens and life events in every design)
    shock = rng.normal(0.0, 0.04, size=(replications, years))
    for design in DESIGNS:
        for k in range(replications):
            run_id = f"{design}-{k:03d}"
            runs.append(
                {
                    "run_id": run_id,
                    "design": design,
                    "replication": k,
                    "seed": 1000 + k,
                    "population": population,
                    "years": years,
                }
            )
            own = rng.normal(0.0, 0.01, size=years)  # design-specific noise
            for y in range(1, years + 1):
                f = 1.0 + shock[k, y - 1] + own[y - 1] + 0.01 * (y - 1)
                ramp = min(1.0, y / 3)  # effects build up over three years
                total = 0.0
                for fin in FINANCIERS:
                    eff = COST_EFFECT.get(design, {}).get(fin, 0.0) * ramp
                    v = (BASE_COST[fin] + eff) * f
                    total += v
                    rows.append(
                        (
                            run_id,
                            design,
                            k,
                            y,
                            f"cost_by_financier__{fin}{PER_INH}",
                            v,
                            "eur per inhabitant per year",
                        )
                    )
                rows.append(
                    (
                        run_id,
                        design,
                        k,
                        y,
                        f"total_chain_cost{PER_INH}",
                        total,
                        "eur per inhabitant per year",
                    )
                )
                dc, da = CATEGORY_SHIFT[design]
                shares = {
                    "care": CATEGORY_SHARE["care"] + dc * ramp,
                    "administration": CATEGORY_SHARE["administration"] + da * ramp,
                }
                shares["prevention"] = 1.0 - shares["care"] - shares["administration"]
                for cat, s in shares.items():
                    rows.append(
                        (
                            run_id,
                            design,
                            k,
                            y,
                            f"cost_by_category__{cat}{PER_INH}",
                            total * s,
                            "eur per inhabitant per year",
                        )
                    )
                for name, (unit, base, e_early, e_yes) in OTHER.items():
                    rel = {"early_signalling": e_early, "yes_is_cheaper": e_yes}.get(design, 0)
                    noise = 1.0 + 2 * shock[k, y - 1] + rng.normal(0.0, 0.03)
                    rows.append(
                        (run_id, design, k, y, name, base * (1.0 + rel * ramp) * noise, unit)
                    )
                for name, (unit, base, e_early, e_yes) in LATER.items():
                    rel = {"early_signalling": e_early, "yes_is_cheaper": e_yes}.get(design, 0)
                    noise = 1.0 + 2 * shock[k, y - 1] + extra_rng.normal(0.0, 0.03)
                    rows.append(
                        (run_id, design, k, y, name, base * (1.0 + rel * ramp) * noise, unit)
                    )
    outcomes = pd.DataFrame.from_records(
        rows, columns=["run_id", "design", "replication", "year", "outcome", "value", "unit"]
    )
    year0 = outcomes.groupby(["run_id", "design", "replication", "outcome"], as_index=False).agg(
        value=("value", "mean"), unit=("unit", "first")
    )
    year0["year"] = 0
    outcomes = pd.concat([outcomes, year0[outcomes.columns]], ignore_index=True)
    outcomes["year"] = outcomes["year"].astype(int)
    outcomes["replication"] = outcomes["replication"].astype(int)
    return pd.DataFrame(runs), outcomes


def turn_variant(
    outcomes: pd.DataFrame, turn: int, design: str = "early_signalling"
) -> pd.DataFrame:
    """The design years (year > 0) of `outcomes` with `design`'s every value set to the
    baseline's (gatekeeping's) x 1.3 until year `turn` and x 0.7 after it, per replication,
    year and outcome: differences that reverse in the last years."""
    yearly = outcomes[outcomes["year"] > 0].copy()
    keys = ["replication", "year", "outcome"]
    base = yearly[yearly["design"] == "gatekeeping"].set_index(keys)["value"]
    rows = yearly["design"] == design
    factor = yearly.loc[rows, "year"].map(lambda y: 1.3 if y <= turn else 0.7)
    index = pd.MultiIndex.from_frame(yearly.loc[rows, keys])
    yearly.loc[rows, "value"] = base.reindex(index).to_numpy() * factor.to_numpy()
    return yearly
