"""Surrogates of the model's outputs for the emulator stage and for history matching.

A Gaussian process (scikit-learn: constant x Matern 5/2 with one length scale per input,
plus white noise kept at least at the measured noise of a replication mean) or an ensemble
of gradient-boosted trees (quantile loss for the intervals), fitted to the outputs' means
at points scaled to [0, 1]. Each predicts a mean with the spread of the mean function and
the noise of an observed mean (`Prediction`); `validate` gives Q2 and interval coverage on
held-out points, `least_sure` the candidates for the next wave of a sequential design."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

Z = {0.90: 1.6448536269514722, 0.95: 1.959963984540054}


MAX_DRAW_POINTS = 2048  # joint posterior draws: the Sobol design for the surrogate's spread


@dataclass
class Prediction:
    """Surrogate prediction: mean, sd of the mean function (surrogate uncertainty) and sd of
    the noise of an observed replication mean."""

    mean: np.ndarray
    sd: np.ndarray
    noise_sd: float

    def interval(self, level: float) -> tuple[np.ndarray, np.ndarray]:
        half = Z[level] * np.sqrt(self.sd**2 + self.noise_sd**2)
        return self.mean - half, self.mean + half


class GPSurrogate:
    """Gaussian process: constant x Matern 5/2 (one length scale per input) + white noise."""

    kind = "gp"

    def __init__(
        self, seed: int = 1, restarts: int = 1, start: Any = None, noise_var: float = 0.0
    ) -> None:
        self.seed = seed
        self.restarts = restarts
        self.start = start  # a fitted kernel to start the optimiser from (then no restarts)
        # the run-to-run noise variance of a replication mean, measured from the replications:
        # the white-noise term is kept at least this large (with few points in many
        # dimensions the likelihood otherwise lets the smooth term interpolate the noise, and
        # the intervals leave it out)
        self.noise_floor_var = max(float(noise_var), 0.0)

    def fit(self, U: np.ndarray, y: np.ndarray) -> GPSurrogate:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.gaussian_process import GaussianProcessRegressor
        from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

        d = U.shape[1]
        self.mu = float(np.mean(y))
        self.scale = float(np.std(y)) or 1.0
        floor = min(max(self.noise_floor_var / self.scale**2, 1e-8), 0.5)  # standardised
        amplitude, length_scale, noise = 1.0, np.full(d, 0.5), 1e-2
        restarts = self.restarts
        if self.start is not None:  # warm start: the previous fit's values, today's floor
            amplitude = float(self.start.k1.k1.constant_value)
            length_scale = np.atleast_1d(self.start.k1.k2.length_scale).astype(float)
            noise, restarts = float(self.start.k2.noise_level), 0
        kernel = ConstantKernel(amplitude, (1e-2, 1e2)) * Matern(
            length_scale=length_scale, length_scale_bounds=(2e-2, 1e2), nu=2.5
        ) + WhiteKernel(min(max(noise, floor), 1.0), (floor, 1.0))
        gp = GaussianProcessRegressor(kernel, n_restarts_optimizer=restarts, random_state=self.seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            gp.fit(U, (y - self.mu) / self.scale)
        self.gp = gp
        k = gp.kernel_
        self.signal, self.white = k.k1, k.k2
        self.amplitude = float(self.signal.k1.constant_value)
        self.length_scale = np.atleast_1d(self.signal.k2.length_scale).astype(float)
        self.noise_var = float(self.white.noise_level)
        return self

    def _solve(self, Ks: np.ndarray) -> np.ndarray:
        from scipy.linalg import solve_triangular

        return solve_triangular(self.gp.L_, Ks.T, lower=True)

    def predict(self, U: np.ndarray) -> Prediction:
        Ks = self.signal(U, self.gp.X_train_)
        mean = Ks @ self.gp.alpha_
        v = self._solve(Ks)
        var = np.maximum(self.amplitude - np.sum(v * v, axis=0), 0.0)
        return Prediction(
            self.mu + self.scale * mean,
            self.scale * np.sqrt(var),
            self.scale * math.sqrt(self.noise_var),
        )

    def draws(self, U: np.ndarray, m: int, seed: int) -> np.ndarray:
        """m joint draws of the mean function at U from the posterior (m x len(U)); exact
        (Cholesky of the posterior covariance), so U should hold at most a few thousand
        points."""
        if len(U) > MAX_DRAW_POINTS:
            raise ValueError(f"posterior draws at {len(U)} points: at most {MAX_DRAW_POINTS}")
        Ks = self.signal(U, self.gp.X_train_)
        v = self._solve(Ks)
        cov = self.signal(U) - v.T @ v
        mean = Ks @ self.gp.alpha_
        jitter = 1e-10 * self.amplitude
        for _ in range(6):
            try:
                L = np.linalg.cholesky(cov + jitter * np.eye(len(U)))
                break
            except np.linalg.LinAlgError:
                jitter *= 100
        else:  # pragma: no cover - numerically hopeless: fall back on marginal draws
            L = np.diag(np.sqrt(np.maximum(np.diag(cov), 0)))
        z = np.random.default_rng(seed).standard_normal((len(U), m))
        return self.mu + self.scale * (mean[:, None] + L @ z).T


class TreeSurrogate:
    """Gradient-boosted trees: an ensemble of bootstrap fits for the mean and its spread, and
    quantile-loss fits for the noise in the prediction intervals (for outputs that jump)."""

    kind = "gbt"

    def __init__(self, seed: int = 1, members: int = 16) -> None:
        self.seed = seed
        self.members = members

    def _model(self, seed: int, **kw: Any) -> Any:
        from sklearn.ensemble import HistGradientBoostingRegressor

        return HistGradientBoostingRegressor(
            max_iter=200,
            learning_rate=0.05,
            max_leaf_nodes=15,
            min_samples_leaf=3,
            random_state=seed,
            **kw,
        )

    def fit(self, U: np.ndarray, y: np.ndarray) -> TreeSurrogate:
        rng = np.random.default_rng(self.seed)
        n = len(y)
        self.ensemble = []
        oob_err = []
        for b in range(self.members):
            idx = rng.integers(0, n, n)
            model = self._model(self.seed + b).fit(U[idx], y[idx])
            self.ensemble.append(model)
            out = np.setdiff1d(np.arange(n), idx)
            if len(out):
                oob_err.append(y[out] - model.predict(U[out]))
        resid = np.concatenate(oob_err) if oob_err else np.zeros(1)
        self.noise_sd = float(np.std(resid))
        self.quantiles = {
            q: self._model(self.seed, loss="quantile", quantile=q).fit(U, y)
            for q in (0.025, 0.05, 0.95, 0.975)
        }
        return self

    def predict(self, U: np.ndarray) -> Prediction:
        with single_threaded():
            preds = np.array([m.predict(U) for m in self.ensemble])
        return Prediction(preds.mean(axis=0), preds.std(axis=0, ddof=1), 0.0)

    def interval(self, U: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
        """Around the ensemble mean: the quantile fits' half-width (noise) and the ensemble's
        spread (surrogate uncertainty), added in quadrature."""
        a = round((1 - level) / 2, 3)
        pred = self.predict(U)
        with single_threaded():
            noise = (self.quantiles[round(1 - a, 3)].predict(U) - self.quantiles[a].predict(U)) / 2
        half = np.sqrt(np.maximum(noise, 0.0) ** 2 + (Z[level] * pred.sd) ** 2)
        return pred.mean - half, pred.mean + half

    def draws(self, U: np.ndarray, m: int, seed: int) -> np.ndarray:
        with single_threaded():
            preds = np.array([mdl.predict(U) for mdl in self.ensemble])
        return preds[np.arange(m) % len(preds)]


def require_sklearn(needed_by: str = "the emulator") -> None:
    """ImportError with the install hint if scikit-learn is missing (found without importing
    it, so a command can check before its first run at no cost)."""
    import importlib.util

    if importlib.util.find_spec("sklearn") is None:
        raise ImportError(
            f"{needed_by} needs scikit-learn, part of the core install: `pip install -e .` again"
        )


def single_threaded() -> Any:
    """Context: BLAS and OpenMP on one thread. The fits are small; on a busy machine the
    thread pools of OpenBLAS and of scikit-learn's boosting stall (measured: a 10-iteration
    boosting fit 0.15 s on one thread, 6.8 s with the default pool under load)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def fit_surrogate(
    kind: str,
    U: np.ndarray,
    y: np.ndarray,
    seed: int = 1,
    previous: Any = None,
    noise_var: float = 0.0,
) -> Any:
    """A fitted surrogate of `kind` (gp or gbt); a GP starts from `previous` GP's kernel if
    given (the sequential design refits after each wave: a warm start saves restarts) and
    keeps its noise term at least `noise_var` (the noise variance of a replication mean)."""
    with single_threaded():
        if kind == "gbt":
            return TreeSurrogate(seed).fit(U, y)
        start = previous.gp.kernel_ if isinstance(previous, GPSurrogate) else None
        return GPSurrogate(seed, start=start, noise_var=noise_var).fit(U, y)


def interval(surrogate: Any, U: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Prediction interval of an observed replication mean at U."""
    if hasattr(surrogate, "interval"):
        return surrogate.interval(U, level)
    return surrogate.predict(U).interval(level)


def q2(y: np.ndarray, predicted: np.ndarray) -> float:
    """Predictivity coefficient on held-out points: 1 - sum of squared errors / sum of squares."""
    y = np.asarray(y, dtype=float)
    ss = float(np.sum((y - y.mean()) ** 2))
    return 1.0 - float(np.sum((y - predicted) ** 2)) / ss if ss > 0 else math.nan


def validate(surrogate: Any, U: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Q2, RMSE and the coverage of the 90% and 95% prediction intervals on held-out points."""
    pred = surrogate.predict(U)
    out = {"q2": q2(y, pred.mean), "rmse": float(np.sqrt(np.mean((y - pred.mean) ** 2)))}
    for level in (0.90, 0.95):
        lo, hi = interval(surrogate, U, level)
        out[f"coverage_{round(level * 100)}"] = float(np.mean((y >= lo) & (y <= hi)))
    return out


def least_sure(
    surrogates: dict[str, Any], candidates: np.ndarray, taken: np.ndarray, k: int
) -> np.ndarray:
    """Indices of k candidates where the surrogates are least sure: largest sd of the mean
    function relative to the output's spread, summed over outputs; a candidate too close to
    one already picked (or to a design point) loses half its score per pick nearby."""
    score = np.zeros(len(candidates))
    for s in surrogates.values():
        pred = s.predict(candidates)
        spread = float(np.std(pred.mean)) or 1.0
        score += pred.sd / spread
    d = candidates.shape[1]
    radius = 0.5 * len(np.atleast_2d(taken)) ** (-1.0 / d) if len(taken) else 0.0
    picked: list[int] = []
    score = score.copy()
    for _ in range(min(k, len(candidates))):
        i = int(np.argmax(score))
        picked.append(i)
        dist = np.linalg.norm(candidates - candidates[i], axis=1)
        score[dist < radius] *= 0.5
        score[i] = -np.inf
    return np.array(picked, dtype=int)
