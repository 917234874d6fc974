"""The regional workforce (issue 26, point 4): providers and the access staff hire from one
labour pool with a limited inflow and lose staff by turnover."""

from __future__ import annotations

import pytest

from sim import compose
from sim.model import SocialDomainModel
from sim.population import PROV
from sim.workforce import StaffUnit

SETTING = ["municipality=small_town", "record_events=false", "seed=4", "burn_in_years=0"]


def _model(*overrides: str, population: int = 3000, years: int = 1) -> SocialDomainModel:
    return SocialDomainModel(
        compose([*SETTING, f"population={population}", f"years={years}", *overrides])
    )


def test_hires_never_exceed_the_pool_and_are_shared_pro_rata():
    """Two units that want 10 and 30 FTE of hires from a pool of 8 available get 2 and 6
    (after this week's inflow, set to 0 here); a unit outside the pool (0 FTE per place)
    takes its proposed level; with an ample pool every unit reaches its proposed level."""
    m = _model("behaviour.workforce_inflow_per_year=0", "behaviour.workforce_turnover_per_year=0")
    wf = m.workforce
    wf.available_fte = 8.0
    units = [
        StaffUnit(100.0, 110.0, 1.0, 110.0),
        StaffUnit(50.0, 80.0, 1.0, 80.0),
        StaffUnit(20.0, 40.0, 0.0, 40.0),
    ]
    level = wf.bound(units)
    assert level == pytest.approx([102.0, 56.0, 40.0])
    assert wf.hired_fte == pytest.approx(8.0)
    assert wf.short_fte == pytest.approx(32.0)
    assert wf.vacancies_fte == pytest.approx(8.0 + 24.0)
    wf.available_fte = 1000.0
    assert wf.bound(units) == pytest.approx([110.0, 80.0, 40.0])


def test_a_provider_cannot_hire_beyond_the_pool():
    """With no inflow into the pool nobody is hired: every staffed provider and the team
    shrink by turnover (15% a year) although household help may grow 100% a year toward
    its demand; with the default inflow the same providers keep their staff."""
    free = "behaviour.capacity_max_growth_per_year.household_help=1.0"
    dry = _model("behaviour.workforce_inflow_per_year=0", free)
    wet = _model(free)
    start = {p.name: p.capacity_level for p in dry.providers}
    team0 = dry.team.hours_per_week
    for m in (dry, wet):
        for _ in range(m.horizon_weeks):
            m.step()
        m.remove_from_mesa_registry()
    y = dry.recorder.yearly_frame().iloc[0]
    assert y["workforce_hired_fte"] == 0
    assert y["workforce_hires_unfilled_fte"] > 0
    hh = PROV["household_help"]
    assert dry.providers[hh].capacity_level <= 0.86 * start["household_help"]
    assert dry.team.hours_per_week <= 0.86 * team0 + 1e-9
    staffed = [p for p in dry.providers if dry.cfg.behaviour.workforce_fte_per_place[p.name] > 0]
    for p in staffed:
        assert p.capacity_level <= 0.86 * start[p.name] + 1.0
    y_wet = wet.recorder.yearly_frame().iloc[0]
    assert y_wet["workforce_hired_fte"] > 0 and y_wet["workforce_hires_unfilled_fte"] == 0
    assert wet.team.hours_per_week > 1.05 * dry.team.hours_per_week
    assert wet.providers[hh].capacity_level > dry.providers[hh].capacity_level
    # fewer places and fewer consultants' hours: more people waiting
    waiting = [m.recorder.weekly_frame()["waiting_persons"].iloc[-13:].mean() for m in (dry, wet)]
    assert waiting[0] > waiting[1]


def test_a_design_start_hires_its_case_holders_from_the_pool():
    """Early signalling's case holders at week 0 come from the labour pool. Without a team
    to free consultants and with an empty pool (no burn-in, no inflow) the start is empty:
    the wanted FTE are recorded as unfilled and stay open; with workers in the pool
    (a burn-in with a large inflow) the start is full and the pool loses them; with
    today's team its consultants are freed into the pool and hired back (a full start,
    the team smaller by the start's hours)."""
    design = ["design=early_signalling", "municipality.team_hours_per_week_per_1000=0"]
    dry = _model(*design, "behaviour.workforce_inflow_per_year=0", years=1)
    hours = dry.cfg.behaviour.staff_hours_per_fte_week
    wanted = dry.cfg.design.case_holder_fte_per_1000 * dry.n / 1000.0
    assert wanted > 0
    assert dry.case_holders.hours_per_week == 0.0
    assert dry.case_holders.hours_needed == pytest.approx(wanted * hours)
    assert dry.workforce.start_short_fte == pytest.approx(wanted)
    dry.step()
    week0 = dry.recorder.weekly_frame().iloc[0]
    assert week0["workforce_start_unfilled_fte"] == pytest.approx(wanted)
    assert week0["workforce_start_hired_fte"] == 0.0
    dry.remove_from_mesa_registry()

    # a pool with workers: burn-in of one year under a large inflow
    wet = _model(*design, "burn_in_years=1", "behaviour.workforce_inflow_per_year=1")
    assert wet.case_holders.hours_per_week == pytest.approx(wanted * hours)
    assert wet.workforce.start_hired_fte == pytest.approx(wanted)
    assert wet.workforce.start_short_fte == 0.0
    wet.remove_from_mesa_registry()

    # today's team: its freed consultants staff the start through the pool
    team = _model("design=early_signalling", "behaviour.workforce_inflow_per_year=0")
    team0 = team.cfg.municipality.team_hours_per_week_per_1000 * team.n / 1000.0
    assert team.case_holders.hours_per_week == pytest.approx(wanted * hours)
    assert team.team.hours_per_week == pytest.approx(team0 - wanted * hours)
    assert team.workforce.available_fte == pytest.approx(0.0, abs=1e-9)
    team.remove_from_mesa_registry()
