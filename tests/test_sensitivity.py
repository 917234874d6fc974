"""Sensitivity analysis: known indices through the model's code path, replication averaging,
declared uncertainties, and a tiny end-to-end run of the real model."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import tarfile

import numpy as np
import pandas as pd
import pytest

from experiments.sensitivity import core
from experiments.sensitivity.factors import (
    Factor,
    apply_point,
    check_factors,
    factors_hash,
    load_uncertainties,
)
from experiments.sensitivity.testfunctions import (
    G_A,
    g_function_indices,
    ishigami_indices,
    variance,
)
from sim.config import ConfigError, compose, to_dict


def _sobol(function, factors, n, tmp_path, replications=1, noise_sd=0.0):
    """Sobol through the same path as the model: specs -> ensemble runner -> average -> SALib."""
    X = core.sobol_sample(factors, n, seed=1)
    ev = core.evaluate(
        core.FunctionEvaluator(function, noise_sd=noise_sd),
        X,
        [f.name for f in factors],
        replications,
        tmp_path / f"{function}-{replications}",
        "sobol",
        backend="sequential",
    )
    return core.sobol_indices(factors, ev.means, n, seed=1), ev


def _within(est: pd.DataFrame, truth: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {
        k: np.abs(est[k].to_numpy() - truth[k]) <= est[f"{k}_conf"].to_numpy() for k in ("S1", "ST")
    }


def test_ishigami_indices_recovered_within_intervals(tmp_path):
    fs = [Factor(f"x{i}", (), "set", -math.pi, math.pi) for i in (1, 2, 3)]
    est, _ = _sobol("ishigami", fs, 2048, tmp_path)
    ok = _within(est, ishigami_indices())
    assert ok["S1"].all() and ok["ST"].all(), est


def test_g_function_indices_recovered_within_intervals(tmp_path):
    fs = [Factor(f"x{i}", (), "set", 0.0, 1.0) for i in range(len(G_A))]
    est, _ = _sobol("g_function", fs, 2048, tmp_path)
    ok = _within(est, g_function_indices())
    assert ok["S1"].all() and ok["ST"].all(), est


def test_replication_averaging_recovers_noise_free_indices(tmp_path):
    fs = [Factor(f"x{i}", (), "set", -math.pi, math.pi) for i in (1, 2, 3)]
    truth = ishigami_indices()
    sd = 2.0  # noise variance 4 against 13.8 of the function: 22% of one run's variance
    single, _ = _sobol("ishigami", fs, 512, tmp_path, replications=1, noise_sd=sd)
    averaged, ev = _sobol("ishigami", fs, 512, tmp_path, replications=16, noise_sd=sd)
    # one run per point: the noise eats the first-order index of x2 (biased low)
    assert single["S1"].iloc[1] < truth["S1"][1] - single["S1_conf"].iloc[1]
    ok = _within(averaged, truth)
    assert ok["S1"].all() and ok["ST"].all(), averaged
    noise = core.noise_shares(ev).set_index("output").loc["y"]
    expected = sd**2 / (sd**2 + variance("ishigami"))
    assert noise["noise_share_single_run"] == pytest.approx(expected, abs=0.04)
    assert noise["noise_share_of_mean"] == pytest.approx(expected / 16 / (1 - expected), rel=0.3)


def test_sobol_design_for_2n_extends_the_design_for_n():
    fs = [Factor(f"x{i}", (), "set", 0.0, 1.0) for i in range(3)]
    small, large = core.sobol_sample(fs, 8, seed=3), core.sobol_sample(fs, 16, seed=3)
    np.testing.assert_array_equal(small, large[: len(small)])


def test_declared_uncertainties_cover_the_issue_and_apply_cleanly():
    factors = load_uncertainties("default")
    names = {f.name for f in factors}
    for must in (
        "onset",
        "growth",
        "detection",
        "self_referral_threshold",
        "budget_pressure",
        "asking_fee",
        "asking_effort",
        "asking_experience",
        "over_supply",
        "help_effect",
        "prevention_effect",
        "carer_burnout_threshold",
        "unit_prices",
        "intake_hours_gatekeeping",
        "intake_hours_short",
        "back_office_acts",
        "provider_accountability",
        "objection_rate",
        "trust_effects",
    ):
        assert must in names
    assert all(f.why for f in factors)
    base = ["population=200", "years=1", "burn_in_years=0"]
    configs = {
        d: to_dict(compose([*base, f"design={d}"])) for d in ("gatekeeping", "yes_is_cheaper")
    }
    check_factors(factors, configs)
    schema = compose([*base, "design=yes_is_cheaper"])
    cfg = configs["yes_is_cheaper"]
    out = apply_point(
        cfg,
        "yes_is_cheaper",
        factors,
        {"detection": 1.5, "over_supply": 0.7, "unit_prices": 0.9},
        schema=schema,
    )
    gp = cfg["behaviour"]["places"]["gp"]["detection"]
    assert out["behaviour"]["places"]["gp"]["detection"]["dementia"] == pytest.approx(
        1.5 * gp["dementia"]
    )
    # a probability scaled past 1 is clipped to the schema's range
    assert out["behaviour"]["places"]["debt_counselling_desk"]["detection"]["debt"] == 1.0
    effort = "administration", "contract_models", "effort", "over_delivery_pass_through"

    def at(c: dict, path: tuple[str, ...]) -> float:
        for k in path:
            c = c[k]
        return c  # type: ignore[return-value]

    assert at(out, effort) == 0.7
    key = next(iter(cfg["prices"]["eur"]))
    assert out["prices"]["eur"][key] == pytest.approx(0.9 * cfg["prices"]["eur"][key])
    assert at(cfg, effort) == 1.0  # the input is not changed
    # design-restricted factors leave other designs alone
    gk = apply_point(configs["gatekeeping"], "gatekeeping", factors, {"over_supply": 0.7})
    assert at(gk, effort) == at(configs["gatekeeping"], effort)


def test_dutch_labels_for_every_factor_and_labels_do_not_invalidate_runs():
    factors = load_uncertainties("default")
    missing = [f.name for f in factors if not f.label_nl or f.label_nl == f.label]
    assert not missing, f"factors without a Dutch label: {missing}"
    growth = next(f for f in factors if f.name == "growth")
    assert growth.display("nl") == "groei van problemen zonder hulp"
    assert growth.display("en") == "problem growth when untreated"
    assert Factor("x", ("a.b",), "set", 0.0, 1.0, label="x!").display("nl") == "x!"
    # finished runs are found again after a label or reason is edited, not after a range is
    relabelled = [dataclasses.replace(f, label="?", label_nl="?", why="?") for f in factors]
    assert factors_hash(relabelled) == factors_hash(factors)
    widened = [dataclasses.replace(factors[0], high=factors[0].high + 0.1), *factors[1:]]
    assert factors_hash(widened) != factors_hash(factors)


def test_bad_uncertainty_file_is_one_line_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "uncertainties:\n  x: {keys: [design.intake_hours], kind: scale, low: 2, high: 1}\n"
    )
    with pytest.raises(ConfigError, match=r"low=2\.0 must be below high=1\.0"):
        load_uncertainties(str(path))
    with pytest.raises(ConfigError, match="uncertainty=nope"):
        load_uncertainties("nope")


TINY = """uncertainties:
  over_supply:
    label: provider over-supply
    keys: [administration.contract_models.effort.over_delivery_pass_through]
    designs: [yes_is_cheaper]
    kind: set
    low: 0.2
    high: 1.0
    why: test
  admin_hours:
    label: admin hours
    keys: [design.intake_hours, design.decision_admin_hours]
    kind: scale
    low: 0.5
    high: 1.5
    why: test
"""


def test_sensitivity_end_to_end_on_the_model(tmp_path, capsys):
    pytest.importorskip("sklearn")
    from experiments.cli import main

    unc = tmp_path / "tiny.yaml"
    unc.write_text(TINY)
    out = tmp_path / "sa"
    argv = [
        "sensitivity",
        "method=all",
        f"uncertainty={unc}",
        "designs=gatekeeping,yes_is_cheaper",
        "replications=2",
        "trajectories=2",
        "n=2",
        "double=false",
        "samples=8",
        "threshold=0",
        "backend=sequential",
        f"out={out}",
        "population=300",
        "years=1",
        "burn_in_years=0",
    ]
    assert main(argv) == 0
    # not on a terminal: a line every 5% of the runs, so a log file shows how far a job is
    err = capsys.readouterr().err
    assert "morris runs: " in err and "done (100%)" in err
    diff = "yes_is_cheaper_minus_gatekeeping__total_chain_cost_eur_per_inhabitant_per_year"
    morris = pd.read_parquet(out / "morris_indices.parquet")
    assert set(morris["factor"]) == {"over_supply", "admin_hours"}
    assert diff in set(morris["output"])
    # over-supply only touches yes_is_cheaper: no effect on gatekeeping's cost
    gk = morris[(morris.output == "gatekeeping__total_chain_cost_eur_per_inhabitant_per_year")]
    assert gk.set_index("factor").loc["over_supply", "mu_star"] == 0
    assert morris.set_index(["output", "factor"]).loc[(diff, "over_supply"), "mu_star"] > 0
    sobol = pd.read_csv(out / "sobol_indices.csv")
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(sobol.columns)
    # common random numbers: every point uses the same seeds per replication
    runs = pd.read_parquet(out / "sobol_runs.parquet")
    assert runs.groupby("replication")["seed"].nunique().eq(1).all()
    noise = pd.read_csv(out / "noise.csv")
    assert noise["noise_share_single_run"].between(0, 1).any()
    assert (out / "oat_swings.csv").exists() and (out / "discovery_boxes.csv").exists()
    for name in ("morris", "sobol", "tornado", "boxes_cost", "boxes_unmet"):
        assert (out / "figures" / f"{name}.png").exists()
    page = (out / "report.html").read_text()
    assert "not the global analysis" in page.lower() or "NOT the global" in page
    report = json.loads((out / "report.json").read_text())
    assert report["discovery"]["cost"]["rules"]
    with tarfile.open(out / "ema_results.tar.gz") as tar:
        assert {"experiments.csv", "metadata.json"} <= set(tar.getnames())
    # resuming: the runs are on disk, so re-analysing runs nothing new, same indices
    capsys.readouterr()
    assert main([a if a != "method=all" else "method=sobol" for a in argv]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(out / "sobol_indices.csv"), sobol)
    assert re.search(r"sobol runs: (\d+) of \1 done at the start", capsys.readouterr().err)
    # the EMA Workbench reads the archive (an optional extra, not in the test install)
    ema = pytest.importorskip("ema_workbench")
    experiments, outcomes = ema.load_results(str(out / "ema_results.tar.gz"))
    assert len(experiments) == 2 * 8 and set(experiments["policy"]) == {
        "gatekeeping",
        "yes_is_cheaper",
    }
    assert outcomes[core.TOTAL].shape == (16,)


def test_same_indices_on_the_dask_backend(tmp_path):
    pytest.importorskip("distributed")
    fs = [Factor(f"x{i}", (), "set", -math.pi, math.pi) for i in (1, 2, 3)]
    X = core.sobol_sample(fs, 32, seed=1)
    names = [f.name for f in fs]
    evaluator = core.FunctionEvaluator("ishigami", noise_sd=1.0)
    seq = core.evaluate(evaluator, X, names, 2, tmp_path / "seq", "s", backend="sequential")
    dask = core.evaluate(evaluator, X, names, 2, tmp_path / "dask", "s", backend="dask", workers=2)
    pd.testing.assert_frame_equal(seq.means, dask.means)


def test_cli_rejects_bad_options(capsys):
    from experiments.cli import main

    assert main(["sensitivity", "method=fast"]) == 2
    assert "method=fast" in capsys.readouterr().err
    assert main(["sensitivity", "designs=gatekeeping,nope"]) == 2
    assert main(["sensitivity", "--help"]) == 0


def test_discovery_rules_read_with_labels_replaced_once():
    """A label that contains another factor's name is not rewritten again."""
    from experiments.sensitivity.discovery_stage import readable_rule

    labels = {"growth": "problem growth", "budget_damping": "growth held back by pressure"}
    rule = readable_rule("budget_damping > 0.4 and growth <= 1.3", labels)
    assert rule == "growth held back by pressure > 0.4 and problem growth <= 1.3"
