"""Carer support reaches only carers whose household the municipality knows (a case holder,
or municipal care or its waiting list): its reach is earned, not set by the design switch."""

from __future__ import annotations

import numpy as np
import pytest

from sim import compose
from sim.model import SocialDomainModel
from sim.population import NONE
from sim.stages.informal_care import InformalCare

SETTING = [
    "municipality=mid_city",
    "population=6000",
    "years=1",
    "burn_in_years=2",
    "record_events=false",
    "seed=5",
]


@pytest.fixture(scope="module")
def early_signalling() -> tuple[SocialDomainModel, np.ndarray]:
    """Early signalling after 26 weeks, and who was known at the start of the last week
    (support is decided early in the week; a review or a case closed later in the week can
    make a household unknown by its end)."""
    model = SocialDomainModel(compose([*SETTING, "design=early_signalling"]))
    for _ in range(25):
        model.step()
    known_before = InformalCare.known_to_municipality(model, np.arange(model.n))
    model.step()
    yield model, known_before
    model.remove_from_mesa_registry()


def test_only_carers_the_municipality_knows_are_supported(early_signalling):
    model, known_before = early_signalling
    pop, b = model.pop, model.cfg.behaviour
    carers = np.flatnonzero(pop.caring_for != NONE)
    cared = pop.caring_for[carers]
    known = InformalCare.known_to_municipality(model, cared) | known_before[cared]
    supported = pop.carer_supported[carers]
    assert supported.any(), "no carer was supported: the route does not fire"
    assert known[supported].all()
    # the carers that support did not reach: heavily burdened, but nobody knows the household
    heavy = pop.burden[carers] >= 0.5 * b.carer_heavy_burden
    assert np.count_nonzero(heavy & ~known & ~supported) > 0


def test_carer_support_lowers_burnout_only_through_known_households():
    """The same people with carer support switched off and on: support lowers the burden
    of the carers of known households, and leaves the others' burden as it was."""
    burden = {}
    for on in (False, True):
        model = SocialDomainModel(
            compose(
                [
                    *SETTING,
                    "design=early_signalling",
                    f"design.levers.carer_support={str(on).lower()}",
                ]
            )
        )
        try:
            everyone = np.arange(model.n)
            # known at the start of the week or at its end (Wlz care that starts in the week
            # ends Wmo care, so a household can stop being known during it)
            known_before = InformalCare.known_to_municipality(model, everyone)
            model.step()  # one week: same state before it in both runs
            pop = model.pop
            carers = np.flatnonzero(pop.caring_for != NONE)
            cared = pop.caring_for[carers]
            known = InformalCare.known_to_municipality(model, cared) | known_before[cared]
            burden[on] = (carers, known, pop.burden[carers].copy(), pop.carer_supported[carers])
        finally:
            model.remove_from_mesa_registry()
    carers_off, _, burden_off, _ = burden[False]
    carers_on, known, burden_on, supported = burden[True]
    assert np.array_equal(carers_off, carers_on)
    assert supported.any()
    assert (burden_on[supported] < burden_off[supported]).all()
    assert np.array_equal(burden_on[~known], burden_off[~known])
