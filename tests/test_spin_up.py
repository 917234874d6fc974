"""The shared spin-up: one per burn-in config whatever the seed, then each seed's own burn-in."""

import numpy as np
import pytest

from sim import compose, run
from sim.burn_in import BurnInStore
from sim.model import SocialDomainModel, spin_up_key

SMALL = [
    "municipality=small_town",
    "population=1500",
    "years=1",
    "spin_up_years=2",
    "burn_in_years=1",
    "record_events=false",
]


def test_spin_up_does_not_depend_on_the_seed():
    a = SocialDomainModel(compose([*SMALL, "seed=1"]), spin_up_only=True)
    b = SocialDomainModel(compose([*SMALL, "seed=2"]), spin_up_only=True)
    assert a.week == b.week == -52
    for name in ("age", "severity", "in_care", "waiting_since", "carer"):
        assert np.array_equal(getattr(a.pop, name), getattr(b.pop, name)), name
    assert spin_up_key(compose([*SMALL, "seed=1"])) == spin_up_key(compose([*SMALL, "seed=2"]))


def test_seeds_part_ways_after_the_spin_up():
    one = run(compose([*SMALL, "seed=1"])).summary
    two = run(compose([*SMALL, "seed=2"])).summary
    assert one != two


def test_store_spins_up_once_and_matches_a_run_without_it():
    store = BurnInStore()
    shared = [run(compose([*SMALL, f"seed={s}"]), burn_in=store).summary for s in (1, 2)]
    assert store.spin_ups == 1 and store.burn_ins == 2
    alone = [run(compose([*SMALL, f"seed={s}"])).summary for s in (1, 2)]
    assert shared == alone


def test_a_longer_spin_up_is_another_spin_up():
    assert spin_up_key(compose(SMALL)) != spin_up_key(compose([*SMALL, "spin_up_years=3"]))
    spun = SocialDomainModel(compose(SMALL), spin_up_only=True)
    with pytest.raises(ValueError, match="spin-up differs"):
        spun.continue_burn_in(compose([*SMALL, "population=1600"]))
