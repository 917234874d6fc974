"""The kitchen-table conversation (keukentafelgesprek, seed 001: "wat kan men nog zelf, wat
kan de omgeving"): before a decision, the assessor looks at the person's self-reliance, their
network, their carer's burden and the general provisions, and refers to a general provision
where the need fits there and the person's own strength and network can carry it.

How many it looks at follows the intake hours (`kitchen_table_full_hours`); how well it
judges follows the assessor's expertise. A wrong referral has a price: the need grows
(`wrong_referral_severity`) and the person may ask again after
`wrong_referral_return_weeks`. An approved need below the light-help threshold gets at least
a light provision: a general provision beside the social-work list (seed 003)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.population import NONE

if TYPE_CHECKING:
    from sim.model import SocialDomainModel
    from sim.params import DesignParams


def own_resources(model: SocialDomainModel, idx: np.ndarray) -> np.ndarray:
    """(self-reliance + network x (1 - the carer's burden)) / 2 of the people `idx` (0-1)."""
    pop = model.pop
    carer = pop.carer[idx]
    burden = np.where(carer != NONE, pop.burden[np.maximum(carer, 0)], 0.0)
    return 0.5 * (pop.self_reliance[idx] + pop.network[idx] * (1.0 - np.minimum(burden, 1.0)))


def converse(
    model: SocialDomainModel,
    approved: np.ndarray,
    refused: np.ndarray,
    design: DesignParams,
    light_only: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The conversation before the decisions on `approved` and `refused` (slots): those it
    refers to a general provision leave both; returns the approved, the refused and the
    light-only flags of the approved that remain for the formal decision."""
    b = model.cfg.behaviour
    idx = np.concatenate([approved, refused])
    if idx.size == 0:
        return approved, refused, light_only
    pop, access, general = model.pop, model.access, model.general
    depth = min(design.intake_hours / b.kitchen_table_full_hours, 1.0)
    looked = model.draws.person_uniform("decisions", "kitchen_table")[idx] < depth
    need = access.unhelped_max[idx]
    fits = general.fits(need) & (own_resources(model, idx) >= b.kitchen_table_resources_threshold)
    error = b.kitchen_table_error_low_expertise * (1.0 - design.assessor_expertise)
    wrong_judgement = model.draws.person_uniform("decisions", "kitchen_error")[idx] < error
    refer = looked & (fits ^ wrong_judgement) & (need > 0)
    sent = idx[refer]
    if sent.size:
        general.refer(sent, "kitchen_table")
        pop.refused_until[sent] = model.week + design.refusal_cooldown_weeks
        wrong = refer & ~fits
        misfit = idx[wrong]
        if misfit.size:  # the need grows, and comes back sooner
            dom = access.unhelped_domain[misfit].astype(np.int64)
            pop.severity[dom, misfit] = np.minimum(
                pop.severity[dom, misfit] + b.wrong_referral_severity, 1.0
            )
            pop.refused_until[misfit] = model.week + b.wrong_referral_return_weeks
            model.recorder.add("wrong_referrals", misfit.size)
    n_app = approved.size
    keep_app, keep_ref = ~refer[:n_app], ~refer[n_app:]
    approved, refused = approved[keep_app], refused[keep_ref]
    if light_only is not None:
        light_only = light_only[keep_app]
        general.refer(approved[light_only], "light_help")  # at least a light provision
    return approved, refused, light_only
