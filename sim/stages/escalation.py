"""Escalation: needs that grew too large become expensive care, often elsewhere in the chain."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.params import ESCALATIONS
from sim.population import DOM, NO_ONSET, NONE, PROV, PROVIDER_BIT
from sim.stages.base import Stage
from sim.stages.ciz import AT_HOME, NURSING_HOME, RESIDENTIAL_ID
from sim.stages.problems import start_episode

if TYPE_CHECKING:
    from sim.model import SocialDomainModel

WLZ_ROWS = [PROV["wlz_at_home"], PROV["nursing_home"], PROV["residential_id"]]
WLZ_BITS = np.bitwise_or.reduce(PROVIDER_BIT[WLZ_ROWS])


class Escalation(Stage):
    """Needs that grew too large escalate to expensive care, often in other compartments:
    residential youth placement (youth), Wlz indication and nursing home (Wlz), mental
    health crisis and admission (Zvw), eviction, problematic debt."""

    name = "escalation"
    purpose = "crises: youth placement, nursing home, mental health crisis, eviction, debt"

    def step(self, model: SocialDomainModel) -> None:
        pop, b = model.pop, model.cfg.behaviour
        u = model.draws.person_uniform("escalation")
        thr, rate = b.escalation_threshold, b.escalation_rate_per_week
        sev = pop.severity
        w_dem, w_id = np.float32(b.dementia_admission_weight), np.float32(b.id_admission_weight)
        w_frail = np.float32(b.frailty_admission_weight)
        # only people above some escalation threshold can escalate: work on them alone
        c = self._candidates(model, w_frail, w_dem, w_id)
        y = sev[DOM["youth_family"]][c]
        old = np.maximum(
            np.minimum(w_frail * sev[DOM["frailty"]][c], 1.0),
            np.minimum(w_dem * sev[DOM["dementia"]][c], 1.0),
        )
        id_sev = sev[DOM["intellectual_disability"]][c] * w_id
        mh = sev[DOM["mental_health"]][c]
        debt = sev[DOM["debt"]][c]
        # each candidate's providers as bits (one gather each, not a (P, len(c)) one)
        care_bits, wait_bits = pop.care_bits[c], pop.wait_bits[c]

        def in_care(p: int) -> np.ndarray:
            return (care_bits & PROVIDER_BIT[p]) != 0

        def hazard(
            kind: str, s: np.ndarray, eligible: np.ndarray, r: float | None = None
        ) -> np.ndarray:
            t, r = thr[kind], rate[kind] if r is None else r
            return np.where(eligible & (s >= t), r * (s - t) / max(1.0 - t, 1e-9), 0.0)

        yr = PROV["youth_residential"]
        in_yr = ((care_bits | wait_bits) & PROVIDER_BIT[yr]) != 0
        h_youth = hazard("residential_youth", y, (pop.age[c] < 18) & ~in_yr)
        h_youth *= 1.0 - b.youth_ambulant_escalation_reduction * in_care(PROV["youth_ambulant"])
        # in the Wlz route: in Wlz care or waiting for it (an indication is not given twice)
        in_wlz = ((care_bits | wait_bits) & WLZ_BITS) != 0
        in_wlz |= model.ciz.pending(c)  # or waiting for the CIZ's decision
        h_wlz = hazard("nursing_home", old, (pop.age[c] >= 18) & ~in_wlz)
        h_wlz *= 1.0 - b.informal_care_escalation_reduction * (pop.carer[c] != NONE)
        h_wlz *= 1.0 - b.case_management_escalation_reduction * in_care(
            PROV["dementia_case_management"]
        )
        # care at home that no longer suffices: a Wlz client at home (for frailty or
        # dementia) moves to the nursing-home list as the need grows; the indication stands
        nh = PROV["nursing_home"]
        at_home = in_care(PROV["wlz_at_home"]) & (((care_bits | wait_bits) & PROVIDER_BIT[nh]) == 0)
        h_move = hazard("nursing_home", old, at_home, b.wlz_home_to_nursing_home_rate_per_week)
        h_move *= 1.0 - b.informal_care_escalation_reduction * (pop.carer[c] != NONE)
        h_move *= 1.0 - b.case_management_escalation_reduction * in_care(
            PROV["dementia_case_management"]
        )
        h_wlz_id = hazard("nursing_home", id_sev, ~in_wlz)
        h_crisis = hazard("mental_health_crisis", mh, ~in_care(PROV["psychiatric_admission"]))
        h_crisis *= 1.0 - b.mental_health_care_crisis_reduction * in_care(
            PROV["mental_health_care"]
        )
        h_evict = hazard("eviction", debt, (pop.age[c] >= 18) & ~pop.evicted[c])
        h_evict *= 1.0 - b.debt_counselling_eviction_reduction * in_care(PROV["debt_counselling"])
        uc = u[c]
        lower = np.zeros(c.size)
        outcomes = {}
        for name, h in (
            ("residential_youth", h_youth),
            ("nursing_home", h_wlz),
            ("wlz_id", h_wlz_id),
            ("wlz_home_to_nursing_home", h_move),
            ("mental_health_crisis", h_crisis),
            ("eviction", h_evict),
        ):
            upper = lower + h
            outcomes[name] = c[(uc >= lower) & (uc < upper)]
            lower = upper
        esc = {name: i for i, name in enumerate(ESCALATIONS)}
        hit = outcomes["residential_youth"]
        self._escalate(model, hit, "residential_youth", esc)
        model.access.join_waiting_list(PROV["youth_residential"], hit, priority=True)
        hit = outcomes["nursing_home"]
        self._escalate(model, hit, "nursing_home", esc)
        stay_home = (
            model.draws.person_uniform("referrals", "wlz_stay_home")[hit]
            < b.nursing_home_stay_home_share
        )
        # the escalation is an application for a Wlz indication: the CIZ decides after its
        # lead time (sim.stages.ciz); a client at home moving on keeps their indication
        model.ciz.apply(model, hit[stay_home], AT_HOME)
        model.ciz.apply(model, hit[~stay_home], NURSING_HOME)
        model.ciz.apply(model, outcomes["wlz_id"], RESIDENTIAL_ID)
        model.access.join_waiting_list(nh, outcomes["wlz_home_to_nursing_home"], indicated=True)
        hit = outcomes["mental_health_crisis"]
        self._escalate(model, hit, "mental_health_crisis", esc)
        model.access.join_waiting_list(PROV["psychiatric_admission"], hit, priority=True)
        if hit.size:
            model.book(
                "zvw",
                "care",
                "mental_health_crisis_service",
                hit.size
                * b.crisis_service_contacts
                * model.prices["specialised_mental_health_contact"],
            )
        hit = outcomes["eviction"]
        self._escalate(model, hit, "eviction", esc)
        pop.evicted[hit] = True  # once per debt episode
        if hit.size:
            cost = hit.size * b.eviction_cost_eur
            corporation = cost * b.eviction_cost_share_housing_corporation
            model.book("welfare", "care", "eviction_shelter", cost - corporation)
            model.book("care_finding_places", "care", "eviction_housing_corporation", corporation)
            mh = DOM["mental_health"]
            start_episode(model, mh, hit[pop.onset_week[mh][hit] == NO_ONSET])
            pop.problem_started(mh, hit)  # raised below, whatever their episode
            pop.severity[mh][hit] = np.minimum(
                1.0, pop.severity[mh][hit] + b.eviction_mental_health
            )
        # problematic debt: counted once per debt episode; only some become known to help
        debt = sev[DOM["debt"]]
        # above a threshold of more than 0 only people with a debt problem can cross it
        t_debt = thr["problematic_debt"]
        has = pop.problem_slots(DOM["debt"]) if t_debt > 0 else np.arange(pop.n)
        crossed = has[(debt[has] >= t_debt) & ~pop.debt_event[has]]
        if crossed.size:
            pop.debt_event[crossed] = True
            self._escalate(model, crossed, "problematic_debt", esc)
            known = crossed[
                model.draws.person_uniform("referrals", "debt_known")[crossed]
                < b.debt_known_to_help_share
            ]
            model.access.join_waiting_list(PROV["debt_counselling"], known)

    @staticmethod
    def _candidates(
        model: SocialDomainModel, w_frail: np.float32, w_dem: np.float32, w_id: np.float32
    ) -> np.ndarray:
        """Sorted slots of everyone above some escalation threshold, found among the
        maintained problem sets (no pass over everyone): above a threshold of more than 0
        only people with a problem can be; a threshold of 0 takes everyone."""
        pop, thr = model.pop, model.cfg.behaviour.escalation_threshold
        t_nh = thr["nursing_home"]
        above = []
        for name, t, w in (
            ("youth_family", thr["residential_youth"], None),
            ("frailty", t_nh, w_frail),
            ("dementia", t_nh, w_dem),  # min(w x s, 1) >= t as w x s >= t: t is at most 1
            ("intellectual_disability", t_nh, w_id),
            ("mental_health", thr["mental_health_crisis"], None),
            ("debt", thr["eviction"], None),
        ):
            if t <= 0:
                return np.arange(pop.n)
            d = DOM[name]
            has = pop.problem_slots(d)
            s = pop.severity[d][has]
            above.append(has[(s if w is None else s * w) >= t])
        # sorted and distinct: a few thousand, cheaper than marking them in an (N,) array
        values = np.sort(np.concatenate(above), kind="stable")  # sorted runs: ~9x faster
        first = np.empty(values.size, dtype=bool)
        first[:1] = True
        np.not_equal(values[1:], values[:-1], out=first[1:])
        return values[first]

    def _escalate(
        self, model: SocialDomainModel, idx: np.ndarray, kind: str, esc: dict[str, int]
    ) -> None:
        if idx.size:
            model.recorder.log(idx, "escalation", esc[kind])
            model.recorder.add(f"escalations__{kind}", idx.size)
