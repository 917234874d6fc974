"""Access designs: how a citizen's problem becomes help. One strategy class per design.

A new design is a new subclass registered in `DESIGN_CLASSES` plus a YAML file in
`scenarios/design/`. Designs act only through the model's mechanisms (requests, assessment,
grants, doses, costs); none of them is given a better outcome by construction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.params import DesignParams
from sim.population import DOM, NONE, PROV

if TYPE_CHECKING:
    from sim.model import SocialDomainModel

YOUTH = DOM["youth_family"]


class Gatekeeping:
    """Neighbourhood-team gatekeeping: late self-referral, intake queue limited by consultant
    hours, kitchen-table conversation, indication under budget pressure, formal decision,
    periodic re-indication and provider accountability paperwork."""

    name = "gatekeeping"

    def __init__(self, params: DesignParams) -> None:
        self.p = params

    # -- signals and requests -------------------------------------------------------------
    def handle_detections(
        self, model: SocialDomainModel, idx: np.ndarray, place: np.ndarray, u: np.ndarray
    ) -> None:
        """A care-finding place that notices a problem advises the citizen to ask the team."""
        follow = idx[u[idx] < self.p.advice_follow_prob]
        model.enqueue_requests(follow)

    def asking_probability(self, model: SocialDomainModel, idx: np.ndarray) -> np.ndarray:
        """Weekly probability of asking for help of the people `idx`, whose largest unhelped
        problem is above the self-referral threshold."""
        p = self.p
        prob = np.full(idx.size, p.self_referral_prob_per_week, dtype=np.float32)
        if model.cfg.design.levers.own_contribution == "flat" and p.flat_fee_demand_uplift > 0:
            prob *= np.where(model.pop.income[idx] >= 1, 1.0 + p.flat_fee_demand_uplift, 1.0)
        return prob

    def requests(self, model: SocialDomainModel, u: np.ndarray) -> None:
        """Self-referral: citizens with an unhelped problem above the threshold ask."""
        could = np.flatnonzero(model.unhelped_max >= self.p.self_referral_threshold)
        asks = could[u[could] < self.asking_probability(model, could)]
        model.enqueue_requests(asks)

    # -- assessment and decisions ---------------------------------------------------------
    def approval_probability(self, model: SocialDomainModel, idx: np.ndarray) -> np.ndarray:
        p = self.p
        cut = p.budget_pressure_sensitivity * model.municipality.pressure
        need = model.unhelped_max[idx]
        base = np.where(need >= p.approval_need_threshold, p.approval_base, p.low_need_approval)
        # an assessor with less expertise tells high from low need less well
        blur = p.misjudgement_low_expertise * (1.0 - p.assessor_expertise)
        base = base + blur * (0.5 * (p.approval_base + p.low_need_approval) - base)
        return np.clip(base - cut, 0.0, 1.0)

    def assess(self, model: SocialDomainModel, u: np.ndarray) -> None:
        """Kitchen-table conversations for the oldest requests the team has hours for."""
        pop, p = model.pop, self.p
        queue = np.flatnonzero(pop.request_since != NONE)
        hours_per_case = p.intake_hours + p.decision_admin_hours
        cap = model.team.intake_capacity(hours_per_case)
        if queue.size > cap:
            order = np.argsort(pop.request_since[queue], kind="stable")
            queue = queue[order[:cap]]
        if queue.size:
            pop.request_since[queue] = NONE
            model.book_consultant_hours(queue, hours_per_case)
            approved = u[queue] < self.approval_probability(model, queue)
            model.decide(queue[approved], queue[~approved], self.p)
            if p.reindication_weeks > 0:
                pop.indicated_until[queue[approved]] = model.week + p.reindication_weeks
        self.reindicate(model, u)

    def reindicate(self, model: SocialDomainModel, u: np.ndarray) -> None:
        """Periodic re-indication: paperwork, and under budget pressure some care is stopped."""
        p = self.p
        if p.reindication_weeks <= 0:
            return
        pop = model.pop
        due = np.flatnonzero(pop.indicated_until == model.week)
        if due.size == 0:
            return
        model.book_consultant_hours(due, p.reindication_hours)
        stop = u[due] > 1.0 - 0.5 * p.budget_pressure_sensitivity * model.municipality.pressure
        model.stop_municipal_care(due[stop])
        pop.indicated_until[due[~stop]] = model.week + p.reindication_weeks
        pop.indicated_until[due[stop]] = NONE

    # -- delivery -------------------------------------------------------------------------
    def dose(self, model: SocialDomainModel, provider: int, idx: np.ndarray) -> np.ndarray:
        """Units delivered relative to the standard indication (1 = as indicated)."""
        return np.ones(idx.size, dtype=np.float32)

    def over_supply(self) -> float:
        """Delivered / needed units, after audits deter part of the over-supply."""
        p = self.p
        deterred = min(1.0, p.audit_deterrence * p.audit_share_per_year)
        return 1.0 + (p.over_supply_factor - 1.0) * (1.0 - deterred)

    def provider_admin_hours_per_client_week(self) -> float:
        return self.p.provider_admin_hours_per_client_week

    def weekly(self, model: SocialDomainModel) -> None:
        """Fixed weekly activities of the design (prevention, audits, case holding)."""
        p = self.p
        if p.prevention_eur_per_inhabitant > 0:
            model.book(
                "welfare",
                "prevention",
                "prevention_and_welfare",
                p.prevention_eur_per_inhabitant * model.n / 52.0,
            )
        if p.audit_share_per_year > 0:
            clients = int(
                np.count_nonzero(model.pop.in_care[model.municipal_provider_rows].any(axis=0))
            )
            audits = clients * p.audit_share_per_year / 52.0
            model.book_admin("wmo", "audits", audits * p.audit_hours)


class YesIsCheaper(Gatekeeping):
    """ "Saying yes is cheaper than no": requests are granted with little assessment, minimal
    paperwork, the client chooses (providers decide the hours, and may over-supply), sample
    audits with a penalty deter part of the over-supply."""

    name = "yes_is_cheaper"

    def approval_probability(self, model: SocialDomainModel, idx: np.ndarray) -> np.ndarray:
        return np.full(idx.size, self.p.grant_probability)


class EarlySignalling(Gatekeeping):
    """Early signalling: care-finding places pass signals to a professional case holder with a
    limited caseload, who arranges help with a warm handover, scales help up and down,
    supports informal carers; prevention and light help keep problems small."""

    name = "early_signalling"

    def handle_detections(
        self, model: SocialDomainModel, idx: np.ndarray, place: np.ndarray, u: np.ndarray
    ) -> None:
        pop, p = model.pop, self.p
        worth = (model.unhelped_max[idx] >= p.signal_threshold) & (u[idx] < p.signal_referral_prob)
        sig, sig_place = idx[worth], place[worth]
        new = (
            (pop.signal_since[sig] == NONE)
            & ~pop.case_holder[sig]
            & (pop.request_since[sig] == NONE)
        )
        sig, sig_place = sig[new], sig_place[new]
        pop.signal_since[sig] = model.week
        model.log_events(sig, "signal", sig_place)
        # the place's own time for passing the signal on
        for k, agent in enumerate(model.places):
            n = int(np.count_nonzero(sig_place == k))
            if n:
                model.book(
                    agent.params.financier,
                    "prevention",
                    f"signal_{agent.name}",
                    n * p.signal_handling_hours * agent.hour_cost,
                )

    def assess(self, model: SocialDomainModel, u: np.ndarray) -> None:
        pop, p = model.pop, self.p
        week = model.week
        # signals not taken up within half a year lapse
        stale = np.flatnonzero((pop.signal_since != NONE) & (pop.signal_since < week - 26))
        pop.signal_since[stale] = NONE
        # close cases that no longer need a case holder
        active = np.flatnonzero(pop.case_holder)
        if active.size:
            in_care = pop.in_care[model.municipal_provider_rows][:, active].any(axis=0)
            done = (model.unhelped_max[active] < p.signal_threshold) & ~in_care
            pop.case_holder[active[done]] = False
        capacity = int(p.case_holder_fte_per_1000 * model.n / 1000.0 * p.caseload_per_fte)
        free = capacity - int(np.count_nonzero(pop.case_holder))
        waiting = np.flatnonzero((pop.signal_since != NONE) | (pop.request_since != NONE))
        if free > 0 and waiting.size:
            since = np.where(
                pop.signal_since[waiting] != NONE,
                pop.signal_since[waiting],
                pop.request_since[waiting],
            )
            take = waiting[np.argsort(since, kind="stable")[:free]]
            pop.signal_since[take] = NONE
            pop.request_since[take] = NONE
            pop.case_holder[take] = True
            model.log_events(take, "case_holder")
            model.book_consultant_hours(take, p.intake_hours + p.decision_admin_hours)
            approved = u[take] < self.approval_probability(model, take)
            model.decide(
                take[approved],
                take[~approved],
                p,
                light_only=model.unhelped_max[take[approved]] < p.light_help_threshold,
            )
        # the case holders' own hours with their active cases
        n_cases = int(np.count_nonzero(pop.case_holder))
        if n_cases:
            model.book(
                "wmo",
                "care",
                "case_holding",
                n_cases
                * p.case_holder_hours_per_case_week
                * model.cfg.behaviour.consultant_hour_eur,
            )

    def dose(self, model: SocialDomainModel, provider: int, idx: np.ndarray) -> np.ndarray:
        if not self.p.scale_up_down:
            return super().dose(model, provider, idx)
        doms = model.providers[provider].domains
        sev = model.pop.severity[doms][:, idx].max(axis=0)
        return np.clip(sev / 0.5, 0.5, 1.5).astype(np.float32)


DESIGN_CLASSES: dict[str, type[Gatekeeping]] = {
    "gatekeeping": Gatekeeping,
    "early_signalling": EarlySignalling,
    "yes_is_cheaper": YesIsCheaper,
}


def make_design(params: DesignParams) -> Gatekeeping:
    """The strategy object for a design's parameters."""
    return DESIGN_CLASSES[params.name](params)


__all__ = [
    "DESIGN_CLASSES",
    "PROV",
    "EarlySignalling",
    "Gatekeeping",
    "YesIsCheaper",
    "make_design",
]
