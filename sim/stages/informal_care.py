"""Informal care: carers are found, give hours, carry a burden, burn out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.designs.levers import supports_carers
from sim.fastnp import clip
from sim.population import DOM, NONE, PROV, PROVIDER_BIT
from sim.stages.base import Stage
from sim.stages.problems import start_episode

if TYPE_CHECKING:
    from sim.model import SocialDomainModel

# formal care at home that takes over part of the informal carer's hours (as bits)
FORMAL_AT_HOME = np.bitwise_or.reduce(
    PROVIDER_BIT[[PROV["household_help"], PROV["day_care"], PROV["wlz_at_home"]]]
)
# care in an institution (as bits): it ends informal care and needs none
INSTITUTION = PROVIDER_BIT[PROV["nursing_home"]] | PROVIDER_BIT[PROV["residential_id"]]


class InformalCare(Stage):
    """Informal carers are found for people who need care, give hours, carry a burden that
    formal care and welfare support relieve, and burn out at a threshold."""

    name = "informal_care"
    purpose = "carers found (network, household), hours given, burden, support, burnout"

    @staticmethod
    def known_to_municipality(model: SocialDomainModel, cared_for: np.ndarray) -> np.ndarray:
        """Whether the household of each person in `cared_for` is known to the municipality:
        the person has a case holder, or is in or waiting for municipal care. Carer support
        reaches only carers the municipality knows (docs/ODD.md 7.3)."""
        return model.pop.case_holder[cared_for] | model.access.in_municipal_care(cared_for)

    def step(self, model: SocialDomainModel) -> None:
        pop, b = model.pop, model.cfg.behaviour
        sev = pop.severity
        need = np.maximum(
            np.maximum(sev[DOM["frailty"]], sev[DOM["dementia"]]),
            np.maximum(
                b.carer_need_weight_intellectual_disability * sev[DOM["intellectual_disability"]],
                b.carer_need_weight_mental_health * sev[DOM["mental_health"]],
            ),
        )
        u = model.draws.person_uniform("carers")
        # links end when the need is gone or the person moved into an institution (their
        # care as bits: no pass over everyone)
        receivers = pop.cared_for_slots()
        end = receivers[
            (need[receivers] < 0.5 * b.informal_need_threshold)
            | ((pop.care_bits[receivers] & INSTITUTION) != 0)
        ]
        if end.size:
            pop.caring_for[pop.carer[end]] = NONE
            pop.carer[end] = NONE
        # new carers: of the few whose need is above the threshold, those without a carer
        # and outside an institution
        high = (need >= b.informal_need_threshold).nonzero()[0]
        seeking = high[(pop.carer[high] == NONE) & ((pop.care_bits[high] & INSTITUTION) == 0)]
        if seeking.size:
            p_found = (
                b.carer_found_prob
                * (
                    b.carer_found_network_floor
                    + (1.0 - b.carer_found_network_floor) * pop.network[seeking]
                )
                * np.where(pop.single[seeking], b.single_carer_found_factor, 1.0)
            )
            found = seeking[u[seeking] < p_found]
            free = pop.age >= 18  # the same tests, combined in place
            free &= pop.age < 85
            free &= pop.caring_for == NONE
            free &= pop.no_caring_until <= model.week
            free &= need < b.informal_need_threshold
            pool = free.nonzero()[0]
            if found.size and pool.size:
                frac = u[found] / np.maximum(p_found[u[seeking] < p_found], 1e-9)
                pick = pool[np.minimum((frac * pool.size).astype(np.int64), pool.size - 1)]
                ok = pick != found
                found, pick = found[ok], pick[ok]
                _, first = np.unique(pick, return_index=True)
                found, pick = found[first], pick[first]
                pop.carers_linked(found, pick)
                pop.burden[pick] = 0.0
                model.recorder.log(pick, "carer_assigned")
        # hours and burden
        # the carers: one per person cared for (links are pairs), in slot order (one pass:
        # cheaper than sorting the carers of the cared-for set)
        carers = (pop.caring_for != NONE).nonzero()[0]
        pop.carer_hours[:] = 0.0
        pop.carer_supported[:] = False
        if carers.size:
            r = pop.caring_for[carers]
            bits = pop.care_bits[r]  # one gather of the bits
            formal = (bits & FORMAL_AT_HOME) != 0
            hours = (
                b.carer_hours_per_need
                * need[r]
                * (1.0 - b.carer_hours_formal_substitution * formal)
            )
            if b.carer_crowding_out > 0:  # carers step back while any formal care runs
                hours *= 1.0 - b.carer_crowding_out * (bits != 0)
            pop.carer_hours[carers] = hours
            # burden moves toward an equilibrium proportional to the hours given, faster for
            # carers with little self-reliance of their own
            load = b.carer_burden_per_hour * np.maximum(hours - b.carer_tolerance_hours, 0.0)
            load *= 1.5 - pop.self_reliance[carers]
            pop.burden[carers] += load - b.carer_recovery_per_week * pop.burden[carers]
            if supports_carers(model):
                heavy = carers[pop.burden[carers] >= 0.5 * b.carer_heavy_burden]
                support = heavy[self.known_to_municipality(model, pop.caring_for[heavy])]
                pop.carer_supported[support] = True
                pop.burden[support] -= b.carer_support_relief
                model.book(
                    "welfare",
                    "prevention",
                    "carer_support",
                    support.size * b.carer_support_eur_per_week,
                )
            # np.maximum(burden, 0), as np.clip (numpy's maximum with a scalar is ~3x slower)
            clip(pop.burden, 0.0, np.inf, out=pop.burden)
            model.recorder.add("informal_care_hours", float(hours.sum()))
            burnt = carers[pop.burden[carers] >= b.carer_burnout_threshold]
            if burnt.size:
                model.recorder.log(burnt, "carer_burnout")
                model.recorder.add("carer_burnouts", burnt.size)
                cared_for = pop.caring_for[burnt]
                net = pop.network[cared_for] - b.network_loss_carer_burnout
                pop.network[cared_for] = np.maximum(net, 0.0)  # the network loses a carer
                pop.carer[cared_for] = NONE
                pop.caring_for[burnt] = NONE
                pop.no_caring_until[burnt] = model.week + 52
                pop.burden[burnt] = 0.3
                mh = DOM["mental_health"]
                start_episode(model, mh, burnt[pop.severity[mh][burnt] <= 0])
                pop.severity[mh][burnt] = np.minimum(
                    1.0, pop.severity[mh][burnt] + b.carer_burnout_mental_health
                )
