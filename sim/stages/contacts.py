"""Contacts: care-finding places meet citizens in ordinary life and notice problems
(`contacts.places`); the GP and school doctor refer to health and youth care directly
(`contacts.referrals`, after the design has heard of the detections)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.designs.levers import gp_dementia_referral_prob
from sim.fastnp import clip
from sim.population import DOM, PROV
from sim.stages.base import Stage, first_max

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


class CareFindingContacts(Stage):
    """Contacts that happen anyway; some reveal a problem. One uniform per person picks
    at most one place per week (competing probabilities); its conditional value decides
    detection. Problem-driven contacts cost the place's financier. Leaves this week's
    detections in `detected` (person slots) and `place` (index into `model.places`)."""

    name = "contacts.places"
    purpose = "contacts with care-finding places (GP, police, school...); some detect a problem"

    def init(self, model: SocialDomainModel) -> None:
        self.detected = np.zeros(0, dtype=np.int64)
        self.place = np.zeros(0, dtype=np.int64)
        # places only the young meet (school): above their age limit a person can meet only
        # the others, whose summed routine rates and problem weights bound the contact
        # probability much more tightly (with a small margin)
        young = [pl for pl in model.places if pl.params.max_age + 1 < 100]
        self.young_limit = max((pl.params.max_age + 1 for pl in young), default=np.inf)
        rest = [pl for pl in model.places if pl not in young]
        routine = math.fsum(pl.params.routine_contact_per_week for pl in rest)
        weight = math.fsum(float(pl.problem_weights.sum()) for pl in rest)
        self.routine_above_limit = np.float32(routine * 1.001 + 1e-6)
        self.weight_above_limit = np.float32(weight * 1.001 + 1e-6)
        # all routine rates and all problem weights (the bound of everyone's contact)
        self.routine_all = math.fsum(pl.params.routine_contact_per_week for pl in model.places)
        self.weight_all = math.fsum(float(pl.problem_weights.sum()) for pl in model.places)

    def step(self, model: SocialDomainModel) -> None:
        pop = model.pop
        floor = model.cfg.behaviour.detection_floor
        # one uniform per person from the stream, made only for the people with a problem
        # (the others have no contact that counts)
        ms = model.access.max_severity
        has = (ms > 0).nonzero()[0]
        u_has = model.draws.uniform_at("contacts", has)
        # a contact needs u below the summed contact probabilities; bound that sum from above
        # (all routine rates + all problem weights x the largest problem) to skip the rest
        bound = np.multiply(ms[has], self.weight_all)  # one buffer (the same float32 ops)
        bound += self.routine_all
        near = np.less(u_has, bound).nonzero()[0]
        idx, u_idx = has[near], u_has[near]
        # above the young-only places' age limit, the tighter bound of the other places
        above = pop.age[idx] > self.young_limit
        # compress: faster than a boolean index when about half are kept
        keep = ~above | (u_idx < self.routine_above_limit + self.weight_above_limit * ms[idx])
        idx, u_idx = idx.compress(keep), u_idx.compress(keep)
        if idx.size == 0 or not model.places:
            self.detected, self.place = idx[:0], idx[:0]
            return
        sev = pop.severity.take(idx, axis=1)  # faster than severity[:, idx]
        ages = pop.age[idx]
        uu = u_idx
        lower = np.zeros(idx.size, dtype=np.float32)
        detected = np.zeros(idx.size, dtype=bool)
        place_of = np.full(idx.size, -1, dtype=np.int64)
        for k, place in enumerate(model.places):
            routine, problem = place.contact_probabilities(ages, sev)
            upper = lower + routine
            upper += problem
            clip(upper, -np.inf, 1.0, out=upper)  # np.minimum(upper, 1.0), faster
            # the people whose uniform falls in this place's interval (a few): the rest of
            # the place's arithmetic only for them
            hit = ((uu >= lower) & (uu < upper)).nonzero()[0]
            if hit.size:
                u_hit, low = uu[hit], lower[hit]
                width = np.maximum(upper[hit] - low, 1e-9)
                frac = (u_hit - low) / width
                n_problem = int(np.count_nonzero(u_hit >= low + routine[hit]))
                place.contacts += hit.size
                place.problem_contacts += n_problem
                if n_problem:
                    model.book(
                        place.params.financier,
                        "care",
                        f"contacts_{place.name}",
                        n_problem * place.contact_cost,
                    )
                # detection rises with the main problem's severity (the first domain on
                # ties, as argmax), alike at every place: found for these people only
                main, main_sev = first_max(sev.take(hit, axis=1))
                by_severity = floor + (1.0 - floor) * main_sev
                p_detect = place.detection.take(main) * by_severity
                det = hit[frac < p_detect]
                detected[det] = True
                place_of[det] = k
                place.detections += det.size
            lower = upper
        model.recorder.add("detections", int(np.count_nonzero(detected)))
        self.detected, self.place = idx[detected], place_of[detected]


class HealthCareReferrals(Stage):
    """Routes outside the municipal design: the GP refers to mental health care (Zvw) and
    to dementia case management (Zvw; everyone with chain care), GPs and school doctors to
    youth care (Youth Act)."""

    name = "contacts.referrals"
    purpose = "GP referrals to mental health care, dementia case management, youth care"

    def step(self, model: SocialDomainModel) -> None:
        pop = model.pop
        detected, place = model.contacts.detected, model.contacts.place
        gp = [k for k, pl in enumerate(model.places) if pl.name == "gp"]
        at_gp = detected[place == gp[0]] if gp else detected[:0]
        mhc = model.providers[PROV["mental_health_care"]]
        mh = pop.severity[DOM["mental_health"]][at_gp]
        model.access.join_waiting_list(mhc.index, at_gp[mh >= mhc.params.eligibility_threshold])
        dcm = model.providers[PROV["dementia_case_management"]]
        dem = at_gp[pop.severity[DOM["dementia"]][at_gp] >= dcm.params.eligibility_threshold]
        refer = gp_dementia_referral_prob(model)  # 1 under chain care
        if refer < 1.0:
            dem = dem[
                model.draws.person_uniform("referrals", "dementia_case_management")[dem] < refer
            ]
        model.access.join_waiting_list(dcm.index, dem)
        # GPs (and school doctors) may refer to youth care directly under the Youth Act
        # a lookup by place index (np.isin's set-up costs more than the lookup here)
        refers = np.array([pl.name in ("gp", "school") for pl in model.places], dtype=bool)
        direct = refers[place]
        youth = detected[direct]
        youth = youth[
            model.draws.person_uniform("referrals", "youth_care")[youth]
            < model.cfg.behaviour.gp_youth_referral_prob
        ]
        model.access.join_waiting_list(PROV["youth_ambulant"], youth)
