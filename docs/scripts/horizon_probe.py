"""Probe for docs/discovery.md (issue 25, round c, "past the horizon"): gatekeeping against
yes-is-cheaper over a long horizon, year by year.

    python docs/scripts/horizon_probe.py OUT.csv SEED POPULATION YEARS SHARE_SCALE [key=value ...]

An override `DESIGN:key=value` (e.g. `yes_is_cheaper:design.intake_hours=4.0`) applies to
that design only, as a factor with `designs:` in the uncertainty file does. SHARE_SCALE
scales every `formal_care_need_met_share` (capped at 1), as the uncertainty factor
`formal_care_need_met` does. Both designs start from the seed's shared burn-in. It writes
the yearly outcomes listed in OUTCOMES (long format: design, year, outcome, value) and
prints unmet need, its ratio, budget pressure and the intake queue by year. The model is
not changed."""

from __future__ import annotations

import sys

import pandas as pd
from staff_shortage_probe import probe_config  # the same directory

from sim import run
from sim.burn_in import BurnInStore

UNMET = "unmet_need_person_weeks_per_1000_inhabitants_per_year"
OUTCOMES = [
    UNMET,
    "budget_pressure_mean",
    "budget_use__wmo",
    "budget_use__youth",
    "intake_queue_persons_per_1000_inhabitants",
    "waiting_list_persons_per_1000_inhabitants",
    "request_to_care_weeks_mean",
    "request_to_decision_weeks_mean",
    "met_by_formal_need_weeks_per_1000_inhabitants_per_year",
    "met_by_informal_need_weeks_per_1000_inhabitants_per_year",
    "met_by_general_need_weeks_per_1000_inhabitants_per_year",
    "informal_care_hours_per_inhabitant_per_year",
    "formal_care_hours_per_inhabitant_per_year",
    "workforce_hires_unfilled_fte_per_1000_inhabitants_per_year",
    "workforce_vacancies_fte_per_1000_inhabitants",
    "wmo_spending_eur_per_inhabitant_per_year",
    "users__household_help_per_1000_inhabitants",
    "users__social_work_per_1000_inhabitants",
    "escalations__nursing_home_per_1000_inhabitants_per_year",
    "wlz_share",
]
DESIGNS = ("gatekeeping", "yes_is_cheaper")


def main(argv: list[str]) -> None:
    out, seed, population, years, scale = (
        argv[0],
        int(argv[1]),
        int(argv[2]),
        int(argv[3]),
        float(argv[4]),
    )
    overrides = argv[5:]
    store = BurnInStore()
    frames = []
    for design in DESIGNS:
        mine = [
            o.split(":", 1)[-1] for o in overrides if ":" not in o or o.startswith(design + ":")
        ]
        cfg = probe_config(design, population, years, mine, scale)
        y = run(cfg, seed=seed, burn_in=store).yearly
        y = y[y["outcome"].isin(OUTCOMES)][["year", "outcome", "value"]].copy()
        y["design"] = design
        frames.append(y)
    df = pd.concat(frames)
    df["seed"] = seed
    df.to_csv(out, index=False)
    wide = df.pivot_table(index="year", columns=["outcome", "design"], values="value")
    u = wide[UNMET]
    table = pd.DataFrame(
        {
            "gk": u["gatekeeping"].round(),
            "yic": u["yes_is_cheaper"].round(),
            "ratio": (u["yes_is_cheaper"] / u["gatekeeping"]).round(2),
            "press_gk": wide["budget_pressure_mean"]["gatekeeping"].round(2),
            "press_yic": wide["budget_pressure_mean"]["yes_is_cheaper"].round(2),
            "wmo_use_yic": wide["budget_use__wmo"]["yes_is_cheaper"].round(2),
            "queue_gk": wide["intake_queue_persons_per_1000_inhabitants"]["gatekeeping"].round(1),
            "queue_yic": wide["intake_queue_persons_per_1000_inhabitants"]["yes_is_cheaper"].round(
                1
            ),
        }
    )
    print(f"seed {seed}, {population}, {years} years, shares x{scale}, {' '.join(overrides)}")
    print(table.to_string(), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
