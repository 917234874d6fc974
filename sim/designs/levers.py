"""Design-independent levers (`design.levers`): chain care, integrated financing and the
Wmo own contribution. Any design can be combined with any setting of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.model import SocialDomainModel
    from sim.params import LeverParams


def flat_fee_applies(model: SocialDomainModel) -> bool:
    """The Wmo own contribution is the flat monthly fee (abonnementstarief), not income-based."""
    return model.cfg.design.levers.own_contribution == "flat"


def own_contribution_fee_per_week(model: SocialDomainModel) -> np.ndarray:
    """Each person's Wmo own contribution per week (EUR): the flat fee, or by income group."""
    if flat_fee_applies(model):
        return np.full(model.n, model.prices["wmo_flat_contribution"] * 12.0 / 52.0)
    fee = model.cfg.behaviour.own_contribution_income_eur_per_week
    return np.asarray(fee, dtype=float)[model.pop.income]


def chain_care_refers_everyone(model: SocialDomainModel) -> bool:
    """With chain care (ketenzorg dementie) the GP refers everyone with dementia to case
    management once the design runs; without it (and during burn-in) about half."""
    return bool(model.cfg.design.levers.chain_care) and model.week >= 0


def integrated_financing(levers: LeverParams) -> bool:
    """With integrated financing the municipality weighs the whole chain's spending against
    a chain budget, instead of the Wmo + youth spending against its own budget."""
    return bool(levers.integrated_financing)
