"""Plausible by default: gatekeeping on mid_city lands within 30% of the Dutch figures."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from experiments.calibration.targets import in_sourced_scope
from sim import compose, run

TARGETS = Path(__file__).resolve().parent.parent / "sim" / "data" / "targets_nl.csv"
# simulated outcome -> (target row, conversion of the target to the simulated unit)
MAP = {
    "wmo_users_share": ("wmo_maatwerk_users_share_of_population", 1.0),
    "youth_care_share_under_23": ("youth_in_youth_care_share_under_23", 1.0),
    "youth_residential_share_under_23": ("youth_in_residential_care_share_under_23", 1.0),
    "wlz_share": ("wlz_indication_share_of_population", 1.0),
    "informal_carers_share_16plus": ("informal_carers_share_of_16plus", 1.0),
    "heavily_burdened_share_of_carers": ("heavily_burdened_share_of_carers", 1.0),
    "dementia_prevalence_share": ("dementia_prevalence_persons", 1.0 / 17.9e6),
    "wmo_spending_eur_per_inhabitant_per_year": ("wmo_municipal_spending_per_inhabitant", 1.0),
    # the whole social domain (issue 26): income support, youth, youth protection
    "income_support_recipients_per_1000_inhabitants": ("income_support_recipients", 1000 / 17.9e6),
    "cost_by_category__income_eur_per_inhabitant_per_year": (
        "income_support_benefits_per_inhabitant",
        1.0,
    ),
    "cost_by_financier__youth_eur_per_inhabitant_per_year": (
        "youth_municipal_spending_per_inhabitant",
        1.0,
    ),
    "wmo_youth_income_support_eur_per_inhabitant_per_year": (
        "municipal_wmo_youth_income_support_per_inhabitant",
        1.0,
    ),
    # upper bound (UPPER_BOUNDS): CBS social-domain lasten less special assistance
    "municipal_spending_eur_per_inhabitant_per_year": (
        "municipal_social_domain_spending_per_inhabitant_upper",
        1.0,
    ),
    # the four compartments less re-integration, debt counselling and benefit execution,
    # against the sum of four sourced national figures of that scope
    "municipal_spending_in_sourced_scope_eur_per_inhabitant_per_year": (
        "municipal_social_domain_in_model_scope_per_inhabitant",
        1.0,
    ),
    "children_under_supervision_share_under_18": ("youth_under_supervision", 1 / 3.4e6),
    "veilig_thuis_reports_per_1000_under_18_per_year": ("veilig_thuis_child_reports", 1000 / 3.4e6),
    "supervision_orders_per_1000_under_18_per_year": (
        "youth_supervision_orders_started",
        1000 / 3.4e6,
    ),
    # the CIZ, the care labour market, debt outreach (issue 26)
    "workforce_vacancies_per_1000_jobs": ("care_vacancy_rate_per_1000_jobs", 1.0),
    "ciz_decisions_over_legal_term_share": ("ciz_decisions_over_legal_term_share", 1.0),
    "debt_outreach_accepted_per_1000_inhabitants_per_year": (
        "debt_outreach_help_accepted_per_1000_inhabitants",
        1.0,
    ),
    "debt_counselling_starts_per_1000_inhabitants_per_year": (
        "debt_counselling_applications",
        1000 / 17.9e6,
    ),
}
TOLERANCE = 0.30 + 0.03  # 30% plus a small allowance for replication noise
# Rows that are upper bounds (targets_nl.csv unit "(upper bound)"): only an excess counts.
# The four compartments' whole spending has no sourced point figure; the CBS social-domain
# total less special assistance still holds sheltered work, sheltered housing and refugee
# reception (docs/validation.md, Notes). The point figure is the sourced-scope row above
# (the four compartments less re-integration, debt counselling and benefit execution).
UPPER_BOUNDS: set[str] = {"municipal_spending_eur_per_inhabitant_per_year"}


def _targets() -> dict[str, float]:
    with open(TARGETS, encoding="utf-8") as fh:
        return {row["target"]: float(row["value"]) for row in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def simulated() -> dict[str, float]:
    cfg = compose(
        [
            "municipality=mid_city",
            "design=gatekeeping",
            "population=15000",
            "years=2",
            "record_events=false",
        ]
    )
    runs = [dict(run(cfg, seed=s).summary) for s in (11, 12)]
    for r in runs:
        r["municipal_spending_in_sourced_scope_eur_per_inhabitant_per_year"] = in_sourced_scope(r)
    return {k: float(np.mean([r[k] for r in runs])) for k in MAP}


# Known misses, stated in docs/validation.md: strict, so the test fails the day they are met
# (then remove them here). None since the 2026-11-23 re-fit: Wmo users, the last one, is at
# about 0.73 of the Dutch share (the limit is approval, eligibility and reviews that stop
# care, not asking); the set stays so a new miss can be declared with its reason.
# Since issue 25 the kitchen table refers part of the requests to general provisions, which
# the CBS count of Wmo users leaves out: Wmo users at about 0.57 of the Dutch share until the
# re-fit (docs/validation.md).
# known misses of the merged model (issues 24 and 25) until the behaviour is re-fitted:
# docs/validation.md
# Issue 26: residential youth care is back within 30% (1.13 in docs/validation.md) with
# youth ambulant care's longer trajectories and budgets that bind.
# Issue 26's remaining targets (docs/validation.md, notes): on this setting (15,000, 2 years,
# seeds 11-12) the vacancy rate is about 2.1x the Dutch 42 per 1,000 jobs (open positions
# are mostly nursing-home and residential-ID places held back by their growth bound below
# a demand that still settles after the burn-in, no labour shortage: no hire goes
# unfilled); debt counselling starts are 1.4x the NVVK members' applications (a low
# figure: not every municipality is a member); help accepted after debt outreach is 0.64
# of Divosa's (0.80 on the validation setting; 15-25 acceptances a year here).
KNOWN_MISSES: set[str] = {
    "wmo_users_share",
    "workforce_vacancies_per_1000_jobs",
    "debt_counselling_starts_per_1000_inhabitants_per_year",
    "debt_outreach_accepted_per_1000_inhabitants_per_year",
}


@pytest.mark.parametrize(
    "outcome",
    [
        pytest.param(
            o,
            marks=pytest.mark.xfail(strict=True, reason="known miss: docs/validation.md"),
        )
        if o in KNOWN_MISSES
        else o
        for o in MAP
    ],
)
def test_base_rate_within_30_percent(simulated, outcome):
    row, factor = MAP[outcome]
    target = _targets()[row] * factor
    ratio = simulated[outcome] / target
    error = max(ratio - 1.0, 0.0) if outcome in UPPER_BOUNDS else abs(ratio - 1.0)
    assert error <= TOLERANCE, (
        f"{outcome}: simulated {simulated[outcome]:.4g}, target {target:.4g} (ratio {ratio:.2f})"
    )
