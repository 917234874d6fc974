"""The access design's base class: what every design shares (self-referral, need-based
approval under budget pressure, the standard dose, the choice of contractor, audits,
prevention)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.administration import paid_act_by_person, staff_act
from sim.designs.levers import (
    bought_prevention_eur_per_inhabitant,
    own_contribution_income_share,
)
from sim.fastnp import clip, stable_order
from sim.params import DesignParams
from sim.population import NONE
from sim.private_market import wmo_share

if TYPE_CHECKING:
    from sim.model import SocialDomainModel
    from sim.providers import Provider
    from sim.staff import StaffPool


class AccessDesign:
    """How a citizen's problem becomes help. A design acts only through the access and care
    stages' public methods (`model.access`: enqueue_requests, decide, join_waiting_list,
    stop_municipal_care, use_staff_hours, book_admin) and the ledger (`model.book`).

    A subclass sets `name` and implements `handle_detections` and `assess`; the rest has
    defaults driven by the design's parameters."""

    name = "access_design"

    def __init__(self, params: DesignParams) -> None:
        self.p = params

    def begin(self, model: SocialDomainModel) -> None:
        """What the design does in its first week (nothing here)."""

    # -- staff ----------------------------------------------------------------------------
    def assessment_hours(self, model: SocialDomainModel, idx: np.ndarray, pool: StaffPool) -> None:
        """The intake (kitchen-table conversation) and indication report of the people `idx`:
        hours of the access staff `pool` (`intake_hours` + `decision_admin_hours` each),
        counted as two acts."""
        p = self.p
        model.access.use_staff_hours(idx, p.intake_hours + p.decision_admin_hours, pool)
        staff_act(model, "intake", idx.size, p.intake_hours)
        staff_act(model, "indication", idx.size, p.decision_admin_hours)

    def staff(self, model: SocialDomainModel) -> StaffPool:
        """The staff who assess and review in this design: the neighbourhood team."""
        return model.team

    def staff_hour_eur(self, model: SocialDomainModel) -> float:
        """Integral hourly cost of the design's consultants and case holders: linear in
        their expertise (`assessor_expertise`) between the behaviour's cost at expertise 0
        and at expertise 1 (salary scales)."""
        b, e = model.cfg.behaviour, self.p.assessor_expertise
        return (1.0 - e) * b.staff_hour_eur_no_expertise + e * b.staff_hour_eur_full_expertise

    def team_queue(self, model: SocialDomainModel) -> int:
        """People waiting for the neighbourhood team (its staffing follows them)."""
        return int(np.count_nonzero(model.pop.request_since != NONE))

    def case_holder_queue(self, model: SocialDomainModel) -> int | None:
        """People waiting for a case holder; None: the design has no case holders."""
        return None

    def case_holder_fte_per_1000(self) -> float:
        """Case holders at the design's start (FTE per 1,000 inhabitants): none here."""
        return 0.0

    def case_holder_slot_hours(self, model: SocialDomainModel) -> float:
        """Paid hours one case takes of a case holder (only asked of a design whose
        `case_holder_queue` is not None)."""
        raise NotImplementedError(f"{self.name} has no case holders")

    def pay_staff(self, model: SocialDomainModel) -> None:
        """The access staff's hours of this week, paid whether used or not."""
        rate = self.staff_hour_eur(model)
        model.team.pay(rate)
        if self.case_holder_queue(model) is not None:
            model.case_holders.pay(rate)

    # -- signals and requests -------------------------------------------------------------
    def handle_detections(
        self, model: SocialDomainModel, idx: np.ndarray, place: np.ndarray, u: np.ndarray
    ) -> None:
        """What happens when a care-finding place notices a problem of the people `idx`."""
        raise NotImplementedError

    def asking_factor(self, model: SocialDomainModel, idx: np.ndarray) -> np.ndarray:
        """What the people `idx` face when they consider asking, as a factor on the asking
        probability (the same behaviour in every design): the own contribution they would
        pay as a share of their income (if their largest unhelped problem is one that
        Wmo care with an own contribution serves), the effort of this design's intake, the
        approval share their neighbourhood remembers, and (for a problem household help
        serves) whether they buy help privately instead (`sim.private_market`)."""
        b = model.cfg.behaviour
        access = model.access
        fee_pct = 100.0 * own_contribution_income_share(model, idx)
        fee_pct *= access.fee_domain[access.unhelped_domain[idx]]
        remembered = access.remembered_approval(idx)
        log_factor = (
            -b.asking_fee_sensitivity * fee_pct
            - b.asking_effort_sensitivity * self.p.intake_hours
            + b.asking_experience_sensitivity * (remembered - b.asking_reference_approval)
        )
        # household help: a household with means may buy it privately instead
        return np.exp(log_factor) * wmo_share(model, idx)

    def asking_probability(self, model: SocialDomainModel, idx: np.ndarray) -> np.ndarray:
        """Weekly probability of asking for help of the people `idx`, whose largest unhelped
        problem is at least `behaviour.asking_threshold`."""
        prob = model.cfg.behaviour.asking_prob_per_week * self.asking_factor(model, idx)
        return clip(prob, 0.0, 1.0)

    def advice_follow_probability(self, model: SocialDomainModel, idx: np.ndarray) -> np.ndarray:
        """Probability that the people `idx`, advised by a care-finding place, ask."""
        prob = model.cfg.behaviour.advice_follow_prob * self.asking_factor(model, idx)
        return clip(prob, 0.0, 1.0)

    def requests(self, model: SocialDomainModel, u: np.ndarray) -> None:
        """Self-referral: citizens with an unhelped problem above the threshold ask."""
        threshold = model.cfg.behaviour.asking_threshold
        could = (model.access.unhelped_max >= threshold).nonzero()[0]
        asks = could[u[could] < self.asking_probability(model, could)]
        model.access.enqueue_requests(asks)

    # -- assessment and decisions ---------------------------------------------------------
    def approval_probability(
        self, model: SocialDomainModel, idx: np.ndarray, need: np.ndarray | None = None
    ) -> np.ndarray:
        """Probability that an assessment grants help: by need, blurred by the assessor's
        lack of expertise, lowered by budget pressure."""
        p = self.p
        cut = p.budget_pressure_sensitivity * model.municipality.pressure
        if need is None:
            need = model.access.unhelped_max[idx]
        base = np.where(need >= p.approval_need_threshold, p.approval_base, p.low_need_approval)
        # an assessor with less expertise tells high from low need less well
        blur = p.misjudgement_low_expertise * (1.0 - p.assessor_expertise)
        base = base + blur * (0.5 * (p.approval_base + p.low_need_approval) - base)
        return clip(base - cut, 0.0, 1.0)

    def assess(self, model: SocialDomainModel, u: np.ndarray) -> None:
        """This week's assessments (requests, signals) and their decisions."""
        raise NotImplementedError

    def queue_order(self, model: SocialDomainModel, queue: np.ndarray) -> np.ndarray:
        """The people waiting for an assessment (`queue`), in the order they are taken:
        `design.queue_discipline` (oldest_first, signals_first or need_first)."""
        pop, rule = model.pop, self.p.queue_discipline
        signal = pop.signal_since[queue] != NONE
        since = np.where(signal, pop.signal_since[queue], pop.request_since[queue])
        if rule == "need_first":
            return queue[np.lexsort((since, -model.access.unhelped_max[queue]))]
        # oldest first: a stable order by week (ties by slot); signals first: then a stable
        # order of that by signal (np.lexsort's order, in two radix sorts)
        order = stable_order(since)
        if rule == "signals_first":
            order = order[np.argsort(~signal[order], kind="stable")]
        return queue[order]

    def schedule_review(self, model: SocialDomainModel, idx: np.ndarray) -> None:
        """A grant is reviewed after `design.reindication_weeks` (none if 0)."""
        if self.p.reindication_weeks > 0 and idx.size:
            model.pop.indicated_until[idx] = model.week + self.p.reindication_weeks

    def review(self, model: SocialDomainModel) -> None:
        """Reviews that fall due this week (re-indication). Someone no longer in or waiting
        for municipal care has nothing to review: the indication lapses without work. The
        others get a new decision by their current need, as at the first assessment; care
        that is not continued stops."""
        p = self.p
        if p.reindication_weeks <= 0:
            return
        pop = model.pop
        due = (pop.indicated_until == model.week).nonzero()[0]
        if due.size == 0:
            return
        engaged = model.access.in_municipal_care(due)
        pop.indicated_until[due[~engaged]] = NONE
        due = due[engaged]
        if due.size == 0:
            return
        model.access.use_staff_hours(due, p.reindication_hours, self.staff(model), other=True)
        staff_act(model, "reindication", due.size, p.reindication_hours)
        model.recorder.add("reviews", due.size)
        need = model.access.need_for_municipal_care(due)
        u = model.draws.person_uniform("decisions", "review")
        keep = u[due] < self.approval_probability(model, due, need)
        stop = due[~keep]
        paid_act_by_person(model, "decision", due)  # a new decision on every review
        model.access.stop_municipal_care(stop)
        model.recorder.add("reviews_stopped", stop.size)
        pop.indicated_until[stop] = NONE
        pop.indicated_until[due[keep]] = model.week + p.reindication_weeks
        self.after_review(model, stop)

    def after_review(self, model: SocialDomainModel, stopped: np.ndarray) -> None:
        """What the design does with people whose care a review stopped (nothing here)."""

    # -- delivery -------------------------------------------------------------------------
    def dose(self, model: SocialDomainModel, provider: int, idx: np.ndarray) -> np.ndarray:
        """Units delivered relative to the standard indication (1 = as indicated)."""
        return np.ones(idx.size, dtype=np.float32)

    def standard_dose(self) -> bool:
        """Whether `dose` is 1 for everyone (so a caller that only scales an effect by
        the dose may leave it out): here, unless a subclass changes `dose`."""
        return type(self).dose is AccessDesign.dose

    # -- contractors ------------------------------------------------------------------------
    def choose_contractor(
        self, model: SocialDomainModel, kind: Provider, idx: np.ndarray
    ) -> np.ndarray:
        """Which of the kind's contractors serves each of `idx` (people joining its waiting
        list): here the team assigns by the contract shares (a keyed draw per person)."""
        return kind.by_contract(model.draws.person_uniform("contracting", "contract")[idx])

    def assign_contractor(
        self, model: SocialDomainModel, kind: Provider, idx: np.ndarray
    ) -> np.ndarray:
        """`choose_contractor`, and the professional hours the choice costs
        (`contractor_choice_hours` per person, on the kind's financier)."""
        model.access.book_admin(
            kind.params.financier,
            f"contractor_choice_{kind.name}",
            idx.size * self.p.contractor_choice_hours,
            act="contractor_choice",
            count=float(idx.size),
        )
        return self.choose_contractor(model, kind, idx).astype(np.int8)

    def weekly(self, model: SocialDomainModel) -> None:
        """Fixed weekly activities of the design (staff, prevention, audits)."""
        p = self.p
        self.pay_staff(model)
        bought = bought_prevention_eur_per_inhabitant(model)  # the prevention lever
        if bought > 0:
            model.book("welfare", "prevention", "prevention_and_welfare", bought * model.n / 52.0)
        if p.audit_share_per_year > 0:
            self.audit(model)

    def audit(self, model: SocialDomainModel) -> None:
        """Audits sample real clients of municipal care (each with probability
        `audit_share_per_year` / 52 this week, a keyed draw); the providers with
        contractors check the sampled clients' last delivery for over-delivery
        (`Provider.audit`; with earned trust a trusted contractor's clients are audited
        less); each audited client costs `audit_hours`."""
        p = self.p
        care = model.pop.slots("care")
        clients = care[(model.pop.care_bits[care] & model.access.municipal_bits) != 0]
        u = model.draws.person_uniform("contracting", "audit")[clients]
        sampled = clients[u < p.audit_share_per_year / 52.0]
        if sampled.size == 0:
            return
        audited = sampled
        if model.lever_state.get("earned_trust"):
            checked = [prov.audit(sampled, p) for prov in model.providers]
            spared = np.zeros(model.n, dtype=bool)
            spared[sampled] = True
            for idx in checked:
                spared[idx] = False
            audited = sampled[~spared[sampled]]
        else:
            for prov in model.providers:
                prov.audit(sampled, p)
        model.recorder.add("audits", float(audited.size))
        model.access.book_admin(
            "wmo", "audits", audited.size * p.audit_hours, act="audit", count=float(audited.size)
        )
