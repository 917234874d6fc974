"""What every stage of `ketensim sensitivity` shares: the `Context` (the evaluator, factors,
replications, output folder, backend, and the report, figures and tables the stages fill)
and the writing of a stage's samples and outputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.sensitivity import core
from experiments.sensitivity.factors import Factor


@dataclass
class Context:
    """Everything a stage needs."""

    evaluator: Any
    factors: list[Factor]
    replications: int
    out: Path
    seed: int = 1
    backend: str = "local"
    workers: int | None = None
    address: str | None = None
    lang: str = "en"
    progress: bool = False
    chunk_seconds: float = 5.0
    log: Any = None
    report: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def labels(self) -> dict[str, str]:
        return {f.name: f.display(self.lang) for f in self.factors}

    def say(self, msg: str) -> None:
        if self.log is not None:
            print(msg, file=self.log)

    def evaluate(
        self, X: np.ndarray, names: list[str], stage: str, label: str | None = None
    ) -> core.Evaluation:
        ident = self.evaluator.identity()
        folder = self.out / "ensemble" / f"{stage}-{ident}-{core.factors_hash([], names)}"
        return core.evaluate(
            self.evaluator,
            X,
            names,
            self.replications,
            folder,
            stage,
            backend=self.backend,
            workers=self.workers,
            address=self.address,
            progress=self.progress,
            chunk_seconds=self.chunk_seconds,
            label=label,
        )

    def headline(self, columns: list[str]) -> list[str]:
        """Up to four outputs for figures: cost differences first, then the baseline."""
        ev = self.evaluator
        if not hasattr(ev, "baseline"):
            return columns[:4]
        base = ev.baseline
        picks = [core.contrast_name(d, base, core.TOTAL) for d in ev.designs if d != base] + [
            f"{base}__{core.TOTAL}",
            f"{base}__{core.UNMET}",
        ]
        return [c for c in picks if c in columns][:4] or columns[:4]


def write_table(df: pd.DataFrame, out: Path, name: str) -> None:
    df.to_parquet(out / f"{name}.parquet", index=False)
    df.to_csv(out / f"{name}.csv", index=False)


def samples_frame(X: np.ndarray, names: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(X, columns=names)
    frame.insert(0, "point", np.arange(len(X)))
    return frame


def save_evaluation(ctx: Context, ev: core.Evaluation, stage: str) -> None:
    write_table(samples_frame(ev.X, ev.names), ctx.out, f"{stage}_samples")
    long = ev.table.reset_index().melt(
        id_vars=["point", "replication"], var_name="output", value_name="value"
    )
    long.to_parquet(ctx.out / f"{stage}_outputs.parquet", index=False)
    if not ev.runs.empty:
        ev.runs.to_parquet(ctx.out / f"{stage}_runs.parquet", index=False)


def check_complete(ev: core.Evaluation, stage: str, rows: int | None = None) -> None:
    if not ev.complete(rows):
        missing = int(ev.means.iloc[: rows or len(ev.X)].isna().any(axis=1).sum())
        raise RuntimeError(
            f"{stage}: {missing} sample points have no finished run ({ev.n_failed} runs "
            "failed); re-run the same command to retry them"
        )
