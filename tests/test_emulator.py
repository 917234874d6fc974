"""Emulator-based sensitivity: the surrogate, its posterior draws, the sequential design, known
Sobol indices through the model's code path, and a tiny end-to-end run of the real model."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from experiments.sensitivity import core, emulator, surrogates
from experiments.sensitivity.context import Context
from experiments.sensitivity.factors import Factor
from experiments.sensitivity.testfunctions import G_A, g_function_indices, ishigami_indices
from sim.config import ConfigError

pytest.importorskip("sklearn")


def _context(function: str, factors: list[Factor], tmp_path, replications: int = 1) -> Context:
    return Context(
        evaluator=core.FunctionEvaluator(function),
        factors=factors,
        replications=replications,
        out=tmp_path,
        backend="sequential",
    )


def _within(est: pd.DataFrame, truth: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {
        k: np.abs(est[k].to_numpy() - truth[k]) <= est[f"{k}_conf"].to_numpy() for k in ("S1", "ST")
    }


def test_gp_posterior_draws_match_its_mean_and_spread():
    rng = np.random.default_rng(0)
    U = rng.uniform(size=(40, 2))
    y = np.sin(6 * U[:, 0]) + U[:, 1] ** 2
    gp = surrogates.fit_surrogate("gp", U, y, seed=1)
    grid = rng.uniform(size=(30, 2))
    pred = gp.predict(grid)
    draws = gp.draws(grid, 400, seed=3)
    # pathwise draws (random Fourier prior + data correction) reproduce the posterior
    assert np.abs(draws.mean(axis=0) - pred.mean).max() < 0.15 * max(pred.sd.max(), 0.02) + 0.02
    ratio = draws.std(axis=0) / np.maximum(pred.sd, 1e-9)
    assert 0.7 < np.median(ratio) < 1.3
    # and the fit itself: close to the function away from the data, sure near it
    assert surrogates.q2(np.sin(6 * grid[:, 0]) + grid[:, 1] ** 2, pred.mean) > 0.95
    near = gp.predict(U[:5] + 1e-4)
    assert near.sd.max() < pred.sd.max()


def test_noise_measured_from_replications_keeps_the_intervals_honest():
    # 30 inputs, 100 points, 2 replications: too few points for the likelihood to tell noise
    # from signal, so without a floor the smooth term often takes up the noise and the
    # intervals of a held-out replication mean leave it out (coverage 0.69-0.92 here)
    d, n, m, R, sd = 30, 100, 200, 2, 0.3
    w = np.r_[3.0, 2.0, 1.0, 0.5, np.full(d - 4, 0.05)]

    def f(U: np.ndarray) -> np.ndarray:
        return np.sin(2 * U) @ w + U[:, 0] * U[:, 1]

    U, Uh = emulator.hypercube(d, n, 1), emulator.hypercube(d, m, 2)
    shift = np.array([5.0, -5.0])  # common random numbers: seed k shifts every point alike
    index = pd.MultiIndex.from_product([range(n), range(R)], names=["point", "replication"])
    for seed in (1, 2, 3, 4):
        rng = np.random.default_rng(seed)
        runs = np.array([f(U) + shift[k] + rng.normal(0, sd, n) for k in range(R)]).T
        held = np.mean([f(Uh) + shift[k] + rng.normal(0, sd, m) for k in range(R)], axis=0)
        table = pd.DataFrame({"y": runs.ravel()}, index)
        ev = core.Evaluation(U, [f"x{i}" for i in range(d)], R, table, pd.DataFrame(), 0)
        noise = core.noise_of_mean_between_points(ev)["y"]
        # the seed's shift (10 between the replications) is not noise between points
        assert noise == pytest.approx(sd**2 / R, rel=0.3)
        y = runs.mean(axis=1)
        floored = surrogates.fit_surrogate("gp", U, y, noise_var=noise)
        bare = surrogates.fit_surrogate("gp", U, y)
        got, before = surrogates.validate(floored, Uh, held), surrogates.validate(bare, Uh, held)
        assert floored.predict(Uh).noise_sd >= math.sqrt(noise) * 0.999
        assert got["coverage_95"] >= 0.9, (seed, got, before)
        assert got["q2"] >= before["q2"] - 0.01


def test_least_sure_picks_candidates_far_from_the_data():
    U = np.random.default_rng(1).uniform(0, 0.5, size=(30, 2))  # data only in one corner
    y = U.sum(axis=1)
    gp = surrogates.fit_surrogate("gp", U, y)
    candidates = np.array([[0.25, 0.25], [0.3, 0.2], [0.95, 0.95], [0.9, 0.1], [0.1, 0.9]])
    picked = surrogates.least_sure({"y": gp}, candidates, U, 2)
    assert set(picked) <= {2, 3, 4} and 0 not in picked


def test_emulator_recovers_ishigami_indices_and_meets_its_target_sequentially(tmp_path):
    fs = [Factor(f"x{i}", (), "set", -math.pi, math.pi) for i in (1, 2, 3)]
    ctx = _context("ishigami", fs, tmp_path)
    settings = emulator.Settings(points=100, holdout=40, batch=20, budget=400, q2=0.97)
    est = emulator.run_emulator(ctx, settings)
    rep = ctx.report["emulator"]
    trace = rep["trace"]
    # 100 points fall short of Q2 0.97; the sequential design adds points until it is met
    assert not trace[0]["met"] and trace[-1]["met"] and len(trace) > 1
    assert rep["runs"] <= settings.budget
    assert rep["validation"]["y"]["coverage_95"] >= 0.8
    ok = _within(est, ishigami_indices())
    assert ok["S1"].all() and ok["ST"].all(), est
    assert (est["S1_conf"] < 0.15).all()  # informative, not vacuous
    assert (tmp_path / "figures" / "emulator_validation.png").exists()


def test_emulator_recovers_g_function_indices_within_intervals(tmp_path):
    fs = [Factor(f"x{i}", (), "set", 0.0, 1.0) for i in range(len(G_A))]
    ctx = _context("g_function", fs, tmp_path)
    settings = emulator.Settings(points=120, holdout=40, batch=20, budget=400, q2=0.95)
    est = emulator.run_emulator(ctx, settings)
    ok = _within(est, g_function_indices())
    assert ok["S1"].all() and ok["ST"].all(), est
    # the two factors that matter come out on top
    assert list(est.sort_values("ST", ascending=False)["factor"][:2]) == ["x0", "x1"]


def test_stops_at_the_budget_and_says_so(tmp_path):
    fs = [Factor(f"x{i}", (), "set", -math.pi, math.pi) for i in (1, 2, 3)]
    ctx = _context("ishigami", fs, tmp_path)
    settings = emulator.Settings(
        points=12, holdout=10, batch=4, budget=30, q2=0.999, sobol_n=64, draws=4
    )
    emulator.run_emulator(ctx, settings)
    rep = ctx.report["emulator"]
    assert not rep["target_met"]
    assert rep["runs"] <= 30 and rep["runs"] + 4 > 30  # one more batch would exceed it


def test_bad_emulator_options_are_clear_errors():
    with pytest.raises(ConfigError, match="surrogate=svm"):
        emulator.settings_from({"surrogate": "svm"}, 3, 1)
    with pytest.raises(ConfigError, match="sobol_n=100"):
        emulator.settings_from({"sobol_n": "100"}, 3, 1)
    with pytest.raises(ConfigError, match="budget=5"):
        emulator.settings_from({"budget": "5"}, 3, 1)
    with pytest.raises(ConfigError, match="q2=2"):
        emulator.settings_from({"q2": "2"}, 3, 1)
    s = emulator.settings_from({}, 14, 6)
    assert s.points == 140 and s.holdout == 35 and s.budget == 2 * 175 * 6


TINY = """
uncertainties:
  over_supply:
    label: provider over-supply
    keys: [administration.contract_models.effort.over_delivery_pass_through]
    designs: [yes_is_cheaper]
    kind: set
    low: 0.5
    high: 1.0
  admin_hours:
    label: administrative hours
    keys: [design.intake_hours, design.decision_admin_hours, design.reindication_hours]
    kind: scale
    low: 0.5
    high: 1.5
"""


def test_emulator_end_to_end_on_the_model_and_resumes(tmp_path, capsys):
    from experiments.cli import main

    unc = tmp_path / "tiny.yaml"
    unc.write_text(TINY)
    out = tmp_path / "sa"
    argv = [
        "sensitivity",
        "method=emulator",
        f"uncertainty={unc}",
        "designs=gatekeeping,yes_is_cheaper",
        "replications=2",
        "points=8",
        "holdout=4",
        "batch=2",
        "budget=56",
        "sobol_n=64",
        "draws=8",
        "backend=sequential",
        f"out={out}",
        "population=800",
        "years=1",
        "burn_in_years=0",
        # without a burn-in the start-up overruns every budget (pressure 1.0 for weeks),
        # noise that hides the administrative hours' effect on cost at 800 people
        "design.budget_pressure_sensitivity=0",
    ]
    assert main(argv) == 0
    err = capsys.readouterr()
    assert "emulator:" in err.out
    report = json.loads((out / "report.json").read_text())["emulator"]
    assert report["runs"] <= 56
    runs = pd.read_parquet(out / "emulator_train_outputs.parquet")
    assert runs["point"].nunique() == report["training_points"]
    sob = pd.read_csv(out / "emulator_sobol_indices.csv")
    diff = "yes_is_cheaper_minus_gatekeeping__total_chain_cost_eur_per_inhabitant_per_year"
    gk = "gatekeeping__total_chain_cost_eur_per_inhabitant_per_year"
    assert {"S1", "S1_conf", "ST", "ST_conf", "S1_conf_surrogate"} <= set(sob.columns)
    # over-supply only touches yes_is_cheaper: it explains nothing of gatekeeping's cost
    flat = sob[(sob.output == gk) & (sob.factor == "over_supply")].iloc[0]
    assert abs(flat["ST"]) <= flat["ST_conf"] + 0.05
    assert diff in set(sob["output"])
    val = pd.read_csv(out / "emulator_validation.csv").set_index("output")
    assert set(val.index) == set(emulator.emulated_outputs(list(val.index)))  # cost, unmet need
    assert val.loc[gk, "q2"] > 0 and 0 <= val.loc[gk, "coverage_95"] <= 1
    assert "emulator" in (out / "report.html").read_text()
    for name in ("emulator_validation", "emulator_sobol"):
        assert (out / "figures" / f"{name}.png").exists()
        assert (out / "figures" / f"{name}.svg").exists()
    # resuming: every run is on disk, so a second call runs nothing and gives the same indices
    chunks = sorted((out / "ensemble").rglob("*.summary.parquet"))
    assert main(argv) == 0
    assert sorted((out / "ensemble").rglob("*.summary.parquet")) == chunks
    pd.testing.assert_frame_equal(pd.read_csv(out / "emulator_sobol_indices.csv"), sob)


def test_tree_surrogate_follows_a_jump_and_gives_intervals():
    rng = np.random.default_rng(2)
    U = rng.uniform(size=(200, 2))
    test = rng.uniform(size=(60, 2))

    def f(P):
        return 10.0 * (P[:, 0] > 0.5) + P[:, 1]

    trees = surrogates.fit_surrogate("gbt", U, f(U), seed=1)
    val = surrogates.validate(trees, test, f(test))
    assert val["q2"] > 0.9 and val["coverage_90"] >= 0.7
    draws = trees.draws(test, 8, seed=1)
    assert draws.shape == (8, 60) and draws.std(axis=0).max() > 0
    fs = [Factor("jump", (), "set", 0.0, 1.0), Factor("slope", (), "set", 0.0, 1.0)]
    idx = emulator.surrogate_sobol(fs, trees, 256, 8, seed=1).set_index("factor")
    # the jump carries 10^2/4 = 25 of the variance, the slope 1/12
    assert idx.loc["jump", "S1"] > 0.9 and idx.loc["slope", "ST"] < 0.1


def _sobol_table(n_factors: int, leaders: dict[str, str]) -> pd.DataFrame:
    """A Sobol table: output -> the factor given the largest ST there; the rest small."""
    rows = []
    for out, lead in leaders.items():
        for j in range(n_factors):
            f = f"f{j:02d}"
            st = 0.6 if f == lead else 0.01 * (j % 5)
            rows.append(
                {
                    "output": out,
                    "factor": f,
                    "S1": st / 2,
                    "S1_conf": 0.01,
                    "ST": st,
                    "ST_conf": 0.01,
                }
            )
    return pd.DataFrame(rows)


def test_sobol_title_states_the_leading_factor_and_where_it_leads(tmp_path):
    """The title names the factor with the largest total index in most outputs, and says
    whether it leads in all of them or in k of n; a panel shows at most
    SOBOL_FACTORS_SHOWN factors and one row for the others."""
    from experiments.sensitivity.emulator_figures import figure_emulator_sobol
    from experiments.sensitivity.figures import (
        SOBOL_FACTORS_SHOWN,
        others_bound,
        sobol_finding,
        sobol_panel_rows,
    )

    labels = {"f03": "problem growth", "f07": "unit prices"}
    every = _sobol_table(20, {"a": "f03", "b": "f03"})
    title = sobol_finding(every, ["a", "b"], labels, "en", emulated=True)
    assert title.startswith("Problem growth explains the most variance in every output")
    assert "(total index 0.60; Sobol on the emulator)" in title
    some = _sobol_table(20, {"a": "f03", "b": "f03", "c": "f07"})
    assert "in 2 of the 3 outputs" in sobol_finding(some, ["a", "b", "c"], labels, "en")
    assert "0,60" in sobol_finding(some, ["a", "b", "c"], labels, "nl")
    assert sobol_finding(some, ["none"], labels, "en") == ""

    files = figure_emulator_sobol(
        some, ["a", "b", "c"], labels, tmp_path, n=64, draws=4, points=40, R=2
    )
    assert files.png.exists() and files.svg.exists()
    assert files.title.startswith("Problem growth explains the most variance in 2 of the 3")
    kept, rest = sobol_panel_rows(some[some["output"] == "c"])
    assert len(kept) == SOBOL_FACTORS_SHOWN and len(rest) == 20 - SOBOL_FACTORS_SHOWN
    assert kept["factor"].iloc[-1] == "f07" and kept["ST"].min() >= rest["ST"].max()
    few = _sobol_table(SOBOL_FACTORS_SHOWN + 1, {"a": "f03"})
    kept, rest = sobol_panel_rows(few)
    assert len(kept) == SOBOL_FACTORS_SHOWN + 1 and rest.empty
    # the others' row states a true bound: rounded up, never "<= 0.00"
    assert [others_bound(x) for x in (0.0, 0.004, 0.011, 0.02, -0.01)] == [
        0.01,
        0.01,
        0.02,
        0.02,
        0.01,
    ]
