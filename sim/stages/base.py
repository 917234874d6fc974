"""The lifecycle every stage of the week shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


class Stage:
    """One step of the week. `init(model)` once after the population and organisations
    exist; `step(model)` every week, in the order of the model's plan; `results()` what the
    stage adds to a run's results (most add nothing: totals come from the ledger and the
    recorder)."""

    name: str = "stage"
    purpose: str = ""

    def init(self, model: SocialDomainModel) -> None:
        """Set up what the stage keeps between weeks."""

    def step(self, model: SocialDomainModel) -> None:
        """One week of the stage."""
        raise NotImplementedError

    def results(self) -> dict[str, Any]:
        """Figures the stage reports on its own (none by default)."""
        return {}

    def __repr__(self) -> str:
        return f"<stage {self.name}>"


def first_max(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each column of `rows` (D, k): the row of its largest value (int8; the first row
    on ties, as `argmax(axis=0)`) and that value. A running maximum over the rows: argmax
    over axis 0 is a slow strided pass ("index = d where above" is a maximum, as d exceeds
    every row before it); a few columns (most calls): one argmax, cheaper than the loop."""
    k = rows.shape[1]
    if k <= 512:
        index = rows.argmax(axis=0)
        return index.astype(np.int8), rows[index, np.arange(k)]
    top = rows[0].copy()
    index = np.zeros(rows.shape[1], dtype=np.int8)
    for d in range(1, rows.shape[0]):
        np.maximum(index, (rows[d] > top) * np.int8(d), out=index)
        np.maximum(top, rows[d], out=top)
    return index, top
