"""Design-independent levers (`design.levers`): chain care, integrated financing and the
Wmo own contribution, and the prevention dose-response (spend -> reach -> effect) that the
design's prevention budget and shared savings feed. Any design can be combined with any
setting of the levers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.params import DOMAINS
from sim.population import DOM, PROV

if TYPE_CHECKING:
    from sim.model import SocialDomainModel
    from sim.params import BehaviourParams, LeverParams


def flat_fee_applies(model: SocialDomainModel) -> bool:
    """The Wmo own contribution is the flat monthly fee (abonnementstarief), not income-based:
    by the lever once the design runs; during the burn-in (today's practice) always."""
    return model.week < 0 or model.cfg.design.levers.own_contribution == "flat"


def own_contribution_by_income_group(model: SocialDomainModel) -> np.ndarray:
    """The Wmo own contribution per week (EUR) of the low, middle and high income group: the
    one fee schedule that both the ledger and the decision to ask read. Flat: the monthly
    fee (abonnementstarief). Income: as the CAK computed it until 2019, a minimum per 4-week
    period plus a share of the yearly income above a threshold, capped."""
    if flat_fee_applies(model):
        return np.full(3, model.prices["wmo_flat_contribution"] * 12.0 / 52.0)
    b = model.cfg.behaviour
    income = np.asarray(b.income_eur_per_year, dtype=float)
    above = np.maximum(income - b.income_fee_threshold_eur_per_year, 0.0)
    per_week = (
        b.income_fee_minimum_eur_per_4_weeks / 4.0
        + b.income_fee_share_above_threshold * above / 52.0
    )
    return np.minimum(per_week, b.income_fee_cap_eur_per_week)


def own_contribution_fee_per_week(
    model: SocialDomainModel, idx: np.ndarray | None = None
) -> np.ndarray:
    """Each person's (or each of `idx`'s) Wmo own contribution per week (EUR) by the fee
    schedule (the ledger caps it at the person's Wmo cost that week)."""
    income = model.pop.income if idx is None else model.pop.income[idx]
    return own_contribution_by_income_group(model)[income]


def own_contribution_income_share(model: SocialDomainModel, idx: np.ndarray) -> np.ndarray:
    """The own contribution of the people `idx` as a share of their weekly income (0-1)."""
    income = np.asarray(model.cfg.behaviour.income_eur_per_year, dtype=float) / 52.0
    share = own_contribution_by_income_group(model) / np.maximum(income, 1e-9)
    return share[model.pop.income[idx]]


def chain_care_on(model: SocialDomainModel) -> bool:
    """Chain care (ketenzorg dementie) runs: the lever is on and the design has started."""
    return bool(model.cfg.design.levers.chain_care) and model.week >= 0


def gp_dementia_referral_prob(model: SocialDomainModel) -> float:
    """Probability that the GP refers a detected dementia patient to case management: 1
    under chain care, else `behaviour.gp_dementia_referral_prob`."""
    return 1.0 if chain_care_on(model) else float(model.cfg.behaviour.gp_dementia_referral_prob)


def dementia_at_home(model: SocialDomainModel) -> int:
    """People with dementia above case management's eligibility who live at home."""
    pop = model.pop
    dcm = model.providers[PROV["dementia_case_management"]]
    home = ~(pop.in_care[PROV["nursing_home"]] | pop.in_care[PROV["residential_id"]])
    sev = pop.severity[DOM["dementia"]]
    return int(np.count_nonzero((sev >= max(dcm.params.eligibility_threshold, 1e-6)) & home))


def chain_care_funded_places(model: SocialDomainModel) -> int:
    """Case-management places chain care funds: coverage x people with dementia at home."""
    return int(np.ceil(model.cfg.design.levers.chain_care_coverage * dementia_at_home(model)))


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


def prevention_eur_per_inhabitant(model: SocialDomainModel) -> float:
    """This year's prevention spending per inhabitant: the design's own budget plus what
    shared savings return to the prevention and welfare budget."""
    own = model.current_design.p.prevention_eur_per_inhabitant
    return own + model.municipality.shared_prevention_eur_per_year() / max(model.n, 1)


def integrated_financing(levers: LeverParams) -> bool:
    """With integrated financing the municipality weighs the pooled spending (municipal
    compartments + stated shares of Zvw and Wlz) against one pooled budget set on the
    baseline, and shared savings return to prevention (`sim.organisations.Municipality`)."""
    return bool(levers.integrated_financing)
