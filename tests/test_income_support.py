"""Work and income (docs/ODD.md 7.21): income support is booked to participation, debt
raises the entry into income support, and a carer who stops working can end up on it."""

from __future__ import annotations

import numpy as np
import pytest

from sim import SocialDomainModel, compose, run

SMALL = [
    "municipality=mid_city",
    "population=3000",
    "years=1",
    "burn_in_years=1",
    "record_events=false",
    "progress=false",
]


@pytest.fixture(scope="module")
def result():
    return run(compose(SMALL), seed=5)


def test_income_support_is_booked_to_participation(result):
    q = result.model.cfg.behaviour.income_support
    ledger = result.model.ledger.to_frame()
    benefit = ledger[ledger["item"] == "income_support_benefit"]
    assert set(benefit["financier"]) == {"participation"}
    assert set(benefit["category"]) == {"income"}
    # every week's benefit is the week's recipients x the benefit per week
    recipients = (
        result.weekly.set_index("week")["income_support_recipients"]
        if ("income_support_recipients" in result.weekly)
        else None
    )
    per_week = benefit.groupby("week")["eur"].sum()
    if recipients is not None:
        np.testing.assert_allclose(
            per_week.to_numpy(),
            recipients.loc[per_week.index].to_numpy() * q.benefit_eur_per_year / 52,
        )
    assert per_week.sum() > 0
    # the share of working-age people on income support is near the CBS level (3.5%)
    assert 0.02 < result.summary["income_support_share_of_working_age"] < 0.06


def _entries(overrides: list[str], weeks: int = 104) -> tuple[float, float]:
    m = SocialDomainModel(compose([*SMALL, "burn_in_years=0", *overrides]), seed=3)
    entries = from_care = 0.0
    for _ in range(weeks):
        m.step()
        entries += m.recorder.weekly[-1].get("income_support_entries", 0.0)
        from_care += m.recorder.weekly[-1].get("income_support_entries_from_care", 0.0)
    return entries, from_care


def test_debt_raises_the_entry_into_income_support():
    low, _ = _entries(["behaviour.income_support.debt_entry_multiplier=0"])
    high, _ = _entries(["behaviour.income_support.debt_entry_multiplier=8"])
    assert high > low


def test_a_carer_who_stops_working_can_need_income_support():
    none = [
        "behaviour.income_support.carer_stop_work_per_year=0",
        "behaviour.income_support.carer_hours_limit=1",
    ]
    some = [
        "behaviour.income_support.carer_stop_work_per_year=1",
        "behaviour.income_support.carer_hours_limit=1",
        "behaviour.income_support.carer_support_share_by_income=[1,1,1]",
    ]
    assert _entries(none)[1] == 0
    assert _entries(some)[1] > 0


def test_newborn_in_a_slot_inherits_no_income_support():
    m = SocialDomainModel(compose([*SMALL, "burn_in_years=0"]), seed=2)
    stage = m.income_support
    for _ in range(20):
        m.step()
        young = m.pop.age < 18
        assert not stage.on_support[young].any()
        assert not stage.employed[young].any()
