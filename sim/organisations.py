"""The organisational actors: few, so they are real Mesa agents acting on the population arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.params import (
    DOMAINS,
    FINANCIERS,
    MUNICIPAL_FINANCIERS,
    ContractorParams,
    DesignParams,
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


class FollowsDemand:
    """Capacity that follows sustained demand (providers and contractors): needs
    `smoothed_demand`, `capacity_level` and `capacity`."""

    smoothed_demand: float
    capacity_level: float
    capacity: int

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


class Provider(FollowsDemand, mesa.Agent):
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
        self.contractors: list[Contractor] = []  # several contractors of this kind, if any
        self.row = -1  # this kind's row in `Population.contractor` (-1: one provider)
        self.over_eur_week = np.zeros(0)  # over-delivered EUR per person slot, last week

    def contract(self, row: int, contractors: list[Contractor]) -> None:
        """This kind is delivered by several contractors (row `row` of `pop.contractor`);
        the kind's capacity becomes the sum of theirs."""
        self.row = row
        self.contractors = contractors
        self.over_eur_week = np.zeros(self.model.n)
        self._over_slots = np.zeros(0, dtype=np.int64)  # where over_eur_week is set
        self._effect = np.array([c.params.effect_factor for c in contractors])
        self._slope = np.array([c.params.effect_severity_slope for c in contractors])
        self._price = np.array([c.price for c in contractors])
        self.sync_capacity()

    def sync_capacity(self) -> None:
        """The kind's capacity: the sum of its contractors' capacity levels, rounded; the
        contractors' places are their levels rounded so that they add up to it (largest
        remainders)."""
        if not self.contractors:
            return
        levels = np.array([c.capacity_level for c in self.contractors])
        self.capacity_level = float(levels.sum())
        self.capacity = round(self.capacity_level)
        places = np.floor(levels).astype(int)
        extra = self.capacity - int(places.sum())
        if extra > 0:
            places[np.argsort(places - levels, kind="stable")[:extra]] += 1
        for c, k in zip(self.contractors, places, strict=True):
            c.capacity = int(k)

    # -- contractors: effect, choice ------------------------------------------------------
    def effect_multiplier(self, idx: np.ndarray) -> np.ndarray | float:
        """Each person's effect multiplier of the care of this kind they receive (1 with one
        provider): their contractor's effect factor at their severity."""
        if not self.contractors:
            return 1.0
        k = self.model.pop.contractor[self.row, idx]
        sev = self.model.pop.severity[np.ix_(self.domains, idx)].max(axis=0)
        f = np.maximum(self._effect[k] * (1.0 + self._slope[k] * (sev - 0.5)), 0.0)
        return np.where(k >= 0, f, 1.0).astype(np.float32)

    def expected_effects(self, idx: np.ndarray) -> np.ndarray:
        """(K, len(idx)): each contractor's effect multiplier at each person's severity."""
        sev = self.model.pop.severity[np.ix_(self.domains, idx)].max(axis=0)
        return np.maximum(self._effect[:, None] * (1.0 + self._slope[:, None] * (sev - 0.5)), 0)

    def expected_waits(self) -> np.ndarray:
        """Each contractor's expected waiting time in weeks: its waiting list / its smoothed
        admissions per week (what a client can learn from published waiting times)."""
        pop = self.model.pop
        on_list = pop.waiting_since[self.index] != NONE
        counts = np.bincount(
            pop.contractor[self.row, on_list].clip(0), minlength=len(self.contractors)
        )
        rate = np.array([c.admit_rate for c in self.contractors])
        return counts / np.maximum(rate, 1e-3)

    def place_unassigned(self) -> None:
        """Anyone in this kind's care or on its waiting list without a contractor (put there
        other than through `Access.join_waiting_list`) is spread over the contractors by
        capacity share (a keyed draw), so every client has a contractor."""
        pop = self.model.pop
        engaged = pop.in_care[self.index] | (pop.waiting_since[self.index] != NONE)
        lost = np.flatnonzero(engaged & (pop.contractor[self.row] < 0))
        if lost.size:
            u = self.model.draws.person_uniform("contracting", f"initial_{self.name}")[lost]
            pop.contractor[self.row, lost] = self.by_capacity(u)

    def by_contract(self, u: np.ndarray) -> np.ndarray:
        """Contractor per person from a uniform `u` and the contract shares."""
        cum = np.cumsum([c.params.contract_share for c in self.contractors])
        return np.searchsorted(cum, u * cum[-1], side="right").clip(0, len(cum) - 1)

    def by_capacity(self, u: np.ndarray) -> np.ndarray:
        """Contractor per person from a uniform `u` and the capacity shares."""
        cum = np.cumsum([c.params.capacity_share for c in self.contractors])
        return np.searchsorted(cum, u * cum[-1], side="right").clip(0, len(cum) - 1)

    def client_choice(self, idx: np.ndarray) -> np.ndarray:
        """Each client picks the contractor with the best reputation as they perceive it
        (reputation + a keyed error of sd `reputation_noise_sd`) minus the expected wait
        times `client_choice_wait_weight`."""
        model = self.model
        b = model.cfg.behaviour
        waits = self.expected_waits()
        score = np.empty((len(self.contractors), idx.size), dtype=np.float32)
        for c in self.contractors:
            u = model.draws.person_uniform("contracting", f"reputation_{c.name}")[idx]
            seen = c.reputation + b.reputation_noise_sd * np.sqrt(12.0) * (u - 0.5)
            score[c.slot] = seen - b.client_choice_wait_weight * waits[c.slot]
        return score.argmax(axis=0)

    def best_match(self, idx: np.ndarray) -> np.ndarray:
        """The contractor with the highest expected effect for each person's problem."""
        return self.expected_effects(idx).argmax(axis=0)

    # -- audits ---------------------------------------------------------------------------
    def audit(self, audited: np.ndarray, design: DesignParams) -> None:
        """Audits of this kind's clients among `audited` (sampled real clients): over-delivery
        in last week's delivery is found with `audit_detection_prob`; a finding recovers
        `audit_penalty_multiple` x the over-delivered amount over the look-back weeks (a
        negative booking, category recovery) and cuts the contractor's tendency and
        reputation."""
        if not self.contractors:
            return
        model = self.model
        pop = model.pop
        idx = audited[pop.in_care[self.index, audited]]
        over = self.over_eur_week[idx]
        u = model.draws.person_uniform("contracting", "audit_detection")[idx]
        hit = (over > 0) & (u < design.audit_detection_prob)
        found = idx[hit]
        if found.size == 0:
            return
        weeks = np.clip(model.week - pop.care_since[self.index, found], 1, None)
        weeks = np.minimum(weeks, max(design.audit_lookback_weeks, 1))
        amount = design.audit_penalty_multiple * over[hit] * weeks
        k = pop.contractor[self.row, found]
        per = np.bincount(k, weights=amount, minlength=len(self.contractors))
        count = np.bincount(k, minlength=len(self.contractors))
        model.recorder.add("audit_detections", float(found.size))
        for c in self.contractors:
            if count[c.slot]:
                model.book(self.params.financier, "recovery", f"recovery_{c.name}", -per[c.slot])
                c.detected(int(count[c.slot]))

    def discharge(self, idx: np.ndarray) -> None:
        """End this provider's care of the people `idx`."""
        if idx.size == 0:
            return
        pop = self.model.pop
        pop.in_care[self.index, idx] = False
        pop.care_since[self.index, idx] = NONE
        if self.row >= 0:
            pop.contractor[self.row, idx] = -1
        self.model.recorder.log(idx, "discharge", self.index)

    def discharge_done(self, among: np.ndarray | None = None) -> np.ndarray:
        """Discharge clients who recovered or reached the maximum duration; the rest.
        `among`: sorted slots known to hold all of this provider's clients (saves a pass
        over the population)."""
        pop, p, par = self.model.pop, self.index, self.params
        rows = np.flatnonzero(pop.in_care[p]) if among is None else among
        clients = rows if among is None else rows[pop.in_care[p, rows]]
        if clients.size and (par.discharge_threshold > 0 or par.max_weeks > 0):
            sev = pop.severity[np.ix_(self.domains, clients)].max(axis=0)
            done = sev < par.discharge_threshold
            if par.max_weeks > 0:
                done |= pop.care_since[p, clients] <= self.model.week - par.max_weeks
            self.discharge(clients[done])
            clients = clients[~done]
        return clients

    def admit(self, clients: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
        """Admit from the waiting list (oldest first; crisis placements first) up to the free
        capacity; an institution's admission ends care at home. Returns all clients.
        `among`: sorted slots known to hold everyone on this provider's waiting list."""
        model = self.model
        pop, p, week, recorder = model.pop, self.index, model.week, model.recorder
        if among is None:
            waiting = np.flatnonzero(pop.waiting_since[p] != NONE)
        else:
            waiting = among[pop.waiting_since[p, among] != NONE]
        if self.contractors:
            self.place_unassigned()
            waiting = self._contractor_admissions(clients, waiting)
            if waiting.size == 0:
                return clients
        else:
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

    def _contractor_admissions(self, clients: np.ndarray, waiting: np.ndarray) -> np.ndarray:
        """Each contractor admits from its own part of the kind's waiting list (oldest
        first, crises first) up to its own free capacity; also updates each contractor's
        smoothed admissions per week. Returns the people admitted."""
        pop, row = self.model.pop, self.row
        memory = self.model.cfg.behaviour.client_wait_memory_weeks
        k_clients = np.bincount(
            pop.contractor[row, clients].clip(0), minlength=len(self.contractors)
        )
        k_waiting = pop.contractor[row, waiting]
        taken = []
        for c in self.contractors:
            mine = waiting[k_waiting == c.slot]
            free = max(c.capacity - int(k_clients[c.slot]), 0)
            if mine.size > free:
                order = np.argsort(pop.waiting_since[self.index, mine], kind="stable")
                mine = mine[order[:free]]
            c.admit_rate += (mine.size - c.admit_rate) / max(memory, 1.0)
            taken.append(mine)
        return np.concatenate(taken)

    def deliver(self, clients: np.ndarray, dose: np.ndarray, pass_through: float) -> np.ndarray:
        """Deliver this week's units to `clients`: standard units x dose, plus, with several
        contractors, over-delivery (units x contractor's tendency x the design's
        `pass_through`) at each contractor's price; returns the gross cost per client (the
        care stage books it)."""
        par = self.params
        model = self.model
        units = par.units_per_week * dose
        if self.contractors:
            k = model.pop.contractor[self.row, clients]
            if (k < 0).any():
                raise RuntimeError(f"{self.name}: a client without a contractor")
            tendency = np.array([c.tendency for c in self.contractors])[k]
            over = units * tendency * pass_through
            units = units + over
            price = self._price[k]
            self.over_eur_week[self._over_slots] = 0.0  # last week's entries only
            self.over_eur_week[clients] = over * price
            self._over_slots = clients
            model.recorder.add("over_delivery_eur", float((over * price).sum()))
            if model.recording:
                per = np.bincount(k, weights=units, minlength=len(self.contractors))
                for c in self.contractors:
                    c.units_recorded += float(per[c.slot])
            cost = units * price
        else:
            cost = units * self.price
        total_units = float(units.sum())
        self.units_delivered += total_units
        model.recorder.add("formal_care_hours", total_units * par.hours_per_unit)
        model.recorder.add_provider_units(self.index, total_units)
        return cost


class Contractor(FollowsDemand, mesa.Agent):
    """One contractor of a kind of care (several per kind): its own capacity (a share of
    the kind's at the start, then following its own demand), price, effect, tendency to
    over-deliver and public reputation. The kind's `Provider` admits, delivers and
    discharges for its contractors; a detected over-delivery lowers the contractor's
    tendency and reputation (deterrence through detection)."""

    def __init__(
        self,
        model: SocialDomainModel,
        name: str,
        slot: int,
        kind: Provider,
        params: ContractorParams,
        capacity_level: float,
    ) -> None:
        super().__init__(model)
        self.name = name
        self.slot = slot  # index within its kind (the value in `pop.contractor`)
        self.kind = kind
        self.params = params
        self.capacity_level = capacity_level
        self.capacity = round(capacity_level)
        self.start_capacity = self.capacity
        self.smoothed_demand = capacity_level
        self.price = kind.price * params.price_factor
        self.tendency = params.over_delivery_tendency
        self.reputation = params.reputation
        self.admit_rate = 0.0  # smoothed admissions per week
        self.detections = 0
        self.units_recorded = 0.0  # units delivered in recorded weeks

    def detected(self, n: int) -> None:
        """`n` audits found over-delivery: tendency and reputation fall."""
        b = self.model.cfg.behaviour
        self.detections += n
        self.tendency *= (1.0 - b.detection_tendency_cut) ** n
        self.reputation = max(0.0, self.reputation - b.detection_reputation_cut * n)


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
