"""Demand from what a person faces (own contribution, intake effort, the neighbourhood's
experience of approval) and access staff with a price (issue 10, points 1 and 2)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim import compose
from sim.config import ConfigError
from sim.designs.levers import own_contribution_fee_per_week, own_contribution_income_share
from sim.model import SocialDomainModel
from sim.params import DOMAINS, DesignParams

SMALL = ["population=2000", "years=1", "burn_in_years=0", "record_events=false"]


def small_model(*overrides: str) -> SocialDomainModel:
    return SocialDomainModel(compose([*SMALL, *overrides]))


def asking_people(m: SocialDomainModel, domain: str) -> np.ndarray:
    """Everyone, made to face an unhelped problem in `domain` (the asking rule's inputs)."""
    idx = np.arange(m.n)
    m.access.unhelped_domain[idx] = DOMAINS.index(domain)
    m.access.unhelped_max[idx] = 0.6
    return idx


def by_income(m: SocialDomainModel, idx: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.array([values[m.pop.income[idx] == g].mean() for g in range(3)])


# ----------------------------------------------------------------------------- 1. demand
def test_a_higher_fee_relative_to_income_means_less_asking():
    """Under the income-dependent fee the group that pays the larger share of its income
    asks least; the flat fee raises asking of every group for which it is cheaper; a
    problem without an own contribution (youth care) is not affected by the fee. (Without
    the private market, which lowers high incomes' asking further: tests/test_private_market.py.)"""
    probs, shares = {}, {}
    for oc in ("flat", "income"):
        no_market = "behaviour.private_help_max_income_share=0"
        m = small_model(f"design.levers.own_contribution={oc}", no_market)
        idx = asking_people(m, "frailty")
        probs[oc] = by_income(m, idx, m.design.asking_probability(m, idx))
        shares[oc] = by_income(m, idx, own_contribution_income_share(m, idx))
        fees = by_income(m, idx, own_contribution_fee_per_week(m)[idx])
        if oc == "income":
            # the fee rises with income (CAK schedule), so middle and high pay more than flat
            assert fees[0] < fees[1] <= fees[2]
            youth = asking_people(m, "youth_family")
            no_fee = m.design.asking_probability(m, youth)
        m.remove_from_mesa_registry()
    # within one schedule: the ranking of asking is the reverse of the fee share's
    assert np.array_equal(np.argsort(probs["income"]), np.argsort(-shares["income"]))
    cheaper = shares["flat"] < shares["income"]
    assert cheaper[1] and cheaper[2]  # the flat fee is cheaper for middle and high incomes
    assert np.all(probs["flat"][cheaper] > probs["income"][cheaper])
    assert np.all(no_fee >= probs["flat"].max() * 0.999)


def test_the_ledger_and_the_asking_decision_read_one_fee_schedule():
    m = small_model("design.levers.own_contribution=income")
    idx = np.arange(m.n)
    income_week = np.asarray(m.cfg.behaviour.income_eur_per_year)[m.pop.income] / 52.0
    share = own_contribution_income_share(m, idx)
    np.testing.assert_allclose(share * income_week, own_contribution_fee_per_week(m), rtol=1e-9)
    m.remove_from_mesa_registry()


def test_more_intake_effort_means_less_asking():
    probs = {}
    for hours in (1.0, 12.0):
        m = small_model(f"design.intake_hours={hours}")
        idx = asking_people(m, "loneliness")
        probs[hours] = m.design.asking_probability(m, idx)
        follow = m.design.advice_follow_probability(m, idx)
        probs[f"advice{hours}"] = follow
        m.remove_from_mesa_registry()
    assert np.all(probs[12.0] < probs[1.0])
    assert np.all(probs["advice12.0"] < probs["advice1.0"])


def test_a_neighbourhood_that_experiences_refusals_asks_less():
    m = small_model()
    access = m.access
    idx = asking_people(m, "mental_health")
    before = m.design.asking_probability(m, idx)
    hood = access.neighbourhood
    refused = np.flatnonzero(hood == 0)[:50]
    approved = np.flatnonzero(hood == 1)[:50]
    for _ in range(26):  # half a year of decisions
        access.decide(np.array([], dtype=np.int64), refused, m.design.p)
        access.decide(approved, np.array([], dtype=np.int64), m.design.p)
        access.remember_decisions()
    after = m.design.asking_probability(m, idx)
    assert access.approval_memory[0] < access.approval_memory[2] < access.approval_memory[1]
    assert np.all(after[hood[idx] == 0] < before[hood[idx] == 0])
    assert np.all(after[hood[idx] == 1] > before[hood[idx] == 1])
    assert np.allclose(after[hood[idx] == 2], before[hood[idx] == 2])  # no decisions there
    m.remove_from_mesa_registry()


def test_neighbourhoods_are_keyed_and_the_same_in_every_design():
    a = small_model("design=gatekeeping")
    b = small_model("design=yes_is_cheaper")
    assert np.array_equal(a.access.neighbourhood, b.access.neighbourhood)
    k = a.cfg.municipality.neighbourhoods
    counts = np.bincount(a.access.neighbourhood, minlength=k)
    assert counts.size == k and counts.min() > 0.5 * a.n / k
    a.remove_from_mesa_registry()
    b.remove_from_mesa_registry()


def test_no_design_specific_asking_constants_and_no_flat_fee_switch():
    names = {f.name for f in dataclasses.fields(DesignParams)}
    for gone in (
        "flat_fee_demand_uplift",
        "self_referral_threshold",
        "self_referral_prob_per_week",
        "advice_follow_prob",
    ):
        assert gone not in names
    with pytest.raises(ConfigError):
        compose(["design=yes_is_cheaper", "design.flat_fee_demand_uplift=0"])
    behaviours = {
        d: compose([f"design={d}"]).behaviour
        for d in ("gatekeeping", "early_signalling", "yes_is_cheaper")
    }
    assert behaviours["gatekeeping"] == behaviours["early_signalling"]
    assert behaviours["gatekeeping"] == behaviours["yes_is_cheaper"]


# ----------------------------------------------------------------------------- 2. staff
def test_higher_expertise_costs_more_per_hour():
    low = small_model("design.assessor_expertise=0.2")
    high = small_model("design.assessor_expertise=0.9")
    assert high.design.staff_hour_eur(high) > low.design.staff_hour_eur(low)
    costs = {}
    for name, m in (("low", low), ("high", high)):
        m.step()
        led = m.ledger.to_frame()
        team = led[led["item"].str.startswith("team_")]["eur"].sum()
        costs[name] = team / m.team.start_hours_per_week  # one week: EUR per staffed hour
        m.remove_from_mesa_registry()
    assert costs["high"] > costs["low"]


def test_idle_staff_cost_money():
    """With nobody asking the team is still paid for its staffed hours."""
    m = small_model("behaviour.asking_prob_per_week=0", "behaviour.advice_follow_prob=0")
    m.pop.request_since[:] = -(2**31)
    m.pop.indicated_until[:] = -(2**31)
    hours = m.team.hours_per_week
    m.step()
    led = m.ledger.to_frame()
    assert m.recorder.weekly[-1].get("requests", 0) == 0
    assert m.team.week_hours == 0 and m.team.hours_used == 0
    team = led[led["item"].str.startswith("team_")]["eur"].sum()
    assert team == pytest.approx(hours * m.design.staff_hour_eur(m))
    assert not led["item"].str.startswith(("assessment", "review")).any()
    m.remove_from_mesa_registry()


@pytest.mark.parametrize("design", ["gatekeeping", "early_signalling", "yes_is_cheaper"])
def test_staff_hours_are_administration_in_every_design(design):
    m = small_model(f"design={design}")
    for _ in range(4):
        m.step()
    led = m.ledger.to_frame()
    staff = led[led["item"].str.startswith(("team_", "case_holders_"))]
    assert len(staff) > 0
    assert set(staff["category"].astype(str)) == {"administration"}
    assert "case_holding" not in set(led["item"])
    if design == "early_signalling":
        assert led["item"].str.startswith("case_holders_").any()
    m.remove_from_mesa_registry()


def test_case_holders_follow_their_queue_like_the_team():
    """Early signalling's case-holder hours grow, bounded, with a sustained queue of signals
    and shrink, bounded, without one; they are recruited from the team at the start, and
    the team's idle hours keep moving to them (beside the hiring bound)."""
    m = small_model("design=early_signalling")
    today = small_model("design=gatekeeping")  # the same burn-in, without the move
    b = m.cfg.behaviour
    start = m.case_holders.start_hours_per_week  # week 0: moved over from the team
    assert start > 0
    assert m.team.hours_per_week == pytest.approx(max(today.team.hours_per_week - start, 0.0))
    today.remove_from_mesa_registry()
    m.step()
    supply = m.stages["supply.response"]
    m.pop.signal_since[: m.n // 2] = m.week
    grown, team = m.case_holders.hours_per_week, m.team.hours_per_week
    for _ in range(52):
        supply.step(m)
    assert m.case_holders.hours_per_week > grown
    # hired within the growth bound; beyond it only what the idle team moved over
    moved = team - m.team.hours_per_week
    assert moved > 0
    hired = m.case_holders.hours_per_week - grown - moved
    assert hired <= grown * b.team_max_growth_per_year + 1e-6
    m.pop.signal_since[:] = -(2**31)
    m.pop.request_since[:] = -(2**31)
    m.pop.case_holder[:] = False
    high = m.case_holders.hours_per_week
    for _ in range(52 * 4):  # the smoothed need first has to fall (lag)
        supply.step(m)
    assert m.case_holders.hours_per_week < high
    assert m.case_holders.hours_per_week >= high * (1 - b.team_max_shrink_per_year) ** 4 - 1e-6
    m.remove_from_mesa_registry()
