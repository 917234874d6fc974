"""Need met by any source (docs/ODD.md 7.17). A person's need is their largest problem
(severity 0-1). In turn:

1. formal care meets `formal_care_need_met_share[kind]` of each problem it serves (the best
   of the person's kinds that serve the problem), times (weeks in care + 1) /
   `formal_care_full_dose_weeks` up to 1; what is left is the largest problem after that
   (a problem not in care, on a waiting list too, is left whole); care from social work
   alone counts as light help;
2. informal care meets `need_met_per_informal_hour` of the rest per weekly hour the carer
   gives, at most `need_met_informal_max`;
3. a general provision meets its share for the rest's domain
   (`general_provision_need_met`) if it fits (severity up to
   `general_provision_fit_max_severity`), times the share of its users the volunteers carry.

What none of them meets is the unmet need; a person's need is unmet when it is at least
`serious_threshold`. `met_by` gives each source's met need summed over people (severity
units per week)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.fastnp import clip
from sim.params import DOMAINS
from sim.population import PROV, PROVIDER_BIT

if TYPE_CHECKING:
    from sim.model import SocialDomainModel

SOURCES = ("formal", "light", "informal", "general")
LIGHT_BITS = PROVIDER_BIT[PROV["social_work"]]


@dataclass
class NeedMet:
    """Each person's need left after every source (`residual`, N) and each source's met
    need summed over people this week (`met_by`, severity units)."""

    residual: np.ndarray
    met_by: dict[str, float]


def need_met(model: SocialDomainModel) -> NeedMet:
    """Need met by formal care, light help, informal care and general provisions, in that
    order, at the end of the week (after `Access.update_help_state(outcomes=True)`)."""
    pop, b, access = model.pop, model.cfg.behaviour, model.access
    residual = access.unmet_max.astype(np.float32, copy=True)
    met: dict[str, float] = dict.fromkeys(SOURCES, 0.0)
    care = pop.slots("care")
    if care.size:
        residual[care] = left_by_formal_care(model, care)
        by_care = access.max_severity[care] - residual[care]
        light = pop.care_bits[care] == LIGHT_BITS
        met["light"] = float(by_care[light].sum())
        met["formal"] = float(by_care[~light].sum())
    receivers = pop.cared_for_slots()
    if receivers.size:
        hours = pop.carer_hours[pop.carer[receivers]]
        share = np.minimum(b.need_met_per_informal_hour * hours, b.need_met_informal_max)
        before = residual[receivers]
        after = before * (1.0 - share)
        residual[receivers] = after
        met["informal"] = float((before - after).sum())
    general = model.general
    users = general.users()
    if users.size:
        before = residual[users]
        table = np.array([b.general_provision_need_met[d] for d in DOMAINS], dtype=np.float32)
        domain = np.argmax(pop.severity.take(users, axis=1), axis=0)
        share = table[domain] * general.fits(before) * general.capacity_share()
        after = before * (1.0 - share)
        residual[users] = after
        met["general"] = float((before - after).sum())
    return NeedMet(residual=residual, met_by=met)


def left_by_formal_care(model: SocialDomainModel, care: np.ndarray) -> np.ndarray:
    """The largest problem of each person in `care` after formal care: a problem served by
    kinds the person is in is left at severity x (1 - the best share those kinds meet,
    `formal_care_need_met_share` scaled by the dose so far); a problem none serves is left
    whole. Whole-array operations on (kinds, people in care), then one per domain."""
    pop, b = model.pop, model.cfg.behaviour
    table = np.array(
        [b.formal_care_need_met_share[prov.name] for prov in model.providers], dtype=np.float32
    )
    # (P, C): each kind's share where the person is in it, 0 elsewhere; the dose read at
    # the person's care pairs only (the same float32 products as over all P rows)
    rounds = pop.care_pairs(care)
    pos = np.concatenate([p for p, _ in rounds]) if rounds else care[:0]
    row = np.concatenate([r for _, r in rounds]) if rounds else care[:0]
    value = table[row]
    if b.formal_care_full_dose_weeks > 0:
        weeks = (model.week + 1) - pop.at_pairs(pop.care_since, care, pos, row)
        dose = clip(weeks / np.float32(b.formal_care_full_dose_weeks), 0.0, 1.0)
        value = value * dose.astype(np.float32, copy=False)
    share = np.zeros((table.size, care.size), dtype=np.float32)
    share[row, pos] = value
    left = np.zeros(care.size, dtype=np.float32)
    for d, rows in enumerate(model.access.domain_rows):
        best = share[rows].max(axis=0) if rows.size else np.float32(0.0)
        np.maximum(left, pop.severity[d][care] * (1.0 - best), out=left)
    return left
