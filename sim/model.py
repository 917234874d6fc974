"""SocialDomainModel: a Dutch municipality's social domain, week by week.

Citizens and informal carers are arrays (`sim.population`); the organisations are Mesa agents
(`sim.organisations`); the access design is a strategy object (`sim.designs`); each step of
the week is a stage (`sim.stages`). The week's order is `week_plan()`, in this file; every
stage works on whole arrays (no Python loop over citizens).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import replace
from functools import partial
from typing import Any

import mesa
import numpy as np

from sim.config import compose, to_dict
from sim.designs import AccessDesign, burn_in_params, make_burn_in_design, make_design
from sim.designs.levers import pools_budget
from sim.ledger import Ledger
from sim.organisations import (
    CareFindingPlace,
    CaseHolders,
    Contractor,
    Municipality,
    NeighbourhoodTeam,
    Provider,
)
from sim.params import FINANCIERS, MUNICIPAL_FINANCIERS, PLACES, PROVIDERS, KetensimConfig
from sim.population import PROV, Population, contracted_kinds, create_population
from sim.recorder import EVENT_CODES, CitizenView, Recorder
from sim.rng import RandomStreams
from sim.stages import (
    Access,
    BudgetPressure,
    Care,
    CareFindingContacts,
    Demography,
    DesignStep,
    EffectsOfCare,
    Escalation,
    HealthCareReferrals,
    HelpState,
    InformalCare,
    ProblemDynamics,
    RecordWeek,
    Stage,
)
from sim.stages.budget import LeverFunding
from sim.stages.ciz import CizAssessment
from sim.stages.debt_outreach import DebtOutreach
from sim.stages.dropout import QueueDropOut
from sim.stages.general_provisions import GeneralProvisions
from sim.stages.income_support import IncomeSupport
from sim.stages.person_dynamics import PersonDynamics
from sim.stages.supply import SupplyResponse
from sim.stages.youth_protection import YouthProtection
from sim.workforce import Workforce


def week_plan() -> list[Stage]:
    """The week, in order: fresh stage instances for one model. `ketensim plan` prints it."""
    return [
        Demography(),
        ProblemDynamics(),  # problems.evolve
        InformalCare(),
        PersonDynamics(),  # people.strength: dependency, welfare work, recovery
        IncomeSupport(),  # work_and_income: bijstand, re-integration, carers who stop work
        QueueDropOut(),
        HelpState(),  # who is covered, before anyone asks
        CareFindingContacts(),
        DebtOutreach(),  # payment-arrears signals from the signal partners
        DesignStep("signals"),
        HealthCareReferrals(),
        DesignStep("requests"),
        DesignStep("assessment"),
        DesignStep("design_weekly"),
        GeneralProvisions(),
        LeverFunding(),
        Care(),
        EffectsOfCare(),  # problems.effects_of_care: after delivery
        Escalation(),
        YouthProtection(),  # Veilig Thuis, court-ordered supervision and placement
        CizAssessment(),  # Wlz applications wait for the CIZ
        BudgetPressure(),
        SupplyResponse(),
        HelpState(outcomes=True),  # recorded weeks only
        RecordWeek(),
    ]


def _recorded(model: SocialDomainModel, key: str) -> float:
    """A DataCollector reporter: the recorder's latest weekly value of `key`."""
    return model.recorder.last(key)


def _cost_to_date(model: SocialDomainModel) -> float:
    return model.recorder.cost_to_date_eur


# what the Mesa DataCollector reads each week: all of it the recorder already has
REPORTERS: dict[str, Any] = {
    "week": "week",
    "wellbeing_index_0_100": partial(_recorded, key="wellbeing_index_0_100"),
    "unmet_need_persons": partial(_recorded, key="unmet_need_persons"),
    "waiting_persons": partial(_recorded, key="waiting_persons"),
    "cost_to_date_eur": _cost_to_date,
    "users_any_care": partial(_recorded, key="users_any_care"),
}


def burn_in_config(config: KetensimConfig) -> KetensimConfig:
    """The config the burn-in runs under: today's practice (the burn-in design's
    parameters, no levers) with the rest of `config` (municipality, behaviour, prices,
    population, seed, burn-in years)."""
    return replace(config, design=burn_in_params(), years=1, out=None, progress=False)


def _config_hash(config: KetensimConfig) -> str:
    text = json.dumps(to_dict(config), sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def burn_in_key(config: KetensimConfig) -> str:
    """What identifies a burn-in: a hash of its config (designs and variants that share it
    can start from one burnt-in state)."""
    return _config_hash(burn_in_config(config))


def spin_up_key(config: KetensimConfig) -> str:
    """What identifies a spin-up: the burn-in config without the run's seed (every seed
    starts its burn-in from the same spun-up state)."""
    return "spin-" + _config_hash(replace(burn_in_config(config), seed=0))


def describe_plan() -> str:
    """The week's plan as text: one numbered line per stage with its purpose."""
    plan = week_plan()
    width = max(len(s.name) for s in plan)
    lines = ["The week of SocialDomainModel, in order:"]
    lines += [f"{i:>2}. {s.name:<{width}}  {s.purpose}" for i, s in enumerate(plan, 1)]
    lines.append("then: week + 1; at each 52nd week the recorder closes the year")
    return "\n".join(lines)


class SocialDomainModel(mesa.Model):
    """A municipality's social domain under one access design.

    Build it from a validated config (`sim.compose([...])`), or with keyword arguments as
    `mesa.batch_run` does: `SocialDomainModel(design="early_signalling", population=5000,
    rng=7)`. Keyword arguments are Hydra overrides of the default scenario.
    """

    def __init__(
        self,
        config: KetensimConfig | None = None,
        *,
        rng: int | None = None,
        seed: int | None = None,
        spin_up_only: bool = False,
        **overrides: Any,
    ) -> None:
        if config is None:
            config = compose([f"{k}={_override_value(v)}" for k, v in overrides.items()])
        elif overrides:
            raise TypeError("pass either a config or keyword overrides, not both")
        root = config.seed if rng is None and seed is None else (rng if rng is not None else seed)
        config = replace(config, seed=int(root))  # the run's seed, however it was given
        super().__init__(rng=int(root))
        self.root_seed = int(root)
        # the world is built and burnt in under today's practice (`burn_in_config`): nothing
        # of the coming design or its levers acts before week 0, so every design and variant
        # with the same burn-in config starts from the same state (shared burn-in, sim.run)
        self.cfg = burn_in_config(config)
        self.n = int(config.population or config.municipality.inhabitants)
        spin_up_weeks = 52 * config.spin_up_years
        # the spin-up draws from its own seed, shared by every replication (sim.burn_in)
        self.draws = RandomStreams(config.spin_up_seed if spin_up_weeks else self.root_seed, self.n)
        self.prices = config.prices.eur
        self.pop: Population = create_population(
            self.n, self.cfg, self.draws.generator("population")
        )
        self.ledger = Ledger()
        self.recorder = Recorder(self, record_events=config.record_events)
        self._create_organisations(self.cfg)
        self.burn_in_design: AccessDesign = make_burn_in_design()
        self.design: AccessDesign = self.burn_in_design
        self.burn_in_weeks = 52 * config.burn_in_years
        self.horizon_weeks = 52 * config.years
        self.week = -self.burn_in_weeks - spin_up_weeks
        self.recording = False
        # the stages: the access interface (not a step itself), then the week's plan
        self.access = Access()
        self.plan = week_plan()
        self.lever_state: dict[str, Any] = {}  # what a lever keeps between weeks
        # the slots whose occupant was born this week (births take the dead's slots), in
        # slot order: set by demography, read by the stages that forget a slot's previous
        # occupant (one detection per week instead of a person_id comparison per stage)
        self.newborns = np.zeros(0, dtype=np.intp)
        # figures fixed within a week and design, made once (`sim.designs.levers.week_memo`)
        self.week_memo: dict[str, tuple[Any, ...]] = {}
        self.stages = {stage.name: stage for stage in self.plan}
        self.problems: ProblemDynamics = self.stages["problems.evolve"]  # type: ignore[assignment]
        self.contacts: CareFindingContacts = self.stages["contacts.places"]  # type: ignore[assignment]
        self.care: Care = self.stages["care"]  # type: ignore[assignment]
        self.ciz: CizAssessment = self.stages["ciz"]  # type: ignore[assignment]
        general = self.stages["general_provisions"]
        self.general: GeneralProvisions = general  # type: ignore[assignment]
        self.income_support: IncomeSupport = self.stages["work_and_income"]  # type: ignore[assignment]
        self.youth_protection: YouthProtection = self.stages["youth_protection"]  # type: ignore[assignment]
        self.datacollector = mesa.DataCollector(model_reporters=dict(REPORTERS))
        self.access.init(self)
        for stage in self.plan:  # the care stage fills the providers with today's clients
            stage.init(self)
        self.running = True
        for _ in range(spin_up_weeks):
            self._week(recording=False)
        if not spin_up_only:
            self.continue_burn_in(config)

    def continue_burn_in(self, config: KetensimConfig) -> None:
        """From the end of the spin-up: the run's own seed (if there was a spin-up), its
        burn-in under today's practice, then the design of `config` at week 0. A copy of one
        spun-up model continues into every seed's burn-in (sim.burn_in)."""
        if self.week != -self.burn_in_weeks:
            raise RuntimeError(f"continue_burn_in at week {self.week}, not at the spin-up's end")
        if self.cfg.spin_up_years:
            if spin_up_key(config) != spin_up_key(self.cfg):
                raise ValueError("continue_burn_in: the config's spin-up differs from this model's")
            self.root_seed = int(config.seed)
            self.cfg = burn_in_config(config)
            self.draws = RandomStreams(self.root_seed, self.n)
        for _ in range(self.burn_in_weeks):
            self._week(recording=False)
        self.start_design(config)

    def start_design(self, config: KetensimConfig) -> None:
        """Week 0: the design and levers of `config` take over from today's practice (also on
        a copy of a burnt-in model: `sim.run` forks one burn-in into every design); the
        ledger and the recorder's year start counting."""
        if self.week != 0:
            raise RuntimeError(f"start_design at week {self.week}; the design starts at week 0")
        if burn_in_key(config) != burn_in_key(self.cfg):
            raise ValueError("start_design: the config's burn-in differs from this model's")
        self.cfg = config
        self.horizon_weeks = 52 * config.years
        self.design = make_design(config.design)
        self.municipality.set_levers(pools_budget(config.design.levers), config.design.levers)
        # the design's start (early signalling frees the team's consultants into the pool),
        # then its case holders are hired from the regional labour pool: a short pool gives
        # a partial start, the rest are open positions (sim.workforce)
        self.design.begin(self)
        fte = self.design.case_holder_fte_per_1000() * self.n / 1000.0
        hours = config.behaviour.staff_hours_per_fte_week
        hired = self.workforce.hire(fte)
        self.case_holders.staff(hired * hours, hours_needed=fte * hours)
        # a design that redefines who waits for the team moves a queue, it serves nobody
        self.team.last_queue = self.design.team_queue(self)
        self.recorder.record_events = config.record_events
        self.ledger = Ledger()  # costs count from the design's start
        self.recorder.reset_year()

    def _create_organisations(self, config: KetensimConfig) -> None:
        """The organisations as Mesa agents: care-finding places, providers, the
        neighbourhood team, the case holders and the municipality."""
        b, m = config.behaviour, config.municipality
        self.places: list[CareFindingPlace] = [
            CareFindingPlace(
                self,
                name,
                b.places[name],
                self.prices[b.places[name].price_item],
                price_per_contact=b.places[name].price_item.startswith("gp_"),
            )
            for name in PLACES
            if name in b.places
        ]
        self.providers: list[Provider] = [
            Provider(
                self,
                name,
                PROV[name],
                b.providers[name],
                capacity=round(m.provider_capacity_per_1000[name] * self.n / 1000.0),
                price=self.prices[b.providers[name].price_item],
            )
            for name in PROVIDERS
        ]
        self.contractors: list[Contractor] = []
        for row, kind in enumerate(contracted_kinds(config)):
            prov = self.providers[PROV[kind]]
            mine = [(n, c) for n, c in b.contractors.items() if c.kind == kind]
            total = math.fsum(c.capacity_share for _, c in mine)
            agents = [
                Contractor(self, n, slot, prov, c, prov.capacity_level * c.capacity_share / total)
                for slot, (n, c) in enumerate(mine)
            ]
            prov.contract(row, agents)
            self.contractors += agents
        self.team = NeighbourhoodTeam(self, m.team_hours_per_week_per_1000 * self.n / 1000.0)
        # the design's case holders (early signalling), staffed from its start
        fte = make_design(config.design).case_holder_fte_per_1000() * self.n / 1000.0
        self.case_holders = CaseHolders(self, fte * b.staff_hours_per_fte_week)
        budget = np.zeros(len(FINANCIERS))  # per financier: the municipal compartments'
        share = np.zeros(len(FINANCIERS))
        for f in MUNICIPAL_FINANCIERS:
            budget[FINANCIERS.index(f)] = getattr(m, f"{f}_budget_eur_per_inhabitant") * self.n
            share[FINANCIERS.index(f)] = m.budget_share_of_baseline.get(f, 0.0)
        self.workforce = Workforce(self)  # the regional labour pool they all hire from
        self.municipality = Municipality(
            self,
            budget,
            integrated=pools_budget(config.design.levers),  # set again at week 0
            levers=config.design.levers,
            budget_share_of_baseline=share,
            budget_growth_per_year=m.budget_growth_per_year,
        )

    # ------------------------------------------------------------------------- the week
    @property
    def current_design(self) -> AccessDesign:
        """The design that runs this week: the burn-in design before week 0."""
        return self.design if self.week >= 0 else self.burn_in_design

    def step(self) -> None:
        """One week of the design, then data collection; stops at the horizon."""
        if self.week >= self.horizon_weeks:
            self.running = False
            return
        self._week(recording=True)
        self.datacollector.collect(self)
        if self.week >= self.horizon_weeks:
            self.running = False

    def _week(self, recording: bool) -> None:
        """Run the plan once, then advance the week (and close the year every 52 weeks)."""
        self.recording = recording
        self.draws.start_week(self.week)
        self.ledger.new_week()
        self.ledger.recording = recording
        self.recorder.new_week(recording)
        for stage in self.plan:
            stage.step(self)
        self.week += 1
        if self.week % 52 == 0:
            self.recorder.close_year(recording)

    def book(self, financier: str, category: str, item: str, amount: float) -> None:
        """Book `amount` euros in the ledger for this week."""
        self.ledger.book(self.week, financier, category, item, float(amount))

    # ------------------------------------------------------------------------- inspection
    def citizen(self, i: int) -> CitizenView:
        """A readable view of the person in slot i, with what happened to them."""
        return self.recorder.citizen(i)

    def remove_from_mesa_registry(self) -> None:
        """Drop this model from `mesa.Agent._ids` (Mesa 3.3.1 keeps every model alive there;
        later Mesa versions have no such registry)."""
        registry = getattr(mesa.Agent, "_ids", None)
        if registry is not None:
            registry.pop(self, None)


def _override_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


__all__ = [
    "EVENT_CODES",
    "SocialDomainModel",
    "burn_in_config",
    "burn_in_key",
    "describe_plan",
    "spin_up_key",
    "week_plan",
]
