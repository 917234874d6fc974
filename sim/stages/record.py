"""Recording: the week's figures for the recorder (only after the burn-in)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


class RecordWeek(Stage):
    """The recorder reads the end-of-week state (outcome help state, queues, carers, cost)."""

    name = "recorder.record_week"
    purpose = "weekly figures: unmet need, wellbeing, waiting, clients, carers, cost"

    def step(self, model: SocialDomainModel) -> None:
        model.recorder.record_week()
