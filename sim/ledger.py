"""One ledger: every euro booked once, with its week, financier, category and item. Spending
is positive; money recovered from providers (category `recovery`) is negative, so totals
stay plain sums of the ledger."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.params import CATEGORIES, FINANCIERS

FIN = {f: i for i, f in enumerate(FINANCIERS)}
RECOVERY = "recovery"  # the one category of negative flows


class Ledger:
    """Append-only money ledger. Totals are sums of its entries, never separate counters."""

    def __init__(self) -> None:
        self._week: list[int] = []
        self._financier: list[str] = []
        self._category: list[str] = []
        self._item: list[str] = []
        self._amount: list[float] = []
        self.week_by_financier: np.ndarray = np.zeros(len(FINANCIERS))  # this week's spend
        self.recording = True

    def book(self, week: int, financier: str, category: str, item: str, amount: float) -> None:
        """Book `amount` euros: positive, except in category `recovery` (money recovered
        from providers after audits), which is negative. Zero amounts are skipped."""
        if amount == 0.0:
            return
        if category == RECOVERY:
            if not amount < 0.0:  # also catches NaN
                raise ValueError(f"ledger: a recovery must be negative, got {amount} for {item}")
        elif not amount > 0.0:  # also catches NaN
            raise ValueError(f"ledger: amount must be positive, got {amount} for {item}")
        if financier not in FIN:
            raise ValueError(f"ledger: unknown financier {financier}")
        if category not in CATEGORIES:
            raise ValueError(f"ledger: unknown category {category}")
        self.week_by_financier[FIN[financier]] += amount
        if not self.recording:
            return
        self._week.append(week)
        self._financier.append(financier)
        self._category.append(category)
        self._item.append(item)
        self._amount.append(float(amount))

    def new_week(self) -> None:
        self.week_by_financier[:] = 0.0

    def total(self) -> float:
        return float(np.sum(self._amount))

    def to_frame(self) -> pd.DataFrame:
        """The ledger as a tidy table (one row per booking)."""
        return pd.DataFrame(
            {
                "week": np.asarray(self._week, dtype=np.int32),
                "financier": pd.Categorical(self._financier, categories=list(FINANCIERS)),
                "category": pd.Categorical(self._category, categories=list(CATEGORIES)),
                "item": np.asarray(self._item, dtype=object),
                "eur": np.asarray(self._amount, dtype=float),
            }
        )
