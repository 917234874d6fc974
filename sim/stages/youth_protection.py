"""The youth protection chain (jeugdbescherming): reports to Veilig Thuis, its investigation,
voluntary youth care or a court-ordered supervision (ondertoezichtstelling, OTS) by a
certified institution (gecertificeerde instelling), and out-of-home placement by court
order. A court order does not pass the design's decision: the municipality pays it. Booked
to the youth compartment (docs/ODD.md 7.22)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.params import ESCALATIONS
from sim.population import DOM, NONE, PROV, PROVIDER_BIT
from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel

STREAM = "referrals"  # keyed draws: one named decision each (common random numbers)
YOUTH_BITS = PROVIDER_BIT[PROV["youth_ambulant"]] | PROVIDER_BIT[PROV["youth_residential"]]


class YouthProtection(Stage):
    """A child whose youth and family problem is serious may be reported to Veilig Thuis
    (more likely the more serious). After the investigation Veilig Thuis refers the family
    to voluntary youth care, or the Council for Child Protection asks the court for a
    supervision order (less likely if youth care is already under way); under supervision
    the certified institution arranges youth care and the court may order an out-of-home
    placement (residential youth care, at the front of the queue). Supervision ends after
    its duration or at majority."""

    name = "youth_protection"
    purpose = "reports to Veilig Thuis, court-ordered supervision and placement (youth)"

    def init(self, model: SocialDomainModel) -> None:
        n = model.pop.n
        self.reported_week = np.full(n, NONE, dtype=np.int32)  # under investigation since
        self.supervised_until = np.full(n, NONE, dtype=np.int32)  # OTS ends in this week
        self.placed = np.zeros(n, dtype=bool)  # placed out of home under this supervision

    def step(self, model: SocialDomainModel) -> None:
        pop, q = model.pop, model.cfg.behaviour.youth_protection
        new = model.newborns
        if new.size:  # a slot taken by a newborn: nothing of the previous occupant
            self._end_supervision(new)
            self.reported_week[new] = NONE
        reports = self._reports(model)
        decided, orders, voluntary = self._decisions(model)
        placements, supervised = self._supervision(model)
        if reports.size:
            model.book("youth", "care", "veilig_thuis_investigation", reports.size * q.report_eur)
        model.book(
            "youth",
            "care",
            "supervision_certified_institution",
            supervised * q.supervision_eur_per_year / 52.0,
        )
        add = model.recorder.add
        add("veilig_thuis_reports", reports.size)
        add("veilig_thuis_decisions", decided.size)
        add("supervision_orders", orders.size)
        add("voluntary_youth_care_referrals", voluntary.size)
        add("children_under_supervision", supervised)
        add("court_ordered_placements", placements.size)
        add("under_18", int(np.count_nonzero(pop.age < q.max_age)))

    def _reports(self, model: SocialDomainModel) -> np.ndarray:
        """Reports to Veilig Thuis this week: children above the threshold, not already
        under investigation or supervision; the chance rises linearly with severity."""
        pop, q = model.pop, model.cfg.behaviour.youth_protection
        d = DOM["youth_family"]
        has = pop.problem_slots(d)
        sev = pop.severity[d][has]
        ok = (
            (sev >= q.report_threshold)
            & (pop.age[has] < q.max_age)
            & (self.reported_week[has] == NONE)
            & (self.supervised_until[has] == NONE)
        )
        cand, sev = has[ok], sev[ok]
        rate = (
            q.report_per_year
            / 52.0
            * (sev - q.report_threshold)
            / max(1.0 - q.report_threshold, 1e-9)
        )
        u = model.draws.person_uniform(STREAM, "veilig_thuis_report")[cand]
        reported = cand[u < rate]
        self.reported_week[reported] = model.week
        return reported

    def _decisions(self, model: SocialDomainModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Investigations that end this week: a supervision order, voluntary youth care, or
        nothing further."""
        pop, q = model.pop, model.cfg.behaviour.youth_protection
        pending = (self.reported_week != NONE).nonzero()[0]
        done = pending[self.reported_week[pending] <= model.week - q.investigation_weeks]
        self.reported_week[done] = NONE
        done = done[pop.age[done] < q.max_age]
        in_care = (pop.care_bits[done] & YOUTH_BITS) != 0
        p_order = q.court_order_share * np.where(
            in_care, 1.0 - q.court_order_reduction_in_care, 1.0
        )
        u = model.draws.person_uniform(STREAM, "supervision_order")[done]
        order = u < p_order
        orders = done[order]
        # voluntary help for a share of the rest (scaled so the share is of the rest)
        rest = (u - p_order) / np.maximum(1.0 - p_order, 1e-9)
        voluntary = done[~order & (rest < q.voluntary_help_share)]
        u = model.draws.person_uniform(STREAM, "supervision_years")[orders].astype(np.float64)
        weeks = -np.log1p(-np.minimum(u, 1.0 - 1e-9)) * 52.0 * q.supervision_years
        self.supervised_until[orders] = model.week + 1 + np.minimum(weeks, 1e6).astype(np.int32)
        self.placed[orders] = False
        # the certified institution arranges youth care; Veilig Thuis refers the voluntary
        # cases: both without the design's decision (an indication already given)
        help_now = np.union1d(orders, voluntary)
        model.access.join_waiting_list(PROV["youth_ambulant"], help_now, indicated=True)
        return done, orders, voluntary

    def _supervision(self, model: SocialDomainModel) -> tuple[np.ndarray, int]:
        """Supervision ends after its duration or at majority; under it, the court may order
        an out-of-home placement (residential youth care, at the front of the queue).
        Returns the placements and how many children are under supervision."""
        pop, q = model.pop, model.cfg.behaviour.youth_protection
        sup = (self.supervised_until != NONE).nonzero()[0]
        ending = (self.supervised_until[sup] <= model.week) | (pop.age[sup] >= q.max_age)
        self._end_supervision(sup[ending])
        sup = sup[~ending]  # those still under supervision (no second pass over everyone)
        yr = PROV["youth_residential"]
        there = ((pop.care_bits[sup] | pop.wait_bits[sup]) & PROVIDER_BIT[yr]) != 0
        cand = sup[~there & ~self.placed[sup]]
        u = model.draws.person_uniform(STREAM, "court_placement")[cand]
        ordered = cand[u < q.placement_per_year / 52.0]
        before = pop.waiting[yr][ordered]
        model.access.join_waiting_list(yr, ordered, priority=True, indicated=True)
        placed = ordered[pop.waiting[yr][ordered] & ~before]
        self.placed[placed] = True
        if placed.size:
            model.recorder.log(placed, "escalation", ESCALATIONS.index("residential_youth"))
            model.recorder.add("escalations__residential_youth", placed.size)
        return placed, sup.size

    def _end_supervision(self, idx: np.ndarray) -> None:
        self.supervised_until[idx] = NONE
        self.placed[idx] = False

    def person(self, i: int) -> dict[str, object]:
        """The child protection state of the person in slot i (for inspection)."""
        return {
            "under_investigation": bool(self.reported_week[i] != NONE),
            "under_supervision": bool(self.supervised_until[i] != NONE),
            "placed_by_court_order": bool(self.placed[i]),
        }
