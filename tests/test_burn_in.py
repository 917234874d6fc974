"""Shared burn-in (issue 12): one burn-in per seed and burn-in config, forked into every
design; the same numbers as runs that do their own burn-in."""

from __future__ import annotations

import pandas as pd
import pytest

from sim import compose, run
from sim.burn_in import BurnInStore
from sim.model import burn_in_key

SMALL = [
    "municipality=small_town",
    "population=2000",
    "years=1",
    "burn_in_years=1",
    "record_events=false",
]
DESIGNS = ("gatekeeping", "early_signalling", "yes_is_cheaper")


def _same(a, b) -> None:
    assert a.summary == b.summary
    pd.testing.assert_frame_equal(a.ledger, b.ledger)
    pd.testing.assert_frame_equal(a.weekly, b.weekly)


@pytest.mark.parametrize("folder", [False, True])
def test_shared_burn_in_gives_identical_outcomes(tmp_path, folder):
    """Every design (and a lever variant) forked from one burn-in equals its own run, bit
    for bit; the burn-in was computed once."""
    store = BurnInStore(tmp_path / "burn_in" if folder else None)
    variants = [[f"design={d}"] for d in DESIGNS]
    variants.append(["design=gatekeeping", "design.levers.integrated_financing=true"])
    for v in variants:
        cfg = compose([*SMALL, *v])
        _same(run(cfg, burn_in=store), run(cfg))
    assert store.burn_ins == 1
    if folder:  # another process (a new store on the same folder) reads it from disk
        again = BurnInStore(tmp_path / "burn_in")
        cfg = compose([*SMALL, "design=early_signalling"])
        _same(run(cfg, burn_in=again), run(cfg))
        assert again.burn_ins == 0 and again.hits == 1


def test_a_store_left_by_other_model_code_is_not_read(tmp_path, monkeypatch):
    """A burnt-in model pickled by other code (a resumed ensemble after an update) is not
    read: the store computes its own burn-in instead of forking stale state."""
    import sim.burn_in as burn_in

    cfg = compose([*SMALL, "design=gatekeeping"])
    monkeypatch.setattr(burn_in, "code_fingerprint", lambda: "older-code")
    old = BurnInStore(tmp_path / "burn_in")
    old.model(cfg)
    assert old.burn_ins == 1
    monkeypatch.undo()
    current = BurnInStore(tmp_path / "burn_in")
    current.model(cfg)
    assert current.burn_ins == 1 and current.hits == 0
    again = BurnInStore(tmp_path / "burn_in")  # the current code's pickle is read
    again.model(cfg)
    assert again.burn_ins == 0 and again.hits == 1


def test_burn_in_key_ignores_the_design_but_not_the_world():
    """Designs and levers share a burn-in; the seed, the behaviour or the municipality do not."""
    base = burn_in_key(compose(SMALL))
    assert burn_in_key(compose([*SMALL, "design=yes_is_cheaper", "years=5"])) == base
    assert burn_in_key(compose([*SMALL, "design.levers.chain_care=true"])) == base
    assert burn_in_key(compose([*SMALL, "seed=2"])) != base
    assert burn_in_key(compose([*SMALL, "behaviour.carer_found_prob=0.5"])) != base
    assert burn_in_key(compose([*SMALL, "burn_in_years=2"])) != base


def test_burn_in_design_is_todays_gatekeeping():
    """The burn-in runs today's practice as its YAML file configures it (the only source of
    its values), with every lever off, whatever design the run's config names."""
    from sim.designs import BURN_IN_DESIGN, burn_in_params
    from sim.model import burn_in_config

    assert compose([f"design={BURN_IN_DESIGN}"]).design == burn_in_params()
    other = compose(["design=early_signalling", "design.levers.chain_care=true"])
    assert burn_in_config(other).design == burn_in_params()
    assert burn_in_params().levers.chain_care is False
