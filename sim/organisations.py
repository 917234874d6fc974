"""The organisational actors: few, so they are real Mesa agents acting on the population
arrays. Care-finding places and the municipality here; the providers and their
contractors in `sim.providers`, the access staff in `sim.staff` (re-exported here)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.params import (
    DOMAINS,
    FINANCIERS,
    MUNICIPAL_FINANCIERS,
    LeverParams,
    PlaceParams,
)
from sim.providers import CARE_AT_HOME, INSTITUTIONS, Contractor, FollowsDemand, Provider
from sim.staff import CaseHolders, NeighbourhoodTeam, StaffPool

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


class CareFindingPlace(mesa.Agent):
    """A care-finding place (zorgvindplaats): GP practices, community police, a housing
    corporation, the debt counselling desk, schools. Citizens meet it in ordinary life."""

    def __init__(
        self,
        model: SocialDomainModel,
        name: str,
        params: PlaceParams,
        price: float,
        price_per_contact: bool,
    ) -> None:
        super().__init__(model)
        self.name = name
        self.params = params
        self.price = price
        # GP consults are priced per consult (about 15 minutes); the others per hour.
        self.contact_cost = price if price_per_contact else 0.5 * price
        self.hour_cost = 4.0 * price if price_per_contact else price
        self.problem_weights = np.array(
            [params.problem_contact_per_week.get(d, 0.0) for d in DOMAINS], dtype=np.float32
        )
        self.detection = np.array([params.detection.get(d, 0.0) for d in DOMAINS], dtype=np.float32)
        # the domains that bring contacts, with their weights (float32), read each week
        weights = self.problem_weights
        self._weighted_domains = [(int(d), weights[d]) for d in weights.nonzero()[0]]
        self.contacts = 0
        self.problem_contacts = 0
        self.detections = 0

    def contact_probabilities(
        self, age: np.ndarray, severity: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Routine and problem-driven weekly contact probabilities for a subset of people."""
        p = self.params
        in_age = (age >= p.min_age) & (age <= p.max_age + 1)
        routine = in_age * np.float32(p.routine_contact_per_week)
        problem = np.zeros(age.shape[0], dtype=np.float32)
        for d, weight in self._weighted_domains:
            problem += weight * severity[d]
        problem *= in_age
        return routine, problem


# the compartments whose overrun the access staff feel (`Municipality.update_pressure`)
PRESSURE_COMPARTMENTS: tuple[str, ...] = ("wmo", "youth")
PRESSURE_ROWS = np.array([FINANCIERS.index(f) for f in PRESSURE_COMPARTMENTS])


class Municipality(mesa.Agent):
    """The municipality: budgets, the budget pressure its consultants feel and, under
    integrated financing, one pooled budget with a shared-savings rule.

    Without integrated financing each municipal compartment has its own budget
    (`budget_per_year`, from the municipality file); the pressure is the largest relative
    overrun of the Wmo and youth compartments (`PRESSURE_COMPARTMENTS`: a youth deficit
    makes the whole access stricter, as Dutch municipalities report; income support is an
    entitlement and is not rationed); from the baseline year on each budget is that year's
    spending x `municipality.budget_share_of_baseline`. With it, the pooled budget covers
    the municipal compartments plus a stated share of Zvw and Wlz spending
    (`design.levers.pool_share_*`), set at the design's start to the burn-in's last year of
    spending in those compartments x (1 + margin); the pressure is the pooled spending
    against it. Each design year, the Zvw and Wlz spending avoided against that baseline
    year returns (a share, after a lag) to the municipal prevention and welfare budget: the
    saving compartment pays that prevention (ledger rows `shared_savings_prevention`,
    category prevention, financier zvw or wlz)."""

    def __init__(
        self,
        model: SocialDomainModel,
        budget_per_year: np.ndarray,
        integrated: bool,
        levers: LeverParams,
        budget_share_of_baseline: np.ndarray | None = None,
        budget_growth_per_year: float = 0.0,
    ) -> None:
        super().__init__(model)
        self.budget_per_year = np.asarray(budget_per_year, dtype=float)  # per financier
        self.budget_growth_per_year = budget_growth_per_year  # real terms, design years
        # from the baseline year on: each budget = its baseline spending x this share (0: kept)
        self.budget_share_of_baseline = (
            np.zeros_like(self.budget_per_year)
            if budget_share_of_baseline is None
            else np.asarray(budget_share_of_baseline, dtype=float)
        )
        self.municipal_budget_per_year = float(self.budget_per_year[PRESSURE_ROWS].sum())
        self.pressure = 0.0
        self._recent: list[np.ndarray] = []
        n_fin = len(FINANCIERS)
        self.baseline_spend: np.ndarray | None = None  # the burn-in's last year
        self.pool_budget_per_year: float | None = None
        self.set_levers(integrated, levers)
        self.year_spend = np.zeros(n_fin)  # this year's spending so far, per financier
        self.year_transfers = np.zeros(n_fin)  # of which shared-savings prevention
        self.savings_due: dict[int, np.ndarray] = {}  # design year -> returns per financier
        self.shared_prevention_per_week = np.zeros(n_fin)  # this year's, per financier
        self.savings_by_year: list[np.ndarray] = []  # avoided spending per design year

    def set_levers(self, integrated: bool, levers: LeverParams) -> None:
        """The financing levers in force (today's practice during the burn-in, the design's
        from week 0): which part of each compartment the pooled budget covers, and the
        pooled budget itself once the baseline year is known."""
        self.integrated = integrated
        self.levers = levers
        # which part of each compartment's spending the pooled budget covers
        self.pool_weights = np.zeros(len(FINANCIERS))
        for f in MUNICIPAL_FINANCIERS:
            self.pool_weights[FINANCIERS.index(f)] = 1.0
        self.pool_weights[FINANCIERS.index("zvw")] = levers.pool_share_zvw
        self.pool_weights[FINANCIERS.index("wlz")] = levers.pool_share_wlz
        if self.baseline_spend is not None:
            self.pool_budget_per_year = float(
                self.baseline_spend @ self.pool_weights * (1.0 + levers.pool_margin)
            )

    def update_pressure(self, week_spend: np.ndarray) -> None:
        """Budget pressure = relative overrun of the annualised spend of the last 13 weeks:
        the largest of the Wmo and youth compartments' against their own budgets, or
        (integrated, once the baseline is known) the pooled spending against the pooled
        budget."""
        self._recent.append(np.array(week_spend, dtype=float))
        if len(self._recent) > 13:
            self._recent.pop(0)
        annual = np.mean(self._recent, axis=0) * 52.0
        if self.integrated and self.pool_budget_per_year is not None:
            overrun = float(annual @ self.pool_weights) / max(self.pool_budget_per_year, 1e-9)
        else:
            budget = np.maximum(self.budget_per_year[PRESSURE_ROWS], 1e-9)
            overrun = float(np.max(annual[PRESSURE_ROWS] / budget))
        self.pressure = float(np.clip(overrun - 1.0, 0.0, 1.0))

    def budget_use(self, year_spend: np.ndarray) -> np.ndarray:
        """Spending / budget per municipal compartment (0 where there is no budget)."""
        budget = self.budget_per_year
        return np.where(budget > 0, year_spend / np.maximum(budget, 1e-9), 0.0)

    def add_week(self, week_spend: np.ndarray, week: int) -> None:
        """Add this week's spending to the year's; at the last week of a year close it."""
        self.year_spend += week_spend
        if (week + 1) % 52 == 0:
            self.close_year(week // 52)
            self.year_spend[:] = 0.0
            self.year_transfers[:] = 0.0

    def close_year(self, year: int) -> None:
        """The year `year` (negative: burn-in) has ended. The last burn-in year is the
        baseline (without a burn-in: the first design year); under integrated financing,
        a design year's avoided Zvw and Wlz spending is settled for year + lag."""
        care_spend = self.year_spend - self.year_transfers
        lv = self.levers
        if self.baseline_spend is None and (year == -1 or year >= 0):
            self.baseline_spend = care_spend.copy()
            # the council budgets on the baseline year's realisation (below it for youth)
            share = self.budget_share_of_baseline
            self.budget_per_year = np.where(
                share > 0, self.baseline_spend * share, self.budget_per_year
            )
            self.municipal_budget_per_year = float(self.budget_per_year[PRESSURE_ROWS].sum())
            self.pool_budget_per_year = float(
                self.baseline_spend @ self.pool_weights * (1.0 + lv.pool_margin)
            )
            if year == -1:
                return
        if year >= 0 and self.budget_growth_per_year != 0.0:
            self.grow_budgets()
        if year < 0 or not self.integrated:
            return
        assert self.baseline_spend is not None
        saved = np.zeros_like(care_spend)
        for f in ("zvw", "wlz"):
            k = FINANCIERS.index(f)
            saved[k] = max(self.baseline_spend[k] - care_spend[k], 0.0)
        self.savings_by_year.append(saved)
        due = year + max(lv.shared_savings_lag_years, 1)
        self.savings_due[due] = self.savings_due.get(due, 0.0) + lv.shared_savings_share * saved

    def grow_budgets(self) -> None:
        """After each design year every budget (and the pooled one) grows by
        `municipality.budget_growth_per_year` in real terms: 0 keeps them at the baseline
        year's level, a positive rate follows a demand that grows with an ageing population."""
        factor = 1.0 + self.budget_growth_per_year
        self.budget_per_year = self.budget_per_year * factor
        self.municipal_budget_per_year = float(self.budget_per_year[PRESSURE_ROWS].sum())
        if self.pool_budget_per_year is not None:
            self.pool_budget_per_year *= factor

    def start_year(self, year: int) -> None:
        """At a design year's first week: the shared savings due this year, per week."""
        due = self.savings_due.pop(year, None)
        self.shared_prevention_per_week = (
            np.zeros(len(FINANCIERS)) if due is None else np.asarray(due, dtype=float) / 52.0
        )

    def shared_prevention_eur_per_year(self) -> float:
        """This year's prevention paid from shared savings (EUR per year, all financiers)."""
        return float(self.shared_prevention_per_week.sum()) * 52.0


__all__ = [
    "CARE_AT_HOME",
    "INSTITUTIONS",
    "PRESSURE_COMPARTMENTS",
    "CareFindingPlace",
    "CaseHolders",
    "Contractor",
    "FollowsDemand",
    "Municipality",
    "NeighbourhoodTeam",
    "Provider",
    "StaffPool",
]
