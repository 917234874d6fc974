"""'Saying yes is cheaper than no': grants with little assessment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.designs.gatekeeping import Gatekeeping
from sim.designs.registry import DesignEntry, register_design
from sim.params import DesignParams, p

if TYPE_CHECKING:
    from sim.model import SocialDomainModel
    from sim.providers import Provider


@dataclass
class YesIsCheaperParams(DesignParams):
    """Yes-is-cheaper's own parameter: the grant without assessment."""

    grant_probability: float = p(
        0.0, "probability a request is granted without assessment", 0, 1, "seed 000"
    )


class YesIsCheaper(Gatekeeping):
    """ "Saying yes is cheaper than no": requests are granted with little assessment, minimal
    paperwork, the client chooses the contractor (by expected waiting time and a noisy
    reputation), providers decide the hours (and may over-deliver), sample audits recover
    over-delivery with a penalty."""

    name = "yes_is_cheaper"
    p: YesIsCheaperParams

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


register_design(
    DesignEntry(
        name="yes_is_cheaper",
        cls=YesIsCheaper,
        params=YesIsCheaperParams,
        label={"nl": "Ja zeggen is goedkoper", "en": "Yes is cheaper"},
        description={
            "nl": "Aanvragen worden zonder uitgebreide toets toegekend, met weinig papierwerk "
            "en steekproefsgewijze controle achteraf. Het risico: meer mensen vragen hulp en "
            "aanbieders leveren mogelijk meer dan nodig.",
            "en": "Requests are granted without a full assessment, with little paperwork and "
            "sample audits afterwards. The risk: more people ask, and providers may supply "
            "more than needed.",
        },
        colour="#E69F00",
        order=30,
    )
)
