"""The lifecycle every stage of the week shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
