"""Budgets that bind (docs/ODD.md 7.11): each municipal compartment has its own budget,
set from the baseline year at today's budget-to-spending ratio; in today's practice youth
care overspends, so the budget pressure acts."""

from __future__ import annotations

import numpy as np
import pytest

from sim import compose, run
from sim.params import FINANCIERS

SMALL = [
    "municipality=mid_city",
    "design=gatekeeping",
    "population=2000",
    "years=1",
    "burn_in_years=6",  # the baseline year must be past the start's transient
    "record_events=false",
    "progress=false",
]


@pytest.fixture(scope="module")
def gatekeeping():
    return run(compose(SMALL), seed=7)


def test_budget_pressure_binds_in_todays_practice(gatekeeping):
    pressure = gatekeeping.weekly["budget_pressure"]
    assert (pressure > 0).sum() > 0
    assert gatekeeping.summary["budget_use__youth"] > 1.0


def test_each_budget_is_its_baseline_spending_times_the_share(gatekeeping):
    m = gatekeeping.model
    muni, shares = m.municipality, m.cfg.municipality.budget_share_of_baseline
    for f, share in shares.items():
        k = FINANCIERS.index(f)
        assert muni.budget_per_year[k] == pytest.approx(muni.baseline_spend[k] * share)


def test_a_generous_budget_does_not_bind():
    r = run(
        compose(
            [
                *SMALL,
                "municipality.budget_share_of_baseline.youth=2.0",
                "municipality.budget_share_of_baseline.wmo=2.0",
            ]
        ),
        seed=7,
    )
    assert np.all(r.weekly["budget_pressure"] == 0.0)


def test_budgets_that_grow_after_the_baseline_bind_less():
    """municipality.budget_growth_per_year: each design year's close raises every budget,
    so the same spending meets less pressure in the following years."""
    setting = [*SMALL, "years=3"]
    kept = run(compose(setting), seed=7)
    grown = run(compose([*setting, "municipality.budget_growth_per_year=0.05"]), seed=7)
    k = FINANCIERS.index("youth")
    assert grown.model.municipality.budget_per_year[k] == pytest.approx(
        kept.model.municipality.budget_per_year[k] * 1.05**3
    )
    late = slice(52, None)
    assert (
        grown.weekly["budget_pressure"].iloc[late].mean()
        < kept.weekly["budget_pressure"].iloc[late].mean()
    )
