"""Access designs: how a citizen's problem becomes help. One module per design.

A new design is one module in this package that declares its `AccessDesign` subclass, its
own parameters (a `DesignParams` subclass, if it has any) and its texts with
`sim.designs.registry.register_design`, plus its values in `scenarios/design/<name>.yaml`;
nothing else lists it (docs/extend.md). Designs act only through the access and care
stages' public methods (requests, assessment, grants, doses, costs); none is given a better
outcome by construction. Levers are declared likewise in `sim.designs.levers`.
"""

from __future__ import annotations

import functools

from omegaconf import OmegaConf

from sim.designs.base import AccessDesign
from sim.designs.registry import (
    BURN_IN_DESIGN,
    DesignEntry,
    LeverEntry,
    design_entries,
    design_entry,
    design_names,
    design_values,
    lever_entries,
    lever_entry,
)
from sim.params import DesignParams


def make_design(params: DesignParams) -> AccessDesign:
    """The strategy object for a design's parameters."""
    return design_entry(params.name).cls(params)


@functools.cache
def burn_in_params() -> DesignParams:
    """Today's practice's parameters (its YAML file and the levers' defaults: all off), the
    design every burn-in runs. The model never changes a parameter object."""
    entry = design_entry(BURN_IN_DESIGN)
    node = OmegaConf.merge(OmegaConf.structured(entry.params), design_values(BURN_IN_DESIGN))
    params = OmegaConf.to_object(node)
    assert isinstance(params, DesignParams)
    return params


def make_burn_in_design() -> AccessDesign:
    """Today's practice, run during the burn-in whatever design follows."""
    return make_design(burn_in_params())


__all__ = [
    "BURN_IN_DESIGN",
    "AccessDesign",
    "DesignEntry",
    "LeverEntry",
    "burn_in_params",
    "design_entries",
    "design_entry",
    "design_names",
    "lever_entries",
    "lever_entry",
    "make_burn_in_design",
    "make_design",
]
