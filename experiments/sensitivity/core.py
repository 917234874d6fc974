"""The sensitivity pipeline, model-agnostic: sample -> evaluate (ensemble runner, replications
with common random numbers) -> average -> analyse (SALib).

An *evaluator* says what a sample point means: `ModelEvaluator` turns it into one model config
per design (the point's factors applied), `FunctionEvaluator` into a call of a test function.
Everything else (run ids, seeds, the ensemble runner and its backends, resuming, averaging,
the noise share, Morris, Sobol, convergence) is shared, so a test function checks the very code
the model uses.

Seeds: replication k of every sample point and every design uses seed `base_seed + k`
(common random numbers across the whole design matrix), so differences between points and
between designs are not blurred by different draws of citizens and life events.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.ensemble import RunSpec, run_ensemble
from experiments.sensitivity.factors import Factor, apply_point_to_config, factors_hash, problem
from experiments.sensitivity.testfunctions import function_run
from sim.designs import BURN_IN_DESIGN

TOTAL = "total_chain_cost_eur_per_inhabitant_per_year"
UNMET = "unmet_need_person_weeks_per_1000_inhabitants_per_year"
ESCALATIONS = "escalations_total_per_1000_inhabitants_per_year"
BURNOUT = "carer_burnouts_per_1000_inhabitants_per_year"
ANALYSED: tuple[str, ...] = (TOTAL, UNMET, ESCALATIONS, BURNOUT)
MUNICIPAL = "municipal_spending_eur_per_inhabitant_per_year"
# Per run also the present value over the run's years (discounted at the MKBA rate of
# experiments.report.present_value, year 1 undiscounted) of the chain cost and the
# municipality's spending, euros per inhabitant: the discovery records them per future so
# the brief's "lowest cost in x% of futures" is in present value (issue 27).
TOTAL_PV = "total_chain_cost_present_value_eur_per_inhabitant"
MUNICIPAL_PV = "municipal_spending_present_value_eur_per_inhabitant"
PRESENT_VALUES = {TOTAL_PV: TOTAL, MUNICIPAL_PV: MUNICIPAL}
RECORDED: tuple[str, ...] = (*ANALYSED, TOTAL_PV, MUNICIPAL_PV)  # what discovery stores
SEP = "__"  # <design>__<outcome>, <design>_minus_<baseline>__<outcome>


def contrast_name(design: str, baseline: str, outcome: str) -> str:
    """Column name of the paired difference design - baseline of an outcome."""
    return f"{design}_minus_{baseline}{SEP}{outcome}"


def split_column(column: str) -> tuple[str | None, str | None, str]:
    """(design, baseline or None, outcome) of an analysed column name."""
    if SEP not in column:
        return None, None, column
    head, outcome = column.split(SEP, 1)
    if "_minus_" in head:
        design, baseline = head.split("_minus_", 1)
        return design, baseline, outcome
    return head, None, outcome


# --- evaluators ---------------------------------------------------------------------------


def _point_values(names: Sequence[str], row: np.ndarray) -> dict[str, float]:
    """The factor values of one point; NaN means 'not applied' (the nominal model)."""
    return {n: float(v) for n, v in zip(names, row, strict=True) if not math.isnan(v)}


@functools.lru_cache(maxsize=8)
def _schema(key: str, config_json: str) -> Any:
    from sim.config import from_dict

    return from_dict(json.loads(config_json))


_BASE_JSON: dict[str, str] = {}
_BURN_IN = None  # this worker's shared burn-ins (sim.burn_in), made at the first model run


def simulate_point(config: dict[str, Any], seed: int) -> dict[str, Any]:
    """Ensemble run function of a sample point: apply the factors, run the model once."""
    if "function" in config:
        return function_run(config, seed)
    from sim.burn_in import BurnInStore
    from sim.run import run

    global _BURN_IN
    if _BURN_IN is None:  # designs of a point, and points whose factors leave the burn-in
        _BURN_IN = BurnInStore(keep=4)  # alone, fork one burn-in (same numbers)

    base = config["base"]
    key = config["base_hash"]
    if key not in _BASE_JSON:
        _BASE_JSON[key] = json.dumps(base, sort_keys=True)
    schema = _schema(key, _BASE_JSON[key])
    factors = [Factor(**{**f, "keys": tuple(f["keys"])}) for f in config["factors"]]
    cfg = apply_point_to_config(base, schema, config["design"], factors, config["values"])
    results = run(cfg, seed=seed, burn_in=_BURN_IN)
    return {"summary": {**results.summary, **run_present_values(results.yearly)}}


def run_present_values(yearly: pd.DataFrame) -> dict[str, float]:
    """One run's present values (`PRESENT_VALUES`) from its yearly outcomes."""
    from experiments.report.present_value import present_value_of

    return {pv: present_value_of(yearly, outcome) for pv, outcome in PRESENT_VALUES.items()}


@dataclass
class ModelEvaluator:
    """Sample points -> model runs: every design x replication at every point."""

    base_configs: dict[str, dict[str, Any]]  # design -> resolved config dict
    factors: list[Factor]
    baseline: str = BURN_IN_DESIGN
    outcomes: tuple[str, ...] = ANALYSED

    def __post_init__(self) -> None:
        self.designs = list(self.base_configs)
        self.base_seed = int(self.base_configs[self.designs[0]]["seed"])
        self._factor_dicts = [{**dataclasses.asdict(f), "keys": list(f.keys)} for f in self.factors]
        self._hashes = {
            d: hashlib.sha256(json.dumps(c, sort_keys=True, default=str).encode()).hexdigest()[:12]
            for d, c in self.base_configs.items()
        }

    def identity(self) -> str:
        """A hash of everything that makes a run id mean one thing (not N, not R); the
        outcomes when they are not the analysed ones (a discovery folder made before the
        present values were recorded is not reused for them)."""
        extra = [] if self.outcomes == ANALYSED else [list(self.outcomes)]
        return factors_hash(self.factors, [self._hashes, self.designs, *extra])

    def specs(
        self, X: np.ndarray, names: Sequence[str], replications: int, stage: str
    ) -> list[RunSpec]:
        specs = []
        for i, row in enumerate(X):
            values = _point_values(names, row)
            for k in range(replications):
                for d in self.designs:
                    specs.append(
                        RunSpec(
                            run_id=f"{stage}-p{i:06d}-r{k:03d}-{d}",
                            config={
                                "base": self.base_configs[d],
                                "base_hash": self._hashes[d],
                                "design": d,
                                "factors": self._factor_dicts,
                                "values": values,
                            },
                            seed=self.base_seed + k,
                            labels={"point": i, "replication": k, "design": d},
                        )
                    )
        return specs

    def columns(self) -> list[str]:
        cols = [f"{d}{SEP}{o}" for d in self.designs for o in self.outcomes]
        if len(self.designs) > 1:
            cols += [
                contrast_name(d, self.baseline, o)
                for d in self.designs
                if d != self.baseline
                for o in self.outcomes
            ]
        return cols

    def table(self, summary: pd.DataFrame) -> pd.DataFrame:
        """One row per (point, replication) with every analysed column (paired by seed)."""
        frame = summary.copy()
        esc = [c for c in frame.columns if c.startswith("escalations__")]
        if ESCALATIONS not in frame.columns and esc:
            frame[ESCALATIONS] = frame[esc].sum(axis=1)
        wide = frame.pivot_table(
            index=["point", "replication"], columns="design", values=list(self.outcomes)
        )
        out = pd.DataFrame(index=wide.index)
        for d in self.designs:
            for o in self.outcomes:
                out[f"{d}{SEP}{o}"] = wide[(o, d)] if (o, d) in wide.columns else np.nan
        if len(self.designs) > 1:
            for d in self.designs:
                if d == self.baseline:
                    continue
                for o in self.outcomes:
                    out[contrast_name(d, self.baseline, o)] = (
                        out[f"{d}{SEP}{o}"] - out[f"{self.baseline}{SEP}{o}"]
                    )
        return out


@dataclass
class FunctionEvaluator:
    """Sample points -> calls of a test function (same path as the model)."""

    function: str
    noise_sd: float = 0.0
    base_seed: int = 1

    def __post_init__(self) -> None:
        self.designs = ["f"]

    def identity(self) -> str:
        return f"{self.function}-{self.noise_sd:g}-{self.base_seed}"

    def specs(
        self, X: np.ndarray, names: Sequence[str], replications: int, stage: str
    ) -> list[RunSpec]:
        return [
            RunSpec(
                run_id=f"{stage}-p{i:06d}-r{k:03d}",
                config={
                    "function": self.function,
                    "x": [float(v) for v in row],
                    "noise_sd": self.noise_sd,
                    "point": i,
                },
                seed=self.base_seed + k,
                labels={"point": i, "replication": k},
            )
            for i, row in enumerate(X)
            for k in range(replications)
        ]

    def columns(self) -> list[str]:
        return ["y"]

    def table(self, summary: pd.DataFrame) -> pd.DataFrame:
        return summary.set_index(["point", "replication"])[["y"]].sort_index()


# --- evaluation -----------------------------------------------------------------------------


@dataclass
class Evaluation:
    """The runs at the points of a design matrix X: per replication and averaged."""

    X: np.ndarray
    names: list[str]
    replications: int
    table: pd.DataFrame  # index (point, replication), one column per analysed output
    runs: pd.DataFrame  # the ensemble summary (one row per run)
    n_failed: int

    @property
    def means(self) -> pd.DataFrame:
        """Replication-averaged outputs, one row per point (0..len(X)-1)."""
        m = self.table.groupby(level="point").mean()
        return m.reindex(range(len(self.X)))

    def complete(self, n_points: int | None = None) -> bool:
        m = self.means.iloc[: n_points or len(self.X)]
        return not m.isna().any().any()


def evaluate(
    evaluator: Any,
    X: np.ndarray,
    names: Sequence[str],
    replications: int,
    out_dir: Path,
    stage: str,
    *,
    backend: str = "local",
    workers: int | None = None,
    address: str | None = None,
    progress: bool = False,
    chunk_seconds: float = 5.0,
    label: str | None = None,
) -> Evaluation:
    """Run every point x replication (x design) through the ensemble runner (resumable);
    progress lines are headed `label` (default: the stage)."""
    specs = evaluator.specs(X, names, replications, stage)
    result = run_ensemble(
        specs,
        simulate_point,
        Path(out_dir),
        backend=backend,
        workers=workers,
        address=address,
        progress=progress,
        chunk_seconds=chunk_seconds,
        label=f"{label or stage} runs",
    )
    summary = result.summary
    if summary.empty:
        table = pd.DataFrame(
            columns=evaluator.columns(),
            index=pd.MultiIndex.from_arrays([[], []], names=["point", "replication"]),
        )
    else:
        table = evaluator.table(summary)[evaluator.columns()]
    return Evaluation(
        X=np.asarray(X, dtype=float),
        names=list(names),
        replications=replications,
        table=table,
        runs=summary,
        n_failed=len(result.failures),
    )


def noise_shares(ev: Evaluation) -> pd.DataFrame:
    """Share of output variance that is stochastic noise, per analysed output.

    `noise_share_single_run`: E_x[Var(Y | x)] / Var(Y) over all single runs;
    `noise_share_of_mean`: the same for the R-replication mean that the indices are computed
    from (noise variance divided by R). Var(Y | x) is taken across replications (seeds) at a
    point; with common random numbers part of it is a shift shared by all points, which the
    indices do not see, so these shares are upper bounds.
    """
    rows = []
    R = ev.replications
    for col in ev.table.columns:
        values = ev.table[col].dropna()
        if values.empty or R < 2:
            rows.append({"output": col, "replications": R})
            continue
        within = float(values.groupby(level="point").var(ddof=1).mean())
        total = float(values.var(ddof=1))
        var_mean = float(values.groupby(level="point").mean().var(ddof=1))
        rows.append(
            {
                "output": col,
                "replications": R,
                "noise_sd": math.sqrt(within),
                "noise_share_single_run": within / total if total > 0 else math.nan,
                "noise_share_of_mean": min(1.0, (within / R) / var_mean)
                if var_mean > 0
                else math.nan,
            }
        )
    return pd.DataFrame(rows)


def noise_of_mean_between_points(ev: Evaluation) -> pd.Series:
    """Per output, the noise variance of an R-replication mean that differs between points:
    the residual variance of a two-way (point + replication) table divided by R. Replication
    k uses the same seed at every point, so the part of the noise a seed shifts at every point
    alike is left out (it moves no comparison between points); NaN with one replication or
    with missing runs."""
    R = ev.replications
    out = {}
    for col in ev.table.columns:
        wide = ev.table[col].unstack("replication")
        n = len(wide)
        if R < 2 or n < 2 or wide.isna().any().any():
            out[col] = math.nan
            continue
        y = wide.to_numpy(dtype=float)
        resid = y - y.mean(axis=1, keepdims=True) - y.mean(axis=0, keepdims=True) + y.mean()
        out[col] = float(np.sum(resid**2)) / ((n - 1) * (R - 1)) / R
    return pd.Series(out, dtype=float)


# --- analyses ---------------------------------------------------------------------------------


def morris_sample(factors: list[Factor], trajectories: int, levels: int, seed: int) -> np.ndarray:
    from SALib.sample import morris

    return morris.sample(problem(factors), trajectories, num_levels=levels, seed=seed)


def morris_indices(
    factors: list[Factor], ev: Evaluation, levels: int, seed: int, conf_level: float = 0.95
) -> pd.DataFrame:
    """Morris mu, mu*, sigma (and mu* confidence) per output and factor."""
    from SALib.analyze import morris

    prob = problem(factors)
    means = ev.means
    rows = []
    for col in means.columns:
        y = means[col].to_numpy(dtype=float)
        if np.isnan(y).any():
            continue
        res = morris.analyze(
            prob,
            ev.X,
            y,
            num_levels=levels,
            conf_level=conf_level,
            seed=seed,
            print_to_console=False,
        )
        top = max(float(np.nanmax(res["mu_star"])), 1e-300)
        for i, name in enumerate(prob["names"]):
            rows.append(
                {
                    "output": col,
                    "factor": name,
                    "mu": float(res["mu"][i]),
                    "mu_star": float(res["mu_star"][i]),
                    "mu_star_conf": float(res["mu_star_conf"][i]),
                    "sigma": float(res["sigma"][i]),
                    "mu_star_rel": float(res["mu_star"][i]) / top,
                }
            )
    return pd.DataFrame(rows)


def screen(
    morris: pd.DataFrame, threshold: float, outputs: Sequence[str] | None = None
) -> list[str]:
    """Factors whose mu* reaches `threshold` x the largest mu* for any of `outputs`."""
    rows = morris if outputs is None else morris[morris["output"].isin(outputs)]
    keep = rows[rows["mu_star_rel"] >= threshold]["factor"]
    order = list(dict.fromkeys(morris["factor"]))
    return [f for f in order if f in set(keep)]


def sobol_sample(factors: list[Factor], n: int, seed: int) -> np.ndarray:
    """Saltelli/Sobol' design (first and total order): n x (D + 2) points.

    The design for 2n starts with the design for n (same seed), so doubling n reuses runs.
    """
    from SALib.sample import sobol

    return sobol.sample(problem(factors), n, calc_second_order=False, seed=seed)


def sobol_indices(
    factors: list[Factor],
    means: pd.DataFrame,
    n: int,
    seed: int,
    conf_level: float = 0.95,
    resamples: int = 1000,
) -> pd.DataFrame:
    """Sobol' S1 and ST with bootstrap confidence intervals, from the first n base rows."""
    from SALib.analyze import sobol

    prob = problem(factors)
    rows_needed = n * (len(factors) + 2)
    rows = []
    for col in means.columns:
        y = means[col].to_numpy(dtype=float)[:rows_needed]
        if len(y) < rows_needed or np.isnan(y).any() or np.nanstd(y) == 0:
            continue
        res = sobol.analyze(
            prob,
            y,
            calc_second_order=False,
            num_resamples=resamples,
            conf_level=conf_level,
            seed=seed,
            print_to_console=False,
        )
        for i, name in enumerate(prob["names"]):
            rows.append(
                {
                    "output": col,
                    "factor": name,
                    "n": n,
                    "S1": float(res["S1"][i]),
                    "S1_conf": float(res["S1_conf"][i]),
                    "ST": float(res["ST"][i]),
                    "ST_conf": float(res["ST_conf"][i]),
                }
            )
    return pd.DataFrame(rows)


def convergence(small: pd.DataFrame, large: pd.DataFrame, tolerance: float = 0.05) -> pd.DataFrame:
    """Change of S1 and ST from n to 2n per output; converged if every change <= tolerance
    or within the 2n confidence interval."""
    if small.empty or large.empty:
        return pd.DataFrame()
    m = small.merge(large, on=["output", "factor"], suffixes=("_n", "_2n"))
    m["dS1"] = (m["S1_2n"] - m["S1_n"]).abs()
    m["dST"] = (m["ST_2n"] - m["ST_n"]).abs()
    ok = (m["dS1"] <= np.maximum(tolerance, m["S1_conf_2n"])) & (
        m["dST"] <= np.maximum(tolerance, m["ST_conf_2n"])
    )
    m["ok"] = ok
    return (
        m.groupby("output")
        .agg(
            n=("n_n", "first"),
            n_doubled=("n_2n", "first"),
            max_change_S1=("dS1", "max"),
            max_change_ST=("dST", "max"),
            max_ST_conf=("ST_conf_2n", "max"),
            converged=("ok", "all"),
        )
        .reset_index()
    )


def oat_matrix(factors: list[Factor]) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """One-at-a-time design: the nominal point, then each factor at its low and its high end.

    NaN = factor not applied (the scenario's own value)."""
    D = len(factors)
    X = np.full((1 + 2 * D, D), np.nan)
    labels = [("nominal", "")]
    for j, f in enumerate(factors):
        X[1 + 2 * j, j] = f.low
        X[2 + 2 * j, j] = f.high
        labels += [(f.name, "low"), (f.name, "high")]
    return X, labels


def oat_swings(factors: list[Factor], ev: Evaluation) -> pd.DataFrame:
    """Swing of each output when one factor goes to its low / high end, paired by seed with
    the nominal runs (mean and 95% half-width over replications)."""
    table = ev.table
    rows = []
    nominal = table.xs(0, level="point")
    for j, f in enumerate(factors):
        for end, point in (("low", 1 + 2 * j), ("high", 2 + 2 * j)):
            if point not in table.index.get_level_values("point"):
                continue
            diff = table.xs(point, level="point") - nominal
            for col in table.columns:
                d = diff[col].dropna()
                rows.append(
                    {
                        "output": col,
                        "factor": f.name,
                        "end": end,
                        "value": f.low if end == "low" else f.high,
                        "nominal_mean": float(nominal[col].mean()),
                        "swing": float(d.mean()) if len(d) else math.nan,
                        "swing_half_width_95": float(1.96 * d.std(ddof=1) / math.sqrt(len(d)))
                        if len(d) > 1
                        else math.nan,
                    }
                )
    return pd.DataFrame(rows)


def latin_sample(factors: list[Factor], n: int, seed: int) -> np.ndarray:
    from SALib.sample import latin

    return latin.sample(problem(factors), n, seed=seed)
