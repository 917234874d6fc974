"""Money levers and budget pressure: chain care's funded case management and the shared
savings that fund prevention (`levers.funding`, before care), and the municipality
weighing the week's spending against its budget, or the pooled budget under integrated
financing (`municipality.budget_pressure`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.designs.levers import active_levers
from sim.params import FINANCIERS
from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


class LeverFunding(Stage):
    """At a design year's start the municipality settles the shared savings due that year,
    and the levers that are on start their year (`Lever.start_year`: chain care funds its
    places). Each week prevention paid from shared savings is booked to the compartment that
    saved, then the levers fund what they fund (`Lever.weekly_funding`: chain care keeps
    dementia case management at least at its funded places and books idle places and
    coordination hours)."""

    name = "levers.funding"
    purpose = "chain care funds case-management places; shared savings fund prevention"

    def step(self, model: SocialDomainModel) -> None:
        municipality = model.municipality
        levers = active_levers(model)
        if model.week >= 0 and model.week % 52 == 0:
            municipality.start_year(model.week // 52)
            for lever in levers:
                lever.start_year(model)
        for k in (municipality.shared_prevention_per_week > 0).nonzero()[0]:
            amount = float(municipality.shared_prevention_per_week[k])
            model.book(FINANCIERS[k], "prevention", "shared_savings_prevention", amount)
            municipality.year_transfers[k] += amount
        for lever in levers:
            lever.weekly_funding(model)


class BudgetPressure(Stage):
    """The municipality adds the week's spending to its year (closing the year at its last
    week: baseline, shared savings) and updates the budget pressure its consultants feel:
    Wmo + youth spending against the municipal budget, or the pooled spending against the
    pooled budget under integrated financing."""

    name = "municipality.budget_pressure"
    purpose = "Wmo + youth spend (or the pooled spend, if integrated) against the budget"

    def step(self, model: SocialDomainModel) -> None:
        spend = model.ledger.week_by_financier
        model.municipality.update_pressure(spend)
        model.municipality.add_week(spend, model.week)
