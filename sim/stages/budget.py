"""Budget pressure: the municipality weighs this week's spending against its budget."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.params import FINANCIERS
from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel

WMO, YOUTH = FINANCIERS.index("wmo"), FINANCIERS.index("youth")


class BudgetPressure(Stage):
    """The municipality updates the budget pressure its consultants feel: the Wmo + youth
    spending (or, with integrated financing, the whole chain's) against the budget."""

    name = "municipality.budget_pressure"
    purpose = "Wmo + youth spend (or the chain's, if integrated) against the budget: pressure"

    def step(self, model: SocialDomainModel) -> None:
        spend = model.ledger.week_by_financier
        model.municipality.update_pressure(
            float(spend[WMO] + spend[YOUTH]),
            float(spend.sum()),
        )
