"""Access: who is covered (`access.help_state`), and the intake queue, decisions and waiting
lists that the access designs use (`Access`: the interface the designs call). The design's
own steps of the week (`access.signals`, `access.requests`, `access.assessment`,
`access.design_weekly`) run the current design (`model.current_design`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.administration import objections, paid_act_by_person, record_act
from sim.kitchen_table import converse
from sim.params import DOMAINS, DesignParams
from sim.population import BITS, DOM, NONE, PRIORITY, PROV, PROVIDER_BIT
from sim.rng import PersonUniform
from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel
    from sim.staff import StaffPool

# each domain's index as a 0-d int8 array (an operand without a scalar conversion)
DOMAIN_CODES = [np.array(d, dtype=np.int8) for d in range(len(DOMAINS))]

DESIGN_STEPS = {  # the design's steps of the week and their purpose
    "signals": "the design hears of detected problems (advice to ask, or a signal)",
    "requests": "self-referral: citizens with an unhelped problem ask for help",
    "assessment": "the design assesses requests and signals; grants join waiting lists",
    "design_weekly": "the design's fixed weekly activities (prevention, audits)",
}


class Access(Stage):
    """The intake queue, assessment outcomes and waiting lists, and who is covered.

    Not a step of the week itself: `HelpState` and the design's steps (`DesignStep`) use it.
    Its state: `unhelped_max` (the largest problem not covered by care or a waiting list,
    which drives asking and assessment), `max_severity`, `waiting` (P, N) and, at the end
    of a recorded week, `unmet_max` (the largest problem not in care)."""

    name = "access"
    purpose = "intake queue, decisions and waiting lists (the interface the designs call)"

    def init(self, model: SocialDomainModel) -> None:
        self.model = model
        self.unhelped_max = np.zeros(model.n, dtype=np.float32)
        # after leaving a waiting list: no new (non-crisis) entry to it before this week
        self.rejoin_from = np.full((len(model.providers), model.n), NONE, dtype=np.int32)
        self.municipal_rows = np.array(
            [pr.index for pr in model.providers if pr.municipal], dtype=np.int64
        )
        self.municipal_bits = np.bitwise_or.reduce(
            PROVIDER_BIT[self.municipal_rows], initial=BITS(0)
        )  # the same as bits (`Population.care_bits`, `wait_bits`)
        self.wmo_rows = np.array(
            [pr.index for pr in model.providers if pr.params.financier == "wmo"], dtype=np.int64
        )
        wlz_rows = [pr.index for pr in model.providers if pr.params.financier == "wlz"]
        self.wlz_bits = np.bitwise_or.reduce(PROVIDER_BIT[wlz_rows], initial=BITS(0))
        self._wmo = np.zeros(len(model.providers), dtype=bool)
        self._wmo[self.wmo_rows] = True
        self.unhelped_domain = np.zeros(model.n, dtype=np.int8)
        # per domain, the provider rows whose care covers it
        self.domain_rows = [
            np.array([pr.index for pr in model.providers if d in pr.domains], dtype=np.int64)
            for d in range(len(DOMAINS))
        ]
        # the same as bits (`Population.care_bits`, `wait_bits`): a domain's providers
        self.domain_bits = [
            np.bitwise_or.reduce(PROVIDER_BIT[rows], initial=BITS(0)) for rows in self.domain_rows
        ]
        # per domain its municipal providers as bits (`need_for_municipal_care`), for the
        # domains some municipal care serves
        self.municipal_domain_bits = [
            (d, bits & self.municipal_bits)
            for d, bits in enumerate(self.domain_bits)
            if bits & self.municipal_bits
        ]
        # domains that Wmo care with an own contribution serves: asking about them costs a fee
        self.fee_domain = np.zeros(len(DOMAINS), dtype=bool)
        for prov in model.providers:
            if prov.params.own_contribution:
                self.fee_domain[prov.domains] = True
        # neighbourhoods: each slot's from a keyed draw (a newborn takes the slot's place),
        # and the approval share its residents remember
        k = model.cfg.municipality.neighbourhoods
        u = PersonUniform(model.draws.key["neighbourhoods"], 0)[np.arange(model.n)]
        self.neighbourhood = np.minimum((u * k).astype(np.int64), k - 1)
        self.approval_memory = np.full(k, model.cfg.behaviour.asking_reference_approval)
        self._approved_week = np.zeros(k)
        self._decided_week = np.zeros(k)

    def update_help_state(self, outcomes: bool = False) -> None:
        """Which problems are covered (in care or on a waiting list), and the largest
        problem that is not: `unhelped_max` (and its domain, `unhelped_domain`). With
        `outcomes` (end of a recorded week), instead `unmet_max`: the largest problem not
        *in care* (someone on a waiting list has no help yet), used for unmet need and
        wellbeing; nothing reads `unhelped_max` between then and the next week's refresh.
        Both also keep `waiting` (P, N) and `max_severity` (N).

        Nobody outside care and the waiting lists (the population's maintained sets) has a
        problem covered: their largest uncovered problem is their largest problem, found in
        one pass per domain over contiguous rows; only the people in care (or waiting)
        are looked at per provider. The running maximum with a strict `>` keeps the first
        domain on ties, as `argmax` does."""
        model = self.model
        pop = model.pop
        self.waiting = pop.waiting  # the maintained mirror of waiting_since != NONE
        sev = pop.severity
        n = model.n
        top = np.zeros(n, dtype=np.float32)
        dom = None if outcomes else np.zeros(n, dtype=np.int8)
        above = np.empty(n, dtype=bool)
        step = np.empty(n, dtype=np.int8)
        for d in range(sev.shape[0]):
            if dom is not None and d > 0:
                # d exceeds every domain before it: "dom = d where above" is a maximum
                np.greater(sev[d], top, out=above)
                # the booleans as int8 0/1 times a 0-d int8: no cast loop (2.5x faster)
                np.multiply(above.view(np.int8), DOMAIN_CODES[d], out=step)
                np.maximum(dom, step, out=dom)
            np.maximum(top, sev[d], out=top)
        self.max_severity = top
        best = top.copy()
        # the people whose problems some care (or waiting list) covers
        e = pop.slots("care" if outcomes else "engaged")
        if e.size:
            # each person's providers as bits: one gather instead of (P, len(e)) booleans
            cover = pop.care_bits[e] if outcomes else pop.care_bits[e] | pop.wait_bits[e]
            sub_sev = sev.take(e, axis=1)
            sub_best = np.zeros(e.size, dtype=np.float32)
            sub_dom = np.zeros(e.size, dtype=np.int8)
            sub_above = np.empty(e.size, dtype=bool)
            sub_step = np.empty(e.size, dtype=np.int8)
            for d, bits in enumerate(self.domain_bits):
                row = sub_sev[d] * ((cover & bits) == 0)
                if dom is not None and d > 0:  # as above (np.copyto(where=) is ~7x slower)
                    np.greater(row, sub_best, out=sub_above)
                    np.multiply(sub_above.view(np.int8), DOMAIN_CODES[d], out=sub_step)
                    np.maximum(sub_dom, sub_step, out=sub_dom)
                np.maximum(sub_best, row, out=sub_best)
            best[e] = sub_best
            if dom is not None:
                dom[e] = sub_dom
        if outcomes:
            self.unmet_max = best
        else:
            self.unhelped_domain = dom
            self.unhelped_max = best

    def remembered_approval(self, idx: np.ndarray) -> np.ndarray:
        """The approval share the neighbourhood of each of `idx` remembers (0-1)."""
        return self.approval_memory[self.neighbourhood[idx]]

    def remember_decisions(self) -> None:
        """Last week's decisions become experience: each neighbourhood's remembered approval
        share moves toward the share approved among its decisions, with time constant
        `behaviour.approval_memory_weeks` (unchanged in a week without decisions)."""
        decided = self._decided_week > 0
        if decided.any():
            share = self._approved_week[decided] / self._decided_week[decided]
            step = 1.0 / max(self.model.cfg.behaviour.approval_memory_weeks, 1.0)
            self.approval_memory[decided] += step * (share - self.approval_memory[decided])
        self._approved_week[:] = 0.0
        self._decided_week[:] = 0.0

    def enqueue_requests(self, idx: np.ndarray) -> None:
        """Put people in the intake queue, unless already queued, cared for, or refused."""
        model = self.model
        pop = model.pop
        ok = idx[
            (pop.request_since[idx] == NONE)
            & (pop.refused_until[idx] <= model.week)
            & ~pop.case_holder[idx]
            & (pop.signal_since[idx] == NONE)
            & (self.unhelped_max[idx] > 0)
        ]
        pop.request_since[ok] = model.week
        model.recorder.log(ok, "request")
        model.recorder.add("requests", ok.size)
        paid_act_by_person(model, "registration", ok)

    def decide(
        self,
        approved: np.ndarray,
        refused: np.ndarray,
        design: DesignParams,
        light_only: np.ndarray | None = None,
        upheld_objection: bool = False,
    ) -> None:
        """Formal outcome of an assessment: the kitchen-table conversation
        (`sim.kitchen_table`) first refers those a general provision and their own network
        can carry; then a decision (beschikking) per person, an objection by some of those
        refused or granted light help only (the upheld ones are granted in full, without a
        second conversation), and grants go to the providers' waiting lists."""
        model = self.model
        pop = model.pop
        if not upheld_objection:
            approved, refused, light_only = converse(model, approved, refused, design, light_only)
        paid_act_by_person(model, "decision", np.concatenate([approved, refused]))
        model.recorder.log(approved, "approved")
        model.recorder.log(refused, "refused")
        model.recorder.add("approvals", approved.size)
        model.recorder.add("refusals", refused.size)
        k = self.approval_memory.size
        self._approved_week += np.bincount(self.neighbourhood[approved], minlength=k)
        self._decided_week += np.bincount(self.neighbourhood[approved], minlength=k)
        self._decided_week += np.bincount(self.neighbourhood[refused], minlength=k)
        # nobody asks again right after an assessment, whatever its outcome
        pop.refused_until[refused] = model.week + design.refusal_cooldown_weeks
        pop.refused_until[approved] = model.week + design.refusal_cooldown_weeks
        light = np.zeros(approved.size, dtype=bool) if light_only is None else light_only
        upheld = objections(model, refused, approved[light]) if not upheld_objection else refused
        if upheld.size:
            self.decide(upheld, upheld[:0], design, upheld_objection=True)
        if approved.size == 0:
            return
        warm = design.warm_handover  # the case holder's warm contacts: admitted first
        self.join_waiting_list(PROV["social_work"], approved[light], priority=warm, light=True)
        full = approved[~light]
        u = model.draws.person_uniform("referrals", "residential_youth")[full]
        res_prob = design.residential_referral_base * (
            1.0 + design.residential_referral_low_expertise * (1.0 - design.assessor_expertise)
        )
        youth_sev = pop.severity[DOM["youth_family"]][full]
        res_elig = model.providers[PROV["youth_residential"]].params.eligibility_threshold
        residential = (youth_sev >= res_elig) & (u < res_prob)
        for prov in model.providers:
            if not prov.municipal:
                continue
            if prov.name == "youth_residential":
                self.join_waiting_list(prov.index, full[residential], priority=warm)
            elif prov.name == "youth_ambulant":
                self.join_waiting_list(prov.index, full[~residential], priority=warm)
            else:
                self.join_waiting_list(prov.index, full, priority=warm)

    def join_waiting_list(
        self,
        p: int,
        idx: np.ndarray,
        priority: bool = False,
        light: bool = False,
        indicated: bool = False,
    ) -> None:
        """Add the eligible among `idx` to provider p's waiting list. Light help and an
        indication already given (a Wlz indication) need no severity threshold."""
        model = self.model
        if idx.size == 0:
            return
        pop, prov = model.pop, model.providers[p]
        par = prov.params
        sev = prov.severity_of(idx)
        threshold = 0.0 if light or indicated else par.eligibility_threshold
        age = pop.age[idx]
        # not in p's care nor on its list: their providers as bits (two gathers from the
        # bits everyone shares, not from provider p's own rows)
        care_bits = pop.care_bits[idx]
        bit = PROVIDER_BIT[p]
        ok = (
            (sev >= threshold)
            & (sev > 0)
            & (age >= par.min_age)
            & (age < par.max_age + 1)
            & ((care_bits & bit) == 0)
            & ((pop.wait_bits[idx] & bit) == 0)
        )
        if not priority:  # a crisis placement is not held back by a cooldown
            ok &= self.rejoin_from[p][idx] <= model.week
        if self._wmo[p] and model.cfg.behaviour.wlz_before_wmo:  # the Wlz comes first
            ok &= (care_bits & self.wlz_bits) == 0
        chosen = idx[ok]
        if chosen.size == 0:
            return
        pop.put_on_list(p, chosen, model.week - PRIORITY if priority else model.week)
        if prov.contractors:  # who chooses the contractor depends on the design
            pop.contractor[prov.row][chosen] = model.current_design.assign_contractor(
                model, prov, chosen
            )
        model.recorder.log(chosen, "waitlist", p)

    def drop_out(self, p: int | None, idx: np.ndarray, cooldown_weeks: int) -> None:
        """The people `idx` leave the intake queue (`p` None) or provider p's waiting list.
        They keep their problem and may ask again (or be referred to that list again)
        after `cooldown_weeks`; a crisis placement is not held back."""
        if idx.size == 0:
            return
        model = self.model
        pop = model.pop
        again = model.week + cooldown_weeks
        if p is None:
            pop.request_since[idx] = NONE
            model.recorder.add("dropouts_intake", idx.size)
        else:
            pop.take_off_list(p, idx)
            self.rejoin_from[p][idx] = again
            model.recorder.add("dropouts_waiting_list", idx.size)
        pop.refused_until[idx] = np.maximum(pop.refused_until[idx], again)
        model.recorder.add("dropouts", idx.size)
        model.recorder.log(idx, "dropout", -1 if p is None else p)

    def stop_municipal_care(self, idx: np.ndarray) -> None:
        """End all municipal care of the people `idx` (re-indication under budget pressure)."""
        bits = self.model.pop.care_bits[idx]  # ending one provider's care leaves the others'
        for p in self.municipal_rows:
            self.model.providers[int(p)].discharge(idx[(bits & PROVIDER_BIT[p]) != 0])

    def end_wmo_care(self, idx: np.ndarray) -> None:
        """The people `idx` start Wlz care: their Wmo maatwerk care ends and they leave its
        waiting lists (`behaviour.wlz_before_wmo`)."""
        pop = self.model.pop
        # their providers and lists as bits, read once (each step leaves the other rows)
        care_bits, wait_bits = pop.care_bits[idx], pop.wait_bits[idx]
        for p in self.wmo_rows:
            bit = PROVIDER_BIT[p]
            self.model.providers[int(p)].discharge(idx[(care_bits & bit) != 0])
            pop.take_off_list(int(p), idx[(wait_bits & bit) != 0])

    def book_admin(self, financier: str, item: str, hours: float, act: str, count: float) -> None:
        """Professional hours of an act whose length is a design's rule and which is paid
        beside the access staff's FTE (contractor choice, audits, a decision on an advice),
        at `behaviour.consultant_hour_eur`; counted as `count` acts of `act`."""
        if hours <= 0:
            return
        model = self.model
        eur = hours * model.cfg.behaviour.consultant_hour_eur
        model.recorder.add("admin_hours", hours)
        record_act(model, act, count, hours, eur)
        model.book(financier, "administration", item, eur)

    def use_staff_hours(
        self, idx: np.ndarray, hours_each: float, pool: StaffPool | None = None, other: bool = False
    ) -> None:
        """Hours of the access staff (`pool`, default the neighbourhood team) spent on the
        people `idx` (assessments; `other`: reviews). Nothing is booked here: the staff's
        hours are paid every week whether used or not (`StaffPool.pay`); the hours for
        people with a youth-family problem set the youth budget's share of that pay."""
        if idx.size == 0 or hours_each <= 0:
            return
        model = self.model
        youth = int(np.count_nonzero(model.pop.severity[DOM["youth_family"]][idx] > 0))
        staff = model.team if pool is None else pool
        staff.use(idx.size * hours_each, youth * hours_each, other=other)

    def in_municipal_care(self, idx: np.ndarray) -> np.ndarray:
        """Whether each of `idx` is in, or waiting for, some municipal care."""
        pop = self.model.pop
        return ((pop.care_bits[idx] | pop.wait_bits[idx]) & self.municipal_bits) != 0

    def need_for_municipal_care(self, idx: np.ndarray) -> np.ndarray:
        """The largest problem of each of `idx` among the domains that their municipal care
        (received or waited for) serves: what a review judges. Domain by domain (a domain
        counts where one of its municipal providers is among the person's), the same
        maximum as provider by provider over each provider's domains, in fewer passes."""
        pop = self.model.pop
        need = np.zeros(idx.size, dtype=np.float32)
        bits = pop.care_bits[idx] | pop.wait_bits[idx]
        for d, providers in self.municipal_domain_bits:
            served = (bits & providers) != 0
            np.maximum(need, np.where(served, pop.severity[d][idx], 0.0), out=need)
        return need


class HelpState(Stage):
    """Refresh who is covered; at the end of a week (`outcomes=True`) also who is in care,
    for the recorder (only in recorded weeks)."""

    def __init__(self, outcomes: bool = False) -> None:
        self.outcomes = outcomes
        self.name = "access.outcome_state" if outcomes else "access.help_state"
        self.purpose = (
            "end-of-week help state for the outcomes: problems not in care (recorded weeks)"
            if outcomes
            else "which problems are covered (in care or waiting); the largest that is not"
        )

    def step(self, model: SocialDomainModel) -> None:
        if self.outcomes and not model.recording:
            return
        model.access.update_help_state(outcomes=self.outcomes)


class DesignStep(Stage):
    """One of the current access design's steps of the week."""

    def __init__(self, step: str) -> None:
        self.which = step
        self.name = f"access.{step}"
        self.purpose = DESIGN_STEPS[step]

    def step(self, model: SocialDomainModel) -> None:
        design = model.current_design
        if self.which == "signals":
            model.access.remember_decisions()
            detected = model.contacts.detected
            u = model.draws.person_uniform("requests")
            design.handle_detections(model, detected, model.contacts.place, u)
        elif self.which == "requests":
            design.requests(model, model.draws.person_uniform("requests"))
        elif self.which == "assessment":
            design.assess(model, model.draws.person_uniform("decisions"))
        else:
            design.weekly(model)
