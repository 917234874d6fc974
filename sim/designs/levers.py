"""Design-independent levers (`design.levers`) and where they act in the week.

A lever is a `Lever` whose hooks the stages call (through `active_levers`) once the design
runs: each hook gets what the stage would do without the lever and returns what it does
with it; the base class changes nothing. The five levers (prevention, carer support, chain
care, integrated financing, the Wmo own contribution) are declared here with their
parameters and texts (`sim.designs.registry.register_lever`). Also here: the prevention
dose-response (spend -> reach -> effect) that the prevention lever and shared savings feed.
Any design can be combined with any setting of the levers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from sim.designs.registry import LeverEntry, lever_entries, register_lever
from sim.params import DOMAINS
from sim.population import DOM, PROV

if TYPE_CHECKING:
    from sim.model import SocialDomainModel
    from sim.params import BehaviourParams, LeverParams


class Lever:
    """Where a lever acts in the week: the hooks the stages call while it is on and the
    design runs (`active_levers`). Each hook here leaves things as they are."""

    def gp_dementia_referral_prob(self, model: SocialDomainModel, prob: float) -> float:
        """Probability that the GP refers a detected dementia patient to case management
        (contacts stage)."""
        return prob

    def start_year(self, model: SocialDomainModel) -> None:
        """At the start of each design year (levers.funding stage)."""

    def weekly_funding(self, model: SocialDomainModel) -> None:
        """Each week after the shared savings are booked (levers.funding stage)."""

    def pools_budget(self) -> bool:
        """Whether the municipality weighs one pooled budget (budget-pressure stage)."""
        return False

    def own_contribution_by_income_group(
        self, model: SocialDomainModel, fee: np.ndarray
    ) -> np.ndarray:
        """The Wmo own contribution per week of the three income groups (access, care)."""
        return fee

    def prevention_eur_per_inhabitant(self, model: SocialDomainModel, spend: float) -> float:
        """Prevention spending per inhabitant per year (problems, access.design_weekly)."""
        return spend

    def supports_carers(self) -> bool:
        """Whether heavily burdened carers the municipality knows get support (informal
        care stage)."""
        return False


T = TypeVar("T")


def week_memo(model: SocialDomainModel, name: str, make: Callable[[], T]) -> T:
    """`make()`, made once per week, design and lever setting and kept in
    `model.week_memo` under `name`: for figures that depend on nothing else (the levers
    that are on, the fee schedule), which several stages read each week. What it returns
    is shared: never modify it."""
    design, levers = model.current_design, model.cfg.design.levers
    got = model.week_memo.get(name)
    if got is not None and got[0] == model.week and got[1] is design and got[2] is levers:
        return got[3]  # type: ignore[no-any-return]
    value = make()
    model.week_memo[name] = (model.week, design, levers, value)
    return value


def active_levers(model: SocialDomainModel) -> tuple[Lever, ...]:
    """The hooks of the levers that are on, once the design runs (none in the burn-in)."""
    if model.week < 0:
        return ()
    levers = model.cfg.design.levers
    return week_memo(
        model,
        "active_levers",
        lambda: tuple(e.hooks for e in lever_entries() if e.is_on(levers)),
    )


def pools_budget(levers: LeverParams) -> bool:
    """Whether one of the levers set in `levers` has the municipality weigh a pooled
    budget (integrated financing)."""
    return any(e.hooks.pools_budget() for e in lever_entries() if e.is_on(levers))


def gp_dementia_referral_prob(model: SocialDomainModel) -> float:
    """Probability that the GP refers a detected dementia patient to case management:
    `behaviour.gp_dementia_referral_prob`, as the levers that are on change it."""
    prob = float(model.cfg.behaviour.gp_dementia_referral_prob)
    for lever in active_levers(model):
        prob = lever.gp_dementia_referral_prob(model, prob)
    return prob


def own_contribution_by_income_group(model: SocialDomainModel) -> np.ndarray:
    """The Wmo own contribution per week (EUR) of the low, middle and high income group: the
    one fee schedule that both the ledger and the decision to ask read. Today's practice is
    the flat monthly fee (abonnementstarief); a lever may replace the schedule
    (`Lever.own_contribution_by_income_group`, once the design runs). Read-only (shared
    within the week)."""

    def make() -> np.ndarray:
        fee = np.full(3, model.prices["wmo_flat_contribution"] * 12.0 / 52.0)
        for lever in active_levers(model):
            fee = lever.own_contribution_by_income_group(model, fee)
        fee = np.array(fee)  # its own copy, made read-only
        fee.flags.writeable = False
        return fee

    return week_memo(model, "own_contribution_by_income_group", make)


def own_contribution_fee_per_week(
    model: SocialDomainModel, idx: np.ndarray | None = None
) -> np.ndarray:
    """Each person's (or each of `idx`'s) Wmo own contribution per week (EUR) by the fee
    schedule (the ledger caps it at the person's Wmo cost that week)."""
    income = model.pop.income if idx is None else model.pop.income[idx]
    return own_contribution_by_income_group(model)[income]


def own_contribution_income_share(model: SocialDomainModel, idx: np.ndarray) -> np.ndarray:
    """The own contribution of the people `idx` as a share of their weekly income (0-1)."""

    def make() -> np.ndarray:
        income = np.asarray(model.cfg.behaviour.income_eur_per_year, dtype=float) / 52.0
        share = own_contribution_by_income_group(model) / np.maximum(income, 1e-9)
        share.flags.writeable = False
        return share

    return week_memo(model, "own_contribution_income_share", make)[model.pop.income[idx]]


def prevention_reach(spend_eur_per_inhabitant: float, scale_eur: float) -> float:
    """Share of the population prevention reaches: 1 - exp(-spend / scale), saturating."""
    return float(1.0 - np.exp(-max(spend_eur_per_inhabitant, 0.0) / max(scale_eur, 1e-12)))


def prevention_onset_multipliers(
    spend_eur_per_inhabitant: float, behaviour: BehaviourParams
) -> np.ndarray:
    """Relative onset hazard per domain (D,): 1 - reach x the effect among those reached
    (`behaviour.prevention_onset_reduction_reached`); 1 where prevention does nothing."""
    reach = prevention_reach(spend_eur_per_inhabitant, behaviour.prevention_reach_scale_eur)
    effect = np.array([behaviour.prevention_onset_reduction_reached.get(d, 0.0) for d in DOMAINS])
    return 1.0 - reach * effect


def bought_prevention_eur_per_inhabitant(model: SocialDomainModel) -> float:
    """Prevention bought per inhabitant per year through the levers that are on (the
    prevention lever's price), booked weekly on the welfare budget."""
    spend = 0.0
    for lever in active_levers(model):
        spend = lever.prevention_eur_per_inhabitant(model, spend)
    return spend


def prevention_eur_per_inhabitant(model: SocialDomainModel) -> float:
    """This year's prevention spending per inhabitant: what the levers buy plus what
    shared savings return to the prevention and welfare budget."""
    own = bought_prevention_eur_per_inhabitant(model)
    return own + model.municipality.shared_prevention_eur_per_year() / max(model.n, 1)


def supports_carers(model: SocialDomainModel) -> bool:
    """Whether carer support runs this week (a lever that is on)."""
    return any(lever.supports_carers() for lever in active_levers(model))


# --------------------------------------------------------------------------- the levers
class ChainCare(Lever):
    """Chain care for dementia (ketenzorg dementie): the GP refers everyone it detects, case
    management is funded for every person with dementia living at home (a floor under its
    capacity; idle funded places are paid), coordination hours per case are booked."""

    def gp_dementia_referral_prob(self, model: SocialDomainModel, prob: float) -> float:
        """Every detected dementia patient is referred."""
        return 1.0

    def start_year(self, model: SocialDomainModel) -> None:
        """The year's funded places: coverage x people with dementia at home."""
        coverage = model.cfg.design.levers.chain_care_coverage
        model.lever_state["chain_care_funded_places"] = int(
            np.ceil(coverage * dementia_at_home(model))
        )

    def weekly_funding(self, model: SocialDomainModel) -> None:
        """Funded places as a floor under the case-management capacity; the idle funded
        places (paid whether used or not) and the coordination hours, booked."""
        lv = model.cfg.design.levers
        prov = model.providers[PROV["dementia_case_management"]]
        funded = model.lever_state.get("chain_care_funded_places", 0)
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


def dementia_at_home(model: SocialDomainModel) -> int:
    """People with dementia above case management's eligibility who live at home."""
    pop = model.pop
    dcm = model.providers[PROV["dementia_case_management"]]
    home = ~(pop.in_care[PROV["nursing_home"]] | pop.in_care[PROV["residential_id"]])
    sev = pop.severity[DOM["dementia"]]
    return int(np.count_nonzero((sev >= max(dcm.params.eligibility_threshold, 1e-6)) & home))


class IntegratedFinancing(Lever):
    """Integrated financing: the municipality weighs the pooled spending (municipal
    compartments + stated shares of Zvw and Wlz) against one pooled budget set on the
    baseline, and shared savings return to prevention (`sim.organisations.Municipality`)."""

    def pools_budget(self) -> bool:
        """One pooled budget."""
        return True


class IncomeOwnContribution(Lever):
    """The Wmo own contribution by income, as the CAK computed it until 2019: a minimum per
    4-week period plus a share of the yearly income above a threshold, capped."""

    def own_contribution_by_income_group(
        self, model: SocialDomainModel, fee: np.ndarray
    ) -> np.ndarray:
        """The income-related schedule instead of the flat fee."""
        b = model.cfg.behaviour
        income = np.asarray(b.income_eur_per_year, dtype=float)
        above = np.maximum(income - b.income_fee_threshold_eur_per_year, 0.0)
        per_week = (
            b.income_fee_minimum_eur_per_4_weeks / 4.0
            + b.income_fee_share_above_threshold * above / 52.0
        )
        return np.minimum(per_week, b.income_fee_cap_eur_per_week)


class EarnedTrust(Lever):
    """Earned trust: a contractor's progress reports, invoice checks and audits follow its
    audit record (`Contractor.audited`, `sim.administration.provider_acts`,
    `Provider.audit`); what trust lets through undetected grows its over-delivery
    tendency (`administration.trust_tendency_growth_per_year` x trust)."""

    def start_year(self, model: SocialDomainModel) -> None:
        """At the lever's start every contractor has `administration.trust_start`."""
        if not model.lever_state.get("earned_trust"):
            model.lever_state["earned_trust"] = True
            for c in model.contractors:
                c.trust = model.cfg.administration.trust_start

    def weekly_funding(self, model: SocialDomainModel) -> None:
        """Unchecked trust lets each contractor's over-delivery tendency grow."""
        growth = model.cfg.administration.trust_tendency_growth_per_year / 52.0
        for c in model.contractors:
            c.tendency *= 1.0 + growth * c.trust


class Prevention(Lever):
    """Prevention and welfare work (seed 000) at `levers.prevention_eur_per_inhabitant`:
    any design can buy it at the same price; its reach and effect follow from the spend."""

    def prevention_eur_per_inhabitant(self, model: SocialDomainModel, spend: float) -> float:
        """The lever's price on top of what else is spent."""
        return spend + model.cfg.design.levers.prevention_eur_per_inhabitant


class CarerSupport(Lever):
    """Welfare support (respite, counselling) for heavily burdened carers whose household
    the municipality knows (behaviour.carer_support_*)."""

    def supports_carers(self) -> bool:
        """Carers are supported."""
        return True


register_lever(
    LeverEntry(
        name="prevention",
        switch="prevention",
        values=("false", "true"),
        fields=("prevention", "prevention_eur_per_inhabitant"),
        hooks=Prevention(),
        label={"nl": "preventie", "en": "prevention"},
        description={
            "nl": "preventie en welzijnswerk voor een vast bedrag per inwoner per jaar; bereik "
            "en effect volgen uit het bedrag",
            "en": "prevention and welfare work at a fixed amount per inhabitant per year; reach "
            "and effect follow from the amount",
        },
        explorer_label="Lever: prevention",
        acts_in=("problems.evolve", "access.design_weekly"),
    )
)
register_lever(
    LeverEntry(
        name="carer_support",
        switch="carer_support",
        values=("false", "true"),
        fields=("carer_support",),
        hooks=CarerSupport(),
        label={"nl": "mantelzorgondersteuning", "en": "carer support"},
        description={
            "nl": "ondersteuning van zwaar belaste mantelzorgers die de gemeente kent",
            "en": "support for heavily burdened carers the municipality knows",
        },
        explorer_label="Lever: carer support",
        acts_in=("informal_care",),
    )
)


register_lever(
    LeverEntry(
        name="chain_care",
        switch="chain_care",
        values=("false", "true"),
        fields=(
            "chain_care",
            "chain_care_coverage",
            "chain_care_caseload_per_fte",
            "chain_care_coordination_hours_per_case_week",
            "chain_care_municipal_share",
        ),
        hooks=ChainCare(),
        label={"nl": "ketenzorg", "en": "chain care"},
        description={
            "nl": "ketenzorg dementie: casemanagement wordt gefinancierd voor iedereen met "
            "dementie die thuis woont (ook als plaatsen leeg blijven) en de huisarts verwijst "
            "iedereen door (zonder ketenzorg de helft)",
            "en": "chain care for dementia: case management is funded for everyone with "
            "dementia living at home (empty places are paid too) and the GP refers everyone "
            "(half of them without chain care)",
        },
        explorer_label="Lever: chain care (dementia)",
        acts_in=("contacts", "levers.funding"),
    )
)
register_lever(
    LeverEntry(
        name="integrated_financing",
        switch="integrated_financing",
        values=("false", "true"),
        fields=(
            "integrated_financing",
            "pool_share_zvw",
            "pool_share_wlz",
            "pool_margin",
            "shared_savings_share",
            "shared_savings_lag_years",
        ),
        hooks=IntegratedFinancing(),
        label={"nl": "integrale financiering", "en": "integrated financing"},
        description={
            "nl": "integrale financiering: één budget voor de Wmo, Jeugd en een deel van Zvw "
            "en Wlz, vastgesteld op de uitgaven van vandaag; wat de Zvw en Wlz besparen, gaat "
            "voor een deel een jaar later naar preventie",
            "en": "integrated financing: one budget for the Wmo, youth care and a share of Zvw "
            "and Wlz, set at today's spending; part of what Zvw and Wlz save goes to "
            "prevention a year later",
        },
        explorer_label="Lever: integrated financing (one budget)",
        acts_in=("municipality.budget_pressure", "levers.funding"),
    )
)
register_lever(
    LeverEntry(
        name="own_contribution",
        switch="own_contribution",
        values=("flat", "income"),
        fields=("own_contribution",),
        hooks=IncomeOwnContribution(),
        label={"nl": "eigen bijdrage", "en": "own contribution"},
        description={
            "nl": "eigen bijdrage naar inkomen in plaats van het vaste abonnementstarief",
            "en": "income-related own contribution instead of the flat fee",
        },
        explorer_label="Lever: own contribution",
        acts_in=("access", "care"),
    )
)
register_lever(
    LeverEntry(
        name="earned_trust",
        switch="earned_trust",
        values=("false", "true"),
        fields=("earned_trust",),
        hooks=EarnedTrust(),
        label={"nl": "verdiend vertrouwen", "en": "earned trust"},
        description={
            "nl": "verdiend vertrouwen: een aanbieder met schone controles hoeft minder te "
            "rapporteren en wordt minder gecontroleerd; na bevindingen meer. Het risico: wat "
            "niet gecontroleerd wordt, kan groeien",
            "en": "earned trust: a provider with clean audits reports less and is audited "
            "less, after findings more. The risk: what goes unchecked can grow",
        },
        explorer_label="Lever: earned trust (providers)",
        acts_in=("care", "access.design_weekly", "levers.funding"),
    )
)
