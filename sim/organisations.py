"""The organisational actors: few, so they are real Mesa agents acting on the population arrays."""

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
    ProviderParams,
)
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


class StaffPool(mesa.Agent):
    """Access staff with paid hours per week (the neighbourhood team, case holders): the
    hours follow their queue with a lag (`respond_to_queue`) and are paid every week
    whether used or not (`pay`); the work done is recorded as hours used (`use`)."""

    label = "staff"

    def __init__(self, model: SocialDomainModel, hours_per_week: float) -> None:
        super().__init__(model)
        self.hours_per_week = hours_per_week  # staffed hours this week (paid, used or not)
        self.start_hours_per_week = hours_per_week  # from the municipality file / design
        self.hours_needed = hours_per_week  # smoothed hours the queue needs
        self.hours_used = 0.0  # cumulative hours of work done
        self.week_hours = 0.0  # hours of work done this week
        self.week_youth_hours = 0.0  # of which for people with a youth-family problem
        self.week_other_hours = 0.0  # of which not taken from the queue (reviews)
        self.other_hours_last_week = 0.0
        self.youth_share = 0.0  # share of the paid hours charged to the youth budget

    def staff(self, hours_per_week: float) -> None:
        """Set the staffing from a design's start (case holders hired at week 0)."""
        self.hours_per_week = self.start_hours_per_week = self.hours_needed = hours_per_week

    def use(self, hours: float, youth_hours: float, other: bool = False) -> None:
        """Record `hours` of work (`youth_hours` of them for youth cases); `other` work
        (reviews) is done besides the queue and adds to the hours the staff needs."""
        self.hours_used += hours
        self.week_hours += hours
        self.week_youth_hours += youth_hours
        if other:
            self.week_other_hours += hours

    def respond_to_queue(
        self,
        queue: int,
        hours_per_case: float,
        target_weeks: float,
        response_weeks: float,
        max_growth: float,
        max_shrink: float,
        growth_factor: float,
        ongoing_hours: float = 0.0,
    ) -> None:
        """Staffing follows the queue with a lag: the hours of ongoing work plus the hours
        that would clear this week's queue within `target_weeks` (queue x hours per case /
        target weeks; by Little's law a queue served at that rate waits about
        `target_weeks`), smoothed with time constant `response_weeks`; the hours move
        toward it bounded per year."""
        needed = ongoing_hours + queue * hours_per_case / max(target_weeks, 1e-9)
        self.hours_needed += (needed - self.hours_needed) / max(response_weeks, 1.0)
        self.hours_per_week = bounded_step(
            self.hours_per_week, self.hours_needed, max_growth, max_shrink, growth_factor
        )

    def pay(self, hour_eur: float) -> None:
        """Book this week's staffed hours at `hour_eur` (administration), whether used or
        not: youth budget for the share of the hours used for youth cases (the last known
        share in a week without work), the rest Wmo. Then start a new week of work."""
        model = self.model
        if self.week_hours > 0:
            self.youth_share = self.week_youth_hours / self.week_hours
        cost = self.hours_per_week * hour_eur
        if cost > 0:
            model.recorder.add("admin_hours", self.hours_per_week)
            model.book("youth", "administration", f"{self.label}_youth", cost * self.youth_share)
            model.book("wmo", "administration", f"{self.label}_wmo", cost * (1 - self.youth_share))
        self.other_hours_last_week = self.week_other_hours
        self.week_hours = self.week_youth_hours = self.week_other_hours = 0.0


class NeighbourhoodTeam(StaffPool):
    """The neighbourhood team (sociaal wijkteam): consultants with limited hours per week."""

    label = "team"

    def __init__(self, model: SocialDomainModel, hours_per_week: float) -> None:
        super().__init__(model, hours_per_week)
        self._carry = 0.0

    def intake_capacity(self, hours_per_case: float) -> int:
        """Cases the team can take this week with the hours its other work (reviews) has
        left (fractions carried over to next week)."""
        if hours_per_case <= 0:
            return 10**9
        free = max(self.hours_per_week - self.week_other_hours, 0.0)
        cases = free / hours_per_case + self._carry
        whole = int(cases)
        self._carry = cases - whole
        return whole


class CaseHolders(StaffPool):
    """Early signalling's professional case holders: FTE with a caseload each."""

    label = "case_holders"

    def slots(self, hours_per_fte_week: float, caseload_per_fte: float) -> int:
        """Cases the staffed hours can hold."""
        return int(self.hours_per_week / hours_per_fte_week * caseload_per_fte)


class Municipality(mesa.Agent):
    """The municipality: budgets, the budget pressure its consultants feel and, under
    integrated financing, one pooled budget with a shared-savings rule.

    Without integrated financing the pressure is the Wmo + youth spending against the
    municipal budget. With it, the pooled budget covers the municipal compartments plus a
    stated share of Zvw and Wlz spending (`design.levers.pool_share_*`), set at the design's
    start to the burn-in's last year of spending in those compartments x (1 + margin); the
    pressure is the pooled spending against it. Each design year, the Zvw and Wlz spending
    avoided against that baseline year returns (a share, after a lag) to the municipal
    prevention and welfare budget: the saving compartment pays that prevention (ledger rows
    `shared_savings_prevention`, category prevention, financier zvw or wlz)."""

    def __init__(
        self,
        model: SocialDomainModel,
        municipal_budget_per_year: float,
        integrated: bool,
        levers: LeverParams,
    ) -> None:
        super().__init__(model)
        self.municipal_budget_per_year = municipal_budget_per_year
        self.pressure = 0.0
        self._recent: list[float] = []
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
        Wmo + youth against the municipal budget, or (integrated, once the baseline is
        known) the pooled spending against the pooled budget."""
        if self.integrated and self.pool_budget_per_year is not None:
            spend, budget = float(week_spend @ self.pool_weights), self.pool_budget_per_year
        else:
            spend = float(
                week_spend[FINANCIERS.index("wmo")] + week_spend[FINANCIERS.index("youth")]
            )
            budget = self.municipal_budget_per_year
        self._recent.append(spend)
        if len(self._recent) > 13:
            self._recent.pop(0)
        annual = float(np.mean(self._recent)) * 52.0
        self.pressure = float(np.clip(annual / max(budget, 1e-9) - 1.0, 0.0, 1.0))

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
            self.pool_budget_per_year = float(
                self.baseline_spend @ self.pool_weights * (1.0 + lv.pool_margin)
            )
            if year == -1:
                return
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

    def start_year(self, year: int) -> None:
        """At a design year's first week: the shared savings due this year, per week."""
        due = self.savings_due.pop(year, None)
        self.shared_prevention_per_week = (
            np.zeros(len(FINANCIERS)) if due is None else np.asarray(due, dtype=float) / 52.0
        )

    def shared_prevention_eur_per_year(self) -> float:
        """This year's prevention paid from shared savings (EUR per year, all financiers)."""
        return float(self.shared_prevention_per_week.sum()) * 52.0
