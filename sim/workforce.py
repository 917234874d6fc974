"""The regional care workforce: the providers, the neighbourhood team and the case holders
hire their staff from one labour pool with a limited inflow, and lose staff by turnover.

A unit (a provider without contractors, a contractor, an access-staff pool) proposes its
new level (client places or hours) as before (`sim.providers.bounded_step`); the pool then
bounds it. Turnover takes `workforce_turnover_per_year` of every unit's staff; a unit that
wants to keep or grow its level must hire the leavers' replacements and its growth. The
week's hires are at most the pool's available workers; when the pool is short every unit
gets the same share of the hires it wanted (pro rata), so a unit can shrink while its
demand grows. The pool fills with the region's inflow (`workforce_inflow_per_year` of the
starting staff, changing by `workforce_pool_growth_per_year` from the design's start) and
loses the workers nobody hires (time constant `workforce_seeker_stay_weeks`). With an ample
pool every unit reaches its proposed level: the bound then changes nothing. A design's start
hires its own staff (early signalling's case holders) from the same pool (`hire`): when the
pool is short the start is partial and the rest are open positions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


@dataclass
class StaffUnit:
    """One unit that hires from the pool: its level before this week's response and the
    level it proposes, its FTE per unit of level (0: outside the pool) and the level it
    would staff for without limits (its open positions count as vacancies)."""

    before: float
    proposed: float
    fte_per_unit: float
    target: float


class Workforce:
    """The labour pool of care and welfare staff of the municipality's region in one run
    (every design in a run draws on it alone: the pool is the run's)."""

    def __init__(self, model: SocialDomainModel) -> None:
        self.model = model
        self.start_staff_fte = self.staff_fte(model)
        self.available_fte = 0.0  # workers the region offers and nobody has hired yet
        self.hired_fte = 0.0  # this week
        self.short_fte = 0.0  # hires wanted this week that the pool could not fill
        self.vacancies_fte = 0.0  # open positions after this week's hiring
        self.start_hired_fte = 0.0  # hired at a design's start (recorded in week 0)
        self.start_short_fte = 0.0  # wanted at a design's start, not in the pool

    @staticmethod
    def staff_fte(model: SocialDomainModel) -> float:
        """The staff the providers and the access pools employ now (FTE)."""
        b = model.cfg.behaviour
        places = math.fsum(
            prov.capacity_level * b.workforce_fte_per_place[prov.name] for prov in model.providers
        )
        hours = model.team.hours_per_week + model.case_holders.hours_per_week
        return places + hours / max(b.staff_hours_per_fte_week, 1e-9)

    def inflow_fte_per_week(self) -> float:
        """Workers the region offers this week: the starting staff's inflow share, changing
        at the pool's growth rate from the design's start (not during the burn-in)."""
        b = self.model.cfg.behaviour
        years = max(self.model.week, 0) / 52.0
        growth = max(1.0 + b.workforce_pool_growth_per_year, 0.0) ** years
        return self.start_staff_fte * b.workforce_inflow_per_year / 52.0 * growth

    def release(self, fte: float) -> None:
        """Staff who leave their unit without leaving the region (the team's consultants
        whose work a design's start takes away) join the pool's available workers."""
        self.available_fte += max(fte, 0.0)

    def hire(self, fte: float) -> float:
        """A one-off hire outside the weekly response (a design's start staffing): at most
        the pool's available workers. Returns the FTE hired; the rest is recorded as
        unfilled and stays open (the unit's need) for the weekly hiring."""
        wanted = max(fte, 0.0)
        hired = min(wanted, self.available_fte)
        self.available_fte -= hired
        self.start_hired_fte += hired
        self.start_short_fte += wanted - hired
        return hired

    def bound(self, units: list[StaffUnit]) -> np.ndarray:
        """The units' levels after turnover and this week's hiring from the pool."""
        b = self.model.cfg.behaviour
        before = np.array([u.before for u in units])
        proposed = np.array([u.proposed for u in units])
        fte = np.array([u.fte_per_unit for u in units])
        target = np.array([u.target for u in units])
        staffed = fte > 0
        loss = before * (1.0 - (1.0 - min(b.workforce_turnover_per_year, 1.0)) ** (1.0 / 52.0))
        wanted = np.where(staffed, np.maximum(proposed - before + loss, 0.0), 0.0)
        wanted_fte = float((wanted * fte).sum())
        self.available_fte += self.inflow_fte_per_week()
        self.hired_fte = min(wanted_fte, self.available_fte)
        self.short_fte = wanted_fte - self.hired_fte
        share = self.hired_fte / wanted_fte if wanted_fte > 0 else 1.0
        # a unit that hires keeps its level minus turnover plus its share of the hires; a
        # unit shrinking faster than turnover hires nobody and takes its proposed level
        level = proposed.copy()
        if share < 1.0:
            hires = wanted > 0
            level[hires] = (before - loss + share * wanted)[hires]
        self.available_fte -= self.hired_fte
        self.available_fte *= 1.0 - 1.0 / max(b.workforce_seeker_stay_weeks, 1.0)
        self.vacancies_fte = float((np.maximum(target - level, 0.0) * fte).sum())
        return level

    def record(self) -> None:
        """This week's figures: hires, unfilled hires, vacancies and their unfilled hours,
        the staff employed and the pool's available workers."""
        model = self.model
        rec = model.recorder
        hours = model.cfg.behaviour.staff_hours_per_fte_week
        rec.add("workforce_hired_fte", self.hired_fte + self.start_hired_fte)
        rec.add("workforce_hires_unfilled_fte", self.short_fte + self.start_short_fte)
        rec.add("workforce_start_hired_fte", self.start_hired_fte)
        rec.add("workforce_start_unfilled_fte", self.start_short_fte)
        self.start_hired_fte = self.start_short_fte = 0.0
        rec.add("workforce_vacancies_fte", self.vacancies_fte)
        rec.add("workforce_unfilled_hours", self.vacancies_fte * hours)
        rec.add("workforce_staff_fte", self.staff_fte(model))
        rec.add("workforce_pool_available_fte", self.available_fte)
