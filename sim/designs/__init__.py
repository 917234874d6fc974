"""Access designs: how a citizen's problem becomes help. One module per design.

A new design is a new `AccessDesign` subclass registered in `DESIGN_CLASSES` plus a YAML file
in `scenarios/design/`. Designs act only through the access and care stages' public methods
(requests, assessment, grants, doses, costs); none is given a better outcome by construction.
"""

from __future__ import annotations

from sim.designs.base import AccessDesign
from sim.designs.early_signalling import EarlySignalling
from sim.designs.gatekeeping import Gatekeeping
from sim.designs.yes_is_cheaper import YesIsCheaper
from sim.params import DesignParams

DESIGN_CLASSES: dict[str, type[AccessDesign]] = {
    "gatekeeping": Gatekeeping,
    "early_signalling": EarlySignalling,
    "yes_is_cheaper": YesIsCheaper,
}


def make_design(params: DesignParams) -> AccessDesign:
    """The strategy object for a design's parameters."""
    return DESIGN_CLASSES[params.name](params)


def make_burn_in_design() -> AccessDesign:
    """Today's practice (gatekeeping with the schema's default parameters), run during the
    burn-in whatever design follows."""
    return Gatekeeping(DesignParams())


__all__ = [
    "DESIGN_CLASSES",
    "AccessDesign",
    "EarlySignalling",
    "Gatekeeping",
    "YesIsCheaper",
    "make_burn_in_design",
    "make_design",
]
