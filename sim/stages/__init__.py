"""The stages of the week: one module per stage, each a small class with the same lifecycle
(`init(model)`, `step(model)`, optional `results()`; a one-line `purpose`). The order of the
week is `sim.model.WEEK_PLAN`."""

from sim.stages.access import Access, DesignStep, HelpState
from sim.stages.base import Stage
from sim.stages.budget import BudgetPressure
from sim.stages.care import Care
from sim.stages.contacts import CareFindingContacts, HealthCareReferrals
from sim.stages.demography import Demography
from sim.stages.escalation import Escalation
from sim.stages.informal_care import InformalCare
from sim.stages.problems import EffectsOfCare, ProblemDynamics
from sim.stages.record import RecordWeek

__all__ = [
    "Access",
    "BudgetPressure",
    "Care",
    "CareFindingContacts",
    "Demography",
    "DesignStep",
    "EffectsOfCare",
    "Escalation",
    "HealthCareReferrals",
    "HelpState",
    "InformalCare",
    "ProblemDynamics",
    "RecordWeek",
    "Stage",
]
