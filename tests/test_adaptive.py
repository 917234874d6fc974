"""Adaptive replications: the stopping rule on synthetic paired data."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from experiments.adaptive import (
    UNMET_NEED,
    PrecisionTarget,
    decide,
    half_width,
    run_adaptive,
)
from experiments.report.style import TOTAL_COST


def _synthetic(diff_sd: float, shared_sd: float = 200.0, seed: int = 0):
    """run_more for two designs: replication k shares a large common shock (common random
    numbers); the design differs from the baseline by 20 +- diff_sd (cost) and -3 +- 1 (unmet
    need, baseline 300)."""
    calls: list[tuple[int, int]] = []

    def run_more(start: int, stop: int) -> pd.DataFrame:
        calls.append((start, stop))
        rows = []
        for k in range(start, stop):
            rng = np.random.default_rng([seed, k])  # replication k: the same draws every time
            shock = rng.normal(0, shared_sd)
            eps = rng.normal(0, diff_sd)
            base_cost, base_unmet = 2000 + shock, 300 + shock / 20
            values = {
                "gatekeeping": (base_cost, base_unmet),
                "yes_is_cheaper": (base_cost + 20 + eps, base_unmet - 3 + rng.normal(0, 1)),
            }
            for design, (cost, unmet) in values.items():
                for outcome, v in ((TOTAL_COST, cost), (UNMET_NEED, unmet)):
                    rows.append(
                        {
                            "run_id": f"{design}-r{k}",
                            "design": design,
                            "replication": k,
                            "year": 0,
                            "outcome": outcome,
                            "value": v,
                            "unit": "x",
                        }
                    )
        return pd.DataFrame(rows)

    return run_more, calls


def test_half_width_is_the_t_interval():
    d = np.array([1.0, 2.0, 3.0, 4.0])
    assert half_width(d) == pytest.approx(3.182446 * d.std(ddof=1) / 2, rel=1e-5)
    assert math.isinf(half_width(np.array([1.0])))


def test_stops_as_soon_as_the_paired_intervals_are_narrow_enough():
    run_more, calls = _synthetic(diff_sd=40.0)
    target = PrecisionTarget(relative=0.01, min_replications=5, max_replications=200)
    outcomes, decision = run_adaptive(run_more, target)
    assert decision.stop and decision.reason == "precision"
    assert decision.table["met"].all()
    assert (decision.table["half_width"] <= decision.table["allowed_half_width"]).all()
    # 1% of 2000 = 20; 1.96 x 40 / sqrt(n) <= 20 needs n of about 16 (t makes it a bit more)
    assert 12 <= decision.replications <= 40
    # the batches are contiguous from 0 and never more than double
    assert calls[0] == (0, 5)
    for (a, b), (c, _) in itertools.pairwise(calls):
        assert c == b and b - a >= 1
    assert all(stop <= 2 * start for start, stop in calls[1:])
    assert outcomes["replication"].nunique() == decision.replications
    assert "stopped at R=" in decision.message(target)


def test_common_random_numbers_keep_it_cheap_despite_large_shared_noise():
    # the shared shock (sd 200, 10% of the cost) cancels in the paired difference
    run_more, _ = _synthetic(diff_sd=5.0, shared_sd=200.0)
    _, decision = run_adaptive(run_more, PrecisionTarget(min_replications=5))
    assert decision.reason == "precision" and decision.replications == 5


def test_noisier_differences_need_more_replications():
    reps = []
    for sd in (20.0, 60.0):
        run_more, _ = _synthetic(diff_sd=sd)
        _, decision = run_adaptive(run_more, PrecisionTarget(max_replications=400))
        reps.append(decision.replications)
    assert reps[1] > 2 * reps[0]


def test_stops_at_the_maximum_and_says_the_target_was_not_met():
    run_more, calls = _synthetic(diff_sd=300.0)
    target = PrecisionTarget(relative=0.01, min_replications=4, max_replications=12)
    _, decision = run_adaptive(run_more, target)
    assert decision.reason == "maximum" and decision.replications == 12
    assert calls[-1][1] == 12
    msg = decision.message(target)
    assert "WITHOUT" in msg and "maximum R=12" in msg


def test_absolute_target_and_the_wider_of_two_targets():
    run_more, _ = _synthetic(diff_sd=40.0)
    target = PrecisionTarget(relative=None, absolute=60.0)
    _, decision = run_adaptive(run_more, target)
    assert decision.replications == 5  # 1.96 x 40 / sqrt(5) < 60 at once
    assert PrecisionTarget(relative=0.01, absolute=60.0).allowed(2000.0) == 60.0
    assert PrecisionTarget(relative=0.05, absolute=60.0).allowed(2000.0) == 100.0


def test_decide_continues_below_the_minimum_and_projects_the_next_batch():
    run_more, _ = _synthetic(diff_sd=80.0)
    from experiments import stats

    pairs = stats.paired_values(run_more(0, 3), "gatekeeping")
    first = decide(pairs, PrecisionTarget(min_replications=5))
    assert not first.stop and first.next_replications == 5
    pairs = stats.paired_values(run_more(0, 8), "gatekeeping")
    later = decide(pairs, PrecisionTarget(min_replications=5))
    assert not later.stop and 8 < later.next_replications <= 16
    # the message names the difference that asks for more: the cost (sd 80 against an
    # allowed 1% of 2,000), not the unmet need (sd 1 against 1% of 300)
    msg = later.message(PrecisionTarget(min_replications=5))
    assert f"continuing to {later.next_replications}: the widest 95% interval is " in msg
    assert "yes_is_cheaper - baseline on total chain cost" in msg, msg
    assert "continuing to 5" in first.message(PrecisionTarget()) and "widest" not in (
        first.message(PrecisionTarget())
    )


def test_bad_targets_are_clear_errors():
    with pytest.raises(ValueError, match="relative and/or absolute"):
        PrecisionTarget(relative=None, absolute=None)
    with pytest.raises(ValueError, match="min_replications"):
        PrecisionTarget(min_replications=10, max_replications=5)
    with pytest.raises(ValueError, match="above 0"):
        PrecisionTarget(relative=-0.01)


def test_a_large_difference_needs_only_to_be_known_relative_to_itself():
    # the wider of 1% of the baseline and a share of the difference itself counts
    assert PrecisionTarget(relative=0.01, of_difference=0.02).allowed(2000.0, 2000.0) == 40.0
    assert PrecisionTarget(relative=0.01, of_difference=0.02).allowed(2000.0, 20.0) == 20.0
    run_more, _ = _synthetic(diff_sd=40.0)
    strict = PrecisionTarget(relative=0.01, max_replications=400)
    lenient = PrecisionTarget(relative=0.01, of_difference=2.0, max_replications=400)
    _, a = run_adaptive(run_more, strict)
    _, b = run_adaptive(run_more, lenient)
    assert b.replications < a.replications
    assert "of the difference itself" in b.message(lenient)


def test_compare_is_adaptive_by_default_and_fixed_r_refuses_precision_options():
    from experiments.compare import _precision_target
    from sim.config import ConfigError

    target = _precision_target({})
    assert target.relative == 0.01 and target.of_difference == 0.02
    assert target.min_replications == 5 and target.max_replications == 25
    assert _precision_target({"replications": "10"}) is None
    with pytest.raises(ConfigError, match="difference_precision= goes with replications=auto"):
        _precision_target({"replications": "10", "difference_precision": "0.05"})
    with pytest.raises(ConfigError, match="difference_precision=2"):
        _precision_target({"difference_precision": "2"})
