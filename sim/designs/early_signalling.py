"""Early signalling: care-finding places signal, a case holder arranges help."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.designs.base import AccessDesign
from sim.population import NONE

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


class EarlySignalling(AccessDesign):
    """Early signalling: care-finding places pass signals to a professional case holder with a
    limited caseload, who arranges help with a warm handover, scales help up and down,
    supports informal carers; prevention and light help keep problems small."""

    name = "early_signalling"

    def handle_detections(
        self, model: SocialDomainModel, idx: np.ndarray, place: np.ndarray, u: np.ndarray
    ) -> None:
        pop, p = model.pop, self.p
        worth = (model.access.unhelped_max[idx] >= p.signal_threshold) & (
            u[idx] < p.signal_referral_prob
        )
        sig, sig_place = idx[worth], place[worth]
        new = (
            (pop.signal_since[sig] == NONE)
            & ~pop.case_holder[sig]
            & (pop.request_since[sig] == NONE)
        )
        sig, sig_place = sig[new], sig_place[new]
        pop.signal_since[sig] = model.week
        model.recorder.log(sig, "signal", sig_place)
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
        """Case holders take signals and requests in the design's queue order as slots free
        up, decide (light help below the light-help threshold), and review running cases."""
        pop, p = model.pop, self.p
        week = model.week
        # signals not taken up in time lapse
        stale = np.flatnonzero(
            (pop.signal_since != NONE) & (pop.signal_since < week - p.signal_lapse_weeks)
        )
        pop.signal_since[stale] = NONE
        model.recorder.add("signals_lapsed", stale.size)
        self.close_idle_cases(model)
        self.review(model)
        capacity = int(p.case_holder_fte_per_1000 * model.n / 1000.0 * p.caseload_per_fte)
        free = capacity - int(np.count_nonzero(pop.case_holder))
        waiting = np.flatnonzero((pop.signal_since != NONE) | (pop.request_since != NONE))
        if free > 0 and waiting.size:
            take = self.queue_order(model, waiting)[:free]
            from_signal = pop.signal_since[take] != NONE
            model.recorder.add("case_holder_from_signal", int(np.count_nonzero(from_signal)))
            model.recorder.add("case_holder_from_request", int(np.count_nonzero(~from_signal)))
            pop.signal_since[take] = NONE
            pop.request_since[take] = NONE
            pop.case_holder[take] = True
            model.recorder.log(take, "case_holder")
            model.access.book_consultant_hours(take, p.intake_hours + p.decision_admin_hours)
            approved = u[take] < self.approval_probability(model, take)
            granted = take[approved]
            model.access.decide(
                granted,
                take[~approved],
                p,
                light_only=model.access.unhelped_max[granted] < p.light_help_threshold,
            )
            self.schedule_review(model, granted)
            pop.case_holder[take[~approved]] = False  # a refusal leaves nothing to hold
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

    def close_idle_cases(self, model: SocialDomainModel) -> None:
        """A case stays open while its person is in or waiting for municipal care; then the
        case holder closes it (a new signal or request opens a new one)."""
        pop = model.pop
        active = np.flatnonzero(pop.case_holder)
        if active.size == 0:
            return
        rows = model.access.municipal_rows
        engaged = (pop.in_care[rows][:, active] | (pop.waiting_since[rows][:, active] != NONE)).any(
            axis=0
        )
        pop.case_holder[active[~engaged]] = False

    def after_review(self, model: SocialDomainModel, stopped: np.ndarray) -> None:
        """A case whose care the review stopped is closed."""
        model.pop.case_holder[stopped] = False

    def dose(self, model: SocialDomainModel, provider: int, idx: np.ndarray) -> np.ndarray:
        if not self.p.scale_up_down:
            return super().dose(model, provider, idx)
        doms = model.providers[provider].domains
        sev = model.pop.severity[doms][:, idx].max(axis=0)
        return np.clip(sev / 0.5, 0.5, 1.5).astype(np.float32)
