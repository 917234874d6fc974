"""'Saying yes is cheaper than no': grants with little assessment."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.designs.gatekeeping import Gatekeeping

if TYPE_CHECKING:
    from sim.model import SocialDomainModel
    from sim.providers import Provider


class YesIsCheaper(Gatekeeping):
    """ "Saying yes is cheaper than no": requests are granted with little assessment, minimal
    paperwork, the client chooses the contractor (by expected waiting time and a noisy
    reputation), providers decide the hours (and may over-deliver), sample audits recover
    over-delivery with a penalty."""

    name = "yes_is_cheaper"

    def approval_probability(
        self, model: SocialDomainModel, idx: np.ndarray, need: np.ndarray | None = None
    ) -> np.ndarray:
        """Requests are granted with a fixed probability, whatever the need."""
        return np.full(idx.size, self.p.grant_probability)

    def choose_contractor(
        self, model: SocialDomainModel, kind: Provider, idx: np.ndarray
    ) -> np.ndarray:
        """The client chooses (`Provider.client_choice`)."""
        return kind.client_choice(idx)
