"""Adaptive replications for `compare`: add replications until the paired differences of the
headline outcomes are known precisely enough, then stop, and say so.

The rule: after each batch, for every non-baseline design and every headline outcome (total
chain cost, unmet need), the 95% confidence interval of the mean paired difference
(design - baseline, replication k against replication k: common random numbers) is

    mean(d) +- t(0.975, n - 1) * sd(d) / sqrt(n)

Stop when every half-width is at most the target: `relative` x |the baseline's mean| of that
outcome (default 1%), and/or `of_difference` x |the mean difference itself| (a large
difference need not be known to 1% of the baseline: +115% +- 2% of itself settles what a
council reads), and/or an `absolute` width in the outcome's unit (the widest one counts).
Never stop below `min_replications`, never run more than `max_replications`. The next batch
size comes from the half-widths so far (they shrink as 1/sqrt(n)), at most doubling n per
step so that a noisy early estimate cannot overshoot.

`run_adaptive(run_more, target)` drives it: `run_more(start, stop)` runs replications
start..stop-1 of every design (the seeds are `seed + k` as in compare, so the first R of an
adaptive run equal a fixed run with R replications) and returns their long outcomes table.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from experiments.report.style import BASELINE, TOTAL_COST

UNMET_NEED = "unmet_need_person_weeks_per_1000_inhabitants_per_year"
HEADLINE: tuple[str, ...] = (TOTAL_COST, UNMET_NEED)


@dataclass(frozen=True)
class PrecisionTarget:
    """When the paired differences are known well enough."""

    relative: float | None = 0.01  # half-width <= relative x |baseline mean|
    absolute: float | None = None  # half-width <= absolute (outcome's unit)
    of_difference: float | None = None  # half-width <= of_difference x |mean difference|
    confidence: float = 0.95
    min_replications: int = 5
    max_replications: int = 100
    outcomes: tuple[str, ...] = HEADLINE

    def __post_init__(self) -> None:
        if self.relative is None and self.absolute is None:
            raise ValueError("precision target: give relative and/or absolute")
        if any(
            x is not None and x <= 0 for x in (self.relative, self.absolute, self.of_difference)
        ):
            raise ValueError("precision target: relative, absolute and of_difference above 0")
        if not 2 <= self.min_replications <= self.max_replications:
            raise ValueError("precision target: need 2 <= min_replications <= max_replications")
        if not 0 < self.confidence < 1:
            raise ValueError("precision target: confidence between 0 and 1")

    def allowed(self, baseline_mean: float, mean_difference: float = 0.0) -> float:
        """The largest half-width allowed for an outcome with this baseline mean and this
        mean paired difference."""
        widths = []
        if self.relative is not None:
            widths.append(self.relative * abs(baseline_mean))
        if self.absolute is not None:
            widths.append(self.absolute)
        if self.of_difference is not None and math.isfinite(mean_difference):
            widths.append(self.of_difference * abs(mean_difference))
        return max(widths)

    def describe(self) -> str:
        parts = []
        if self.relative is not None:
            parts.append(f"+-{self.relative:.1%} of the baseline's mean")
        if self.absolute is not None:
            parts.append(f"+-{self.absolute:g} in the outcome's unit")
        if self.of_difference is not None:
            parts.append(f"+-{self.of_difference:.1%} of the difference itself")
        return " or ".join(parts)


def half_width(differences: np.ndarray, confidence: float = 0.95) -> float:
    """Half-width of the t confidence interval of the mean of paired differences."""
    from scipy.stats import t

    d = np.asarray(differences, dtype=float)
    d = d[~np.isnan(d)]
    if d.size < 2:
        return math.inf
    return float(t.ppf(0.5 + confidence / 2, d.size - 1) * d.std(ddof=1) / math.sqrt(d.size))


def precision_table(pairs: pd.DataFrame, target: PrecisionTarget) -> pd.DataFrame:
    """Per design and headline outcome: n, mean difference, half-width, allowed, met.

    `pairs`: the paired table of `stats.paired_values` (design, outcome, replication,
    baseline_value, difference)."""
    rows = []
    for (design, outcome), grp in pairs[pairs["outcome"].isin(target.outcomes)].groupby(
        ["design", "outcome"], sort=True
    ):
        d = grp["difference"].to_numpy(dtype=float)
        hw = half_width(d, target.confidence)
        mean = float(np.nanmean(d)) if np.isfinite(d).any() else math.nan
        allowed = target.allowed(float(grp["baseline_value"].mean()), mean)
        rows.append(
            {
                "design": design,
                "outcome": outcome,
                "n": int(np.isfinite(d).sum()),
                "mean_difference": mean,
                "half_width": hw,
                "allowed_half_width": allowed,
                "met": bool(hw <= allowed),
            }
        )
    columns = ["design", "outcome", "n", "mean_difference", "half_width", "allowed_half_width"]
    return pd.DataFrame(rows, columns=[*columns, "met"])


@dataclass
class Decision:
    """Whether to stop, and if not, how many replications in total to run next."""

    stop: bool
    replications: int
    next_replications: int
    reason: str  # "precision" | "maximum" | "continue"
    table: pd.DataFrame = field(default_factory=pd.DataFrame)

    def message(self, target: PrecisionTarget) -> str:
        """One sentence for the output: why compare stopped where it did."""
        level = f"{target.confidence:.0%}"
        if self.reason == "precision":
            return (
                f"adaptive replications: stopped at R={self.replications}: the {level} "
                "intervals of the paired differences of "
                f"{_names(target.outcomes)} are within {target.describe()}"
            )
        if self.reason == "maximum":
            worst = self.widest()
            return (
                f"adaptive replications: reached the maximum R={self.replications} WITHOUT the "
                f"target precision ({target.describe()}): the {level} interval of "
                f"{worst['design']} - baseline on {_names((worst['outcome'],))} is still "
                f"+-{worst['half_width']:.4g} (allowed +-{worst['allowed_half_width']:.4g})"
            )
        text = (
            f"adaptive replications: R={self.replications}, continuing to {self.next_replications}"
        )
        if not self.table.empty:  # which difference asks for more replications
            worst = self.widest()
            text += (
                f": the widest {level} interval is {worst['design']} - baseline on "
                f"{_names((worst['outcome'],))}, +-{worst['half_width']:.4g} "
                f"(allowed +-{worst['allowed_half_width']:.4g})"
            )
        return text

    def widest(self) -> pd.Series:
        """The design and outcome whose interval is furthest above its allowed width."""
        ratio = self.table["half_width"] / self.table["allowed_half_width"]
        return self.table.assign(ratio=ratio).sort_values("ratio", ascending=False).iloc[0]


def _names(outcomes: tuple[str, ...]) -> str:
    short = {TOTAL_COST: "total chain cost", UNMET_NEED: "unmet need"}
    return " and ".join(short.get(o, o) for o in outcomes)


def decide(pairs: pd.DataFrame, target: PrecisionTarget) -> Decision:
    """The stopping rule on the paired differences so far."""
    n = int(pairs["replication"].nunique()) if len(pairs) else 0
    if n < target.min_replications:
        return Decision(False, n, target.min_replications, "continue")
    table = precision_table(pairs, target)
    if table.empty:
        raise ValueError(
            f"adaptive replications: none of {', '.join(target.outcomes)} in the paired table"
        )
    if table["met"].all():
        return Decision(True, n, n, "precision", table)
    if n >= target.max_replications:
        return Decision(True, n, n, "maximum", table)
    ratio = float((table["half_width"] / table["allowed_half_width"]).max())
    needed = math.ceil(n * ratio**2) if math.isfinite(ratio) else 2 * n
    nxt = min(target.max_replications, 2 * n, max(n + 1, needed))
    return Decision(False, n, nxt, "continue", table)


def run_adaptive(
    run_more: Callable[[int, int], pd.DataFrame],
    target: PrecisionTarget,
    baseline: str = BASELINE,
    year: int = 0,
    log: Callable[[str], None] | None = None,
) -> tuple[pd.DataFrame, Decision]:
    """Run replications in growing batches until `decide` says stop.

    `run_more(start, stop)` returns the long outcomes table (compare's format: run_id, design,
    replication, year, outcome, value, unit) of replications start..stop-1. Returns every
    outcome row and the final decision (whose `message` the caller prints and stores)."""
    from experiments import stats

    frames: list[pd.DataFrame] = []
    done, nxt = 0, target.min_replications
    while True:
        frames.append(run_more(done, nxt))
        done = nxt
        outcomes = pd.concat(frames, ignore_index=True)
        decision = decide(stats.paired_values(outcomes, baseline, year), target)
        if log is not None:
            log(decision.message(target))
        if decision.stop:
            return outcomes, decision
        nxt = decision.next_replications
