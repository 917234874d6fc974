"""Design-independent levers (`design.levers`): chain care, integrated financing and the
Wmo own contribution. Any design can be combined with any setting of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.model import SocialDomainModel
    from sim.params import LeverParams


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


def own_contribution_fee_per_week(model: SocialDomainModel) -> np.ndarray:
    """Each person's Wmo own contribution per week (EUR) by the fee schedule (the ledger
    caps it at the person's Wmo cost that week)."""
    return own_contribution_by_income_group(model)[model.pop.income]


def own_contribution_income_share(model: SocialDomainModel, idx: np.ndarray) -> np.ndarray:
    """The own contribution of the people `idx` as a share of their weekly income (0-1)."""
    income = np.asarray(model.cfg.behaviour.income_eur_per_year, dtype=float) / 52.0
    share = own_contribution_by_income_group(model) / np.maximum(income, 1e-9)
    return share[model.pop.income[idx]]


def chain_care_refers_everyone(model: SocialDomainModel) -> bool:
    """With chain care (ketenzorg dementie) the GP refers everyone with dementia to case
    management once the design runs; without it (and during burn-in) about half."""
    return bool(model.cfg.design.levers.chain_care) and model.week >= 0


def integrated_financing(levers: LeverParams) -> bool:
    """With integrated financing the municipality weighs the whole chain's spending against
    a chain budget, instead of the Wmo + youth spending against its own budget."""
    return bool(levers.integrated_financing)
