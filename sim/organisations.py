"""The organisational actors: few, so they are real Mesa agents acting on the population arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.params import DOMAINS, PlaceParams, ProviderParams
from sim.population import DOM, NONE, PRIORITY, PROV

if TYPE_CHECKING:
    from sim.model import SocialDomainModel

INSTITUTIONS = ("nursing_home", "residential_id")
CARE_AT_HOME = tuple(
    PROV[name] for name in ("wlz_at_home", "household_help", "day_care", "id_care")
)


def bounded_step(
    level: float, target: float, max_growth: float, max_shrink: float, growth_factor: float
) -> float:
    """One week's move of a capacity `level` toward `target`: up by at most `max_growth` a
    year (times `growth_factor`, 0-1: budget pressure, contracting headroom), down by at most
    `max_shrink` a year. Growth is relative to at least 1, so an empty provider can restart."""
    up = max(level, 1.0) * ((1.0 + max_growth) ** (1.0 / 52.0) - 1.0) * max(growth_factor, 0.0)
    down = level * (1.0 - (1.0 - min(max_shrink, 1.0)) ** (1.0 / 52.0))
    return level + min(max(target - level, -down), up)


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
        self.contacts = 0
        self.problem_contacts = 0
        self.detections = 0

    def contact_probabilities(
        self, age: np.ndarray, severity: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Routine and problem-driven weekly contact probabilities for a subset of people."""
        p = self.params
        in_age = (age >= p.min_age) & (age <= p.max_age + 1)
        routine = np.where(in_age, p.routine_contact_per_week, 0.0).astype(np.float32)
        problem = np.zeros(age.shape[0], dtype=np.float32)
        for d in np.flatnonzero(self.problem_weights):
            problem += self.problem_weights[d] * severity[d]
        problem *= in_age
        return routine, problem


class Provider(mesa.Agent):
    """A provider of one kind of care: capacity, waiting list, unit price, effect, financier."""

    def __init__(
        self,
        model: SocialDomainModel,
        name: str,
        index: int,
        params: ProviderParams,
        capacity: int,
        price: float,
    ) -> None:
        super().__init__(model)
        self.name = name
        self.index = index
        self.params = params
        self.capacity = capacity  # client places this week: the rounded capacity level
        self.start_capacity = capacity  # from the municipality file
        self.capacity_level = float(capacity)  # places, continuous (moves a little each week)
        self.smoothed_demand = float(capacity)  # clients + waiting list, smoothed
        self.price = price
        self.domains = np.array([DOM[d] for d in params.domains], dtype=np.int64)
        self.municipal = params.financier in ("wmo", "youth", "participation", "welfare")
        self.admitted = 0
        self.units_delivered = 0.0

    def discharge(self, idx: np.ndarray) -> None:
        """End this provider's care of the people `idx`."""
        if idx.size == 0:
            return
        pop = self.model.pop
        pop.in_care[self.index, idx] = False
        pop.care_since[self.index, idx] = NONE
        self.model.recorder.log(idx, "discharge", self.index)

    def discharge_done(self) -> np.ndarray:
        """Discharge clients who recovered or reached the maximum duration; the rest."""
        pop, p, par = self.model.pop, self.index, self.params
        clients = np.flatnonzero(pop.in_care[p])
        if clients.size and (par.discharge_threshold > 0 or par.max_weeks > 0):
            sev = pop.severity[self.domains][:, clients].max(axis=0)
            done = sev < par.discharge_threshold
            if par.max_weeks > 0:
                done |= pop.care_since[p, clients] <= self.model.week - par.max_weeks
            self.discharge(clients[done])
            clients = clients[~done]
        return clients

    def admit(self, clients: np.ndarray) -> np.ndarray:
        """Admit from the waiting list (oldest first; crisis placements first) up to the free
        capacity; an institution's admission ends care at home. Returns all clients."""
        model = self.model
        pop, p, week, recorder = model.pop, self.index, model.week, model.recorder
        waiting = np.flatnonzero(pop.waiting_since[p] != NONE)
        free = self.capacity - clients.size
        if not (waiting.size and free > 0):
            return clients
        if waiting.size > free:
            order = np.argsort(pop.waiting_since[p, waiting], kind="stable")
            waiting = waiting[order[:free]]
        since = pop.waiting_since[p, waiting].astype(np.int64)
        joined = np.where(since < week - PRIORITY // 2, since + PRIORITY, since)
        wait_weeks = week - joined
        pop.waiting_since[p, waiting] = NONE
        pop.in_care[p, waiting] = True
        pop.care_since[p, waiting] = week
        pop.used_this_year[p, waiting] = True
        self.admitted += waiting.size
        recorder.log(waiting, "admit", p)
        recorder.add("admissions", waiting.size)
        recorder.add("waiting_weeks_sum", float(wait_weeks.sum()))
        for d in self.domains:
            first = waiting[
                ~pop.helped[d, waiting] & (pop.onset_week[d, waiting] >= -model.burn_in_weeks)
            ]
            if first.size:
                recorder.add(
                    "onset_to_help_weeks_sum", float((week - pop.onset_week[d, first]).sum())
                )
                recorder.add("onset_to_help_count", first.size)
                pop.helped[d, first] = True
        if self.name in INSTITUTIONS:  # admission to an institution ends care at home
            for q in CARE_AT_HOME:
                model.providers[q].discharge(waiting[pop.in_care[q, waiting]])
                pop.waiting_since[q, waiting] = NONE
        return np.concatenate([clients, waiting])

    def deliver(self, clients: np.ndarray, dose: np.ndarray, over_supply: float) -> np.ndarray:
        """Deliver this week's units to `clients` (standard units x dose x over-supply);
        returns the gross cost per client (the care stage books it)."""
        par = self.params
        units = par.units_per_week * dose * over_supply
        cost = units * self.price
        total_units = float(units.sum())
        self.units_delivered += total_units
        self.model.recorder.add("formal_care_hours", total_units * par.hours_per_unit)
        self.model.recorder.add_provider_units(self.index, total_units)
        return cost

    def respond_to_demand(
        self,
        demand: float,
        response_weeks: float,
        margin: float,
        max_growth: float,
        max_shrink: float,
        growth_factor: float,
    ) -> None:
        """Supply that responds: smooth this week's demand (clients + waiting list) with time
        constant `response_weeks`, and move the capacity toward smoothed demand x (1 +
        `margin`), bounded by the maximum growth and shrinkage per year (`bounded_step`)."""
        self.smoothed_demand += (demand - self.smoothed_demand) / max(response_weeks, 1.0)
        target = self.smoothed_demand * (1.0 + margin)
        self.capacity_level = bounded_step(
            self.capacity_level, target, max_growth, max_shrink, growth_factor
        )
        self.capacity = round(self.capacity_level)


class NeighbourhoodTeam(mesa.Agent):
    """The neighbourhood team (sociaal wijkteam): consultants with limited hours per week."""

    def __init__(self, model: SocialDomainModel, hours_per_week: float) -> None:
        super().__init__(model)
        self.hours_per_week = hours_per_week  # staffed hours this week (paid, used or not)
        self.start_hours_per_week = hours_per_week  # from the municipality file
        self.hours_needed = hours_per_week  # smoothed hours the intake queue needs
        self.hours_used = 0.0
        self._carry = 0.0

    def respond_to_queue(
        self,
        queue: int,
        hours_per_case: float,
        target_weeks: float,
        response_weeks: float,
        max_growth: float,
        max_shrink: float,
        growth_factor: float,
    ) -> None:
        """Staffing follows the queue with a lag: the hours that would clear this week's
        intake queue within `target_weeks` (queue x hours per case / target weeks; by
        Little's law a queue served at that rate waits about `target_weeks`), smoothed with
        time constant `response_weeks`; the hours move toward it bounded per year."""
        needed = queue * hours_per_case / max(target_weeks, 1e-9)
        self.hours_needed += (needed - self.hours_needed) / max(response_weeks, 1.0)
        self.hours_per_week = bounded_step(
            self.hours_per_week, self.hours_needed, max_growth, max_shrink, growth_factor
        )

    def intake_capacity(self, hours_per_case: float) -> int:
        """Cases the team can take this week (fractions carried over to next week)."""
        if hours_per_case <= 0:
            return 10**9
        cases = self.hours_per_week / hours_per_case + self._carry
        whole = int(cases)
        self._carry = cases - whole
        return whole


class Municipality(mesa.Agent):
    """The municipality: budgets, and the budget pressure its consultants feel."""

    def __init__(
        self,
        model: SocialDomainModel,
        municipal_budget_per_year: float,
        chain_budget_per_year: float,
        integrated: bool,
    ) -> None:
        super().__init__(model)
        self.municipal_budget_per_year = municipal_budget_per_year
        self.chain_budget_per_year = chain_budget_per_year
        self.integrated = integrated
        self.pressure = 0.0
        self._recent: list[float] = []

    def update_pressure(self, municipal_spend: float, chain_spend: float) -> None:
        """Budget pressure = relative overrun of the annualised spend of the last 13 weeks."""
        spend, budget = (
            (chain_spend, self.chain_budget_per_year)
            if self.integrated
            else (municipal_spend, self.municipal_budget_per_year)
        )
        self._recent.append(spend)
        if len(self._recent) > 13:
            self._recent.pop(0)
        annual = float(np.mean(self._recent)) * 52.0
        self.pressure = float(np.clip(annual / max(budget, 1e-9) - 1.0, 0.0, 1.0))
