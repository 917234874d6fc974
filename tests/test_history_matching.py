"""History matching: rules out space but never the truth (synthetic targets the model itself
produced), implausibility arithmetic, settings, and the command end to end."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from experiments.calibration import history_command as hmc
from experiments.calibration import history_matching as hm
from experiments.calibration.calibrate import Objective
from experiments.calibration.spec import CalibrationSpec, FitParameter, base_config
from sim.config import ConfigError, from_dict

pytest.importorskip("sklearn")

PARAMS = [
    FitParameter("behaviour.carer_burden_per_hour", "value", 0.0005, 0.008),
    FitParameter("behaviour.onset_per_year.dementia", "scale", 0.5, 2.0),
]
ROWS = {"heavily_burdened_share_of_carers": 1.0, "dementia_prevalence_persons": 1.0}
OVERRIDES = ["design=gatekeeping", "municipality=mid_city", "behaviour=default", "burn_in_years=1"]


def _spec() -> CalibrationSpec:
    return CalibrationSpec(
        parameters=PARAMS,
        targets=ROWS,
        model_overrides=OVERRIDES,
        population=4000,
        years=1,
        replications=1,
        seed=5,
        method="history_matching",
        write=None,
    )


def _config_file(tmp_path, write, history_matching: dict, replications: int = 1):
    """A small history-matching calibration file (1,000 people, 1 year) in tmp_path."""
    cfg = tmp_path / "hm.yaml"
    cfg.write_text(
        yaml.safe_dump(
            {
                "model_overrides": OVERRIDES,
                "population": 1000,
                "years": 1,
                "replications": replications,
                "seed": 3,
                "method": "history_matching",
                "write": str(write),
                "parameters": [
                    {"key": p.key, "kind": p.kind, "bounds": [p.lo, p.hi]} for p in PARAMS
                ],
                "targets": ROWS,
                "history_matching": history_matching,
            }
        )
    )
    return cfg


def test_rules_out_space_but_not_the_truth(tmp_path):
    spec = _spec()
    base = base_config(spec)
    truth = np.array([0.004, 1.5])
    probe = Objective(
        spec, base, tmp_path / "truth", backend="sequential", targets=dict.fromkeys(ROWS, 1.0)
    )
    observed = probe.evaluate([truth])[0].observed  # synthetic truth: the model's own outputs
    s = hm.Settings(
        waves=2,
        points_per_wave=14,
        observation_uncertainty=0.05,
        model_discrepancy=0.0,
        reference=4000,
    )
    result = hm.history_match(spec, base, s, tmp_path / "hm", "sequential", targets=observed)
    assert len(result.volume) == 2
    # something is ruled out, and more (or as much) after the second wave
    assert result.volume[0] < 0.6 and result.volume[1] <= result.volume[0] + 1e-12
    assert result.volume[1] > 0
    # the truth is never ruled out
    u_truth = np.array([[p.to_unit(v) for p, v in zip(PARAMS, truth, strict=True)]])
    assert hm.not_ruled_out(result.waves, u_truth, s, observed)[0]
    table = hmc.ranges(spec, result).set_index("parameter")
    for p, v in zip(PARAMS, truth, strict=True):
        assert table.loc[p.key, "not_ruled_out_low"] <= v <= table.loc[p.key, "not_ruled_out_high"]
    assert (table["share_of_range"] < 1).any()
    # the calibrated default lies inside and close to the truth in what the targets pin down
    assert result.best_inside and result.best_implausibility <= s.cutoff
    best = result.X[result.best]
    assert abs(best[0] - truth[0]) / (PARAMS[0].hi - PARAMS[0].lo) < 0.25
    # second-wave points were drawn from the space the first wave left
    second = result.X[result.wave_of == 2]
    u2 = np.array([[p.to_unit(v) for p, v in zip(PARAMS, x, strict=True)] for x in second])
    assert hm.not_ruled_out(result.waves[:1], u2, s, observed).all()


class _Flat:
    """A stand-in emulator: a fixed mean, sd and noise everywhere."""

    def __init__(self, mean: float, sd: float, noise: float = 0.0) -> None:
        self.m, self.s, self.n = mean, sd, noise

    def predict(self, U):
        from experiments.sensitivity.surrogates import Prediction

        return Prediction(np.full(len(U), self.m), np.full(len(U), self.s), self.n)


def test_implausibility_is_distance_over_total_sd():
    s = hm.Settings(observation_uncertainty=0.1, model_discrepancy=0.0)
    wave = hm.WaveEmulators(1, {"a": _Flat(130.0, 6.0, 0.0), "b": _Flat(10.0, 0.0)}, {}, {})
    targets = {"a": 100.0, "b": 10.0}
    impl = hm.implausibility(wave, np.zeros((1, 2)), s, targets)
    # |100 - 130| / sqrt(10^2 + 6^2) = 30 / 11.66 = 2.57: not ruled out at 3; b matches
    assert impl[0, 0] == pytest.approx(30 / np.sqrt(136))
    assert impl[0, 1] == 0
    assert hm.not_ruled_out([wave], np.zeros((1, 2)), s, targets)[0]
    tight = hm.Settings(observation_uncertainty=0.05, model_discrepancy=0.0)
    assert not hm.not_ruled_out([wave], np.zeros((1, 2)), tight, targets)[0]
    # nth = 2: the second largest counts, one target may miss
    assert hm.nth_max(np.array([[5.0, 1.0, np.nan]]), 2)[0] == 1.0


class _Bump:
    """An emulator whose mean equals the target only in a small ball around `centre`."""

    def __init__(self, centre: np.ndarray) -> None:
        self.c = centre

    def predict(self, U):
        from experiments.sensitivity.surrogates import Prediction

        dist = np.linalg.norm(U - self.c, axis=1)
        return Prediction(100.0 + 1000.0 * dist, np.zeros(len(U)), 0.0)


def test_next_wave_samples_a_space_too_small_for_the_hypercubes():
    """A space not ruled out of about 4e-6 of the cube (a ball of radius 0.03 in 4
    dimensions) is missed by the rejection sample; seeded with a known survivor, the wave
    still gets its points, all inside. Before, the run stopped: 'the whole space is ruled
    out' although the reference sample had survivors."""
    s = hm.Settings(observation_uncertainty=0.1, model_discrepancy=0.0)
    centre = np.full(4, 0.37)
    wave = hm.WaveEmulators(1, {"a": _Bump(centre)}, {}, {})
    targets = {"a": 100.0}
    taken = np.empty((0, 4))
    assert len(hm.sample_wave([wave], 10, 4, s, targets, 5, taken)) == 0
    U = hm.sample_wave([wave], 10, 4, s, targets, 5, taken, known=centre[None, :])
    assert len(U) == 10
    assert hm.not_ruled_out([wave], U, s, targets).all()
    assert len(np.unique(U.round(6), axis=0)) == 10  # spread, not the seed ten times


def test_settings_from_file_and_command_line():
    row, other = "nursing_home_residents", "household_help_users"
    s = hm.settings_from(
        {
            "waves": 2,
            "observation_uncertainty": {"default": 0.1, row: 0.2},
            "model_discrepancy": {row: 0.3},
        },
        {},
    )
    assert s.waves == 2 and s.obs_share(row) == 0.2 and s.obs_share(other) == 0.1
    # a per-target discrepancy applies to its row only; the others keep the default 5%
    assert s.discrepancy_share(row) == 0.3 and s.discrepancy_share(other) == 0.05
    with pytest.raises(ConfigError, match="model_discrepancy: no_such_target is not a target"):
        hm.settings_from({"model_discrepancy": {"no_such_target": 0.1}}, {})
    with pytest.raises(ConfigError, match="model_discrepancy"):
        hm.settings_from({"model_discrepancy": {row: -0.1}}, {})
    assert hm.settings_from({"waves": 2}, {"waves": "4", "cutoff": "2.5"}).waves == 4
    with pytest.raises(ConfigError, match="unknown key"):
        hm.settings_from({"wave": 2}, {})
    with pytest.raises(ConfigError, match="observation_uncertainty"):
        hm.settings_from({}, {"observation_uncertainty": "0"})
    with pytest.raises(ConfigError, match="history_matching"):
        hm.settings_from({}, {"waves": "many"})


def test_target_reach_names_the_targets_no_simulated_set_comes_near():
    rows = ["a", "b"]
    # a: simulated 80-120 around a target of 100 (reached); b: always 2x its target of 10
    means = pd.DataFrame({"a": [80.0, 100.0, 120.0], "b": [20.0, 21.0, 19.0]})
    result = hm.Result(
        settings=hm.Settings(observation_uncertainty=0.1, model_discrepancy=0.0),
        waves=[],
        X=np.zeros((3, 1)),
        wave_of=np.ones(3, dtype=int),
        means=means,
        variances=means * 0,
        reference=np.zeros((1, 1)),
        kept=np.zeros(1, dtype=bool),
        volume=[0.0],
        best=1,
        best_inside=False,
        best_implausibility=10.0,
        runs=3,
        wall_time_s=0.0,
    )
    reach = hmc.target_reach(result, {"a": 100.0, "b": 10.0}, rows).set_index("target")
    assert bool(reach.loc["a", "reached"]) and not bool(reach.loc["b", "reached"])
    # b's closest set is 19 against 10 with sd 1: implausibility 9
    assert reach.loc["b", "smallest_implausibility"] == pytest.approx(9.0)
    assert reach.loc["a", "share_within_cutoff"] == 1.0
    assert reach.loc["b", "ratio_at_calibrated"] == pytest.approx(2.1)
    assert reach.index[0] == "b"  # the worst first
    # a larger stated discrepancy for b alone lets it be reached
    result.settings = hm.Settings(observation_uncertainty=0.1, model_discrepancy={"b": 0.4})
    assert bool(hmc.target_reach(result, {"a": 100.0, "b": 10.0}, rows)["reached"].all())


def test_a_space_too_small_for_the_reference_sample_is_not_called_empty():
    """When no reference point survives but simulated sets do, the report says so (not
    "0.0%"), and the ranges come from those simulated sets."""
    spec = _spec()
    d = len(spec.parameters)
    X = np.array([[p.lo for p in spec.parameters], [p.hi for p in spec.parameters]] * 2)
    X[1] = [0.5 * (p.lo + p.hi) for p in spec.parameters]
    result = hm.Result(
        settings=hm.Settings(),
        waves=[],
        X=X,
        wave_of=np.ones(4, dtype=int),
        means=pd.DataFrame({"a": np.zeros(4)}),
        variances=pd.DataFrame({"a": np.zeros(4)}),
        reference=np.zeros((20000, d)),
        kept=np.zeros(20000, dtype=bool),
        volume=[0.0],
        best=1,
        best_inside=True,
        best_implausibility=2.0,
        runs=4,
        wall_time_s=0.0,
        inside=np.array([False, True, False, False]),
    )
    assert result.space_text() == (
        "less than 1 in 20,000 of the space (no reference point, but 1 of 4 simulated sets)"
    )
    table = hmc.ranges(spec, result)
    assert (table["from"] == "simulated sets").all()
    np.testing.assert_allclose(table["not_ruled_out_low"], X[1])
    np.testing.assert_allclose(table["share_of_range"], 0.0)
    result.inside[:] = False
    assert result.space_text().startswith("none of the space")
    assert hmc.ranges(spec, result)["not_ruled_out_low"].isna().all()
    result.kept[:3] = True
    result.volume = [3 / 20000]
    assert result.space_text() == "0.015% of the space (3 of 20,000 reference points)"


def test_history_matching_command_end_to_end(tmp_path, capsys):
    from experiments.cli import main

    # 1,000 people a year after a 1-year burn-in are far from the targets' setting: a
    # discrepancy allowance of 20% keeps a simulated set inside, so the writing path runs
    cfg = _config_file(
        tmp_path,
        tmp_path / "calibrated.yaml",
        {"waves": 1, "points_per_wave": 8, "reference": 2000, "model_discrepancy": 0.2},
    )
    out = tmp_path / "out"
    assert main(["calibrate", f"config={cfg}", "backend=sequential", f"out={out}"]) == 0
    captured = capsys.readouterr()
    assert "not ruled out" in captured.out
    # progress on stderr, a line per 5% of a wave's runs when not on a terminal
    assert "history matching wave 1 runs: 9 of 9 done (100%)" in captured.err
    report = json.loads((out / "history_matching.json").read_text())
    assert report["runs"] == 9  # 8 points + the starting point, 1 replication each
    assert len(report["not_ruled_out_share_per_wave"]) == 1
    ranges = pd.read_csv(out / "not_ruled_out_ranges.csv")
    assert set(ranges["parameter"]) == {p.key for p in PARAMS}
    assert (out / "figures" / "history_matching_pairs.png").exists()
    reach = pd.read_csv(out / "target_reach.csv")
    assert set(reach["target"]) == set(ROWS) and reach["reached"].dtype == bool
    written = (tmp_path / "calibrated.yaml").read_text()
    assert written.startswith("# History matching")
    behaviour = yaml.safe_load(written)
    assert "carer_burden_per_hour" in behaviour
    # the written behaviour is a valid model behaviour
    base = base_config(_spec())
    base["behaviour"] = behaviour
    from_dict(base)
    # resuming: same out, nothing rerun, same answer
    chunks = sorted((out / "ensemble").rglob("*.summary.parquet"))
    assert main(["calibrate", f"config={cfg}", "backend=sequential", f"out={out}"]) == 0
    assert sorted((out / "ensemble").rglob("*.summary.parquet")) == chunks
    again = json.loads((out / "history_matching.json").read_text())
    assert again["calibrated"] == report["calibrated"]


def test_a_ruled_out_set_does_not_replace_the_behaviour_at_write(tmp_path, capsys):
    """When every simulated set is ruled out, the least implausible one is written to the run
    folder only: the behaviour at `write` (the shipped default, by default) stays as it was,
    and the output says so."""
    from experiments.cli import main

    kept = tmp_path / "calibrated.yaml"
    kept.write_text("# the fitted default\n", encoding="utf-8")
    # a cutoff no set can meet: everything is ruled out
    cfg = _config_file(
        tmp_path, kept, {"waves": 1, "points_per_wave": 8, "reference": 2000, "cutoff": 1e-6}
    )
    out = tmp_path / "out"
    assert main(["calibrate", f"config={cfg}", "backend=sequential", f"out={out}"]) == 0
    text = capsys.readouterr().out
    assert "all ruled out" in text and "not written to" in text
    assert kept.read_text(encoding="utf-8") == "# the fitted default\n"
    assert (out / "calibrated.yaml").read_text().startswith("# History matching")


def test_waves_0_checks_the_starting_behaviour_by_its_own_runs(tmp_path):
    """`waves=0` runs only the starting behaviour and reports its implausibility per target
    from the runs alone: 0 against its own outputs, 1 sd away gives 1 (observation sd 10%,
    model discrepancy 0, noise of the mean in the denominator), and a target at twice the
    simulated value is ruled out."""
    spec = _spec()
    spec.replications = 2
    base = base_config(spec)
    s = hm.Settings(waves=0, observation_uncertainty=0.1, model_discrepancy=0.0, nth=1)
    own = hmc.check_start(
        spec, base, s, tmp_path / "a", "sequential", targets=dict.fromkeys(ROWS, 1.0)
    )
    simulated = dict(zip(own["target"], own["simulated"], strict=True))
    same = hmc.check_start(spec, base, s, tmp_path / "a", "sequential", targets=simulated)
    np.testing.assert_allclose(same["implausibility"], 0.0, atol=1e-12)
    row = "dementia_prevalence_persons"
    # the target at twice the simulated value: |x - 2x| / sqrt((0.1 * 2x)^2 + noise) <= 5
    far = hmc.check_start(
        spec, base, s, tmp_path / "a", "sequential", targets={**simulated, row: 2 * simulated[row]}
    ).set_index("target")
    assert 3.0 < far.loc[row, "implausibility"] <= 5.0
    assert far.index[0] == row  # the worst first
    assert far.loc[row, "ratio"] == pytest.approx(0.5)


def test_waves_0_on_the_command_line_prints_a_verdict(tmp_path, capsys):
    from experiments.cli import main

    cfg = _config_file(tmp_path, tmp_path / "calibrated.yaml", {"waves": 0}, replications=2)
    out = tmp_path / "out"
    assert main(["calibrate", f"config={cfg}", "backend=sequential", f"out={out}"]) == 0
    text = capsys.readouterr().out
    assert "the starting behaviour, by its own 2 run(s) (no emulator)" in text
    assert ("not ruled out" in text) != (": ruled out" in text)
    table = pd.read_csv(out / "start_implausibility.csv")
    assert set(table["target"]) == set(ROWS)
    assert not (tmp_path / "calibrated.yaml").exists()  # a check writes no behaviour
