"""Independent indication advice (seed 001): advisers outside the municipal organisation, not
under its budget pressure, assess and write an indication advice; the municipality decides
on the advice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from omegaconf import MISSING

from sim.designs.gatekeeping import Gatekeeping
from sim.designs.registry import DesignEntry, register_design
from sim.params import DesignParams, p
from sim.population import NONE

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


@dataclass
class IndependentAdviceParams(DesignParams):
    """The municipality's decision on an independent adviser's indication advice."""

    municipal_decision_hours: float = p(
        MISSING,
        "hours of the municipality's back office per advice it decides on (the formal "
        "decision, beschikking, on top of the adviser's report)",
        0,
        100,
        "assumption: reading an advice and writing the decision takes about as long as the "
        "team's own decision (2.5 h under gatekeeping)",
    )
    advice_adoption: float = p(
        MISSING,
        "probability the municipality follows a positive advice when its budget is not "
        "under pressure",
        0,
        1,
        "assumption: municipalities follow most independent advice (seed 001)",
    )
    overrule_budget_sensitivity: float = p(
        MISSING,
        "follow-probability lost per unit of budget overrun (the municipality, not the "
        "adviser, feels the budget)",
        0,
        5,
        "assumption: as gatekeeping's budget_pressure_sensitivity (0.5)",
    )


class IndependentAdvice(Gatekeeping):
    """Independent indication advice: citizens ask (late, as under gatekeeping); advisers
    paid by the hour from the team's budget (their expertise sets their hourly cost) assess
    by need without budget pressure and write an advice; the municipality's back office then
    decides on it (extra hours per case) and overrules part of the positive advice, more so
    when its budget is under pressure. It can lose: the advisers cost more per hour, every
    case is handled twice, and fewer refusals mean more spending."""

    name = "independent_advice"
    p: IndependentAdviceParams

    def approval_probability(
        self, model: SocialDomainModel, idx: np.ndarray, need: np.ndarray | None = None
    ) -> np.ndarray:
        """The adviser's advice (by need and expertise; its budget sensitivity is the YAML's,
        0 for an independent adviser) times the municipality's probability of following a
        positive advice under its budget pressure."""
        advice = super().approval_probability(model, idx, need)
        pressure = model.municipality.pressure
        follow = self.p.advice_adoption - self.p.overrule_budget_sensitivity * pressure
        return np.clip(advice * np.clip(follow, 0.0, 1.0), 0.0, 1.0)

    def assess(self, model: SocialDomainModel, u: np.ndarray) -> None:
        """As gatekeeping (the advisers' hours are the team's), and the municipality's own
        decision hours on every advice it receives."""
        waiting = int(np.count_nonzero(model.pop.request_since != NONE))
        super().assess(model, u)
        decided = waiting - int(np.count_nonzero(model.pop.request_since != NONE))
        if decided > 0:
            model.access.book_admin(
                "wmo",
                "municipal_decision_on_advice",
                decided * self.p.municipal_decision_hours,
                act="decision",
                count=float(decided),
            )


register_design(
    DesignEntry(
        name="independent_advice",
        cls=IndependentAdvice,
        params=IndependentAdviceParams,
        label={"nl": "Onafhankelijk indicatieadvies", "en": "Independent indication advice"},
        description={
            "nl": "Onafhankelijke adviseurs buiten de gemeente, zonder budgetdruk, zoeken de "
            "vraag achter de vraag en schrijven een indicatieadvies; de gemeente beslist op "
            "dat advies en wijkt er vaker van af als het budget krap is. Elk geval wordt "
            "twee keer behandeld.",
            "en": "Independent advisers outside the municipality, free of budget pressure, look "
            "for the question behind the question and write an indication advice; the "
            "municipality decides on it and overrules it more often when its budget is "
            "tight. Every case is handled twice.",
        },
        colour="#CC79A7",
        order=40,
    )
)
