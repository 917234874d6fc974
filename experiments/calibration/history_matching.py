"""History matching (`ketensim calibrate method=history_matching`): rule out, wave by wave, the
parameter sets whose outputs cannot match the Dutch targets, instead of fitting one point.

Each wave (after hmer and mogp-emulator, written anew here):

1. sample `points` parameter sets in the space not yet ruled out (wave 1: a Latin hypercube
   over the declared bounds, plus the starting point), spread out by a maximin choice among
   non-implausible candidates; run each `replications` times (common random numbers);
2. fit a Gaussian-process emulator per target to the replication means of a training share of
   the wave's points (plus earlier points still in the space); check it on the rest (Q2, and
   how many held-out runs it would wrongly rule out);
3. the implausibility of a parameter set x for target t is

       I_t(x) = |z_t - E[f_t(x)]| / sqrt(Var_obs,t + Var_discrepancy,t + Var_emulator,t(x))

   with z_t the target, Var_obs the observation uncertainty (`observation_uncertainty`, a
   share of the target: sd = share x z_t), Var_discrepancy the model discrepancy
   (`model_discrepancy`, same form; both may be given per target row, with a `default`) and
   Var_emulator the emulator's variance of the mean plus its noise term (run-to-run noise of
   an R-replication mean). x is ruled out when the
   `nth` largest I_t(x) over the targets exceeds `cutoff` (3, Pukelsheim's three-sigma rule);
   emulators with held-out Q2 below `min_q2` do not rule anything out in their wave.

The space not ruled out after every wave is estimated on a fixed reference sample of the
unit cube: its share of the original volume, each parameter's range in it, a pairs plot. The
calibrated default is the simulated parameter set, inside that space, whose simulated outputs
are least implausible (the largest I_t with the emulator variance left out).
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.calibration.spec import HM_KEYS, CalibrationSpec, apply, start_point
from experiments.calibration.targets import TARGET_BY_ROW, simulate_targets, target_values
from experiments.ensemble import RunSpec, run_ensemble
from experiments.report.numbers import share_text
from sim.config import ConfigError

KEYS = HM_KEYS  # command-line keys of this method


@dataclass(frozen=True)
class Settings:
    """History-matching settings (the `history_matching:` block of a calibration file)."""

    waves: int = 3
    points_per_wave: int = 0  # 0 = 10 x the number of parameters
    cutoff: float = 3.0
    nth: int = 1  # 1 = the largest implausibility over the targets must be <= cutoff
    observation_uncertainty: float | dict[str, float] = 0.10  # sd as a share of the target
    model_discrepancy: float | dict[str, float] = 0.05  # sd as a share of the target
    min_q2: float = 0.5
    train_share: float = 0.75
    reference: int = 20000  # reference sample for the share of the volume not ruled out

    def obs_share(self, row: str) -> float:
        """Observation sd of target `row` as a share of its value."""
        return _share_of(self.observation_uncertainty, row, 0.10)

    def discrepancy_share(self, row: str) -> float:
        """Model-discrepancy sd of target `row` as a share of its value."""
        return _share_of(self.model_discrepancy, row, 0.05)


def _share_of(u: float | dict[str, float], row: str, default: float) -> float:
    """A share given for every target, or per target row (with an optional `default`)."""
    if isinstance(u, dict):
        return float(u.get(row, u.get("default", default)))
    return float(u)


def _shares(raw: Any) -> float | dict[str, float]:
    return {str(k): float(v) for k, v in raw.items()} if isinstance(raw, dict) else float(raw)


def settings_from(block: dict[str, Any], cli: dict[str, str]) -> Settings:
    """Settings from the calibration file's `history_matching:` block and the command line."""
    raw = dict(block or {})
    unknown = set(raw) - set(KEYS) - {"train_share", "reference"}
    if unknown:
        raise ConfigError(f"history_matching: unknown key {sorted(unknown)[0]}")
    for key in KEYS:
        if key in cli:
            raw[key] = cli[key]
    try:
        unc = _shares(raw.get("observation_uncertainty", 0.10))
        disc = _shares(raw.get("model_discrepancy", 0.05))
        s = Settings(
            waves=int(raw.get("waves", 3)),
            points_per_wave=int(raw.get("points_per_wave", 0)),
            cutoff=float(raw.get("cutoff", 3.0)),
            nth=int(raw.get("nth", 1)),
            observation_uncertainty=unc,
            model_discrepancy=disc,
            min_q2=float(raw.get("min_q2", 0.5)),
            train_share=float(raw.get("train_share", 0.75)),
            reference=int(raw.get("reference", 20000)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"history_matching: {exc}") from None
    shares = list(unc.values()) if isinstance(unc, dict) else [unc]
    discrepancies = list(disc.values()) if isinstance(disc, dict) else [disc]
    if s.waves < 0 or s.points_per_wave < 0 or s.nth < 1 or s.cutoff <= 0:
        raise ConfigError(
            "history_matching: needs waves >= 0, points_per_wave >= 0, nth >= 1, cutoff > 0"
        )
    if min(shares) <= 0 or min(discrepancies, default=0.0) < 0:
        raise ConfigError(
            "history_matching: observation_uncertainty must be above 0 and model_discrepancy "
            "at least 0 (shares of the target value)"
        )
    for name, u in (("observation_uncertainty", unc), ("model_discrepancy", disc)):
        unknown_rows = (
            sorted(set(u) - set(TARGET_BY_ROW) - {"default"}) if isinstance(u, dict) else []
        )
        if unknown_rows:
            raise ConfigError(
                f"history_matching: {name}: {unknown_rows[0]} is not a target row "
                "(sim/data/targets_nl.csv) nor `default`"
            )
    if not 0.3 <= s.train_share < 1:
        raise ConfigError("history_matching: train_share from 0.3 to below 1")
    return s


# --- emulators and implausibility -------------------------------------------------------------


@dataclass
class WaveEmulators:
    """The emulators of one wave: one per target, each with its held-out check."""

    wave: int
    models: dict[str, Any]  # target row -> GPSurrogate (only those that may rule out)
    q2: dict[str, float]
    misclassified: dict[str, int]  # held-out points the emulator would wrongly rule out


def target_variances(
    s: Settings, rows: list[str], targets: dict[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    z = np.array([targets[r] for r in rows])
    var = np.array(
        [
            (s.obs_share(r) * z_r) ** 2 + (s.discrepancy_share(r) * z_r) ** 2
            for r, z_r in zip(rows, z, strict=True)
        ]
    )
    return z, var


def implausibility(
    wave: WaveEmulators, U: np.ndarray, s: Settings, targets: dict[str, float]
) -> np.ndarray:
    """(points x targets) implausibility under one wave's emulators (NaN: no emulator)."""
    rows = list(wave.models)
    out = np.full((len(U), len(rows)), np.nan)
    if not rows:
        return out
    z, var = target_variances(s, rows, targets)
    for j, r in enumerate(rows):
        pred = wave.models[r].predict(U)
        total = var[j] + pred.sd**2 + pred.noise_sd**2
        out[:, j] = np.abs(z[j] - pred.mean) / np.sqrt(total)
    return out


def simulated_implausibility(
    means: pd.DataFrame,
    noise: pd.DataFrame,
    rows: list[str],
    s: Settings,
    targets: dict[str, float],
) -> np.ndarray:
    """(points x targets) implausibility of simulated means, with the run noise of each mean
    (`noise`: its variance) in place of an emulator's variance."""
    z, var = target_variances(s, rows, targets)
    return np.abs(means[rows].to_numpy(float) - z) / np.sqrt(var + noise[rows].to_numpy(float))


def nth_max(values: np.ndarray, nth: int) -> np.ndarray:
    """The nth largest implausibility per point (NaN columns ignored; 0 if none left)."""
    filled = np.where(np.isnan(values), -np.inf, values)
    if filled.shape[1] == 0:
        return np.zeros(len(values))
    k = min(nth, filled.shape[1])
    value = -np.sort(-filled, axis=1)[:, k - 1]
    return np.where(np.isinf(value), 0.0, value)


def not_ruled_out(
    waves: list[WaveEmulators], U: np.ndarray, s: Settings, targets: dict[str, float]
) -> np.ndarray:
    """Boolean mask: points that no wave rules out."""
    from experiments.sensitivity.surrogates import single_threaded

    with single_threaded():
        return _not_ruled_out(waves, U, s, targets)


def _not_ruled_out(
    waves: list[WaveEmulators], U: np.ndarray, s: Settings, targets: dict[str, float]
) -> np.ndarray:
    keep = np.ones(len(U), dtype=bool)
    for w in waves:
        idx = np.flatnonzero(keep)
        if len(idx) == 0:
            break
        keep[idx] = nth_max(implausibility(w, U[idx], s, targets), s.nth) <= s.cutoff
    return keep


def fit_wave(
    wave: int,
    U: np.ndarray,
    means: pd.DataFrame,
    is_train: np.ndarray,
    s: Settings,
    targets: dict[str, float],
    seed: int,
) -> WaveEmulators:
    """A GP emulator per target on the training points, checked on the held-out ones."""
    from experiments.sensitivity.surrogates import fit_surrogate, q2

    models: dict[str, Any] = {}
    q2s: dict[str, float] = {}
    wrong: dict[str, int] = {}
    test = ~is_train
    for row in means.columns:
        y = means[row].to_numpy(dtype=float)
        if np.std(y[is_train]) == 0:
            q2s[row] = math.nan
            continue
        model = fit_surrogate("gp", U[is_train], y[is_train], seed)
        pred = model.predict(U[test])
        q = q2(y[test], pred.mean) if test.sum() >= 2 else math.nan
        q2s[row] = q
        z, var = target_variances(s, [row], targets)
        sim_ok = np.abs(z[0] - y[test]) / np.sqrt(var[0] + pred.noise_sd**2) <= s.cutoff
        em_ok = (
            np.abs(z[0] - pred.mean) / np.sqrt(var[0] + pred.sd**2 + pred.noise_sd**2) <= s.cutoff
        )
        wrong[row] = int((sim_ok & ~em_ok).sum())
        if math.isfinite(q) and q >= s.min_q2:
            models[row] = model
    return WaveEmulators(wave, models, q2s, wrong)


# --- design -----------------------------------------------------------------------------------


def _maximin(candidates: np.ndarray, k: int, taken: np.ndarray) -> np.ndarray:
    """k candidates chosen greedily, each the farthest from those chosen and `taken`."""
    if len(candidates) <= k:
        return np.arange(len(candidates))
    ref = taken if len(taken) else candidates[:1]
    dist = np.min(np.linalg.norm(candidates[:, None, :] - ref[None, :, :], axis=2), axis=1)
    picked = []
    for _ in range(k):
        i = int(np.argmax(dist))
        picked.append(i)
        dist = np.minimum(dist, np.linalg.norm(candidates - candidates[i], axis=1))
        dist[i] = -1
    return np.array(picked)


def sample_wave(
    waves: list[WaveEmulators],
    n: int,
    d: int,
    s: Settings,
    targets: dict[str, float],
    seed: int,
    taken: np.ndarray,
    known: np.ndarray | None = None,
) -> np.ndarray:
    """n points spread over the space not ruled out (unit cube), by rejection from Latin
    hypercubes, topped up with perturbations of the survivors if they are scarce. `known`
    are points already found not ruled out (the reference sample's survivors): a space too
    small for the hypercubes to hit is still sampled around them. The perturbation halves
    while too few of its points survive (a thin space)."""
    from experiments.sensitivity.emulator import hypercube

    rng = np.random.default_rng(seed)
    pool = np.empty((0, d)) if known is None else np.asarray(known, dtype=float).reshape(-1, d)
    for attempt in range(5):
        cand = hypercube(d, max(2000, 50 * n), seed + attempt)
        pool = np.vstack([pool, cand[not_ruled_out(waves, cand, s, targets)]])
        if len(pool) >= 5 * n:
            break
    spread = 0.05
    for _ in range(8):
        if not 0 < len(pool) < 5 * n:
            break
        jitter = np.clip(
            pool[rng.integers(0, len(pool), 20 * n)] + rng.normal(0, spread, (20 * n, d)), 0, 1
        )
        kept = jitter[not_ruled_out(waves, jitter, s, targets)]
        pool = np.vstack([pool, kept])
        if len(kept) < n:
            spread /= 2.0
    if len(pool) == 0:
        return pool
    return pool[_maximin(pool, n, taken)]


# --- runs -------------------------------------------------------------------------------------


def _key(x: np.ndarray) -> str:
    return hashlib.sha1(",".join(f"{v:.6g}" for v in x).encode()).hexdigest()[:12]


def run_points(
    spec: CalibrationSpec,
    base: dict[str, Any],
    X: np.ndarray,
    wave: int,
    out: Path,
    backend: str,
    workers: int | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every parameter set `replications` times; (means, variances of the mean) per target
    row, one row per point (resumable: run ids follow the parameter values)."""
    specs = [
        RunSpec(
            run_id=f"w{wave}-{_key(x)}-r{k:02d}",
            config=apply(spec, base, x),
            seed=spec.seed + k,
            labels={"point": _key(x), "replication": k},
        )
        for x in X
        for k in range(spec.replications)
    ]
    # a bar on a terminal, otherwise a line every 5% of the wave's runs (a wave takes minutes)
    result = run_ensemble(
        specs,
        simulate_targets,
        out / "ensemble",
        backend=backend,
        workers=workers,
        progress=True,
        label=f"history matching wave {wave} runs",
    )
    if result.failures:
        first = result.failures[0]
        raise RuntimeError(
            f"{len(result.failures)} history-matching run(s) failed, e.g. {first['run_id']}: "
            f"{first.get('error_type')}: {first.get('error_message')}"
        )
    table = result.summary
    rows = list(spec.targets)
    cols = {r: f"obs__{TARGET_BY_ROW[r].simulated}" for r in rows}
    means, variances = [], []
    for x in X:
        sub = table[table["point"] == _key(x)]
        means.append({r: float(sub[c].mean()) for r, c in cols.items()})
        variances.append(
            {
                r: float(sub[c].var(ddof=1)) / len(sub) if len(sub) > 1 else 0.0
                for r, c in cols.items()
            }
        )
    return pd.DataFrame(means), pd.DataFrame(variances)


# --- the procedure ----------------------------------------------------------------------------


@dataclass
class Result:
    """What history matching found."""

    settings: Settings
    waves: list[WaveEmulators]
    X: np.ndarray  # every simulated parameter set (natural units)
    wave_of: np.ndarray
    means: pd.DataFrame  # simulated means per target row
    variances: pd.DataFrame  # noise variance of those means
    reference: np.ndarray  # reference sample (unit cube)
    kept: np.ndarray  # reference points not ruled out after the last wave
    volume: list[float]  # share not ruled out after each wave
    best: int  # index into X of the calibrated default (-1: none)
    best_inside: bool
    best_implausibility: float
    runs: int
    wall_time_s: float
    inside: np.ndarray | None = None  # simulated sets not ruled out by any wave (None: unknown)

    def simulated_inside(self) -> int:
        """How many simulated parameter sets no wave rules out."""
        return int(np.count_nonzero(self.inside)) if self.inside is not None else 0

    def space_text(self) -> str:
        """How much of the declared space is not ruled out, said so that a space too small
        for the reference sample but holding simulated sets is not called empty."""
        share = self.volume[-1] if self.volume else 1.0
        n_ref, k_sim = len(self.reference), self.simulated_inside()
        kept = int(np.count_nonzero(self.kept))
        if kept:
            return f"{share_text(share)} of the space ({kept:,} of {n_ref:,} reference points)"
        if k_sim:
            return (
                f"less than 1 in {n_ref:,} of the space (no reference point, but {k_sim} of "
                f"{len(self.X)} simulated sets)"
            )
        return (
            f"none of the space (0 of {n_ref:,} reference points, 0 of {len(self.X)} "
            "simulated sets)"
        )


def _to_unit(spec: CalibrationSpec, X: np.ndarray) -> np.ndarray:
    return np.array([[p.to_unit(v) for p, v in zip(spec.parameters, x, strict=True)] for x in X])


def to_natural(spec: CalibrationSpec, U: np.ndarray) -> np.ndarray:
    return np.array(
        [[p.from_unit(u) for p, u in zip(spec.parameters, row, strict=True)] for row in U]
    )


def history_match(
    spec: CalibrationSpec,
    base: dict[str, Any],
    s: Settings,
    out: Path,
    backend: str = "local",
    workers: int | None = None,
    targets: dict[str, float] | None = None,
    log: Any = None,
) -> Result:
    """Waves of emulation and implausibility; `targets` (row -> value in the simulated unit)
    defaults to the Dutch figures (tests pass the model's own outputs)."""
    from experiments.sensitivity.emulator import hypercube
    from experiments.sensitivity.surrogates import require_sklearn

    require_sklearn()
    say = log or (lambda msg: None)
    started = time.perf_counter()
    targets = target_values() if targets is None else dict(targets)
    rows = spec.fitted_rows
    d = len(spec.parameters)
    n = s.points_per_wave or 10 * d
    reference = hypercube(d, s.reference, spec.seed + 31337)
    waves: list[WaveEmulators] = []
    X_all = np.empty((0, d))
    wave_of = np.empty(0, dtype=int)
    means = pd.DataFrame(columns=list(spec.targets))
    variances = pd.DataFrame(columns=list(spec.targets))
    volume: list[float] = []
    survivors = np.empty((0, d))  # reference points no wave has ruled out (seed the next)
    for k in range(1, s.waves + 1):
        if k == 1:
            U = np.vstack([_to_unit(spec, [start_point(spec, base)]), hypercube(d, n, spec.seed)])
        else:
            U = sample_wave(
                waves, n, d, s, targets, spec.seed + 1000 * k, _to_unit(spec, X_all), survivors
            )
            if len(U) == 0:
                say(f"  wave {k}: the whole space is ruled out; stopping")
                break
        X = to_natural(spec, U)
        m, v = run_points(spec, base, X, k, out, backend, workers)
        X_all = np.vstack([X_all, X])
        wave_of = np.concatenate([wave_of, np.full(len(X), k)])
        means = pd.concat([means, m], ignore_index=True)
        variances = pd.concat([variances, v], ignore_index=True)
        # train on this wave's points and earlier ones still inside; hold out a share of this
        # wave's points for the check
        U_all = _to_unit(spec, X_all)
        inside = not_ruled_out(waves, U_all, s, targets)
        rng = np.random.default_rng(spec.seed + k)
        is_new = wave_of == k
        held = np.zeros(len(U_all), dtype=bool)
        new_idx = np.flatnonzero(is_new)
        n_test = max(2, round((1 - s.train_share) * len(new_idx)))
        size = max(0, min(n_test, len(new_idx) - 3))
        held[rng.choice(new_idx, size=size, replace=False)] = True
        use = inside | is_new
        emus = fit_wave(
            k,
            U_all[use],
            means.loc[use, rows].astype(float),
            ~held[use],
            s,
            targets,
            spec.seed,
        )
        waves.append(emus)
        inside_reference = not_ruled_out(waves, reference, s, targets)
        survivors = reference[inside_reference]
        volume.append(float(inside_reference.mean()))
        say(
            f"  wave {k}: {len(X)} points x {spec.replications} runs; emulators used for "
            f"{len(emus.models)}/{len(rows)} targets; not ruled out: "
            f"{share_text(volume[-1])} of the space ({time.perf_counter() - started:.0f} s)"
        )
    kept = not_ruled_out(waves, reference, s, targets)
    # calibrated default: the least implausible simulated point inside the space
    sim_nth = nth_max(simulated_implausibility(means, variances, rows, s, targets), s.nth)
    inside = not_ruled_out(waves, _to_unit(spec, X_all), s, targets)
    pool = np.flatnonzero(inside) if inside.any() else np.arange(len(X_all))
    best = int(pool[np.argmin(sim_nth[pool])]) if len(pool) else -1
    return Result(
        settings=s,
        waves=waves,
        X=X_all,
        wave_of=wave_of,
        means=means,
        variances=variances,
        reference=reference,
        kept=kept,
        volume=volume,
        best=best,
        best_inside=bool(inside.any()),
        best_implausibility=float(sim_nth[best]) if best >= 0 else math.nan,
        runs=len(X_all) * spec.replications,
        wall_time_s=time.perf_counter() - started,
        inside=inside,
    )


def nth_largest_text(n: int) -> str:
    """'largest', '2nd largest', '3rd largest', '4th largest', ..."""
    if n == 1:
        return "largest"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10 if n % 100 not in (11, 12, 13) else 0, "th")
    return f"{n}{suffix} largest"


__all__ = [
    "KEYS",
    "Result",
    "Settings",
    "history_match",
    "implausibility",
    "not_ruled_out",
    "settings_from",
]
