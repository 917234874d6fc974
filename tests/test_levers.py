"""Levers that do what their names say: chain care, integrated financing with shared
savings, prevention's dose-response, warm hand-off and the dose of scaled help."""

from __future__ import annotations

import numpy as np
import pytest

from sim import compose
from sim.designs.levers import prevention_onset_multipliers, prevention_reach
from sim.model import SocialDomainModel
from sim.params import DOMAINS, FINANCIERS
from sim.population import DOM, NONE, PRIORITY, PROV
from sim.run import run
from sim.stages.problems import ProblemDynamics, dose_response

SMALL = ["municipality=small_town", "population=3000", "years=2", "burn_in_years=1"]


def _run(*overrides: str):
    return run(compose([*SMALL, "record_events=false", *overrides]))


def _sum(results, outcome: str) -> float:
    return float(results.weekly[outcome].sum()) if outcome in results.weekly else 0.0


# ----------------------------------------------------------------------------- chain care
def test_chain_care_funds_case_management_fewer_admissions_more_cost():
    """Chain care: more people in dementia case management, fewer Wlz/nursing-home
    escalations (through case_management_escalation_reduction), and it costs Zvw more."""
    # 8,000 people: most nursing-home escalations are of people without case management,
    # so at 3,000 the difference in two years is within a count or two
    effect = ("behaviour.case_management_escalation_reduction=0.8", "population=8000")
    off = _run(*effect)
    on = _run(*effect, "design.levers.chain_care=true")
    users = "users__dementia_case_management_per_1000_inhabitants"
    assert on.summary[users] > 1.2 * off.summary[users]
    assert _sum(on, "escalations__nursing_home") < _sum(off, "escalations__nursing_home")
    zvw = "cost_by_financier__zvw_eur_per_inhabitant_per_year"
    assert on.summary[zvw] > off.summary[zvw]
    items = set(on.ledger["item"])
    assert {"chain_care_coordination"} <= items
    assert (
        not items & {"chain_care_coordination", "chain_care_idle_places"} & set(off.ledger["item"])
    )


def test_chain_care_can_lose_without_effect():
    """With no effect of case management on admissions chain care only costs money."""
    no_effect = "behaviour.case_management_escalation_reduction=0.0"
    off = _run(no_effect)
    on = _run(no_effect, "design.levers.chain_care=true")
    total = "total_chain_cost_eur_per_inhabitant_per_year"
    assert on.summary[total] > off.summary[total]


def test_chain_care_off_is_todays_referral_and_ignores_its_parameters():
    base = _run()
    same = _run(
        "behaviour.gp_dementia_referral_prob=0.5",
        "design.levers.chain_care_coverage=2.0",
        "design.levers.chain_care_coordination_hours_per_case_week=5.0",
    )
    assert base.summary == same.summary
    fewer = _run("behaviour.gp_dementia_referral_prob=0.0")
    users = "users__dementia_case_management_per_1000_inhabitants"
    assert fewer.summary[users] < base.summary[users]


# ----------------------------------------------------------------------------- financing
@pytest.mark.parametrize("design", ["gatekeeping", "yes_is_cheaper"])
def test_shared_savings_move_money_from_zvw_and_wlz_to_prevention(design):
    """Spending avoided in Zvw/Wlz against the baseline returns (a share, after the lag)
    as prevention that the saving compartment pays; totals stay the ledger's sums."""
    cfg = compose(
        [
            *SMALL,
            f"design={design}",
            "design.levers.integrated_financing=true",
            "design.levers.shared_savings_share=0.5",
            "design.levers.shared_savings_lag_years=1",
        ]
    )
    m = SocialDomainModel(cfg)
    muni = m.municipality
    assert muni.baseline_spend is not None and muni.pool_budget_per_year is not None
    w = muni.pool_weights
    expected = float(muni.baseline_spend @ w) * (1.0 + cfg.design.levers.pool_margin)
    assert muni.pool_budget_per_year == pytest.approx(expected)
    assert w[FINANCIERS.index("wlz")] == cfg.design.levers.pool_share_wlz
    # the baseline year spent 2 million more in each compartment than the design does
    for f in ("zvw", "wlz"):
        muni.baseline_spend[FINANCIERS.index(f)] += 2e6
    cost = 0.0
    while m.running:
        m.step()
        cost += m.recorder.last("cost_eur")
    ledger = m.ledger.to_frame()
    rows = ledger[ledger["item"] == "shared_savings_prevention"]
    by_fin = rows.groupby("financier", observed=True)["eur"].sum()
    assert set(by_fin.index) == {"zvw", "wlz"}
    assert (rows["category"] == "prevention").all()
    assert (rows["week"] >= 52).all()  # year 0's saving is spent in year 1
    saved = muni.savings_by_year[0]
    for f in ("zvw", "wlz"):
        assert by_fin[f] == pytest.approx(0.5 * saved[FINANCIERS.index(f)], rel=1e-9)
    assert cost == pytest.approx(ledger["eur"].sum(), rel=1e-9)
    assert m.recorder.cost_to_date_eur == pytest.approx(ledger["eur"].sum(), rel=1e-9)


def test_without_integrated_financing_no_money_moves():
    m = SocialDomainModel(compose(SMALL))
    m.municipality.baseline_spend[FINANCIERS.index("wlz")] += 2e6
    while m.running:
        m.step()
    assert "shared_savings_prevention" not in set(m.ledger.to_frame()["item"])


def test_pooled_pressure_against_the_pooled_budget():
    m = SocialDomainModel(compose([*SMALL, "design.levers.integrated_financing=true"]))
    muni = m.municipality
    spend = np.zeros(len(FINANCIERS))
    spend[FINANCIERS.index("wlz")] = (
        2.0 * muni.pool_budget_per_year / 52.0 / muni.pool_weights[FINANCIERS.index("wlz")]
    )
    muni._recent.clear()
    muni.update_pressure(spend)
    assert muni.pressure == pytest.approx(1.0)
    muni._recent.clear()
    muni.update_pressure(spend * 0.0)
    assert muni.pressure == 0.0


# ----------------------------------------------------------------------------- prevention
def test_prevention_dose_response_saturates_and_zero_spend_does_nothing():
    b = compose([]).behaviour
    assert np.all(prevention_onset_multipliers(0.0, b) == 1.0)
    spends = [0.0, 10.0, 20.0, 40.0, 80.0, 160.0]
    cut = [1.0 - prevention_onset_multipliers(s, b)[DOM["debt"]] for s in spends]
    gains = np.diff(cut)
    assert np.all(gains > 0)  # more spend, more reduction
    assert np.all(np.diff(gains) < 0)  # diminishing
    assert cut[-1] <= b.prevention_onset_reduction_reached["debt"]
    assert prevention_reach(1e6, b.prevention_reach_scale_eur) == pytest.approx(1.0)
    # domains prevention does not address are untouched; the table picks them
    mult = prevention_onset_multipliers(50.0, b)
    for d in DOMAINS:
        if d not in b.prevention_onset_reduction_reached:
            assert mult[DOM[d]] == 1.0
    b.prevention_onset_reduction_reached = {"frailty": 0.5}
    mult = prevention_onset_multipliers(50.0, b)
    assert mult[DOM["frailty"]] < 1.0 and mult[DOM["debt"]] == 1.0


def test_prevention_spend_lowers_onsets():
    def onsets(spend: float) -> float:
        r = _run("design=early_signalling", f"design.levers.prevention_eur_per_inhabitant={spend}")
        return _sum(r, "onsets")

    assert onsets(100.0) < onsets(0.0)


# ----------------------------------------------------------------------------- warm hand-off
def _dropouts(warm: bool) -> int:
    m = SocialDomainModel(
        compose(
            [
                "population=2000",
                "years=1",
                "burn_in_years=0",
                "design=early_signalling",
                f"design.warm_handover={str(warm).lower()}",
                "behaviour.dropout_per_week.household_help=0.5",
            ]
        )
    )
    p = PROV["household_help"]
    pop = m.pop
    idx = np.flatnonzero(~pop.in_care[p])[:400]
    pop.waiting_since[p] = NONE
    pop.waiting_since[p, idx] = m.week - PRIORITY  # entered by a warm hand-off
    pop.rebuild_index()  # the arrays were written directly
    m.stages["queues.dropout"].step(m)
    return int(np.count_nonzero(pop.waiting_since[p, idx] == NONE))


def test_warm_handover_lowers_dropout():
    cold, warm = _dropouts(False), _dropouts(True)
    assert 0 < warm < cold


# ----------------------------------------------------------------------------- dose
def test_higher_dose_costs_more_and_protects_more_consistently():
    m = SocialDomainModel(
        compose(["population=2000", "years=1", "burn_in_years=0", "design=early_signalling"])
    )
    b = m.cfg.behaviour
    prov = m.providers[PROV["guidance"]]
    assert prov.params.effect_per_week > 0 and prov.params.growth_reduction > 0
    pop = m.pop
    people = np.flatnonzero(~pop.in_care[prov.index])[:3]
    pop.in_care[prov.index, people] = True
    pop.in_care[:, people] = False
    pop.in_care[prov.index, people] = True
    pop.rebuild_index()  # the arrays were written directly
    pop.contractor[prov.row, people] = 0  # guidance_general: effect factor 1, no slope
    pop.severity[:, people] = 0.0
    d = prov.domains[0]
    pop.severity[d, people] = [0.2, 0.5, 0.7]
    dose = m.design.dose(m, prov.index, people)
    assert np.all(np.diff(dose) > 0)
    assert dose[1] == pytest.approx(1.0)  # at the pivot
    assert dose[0] == pytest.approx(b.dose_min)
    cost = prov.deliver(people, dose, 1.0)
    assert cost / cost[1] == pytest.approx(dose, rel=1e-6)  # cost follows the dose
    protection = ProblemDynamics._protection(m, prov.index, prov.params.growth_reduction, people)
    expected = np.minimum(prov.params.growth_reduction * dose_response(dose, m), 1.0)
    assert protection == pytest.approx(expected, rel=1e-6)
    assert np.all(np.diff(protection) > 0)  # protects more at a higher dose
    # effect per week follows the same dose-response
    before = pop.severity[d, people].copy()
    m.stages["problems.effects_of_care"].step(m)
    drop = before - pop.severity[d, people]
    assert drop / drop[1] == pytest.approx(dose_response(dose, m), rel=1e-4)
