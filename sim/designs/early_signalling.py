"""Early signalling: care-finding places signal, a case holder arranges help."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.administration import paid_act_by_person, staff_act
from sim.designs.base import AccessDesign
from sim.designs.registry import DesignEntry, ExplorerControl, register_design
from sim.params import DesignParams, p
from sim.population import NONE

if TYPE_CHECKING:
    from sim.model import SocialDomainModel
    from sim.providers import Provider
    from sim.staff import StaffPool


@dataclass
class EarlySignallingParams(DesignParams):
    """Early signalling's own parameters: signals from care-finding places, the case
    holders, scaling up and down, light help."""

    signal_referral_prob: float = p(
        0.0, "probability a detection becomes a signal", 0, 1, "assumption"
    )
    signal_threshold: float = p(
        0.2, "severity 0-1", 0, 1, "assumption: smallest problem worth a signal"
    )
    signal_lapse_weeks: int = p(
        26, "weeks a signal waits for a case holder before it lapses", 1, 520, "assumption"
    )
    signal_handling_hours: float = p(
        0.5, "hours of the care-finding place per signal", 0, 20, "assumption"
    )
    case_holder_fte_per_1000: float = p(
        0.0,
        "FTE per 1,000 inhabitants at the design's start (then follows its queue like the "
        "team's hours, behaviour.team_*; paid whether used or not)",
        0,
        100,
        "assumption",
    )
    caseload_per_fte: float = p(35.0, "cases per FTE", 1, 1000, "assumption (typical 25-50)")
    case_holder_hours_per_case_week: float = p(
        0.8,
        "hours per case per week (counted as hours used; the FTE are what is paid)",
        0,
        40,
        "assumption",
    )
    scale_up_down: bool = p(False, "on/off: hours follow severity", source="seed 000")
    case_stabilisation_weeks: int = p(
        13,
        "weeks a case stays with the case holder at least; then, once nothing uncovered is "
        "left above the signal threshold, it is handed down to the provider, a general "
        "provision or the network (0 = never: the case stays open while in municipal care)",
        0,
        520,
        "seed 000: op- en afschalen; assumption: a quarter (a review period)",
    )
    handover_hours: float = p(
        1.0,
        "case-holder hours of a warm hand-over when a case is handed down",
        0,
        40,
        "assumption (seed 000: warme overdracht)",
    )
    contractor_wait_weight: float = p(
        0.01,
        "expected effect (multiplier) the case holder gives up per week of a contractor's "
        "expected waiting time when choosing one (0 = best effect whatever the wait)",
        0,
        1,
        "assumption: a 20-week wait weighs as a fifth less effect",
    )
    light_help_threshold: float = p(
        0.55, "severity 0-1 below which light help is offered", 0, 1, "assumption"
    )


class EarlySignalling(AccessDesign):
    """Early signalling: care-finding places pass signals to a professional case holder with a
    limited caseload, who arranges help with a warm handover, scales help up and down,
    supports informal carers; prevention and light help keep problems small."""

    name = "early_signalling"
    p: EarlySignallingParams

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
        paid_act_by_person(model, "registration", sig)
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
        stale = (
            (pop.signal_since != NONE) & (pop.signal_since < week - p.signal_lapse_weeks)
        ).nonzero()[0]
        pop.signal_since[stale] = NONE
        model.recorder.add("signals_lapsed", stale.size)
        self.close_idle_cases(model)
        self.review(model)
        capacity = model.case_holders.slots(
            model.cfg.behaviour.staff_hours_per_fte_week, p.caseload_per_fte
        )
        free = capacity - int(np.count_nonzero(pop.case_holder))
        waiting = ((pop.signal_since != NONE) | (pop.request_since != NONE)).nonzero()[0]
        if free > 0 and waiting.size:
            take = self.queue_order(model, waiting)[:free]
            from_signal = pop.signal_since[take] != NONE
            model.recorder.add("case_holder_from_signal", int(np.count_nonzero(from_signal)))
            model.recorder.add("case_holder_from_request", int(np.count_nonzero(~from_signal)))
            pop.signal_since[take] = NONE
            pop.request_since[take] = NONE
            pop.case_holder[take] = True
            self.case_since[take] = week
            model.recorder.log(take, "case_holder")
            self.assessment_hours(model, take, model.case_holders)
            hours = model.cfg.administration.acts["case_registration"].hours
            model.access.use_staff_hours(take, hours, model.case_holders)
            staff_act(model, "case_registration", take.size, hours)
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
        # the case holders' own hours with their active cases (within their paid FTE)
        active = pop.case_holder.nonzero()[0]
        model.access.use_staff_hours(active, p.case_holder_hours_per_case_week, model.case_holders)

    # -- staff ----------------------------------------------------------------------------
    def staff(self, model: SocialDomainModel) -> StaffPool:
        """Case holders assess and review."""
        return model.case_holders

    def case_holder_queue(self, model: SocialDomainModel) -> int | None:
        """Signals and requests waiting for a case holder."""
        pop = model.pop
        return int(np.count_nonzero((pop.signal_since != NONE) | (pop.request_since != NONE)))

    def team_queue(self, model: SocialDomainModel) -> int:
        """Nobody waits for the neighbourhood team: requests wait for a case holder."""
        return 0

    def begin(self, model: SocialDomainModel) -> None:
        """At the design's start the case holders take over the team's intakes: up to the
        case holders' start staffing, the team's consultants leave the team into the
        regional labour pool, from which the model then hires the case holders
        (`SocialDomainModel.start_design`, `Workforce.hire`); the rest of the start is
        hired from the region's other available workers, and what the pool lacks stays
        open (a partial start)."""
        hours = model.cfg.behaviour.staff_hours_per_fte_week
        wanted = self.case_holder_fte_per_1000() * model.n / 1000.0 * hours
        team = model.team
        moved = min(wanted, max(team.hours_per_week, 0.0))
        team.hours_per_week -= moved
        model.workforce.release(moved / max(hours, 1e-9))
        self.case_since = np.full(model.n, NONE, dtype=np.int32)

    def close_idle_cases(self, model: SocialDomainModel) -> None:
        """A case closes when its person is no longer in or waiting for municipal care, or
        (scaling down) once it has run `case_stabilisation_weeks` and nothing uncovered is
        left above the signal threshold: the case is handed down, warmly
        (`handover_hours`), to the provider that keeps the care, or else to a general
        provision if a problem is left, or to the network. A new signal or request opens
        a new case (scaling up again)."""
        pop, p = model.pop, self.p
        active = pop.case_holder.nonzero()[0]
        if active.size == 0:
            return
        idle = ~model.access.in_municipal_care(active)
        if p.case_stabilisation_weeks > 0:
            stable = (model.week - self.case_since[active] >= p.case_stabilisation_weeks) & (
                model.access.unhelped_max[active] < p.signal_threshold
            )
            handed = active[stable & ~idle]
            if handed.size:
                model.recorder.add("case_holder_handovers", handed.size)
                if p.warm_handover:
                    model.access.use_staff_hours(handed, p.handover_hours, model.case_holders)
            pop.case_holder[handed] = False
            left = active[idle]
            model.general.refer(left[model.access.max_severity[left] > 0], "case_holder")
        pop.case_holder[active[idle]] = False

    def after_review(self, model: SocialDomainModel, stopped: np.ndarray) -> None:
        """A case whose care the review stopped is closed."""
        model.pop.case_holder[stopped] = False

    def choose_contractor(
        self, model: SocialDomainModel, kind: Provider, idx: np.ndarray
    ) -> np.ndarray:
        """The case holder matches: the contractor with the best expected effect for the
        person's problem (at their severity), less `contractor_wait_weight` per week of its
        expected waiting time."""
        if self.p.contractor_wait_weight <= 0:
            return kind.best_match(idx)
        score = (
            kind.expected_effects(idx)
            - self.p.contractor_wait_weight * kind.expected_waits()[:, None]
        )
        return score.argmax(axis=0)

    def dose(self, model: SocialDomainModel, provider: int, idx: np.ndarray) -> np.ndarray:
        """Scaling up and down: units follow the largest problem the provision serves,
        severity / `behaviour.dose_pivot_severity`, clipped to [`dose_min`, `dose_max`]."""
        if not self.p.scale_up_down:
            return super().dose(model, provider, idx)
        b = model.cfg.behaviour
        sev = model.providers[provider].severity_of(idx)
        return np.clip(sev / b.dose_pivot_severity, b.dose_min, b.dose_max).astype(np.float32)

    def standard_dose(self) -> bool:
        """The dose is 1 for everyone without scaling up and down."""
        return not self.p.scale_up_down

    def case_holder_fte_per_1000(self) -> float:
        """Case holders at the design's start (FTE per 1,000 inhabitants)."""
        return self.p.case_holder_fte_per_1000

    def case_holder_slot_hours(self, model: SocialDomainModel) -> float:
        """Paid hours one case takes of a case holder (an FTE's week / caseload)."""
        return model.cfg.behaviour.staff_hours_per_fte_week / self.p.caseload_per_fte


register_design(
    DesignEntry(
        name="early_signalling",
        cls=EarlySignalling,
        params=EarlySignallingParams,
        label={"nl": "Vroegsignalering", "en": "Early signalling"},
        description={
            "nl": "Vindplaatsen zoals de huisarts, de wijkagent en de woningcorporatie zien "
            "problemen vroeg en melden ze. Een vakkundige dossierhouder regelt snel lichte "
            "hulp en schaalt op of af waar nodig.",
            "en": "Care-finding places such as the GP, the community police officer and the "
            "housing corporation see problems early and signal them. A skilled case holder "
            "quickly arranges light help and scales it up or down.",
        },
        colour="#009E73",
        explorer=(
            ExplorerControl(
                "case_holder_fte_per_1000",
                "Case holders at the start (FTE per 1,000; early signalling)",
                ("0.1", "0.25", "0.5", "1.0"),
            ),
        ),
        order=20,
    )
)
