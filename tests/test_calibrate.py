"""Calibration: recovers known parameters from targets the model itself produced."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.calibration.calibrate import Objective, fit
from experiments.calibration.spec import (
    CalibrationSpec,
    FitParameter,
    apply,
    base_config,
    load_spec,
)
from sim.config import ConfigError

PARAMS = [
    FitParameter("behaviour.carer_burden_per_hour", "value", 0.0005, 0.008),
    FitParameter("behaviour.onset_per_year.dementia", "scale", 0.5, 2.0),
]
ROWS = {"heavily_burdened_share_of_carers": 1.0, "dementia_prevalence_persons": 1.0}


def _spec(**kw) -> CalibrationSpec:
    return CalibrationSpec(
        parameters=PARAMS,
        targets=ROWS,
        model_overrides=[
            "design=gatekeeping",
            "municipality=mid_city",
            "behaviour=default",  # a fixed starting world, whatever the shipped default
            "burn_in_years=1",
        ],
        population=8000,
        years=1,
        replications=1,
        seed=5,
        max_evaluations=30,
        diff_step=0.08,
        write=None,
        **kw,
    )


def test_recovers_known_parameters_from_synthetic_targets(tmp_path):
    spec = _spec()
    base = base_config(spec)
    truth = np.array([0.004, 1.5])
    # Synthetic truth: the model's own outcomes at known parameter values are the targets.
    probe = Objective(
        spec, base, tmp_path / "truth", backend="sequential", targets={r: 1.0 for r in ROWS}
    )
    observed = probe.evaluate([truth])[0].observed
    objective = Objective(spec, base, tmp_path / "fit", backend="sequential", targets=observed)
    start = np.array([0.0015, 0.8])  # elsewhere
    assert objective.evaluate([start])[0].cost > 0.01
    best = fit(spec, objective, start)
    ranges = np.array([p.hi - p.lo for p in PARAMS])
    error = np.abs(best.x - truth) / ranges
    # 2e-3: about 3% on each of the two targets, below a year's run noise at 8,000 people
    # (about 130 people with dementia), where the common-random-number surface has steps
    assert best.cost < 2e-3, (best.x, best.cost)
    assert np.all(error < 0.08), (best.x, truth)


def test_scale_and_value_parameters_are_applied():
    spec = _spec()
    base = base_config(spec)
    cfg = apply(spec, base, np.array([0.5, 2.0]))
    assert cfg["behaviour"]["carer_burden_per_hour"] == 0.5
    old = base["behaviour"]["onset_per_year"]["dementia"]
    new = cfg["behaviour"]["onset_per_year"]["dementia"]
    assert np.allclose(new, 2.0 * np.asarray(old))
    assert base["behaviour"]["onset_per_year"]["dementia"] == old  # base untouched


@pytest.mark.parametrize("start", [[], ["behaviour=calibrated"]])
def test_default_calibration_file_is_valid(start):
    """From the default behaviour and from the calibrated one (the README's re-fit and
    history matching start there): every declared key exists, has the right kind, and
    every bound gives a valid config from that start."""
    spec = load_spec("default", {}, start)
    assert spec.parameters and spec.targets
    base_config(spec)


def test_a_bound_that_leaves_the_allowed_range_is_a_clear_error():
    wide = FitParameter("behaviour.onset_per_year.youth_family", "scale", 0.5, 30.0)
    spec = _spec()
    spec = CalibrationSpec(**{**spec.__dict__, "parameters": [PARAMS[0], wide]})
    with pytest.raises(ConfigError, match="youth_family: bound 30 gives an invalid config"):
        base_config(spec)
