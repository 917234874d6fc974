"""Neighbourhood-team gatekeeping: today's practice (also the burn-in design)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.designs.base import AccessDesign
from sim.designs.registry import DesignEntry, register_design
from sim.params import DesignParams
from sim.population import NONE

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


class Gatekeeping(AccessDesign):
    """Neighbourhood-team gatekeeping: late self-referral, intake queue limited by consultant
    hours, kitchen-table conversation, indication under budget pressure, formal decision,
    periodic re-indication and provider accountability paperwork."""

    name = "gatekeeping"

    def handle_detections(
        self, model: SocialDomainModel, idx: np.ndarray, place: np.ndarray, u: np.ndarray
    ) -> None:
        """A care-finding place that notices a problem advises the citizen to ask the team."""
        follow = idx[u[idx] < self.advice_follow_probability(model, idx)]
        model.access.enqueue_requests(follow)

    def assess(self, model: SocialDomainModel, u: np.ndarray) -> None:
        """This week's re-indications first (they take the team's hours), then
        kitchen-table conversations for the requests the remaining hours allow (in the
        design's queue order)."""
        pop, p = model.pop, self.p
        self.review(model)
        queue = (pop.request_since != NONE).nonzero()[0]
        hours_per_case = p.intake_hours + p.decision_admin_hours
        cap = model.team.intake_capacity(hours_per_case)
        if queue.size > cap:
            queue = self.queue_order(model, queue)[:cap]
        if queue.size:
            pop.request_since[queue] = NONE
            self.assessment_hours(model, queue, model.team)
            approved = u[queue] < self.approval_probability(model, queue)
            model.access.decide(queue[approved], queue[~approved], self.p)
            self.schedule_review(model, queue[approved])


register_design(
    DesignEntry(
        name="gatekeeping",
        cls=Gatekeeping,
        params=DesignParams,
        label={"nl": "Poortwachter (wijkteam)", "en": "Gatekeeping (neighbourhood team)"},
        description={
            "nl": "Zoals nu vaak: de inwoner meldt zich, meestal laat, bij het wijkteam. Na "
            "een keukentafelgesprek volgen een indicatie, een beschikking en verantwoording.",
            "en": "Today's common practice: citizens turn to the neighbourhood team, usually "
            "late. A kitchen-table conversation leads to an assessment, a formal decision "
            "and reporting.",
        },
        colour="#0072B2",
        order=10,
    )
)
