"""Emulator-based sensitivity (`ketensim sensitivity method=emulator`).

Instead of running the model at the tens of thousands of points a direct Sobol analysis
needs, run it at a few hundred space-filling points, fit a surrogate per output, check the
surrogate on held-out runs, and compute the Sobol indices on the surrogate:

1. design: a Latin hypercube (`scipy.stats.qmc`) over the declared uncertainties, every point
   run for every design x R replications with common random numbers (through
   `core.evaluate`: the ensemble runner, resumable); a second hypercube is held out;
2. surrogate per output, fitted to the replication means: a Gaussian process (scikit-learn,
   Matern 5/2 with one length scale per factor plus a white-noise term for the run-to-run
   noise of the mean, kept at least at the noise measured from the replications), or
   gradient-boosted trees (an ensemble for the spread,
   quantile loss for the intervals) where the output jumps;
3. validation on the held-out points: Q2 (1 - squared error / variance) and the coverage of
   the 90% and 95% prediction intervals;
4. sequential design: while Q2 < target for a headline output (total chain cost and unmet need
   of every design) and the run budget allows, add the candidate points where the surrogates
   are least sure, refit, revalidate;
5. Sobol S1 and ST (SALib) on surrogate samples, once per posterior draw of the surrogate; the
   interval combines the spread over draws (the surrogate's own uncertainty) with SALib's
   bootstrap (the Monte Carlo error), by the law of total variance, and adds the share of the
   variance the surrogate misses on the held-out runs (1 - Q2) for its misfit.

Inputs of the surrogate are the factor values scaled linearly to [0, 1] by their ranges.
"""

from __future__ import annotations

import hashlib
import math
import time
import warnings
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from experiments.sensitivity import core
from experiments.sensitivity.context import check_complete, write_table
from experiments.sensitivity.factors import Factor, problem
from experiments.sensitivity.surrogates import (
    MAX_DRAW_POINTS,
    fit_surrogate,
    interval,
    least_sure,
    require_sklearn,
    single_threaded,
    validate,
)
from sim.config import ConfigError

SURROGATES = ("gp", "gbt", "auto")
KEYS = ("points", "holdout", "batch", "budget", "q2", "surrogate", "draws", "sobol_n", "outputs")


@dataclass(frozen=True)
class Settings:
    """Options of the emulator stage (defaults scale with the number of factors D)."""

    points: int  # initial training points (default 10 x D)
    holdout: int  # held-out validation points (default max(10, points / 4))
    batch: int  # points added per sequential wave (default max(4, D))
    budget: int  # most model runs in total, validation included (default 2 x the first round)
    q2: float = 0.9  # validation target for the headline outputs
    surrogate: str = "gp"  # gp | gbt | auto (per output, the better held-out Q2)
    draws: int = 48  # posterior draws of the surrogate for the Sobol intervals
    sobol_n: int = 1024  # base samples of the Sobol design on the surrogate
    outputs: str = "headline"  # headline (total chain cost, unmet need) | all analysed outputs


def settings_from(opts: dict[str, str], n_factors: int, runs_per_point: int) -> Settings:
    """Settings from command-line options; ConfigError on a bad value."""

    def number(key: str, default: float, kind: type, low: float, high: float = math.inf) -> Any:
        raw = opts.get(key)
        if raw is None:
            return kind(default)
        try:
            value = kind(raw)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise ConfigError(
                f"{key}={raw}: allowed: a {'whole ' if kind is int else ''}number from {low:g}"
                + ("" if math.isinf(high) else f" to {high:g}")
            )
        return value

    points = number("points", 10 * n_factors, int, 4)
    holdout = number("holdout", max(10, points // 4), int, 4)
    batch = number("batch", max(4, n_factors), int, 1)
    budget = number("budget", 2 * (points + holdout) * runs_per_point, int, 1)
    surrogate = opts.get("surrogate", "gp")
    if surrogate not in SURROGATES:
        raise ConfigError(f"surrogate={surrogate}: allowed: {', '.join(SURROGATES)}")
    if budget < (points + holdout) * runs_per_point:
        raise ConfigError(
            f"budget={budget}: below the first round ({points} + {holdout} points x "
            f"{runs_per_point} runs = {(points + holdout) * runs_per_point} runs)"
        )
    outputs = opts.get("outputs", "headline")
    if outputs not in ("headline", "all"):
        raise ConfigError(f"outputs={outputs}: allowed: headline, all")
    sobol_n = number("sobol_n", 1024, int, 16)
    if sobol_n & (sobol_n - 1):
        raise ConfigError(f"sobol_n={sobol_n}: allowed: a power of two (Sobol' sequence)")
    return Settings(
        points=points,
        holdout=holdout,
        batch=batch,
        budget=budget,
        q2=number("q2", 0.9, float, 0.0, 1.0),
        surrogate=surrogate,
        draws=number("draws", 48, int, 2),
        sobol_n=sobol_n,
        outputs=outputs,
    )


# --- design -----------------------------------------------------------------------------------


def to_values(factors: list[Factor], U: np.ndarray) -> np.ndarray:
    """Points of the unit cube -> factor values (quantiles of each factor's distribution)."""
    from scipy import stats

    U = np.atleast_2d(U)
    X = np.empty_like(U, dtype=float)
    for j, f in enumerate(factors):
        if f.dist == "triangular":
            c = (float(f.mode) - f.low) / (f.high - f.low)
            X[:, j] = stats.triang(c, loc=f.low, scale=f.high - f.low).ppf(U[:, j])
        else:
            X[:, j] = f.low + U[:, j] * (f.high - f.low)
    return X


def scaled(factors: list[Factor], X: np.ndarray) -> np.ndarray:
    """Factor values -> surrogate inputs: each factor's range scaled to [0, 1]."""
    low = np.array([f.low for f in factors])
    high = np.array([f.high for f in factors])
    return (np.atleast_2d(X) - low) / (high - low)


def hypercube(d: int, n: int, seed: int) -> np.ndarray:
    """A Latin hypercube of n points in [0, 1]^d (centred discrepancy improved up to 300)."""
    from scipy.stats import qmc

    opt = "random-cd" if n <= 300 else None  # the optimisation is slow for large n
    return qmc.LatinHypercube(d=d, seed=seed, optimization=opt).random(n)


def _hash(X: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(X, dtype=float).tobytes()).hexdigest()[:8]


# --- validation and sequential design ---------------------------------------------------------


# --- Sobol on the surrogate -------------------------------------------------------------------


def surrogate_sobol(
    factors: list[Factor],
    surrogate: Any,
    n: int,
    draws: int,
    seed: int,
    conf_level: float = 0.95,
    resamples: int = 100,
    misfit: float = 0.0,
) -> pd.DataFrame:
    """Sobol S1 and ST of the surrogate, with intervals that include its own uncertainty.

    The indices and their sampling error (SALib's bootstrap half-width h) come from the
    surrogate's mean on a Sobol' design of n base samples. The surrogate's own uncertainty is
    the spread of the indices over `draws` joint posterior draws on a smaller design (the same
    for every draw, at most MAX_DRAW_POINTS points). The half-width is
    z * sqrt(Var_draws(S) + (h / z)^2) (law of total variance) plus `misfit`, the share of the
    variance the surrogate does not explain on held-out runs (1 - Q2): the draws take the
    fitted length scales as known, so they cannot see an effect smaller than the misfit (a
    factor the fit judged flat gets no spread at all). Each part is reported.
    """

    with single_threaded():
        return _surrogate_sobol(factors, surrogate, n, draws, seed, conf_level, resamples, misfit)


def _surrogate_sobol(
    factors: list[Factor],
    surrogate: Any,
    n: int,
    draws: int,
    seed: int,
    conf_level: float,
    resamples: int,
    misfit: float,
) -> pd.DataFrame:
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + conf_level / 2))
    D = len(factors)
    X = core.sobol_sample(factors, n, seed)
    mean = surrogate.predict(scaled(factors, X)).mean
    centre = _salib_sobol(factors, mean, seed, resamples, conf_level)
    n_small = n
    while n_small > 8 and n_small * (D + 2) > MAX_DRAW_POINTS:
        n_small //= 2
    Xs = core.sobol_sample(factors, n_small, seed + 1)
    spread = [
        _salib_sobol(factors, y, seed + i, 10)
        for i, y in enumerate(surrogate.draws(scaled(factors, Xs), draws, seed))
    ]
    spread = [r for r in spread if r is not None]
    rows = []
    for j, f in enumerate(factors):
        row: dict[str, Any] = {"factor": f.name, "n": n, "n_draws_design": n_small}
        row["draws"] = len(spread)
        for k in ("S1", "ST"):
            if centre is None:
                row.update({k: math.nan, f"{k}_conf": math.nan})
                continue
            s = np.array([r[k][j] for r in spread])
            var_draws = float(np.var(s, ddof=1)) if len(s) > 1 else 0.0
            var_mc = float((centre[f"{k}_conf"][j] / z) ** 2)
            row[k] = float(centre[k][j])
            row[f"{k}_conf"] = z * math.sqrt(var_draws + var_mc) + misfit
            row[f"{k}_conf_surrogate"] = z * math.sqrt(var_draws)
            row[f"{k}_conf_sampling"] = z * math.sqrt(var_mc)
            row[f"{k}_conf_misfit"] = misfit
        rows.append(row)
    return pd.DataFrame(rows)


def _salib_sobol(
    factors: list[Factor], y: np.ndarray, seed: int, resamples: int, conf_level: float = 0.95
) -> dict[str, np.ndarray] | None:
    """SALib's first-order and total indices of y on a Sobol' design (None if y is flat)."""
    from SALib.analyze import sobol as sobol_analyze

    if np.std(y) == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a factor the surrogate holds flat
        res = sobol_analyze.analyze(
            problem(factors),
            np.asarray(y, dtype=float),
            calc_second_order=False,
            num_resamples=resamples,
            conf_level=conf_level,
            seed=seed,
            print_to_console=False,
        )
    return {k: np.asarray(res[k]) for k in ("S1", "S1_conf", "ST", "ST_conf")}


# --- the stage --------------------------------------------------------------------------------


def emulated_outputs(columns: list[str]) -> list[str]:
    """Outputs emulated by default: total chain cost and unmet need of every design and of
    every paired difference; a test function's only output."""
    picks = [c for c in columns if core.split_column(c)[2] in (core.TOTAL, core.UNMET)]
    return picks or list(columns)


def headline_outputs(columns: list[str]) -> list[str]:
    """Outputs the validation target applies to: total chain cost and unmet need of every
    design (not the paired differences); a test function's only output."""
    picks = [
        c
        for c in columns
        if core.split_column(c)[1] is None and core.split_column(c)[2] in (core.TOTAL, core.UNMET)
    ]
    return picks or list(columns)


@dataclass
class Round:
    """Where the sequential design stands after one fit."""

    wave: int
    points: int
    runs: int
    worst_q2: float
    met: bool


def _fit_all(
    kind: str,
    U: np.ndarray,
    means: pd.DataFrame,
    test_U: np.ndarray,
    test: pd.DataFrame,
    seed: int,
    previous: dict[str, Any],
    noise: pd.Series | None = None,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """A surrogate per output (for `auto`, the better of gp and gbt on the held-out points);
    `noise`: each output's noise variance of a replication mean, the GP's noise floor."""
    models: dict[str, Any] = {}
    rows = []
    for col in means.columns:
        y = means[col].to_numpy(dtype=float)
        if np.std(y) == 0 or np.isnan(y).any():
            continue
        kinds = ("gp", "gbt") if kind == "auto" else (kind,)
        floor = float(noise.get(col, 0.0)) if noise is not None else 0.0
        floor = floor if math.isfinite(floor) else 0.0
        best = None
        for k in kinds:
            model = fit_surrogate(k, U, y, seed, previous.get(col), floor)
            val = validate(model, test_U, test[col].to_numpy(dtype=float))
            if best is None or (val["q2"] > best[1]["q2"]):
                best = (model, val)
        assert best is not None
        models[col] = best[0]
        share = (
            best[0].noise_var * best[0].scale ** 2 / max(float(np.var(y)), 1e-300)
            if best[0].kind == "gp"
            else math.nan
        )
        rows.append(
            {
                "output": col,
                "surrogate": best[0].kind,
                **best[1],
                "emulator_noise_share": min(1.0, share) if not math.isnan(share) else share,
            }
        )
    return models, pd.DataFrame(rows)


@dataclass
class Fitted:
    """The surrogates after the last wave, with what they were fitted and checked on."""

    train: core.Evaluation
    holdout: core.Evaluation
    models: dict[str, Any]
    validation: pd.DataFrame
    outputs: list[str]  # the outputs emulated
    rounds: list[Round]


def _sequential_design(ctx: Any, s: Settings) -> Fitted:
    """Run the hypercube and the held-out points, fit, and add the least sure candidates
    wave by wave until the headline Q2 meets the target or the run budget is spent."""
    factors = ctx.factors
    names = [f.name for f in factors]
    D = len(factors)
    per_point = ctx.replications * len(ctx.evaluator.designs)
    seed = ctx.seed

    def run(U: np.ndarray, stage: str) -> core.Evaluation:
        X = to_values(factors, U)
        ev = ctx.evaluate(X, names, f"{stage}-{_hash(X)}", label=stage)
        check_complete(ev, stage)
        return ev

    test_U = hypercube(D, s.holdout, seed + 7919)
    test_ev = run(test_U, "emulator-holdout")
    train_U = hypercube(D, s.points, seed)
    evs = [run(train_U, "emulator-w0")]
    candidates = hypercube(D, max(50 * s.batch, 20 * D), seed + 104729)
    rounds: list[Round] = []
    models: dict[str, Any] = {}
    wave = 0
    while True:
        train = _joined(evs, names, ctx.replications)
        U_all = scaled(factors, train.X)
        means = train.means
        if s.outputs == "headline":
            means = means[emulated_outputs(list(means.columns))]
        with single_threaded():
            models, val = _fit_all(
                s.surrogate,
                U_all,
                means,
                scaled(factors, test_ev.X),
                test_ev.means,
                seed,
                models,
                core.noise_of_mean_between_points(train),
            )
        heads = [c for c in headline_outputs(list(means.columns)) if c in set(val["output"])]
        worst = float(val.set_index("output").loc[heads, "q2"].min()) if heads else math.nan
        runs = (len(U_all) + len(test_U)) * per_point
        met = bool(worst >= s.q2)
        rounds.append(Round(wave, len(U_all), runs, worst, met))
        ctx.say(
            f"  emulator wave {wave}: {len(U_all)} training points, {runs} runs, "
            f"worst headline Q2 {worst:.3f} (target {s.q2:g})"
        )
        if met or runs + s.batch * per_point > s.budget:
            break
        wave += 1
        with single_threaded():
            pick = least_sure({c: models[c] for c in heads}, candidates, U_all, s.batch)
        new_U = candidates[pick]
        candidates = np.delete(candidates, pick, axis=0)
        evs.append(run(new_U, f"emulator-w{wave}"))
    return Fitted(train, test_ev, models, val, list(means.columns), rounds)


def _write_runs_and_validation(ctx: Any, fit: Fitted) -> pd.DataFrame:
    """The training and held-out evaluations, the noise shares and the validation table
    (with each output's noise share beside it, which it returns)."""
    _write_evaluation(ctx, fit.train, "emulator_train")
    _write_evaluation(ctx, fit.holdout, "emulator_holdout")
    noise = core.noise_shares(fit.train).assign(stage="emulator")
    ctx.tables["noise_emulator"] = noise
    val = fit.validation
    if "noise_share_of_mean" in noise.columns:
        val = val.merge(noise[["output", "noise_share_of_mean"]], on="output", how="left")
    write_table(val, ctx.out, "emulator_validation")
    return val


def _sobol_on_surrogates(ctx: Any, s: Settings, fit: Fitted, val: pd.DataFrame) -> pd.DataFrame:
    """Sobol indices per output on its surrogate, widened by the surrogate's misfit."""
    indices = []
    for col, model in fit.models.items():
        q = float(val.set_index("output").loc[col, "q2"])
        misfit = min(1.0, max(0.0, 1.0 - q)) if math.isfinite(q) else 1.0
        idx = surrogate_sobol(ctx.factors, model, s.sobol_n, s.draws, ctx.seed, misfit=misfit)
        indices.append(idx.assign(output=col, surrogate=model.kind))
    sob = pd.concat(indices, ignore_index=True) if indices else pd.DataFrame()
    if len(sob):
        sob = sob[["output", *[c for c in sob.columns if c != "output"]]]
    write_table(sob, ctx.out, "emulator_sobol_indices")
    return sob


def _record(s: Settings, fit: Fitted, val: pd.DataFrame, started: float) -> dict[str, Any]:
    """The stage's entry of the report: settings, waves, validation, wall time."""
    last = fit.rounds[-1]
    return {
        **asdict(s),
        "waves": len(fit.rounds),
        "training_points": last.points,
        "holdout_points": len(fit.holdout.X),
        "runs": last.runs,
        "target_met": last.met,
        "worst_headline_q2": last.worst_q2,
        "headline_outputs": headline_outputs(fit.outputs),
        "trace": [asdict(r) for r in fit.rounds],
        "validation": {
            r.output: {
                "surrogate": r.surrogate,
                "q2": r.q2,
                "coverage_90": r.coverage_90,
                "coverage_95": r.coverage_95,
            }
            for r in val.itertuples()
        },
        "wall_time_s": time.perf_counter() - started,
    }


def _draw_figures(
    ctx: Any, s: Settings, fit: Fitted, val: pd.DataFrame, sob: pd.DataFrame, rep: dict
) -> None:
    """The held-out validation figure and, with indices, the Sobol-on-emulator figure."""
    from experiments.sensitivity.emulator_figures import figure_emulator_sobol, figure_validation

    shown = ctx.headline(list(val["output"]))
    U_test = scaled(ctx.factors, fit.holdout.X)
    pred = {c: fit.models[c].predict(U_test) for c in shown if c in fit.models}
    bands = {c: interval(fit.models[c], U_test, 0.95) for c in pred}
    ctx.figures["emulator_validation"] = figure_validation(
        fit.holdout.means,
        pred,
        bands,
        val,
        ctx.out / "figures",
        R=ctx.replications,
        target=s.q2,
        targeted=rep["headline_outputs"],
        lang=ctx.lang,
    )
    if len(sob):
        ctx.figures["emulator_sobol"] = figure_emulator_sobol(
            sob,
            shown,
            ctx.labels,
            ctx.out / "figures",
            n=s.sobol_n,
            draws=s.draws,
            points=fit.rounds[-1].points,
            R=ctx.replications,
            lang=ctx.lang,
        )


def run_emulator(ctx: Any, s: Settings) -> pd.DataFrame:
    """The emulator stage on a sensitivity `Context`: design, runs, surrogates, validation,
    sequential design, Sobol on the surrogate; writes tables, figures and ctx.report."""
    require_sklearn()
    started = time.perf_counter()
    fit = _sequential_design(ctx, s)
    val = _write_runs_and_validation(ctx, fit)
    sob = _sobol_on_surrogates(ctx, s, fit, val)
    rep = ctx.report["emulator"] = _record(s, fit, val, started)
    _draw_figures(ctx, s, fit, val, sob, rep)
    return sob


def _joined(evs: list[core.Evaluation], names: list[str], R: int) -> core.Evaluation:
    """The waves' evaluations as one, points numbered on."""
    offsets = np.cumsum([0] + [len(e.X) for e in evs[:-1]])
    return core.Evaluation(
        X=np.vstack([e.X for e in evs]),
        names=names,
        replications=R,
        table=pd.concat(
            [
                e.table.rename(index=lambda p, off=off: p + off, level="point")
                for e, off in zip(evs, offsets, strict=True)
            ]
        ),
        runs=pd.concat([e.runs for e in evs], ignore_index=True),
        n_failed=sum(e.n_failed for e in evs),
    )


def _write_evaluation(ctx: Any, ev: core.Evaluation, name: str) -> None:
    samples = pd.DataFrame(ev.X, columns=ev.names)
    samples.insert(0, "point", np.arange(len(ev.X)))
    write_table(samples, ctx.out, f"{name}_samples")
    long = ev.table.reset_index().melt(
        id_vars=["point", "replication"], var_name="output", value_name="value"
    )
    long.to_parquet(ctx.out / f"{name}_outputs.parquet", index=False)
