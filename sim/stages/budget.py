"""Money levers and budget pressure: chain care's funded case management and the shared
savings that fund prevention (`levers.funding`, before care), and the municipality
weighing the week's spending against its budget, or the pooled budget under integrated
financing (`municipality.budget_pressure`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.designs.levers import chain_care_funded_places, chain_care_on
from sim.params import FINANCIERS
from sim.population import PROV
from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


class LeverFunding(Stage):
    """At a design year's start the municipality settles the shared savings due that year
    (and chain care is funded for the year). Each week: chain care keeps dementia case
    management at least at its funded places and books what the funding costs beyond the
    care stage's units (funded places left idle, coordination hours per case); prevention
    paid from shared savings is booked to the compartment that saved."""

    name = "levers.funding"
    purpose = "chain care funds case-management places; shared savings fund prevention"

    def init(self, model: SocialDomainModel) -> None:
        self.funded_places = 0

    def step(self, model: SocialDomainModel) -> None:
        municipality = model.municipality
        if model.week >= 0 and model.week % 52 == 0:
            municipality.start_year(model.week // 52)
            if chain_care_on(model):
                self.funded_places = chain_care_funded_places(model)
        for k in np.flatnonzero(municipality.shared_prevention_per_week > 0):
            amount = float(municipality.shared_prevention_per_week[k])
            model.book(FINANCIERS[k], "prevention", "shared_savings_prevention", amount)
            municipality.year_transfers[k] += amount
        if chain_care_on(model):
            self.chain_care(model)

    def chain_care(self, model: SocialDomainModel) -> None:
        """Funded places as a floor under the case-management capacity; the idle funded
        places (paid whether used or not) and the coordination hours, booked."""
        lv = model.cfg.design.levers
        prov = model.providers[PROV["dementia_case_management"]]
        funded = self.funded_places
        if prov.capacity_level < funded:
            prov.capacity_level = float(funded)
            prov.capacity = funded
        clients = int(np.count_nonzero(model.pop.in_care[prov.index]))
        idle = max(funded - clients, 0)
        if idle:
            model.book(
                prov.params.financier,
                "care",
                "chain_care_idle_places",
                idle * prov.params.units_per_week * prov.price,
            )
        hours = clients * lv.chain_care_coordination_hours_per_case_week
        if hours > 0:
            cost = hours * prov.price
            municipal = cost * lv.chain_care_municipal_share
            model.book("wmo", "care", "chain_care_coordination", municipal)
            model.book(prov.params.financier, "care", "chain_care_coordination", cost - municipal)
        model.recorder.add("chain_care_funded_places", float(funded))


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
