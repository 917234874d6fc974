"""The CIZ (Centrum indicatiestelling zorg): a need that grew too large for care at home is
an application for a Wlz indication; the CIZ decides after a lead time, at a cost booked to
the Wlz. Until then the applicant stays where they are: in Wmo care, on its lists, or at
home with their informal carer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.population import NONE, PROV
from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel

# what an applicant is indicated for (the route is known at the application)
AT_HOME, NURSING_HOME, RESIDENTIAL_ID = 0, 1, 2
# the CIZ's legal term for a regular application (Wlz art. 3.2.3: six weeks)
LEGAL_TERM_WEEKS = 6


class CizAssessment(Stage):
    """Wlz applications wait for the CIZ's decision: each week after the application's week
    an applicant is decided with probability 1 / `behaviour.ciz_lead_time_weeks` (a keyed
    draw: a geometric lead time with that mean, at least one week), then joins the Wlz
    waiting lists of their route as before (an indication: eligibility is established). Each
    decision costs `prices.ciz_decision` (Wlz, administration). An applicant who dies waiting
    leaves the queue (their slot is reused)."""

    name = "ciz"
    purpose = "Wlz applications wait for the CIZ's decision (lead time, cost)"

    def init(self, model: SocialDomainModel) -> None:
        self.since = np.full(model.n, NONE, dtype=np.int32)  # applied in week; NONE: none
        self.route = np.zeros(model.n, dtype=np.int8)
        self.person_id = np.zeros(model.n, dtype=model.pop.person_id.dtype)

    def pending(self, idx: np.ndarray) -> np.ndarray:
        """Whether each of `idx` has an application at the CIZ."""
        return self.since[idx] != NONE

    def apply(self, model: SocialDomainModel, idx: np.ndarray, route: int) -> None:
        """The people `idx` apply for a Wlz indication for `route` (AT_HOME, NURSING_HOME,
        RESIDENTIAL_ID); an application already pending stands."""
        idx = idx[self.since[idx] == NONE]
        if idx.size == 0:
            return
        self.since[idx] = model.week
        self.route[idx] = route
        self.person_id[idx] = model.pop.person_id[idx]
        model.recorder.add("ciz_applications", float(idx.size))

    def step(self, model: SocialDomainModel) -> None:
        pop = model.pop
        waiting = (self.since != NONE).nonzero()[0]
        gone = waiting[pop.person_id[waiting] != self.person_id[waiting]]
        self.since[gone] = NONE  # died while waiting: the slot holds someone new
        waiting = waiting[pop.person_id[waiting] == self.person_id[waiting]]
        lead = max(float(model.cfg.behaviour.ciz_lead_time_weeks), 1.0)
        u = model.draws.person_uniform("referrals", "ciz_decision")[waiting]
        done = waiting[(self.since[waiting] < model.week) & (u < 1.0 / lead)]
        model.recorder.add("ciz_pending", float(waiting.size - done.size))
        if done.size == 0:
            return
        model.recorder.add("ciz_decisions", float(done.size))
        waited = model.week - self.since[done]
        model.recorder.add("ciz_weeks_waited", float(waited.sum()))
        model.recorder.add(
            "ciz_decisions_over_legal_term", float((waited > LEGAL_TERM_WEEKS).sum())
        )
        model.book(
            "wlz", "administration", "ciz_decision", done.size * model.prices["ciz_decision"]
        )
        route = self.route[done]
        self.since[done] = NONE
        join = model.access.join_waiting_list
        home = done[route != RESIDENTIAL_ID]
        join(PROV["wlz_at_home"], home, priority=True, indicated=True)
        join(PROV["nursing_home"], done[route == NURSING_HOME], priority=True, indicated=True)
        join(PROV["residential_id"], done[route == RESIDENTIAL_ID], priority=True, indicated=True)
