"""The providers of care and their contractors: Mesa agents that admit, deliver and
discharge on the population arrays, and follow their demand with a lag."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.fastnp import stable_order
from sim.params import (
    ContractorParams,
    DesignParams,
    ProviderParams,
)
from sim.population import DOM, NONE, PRIORITY, PROV, PROVIDER_BIT

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
        self._first_domain = int(self.domains[0])  # severity_of: a running maximum
        self._other_domains = [int(d) for d in self.domains[1:]]
        self.municipal = params.financier in ("wmo", "youth", "participation", "welfare")
        self.admitted = 0
        self.discharges = 0  # calls of `discharge` that ended someone's care
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

    def severity_of(self, idx: np.ndarray) -> np.ndarray:
        """The largest problem of each of `idx` among this provider's domains (a gather
        per domain and a running maximum: cheaper than a (domains, people) gather and a
        reduction over it for the few people asked about)."""
        sev = self.model.pop.severity
        out = sev[self._first_domain][idx]
        for d in self._other_domains:
            np.maximum(out, sev[d][idx], out=out)
        return out

    # -- contractors: effect, choice ------------------------------------------------------
    def effect_multiplier(self, idx: np.ndarray) -> np.ndarray | float:
        """Each person's effect multiplier of the care of this kind they receive (1 with one
        provider): their contractor's effect factor at their severity."""
        if not self.contractors:
            return 1.0
        k = self.model.pop.contractor[self.row][idx]
        sev = self.severity_of(idx)
        f = np.maximum(self._effect[k] * (1.0 + self._slope[k] * (sev - 0.5)), 0.0)
        return np.where(k >= 0, f, 1.0).astype(np.float32)

    def expected_effects(self, idx: np.ndarray) -> np.ndarray:
        """(K, len(idx)): each contractor's effect multiplier at each person's severity."""
        sev = self.severity_of(idx)
        return np.maximum(self._effect[:, None] * (1.0 + self._slope[:, None] * (sev - 0.5)), 0)

    def expected_waits(self) -> np.ndarray:
        """Each contractor's expected waiting time in weeks: its waiting list / its smoothed
        admissions per week (what a client can learn from published waiting times)."""
        pop = self.model.pop
        lists = pop.slots("lists")
        on_list = lists[pop.waiting[self.index][lists]]
        counts = np.bincount(
            np.maximum(pop.contractor[self.row][on_list], 0), minlength=len(self.contractors)
        )
        rate = np.array([c.admit_rate for c in self.contractors])
        return counts / np.maximum(rate, 1e-3)

    def place_unassigned(self, engaged: np.ndarray | None = None) -> None:
        """Anyone in this kind's care or on its waiting list without a contractor (put there
        other than through `Access.join_waiting_list`) is spread over the contractors by
        capacity share (a keyed draw), so every client has a contractor. `engaged`: exactly
        this kind's clients and waiting list, if the caller knows them."""
        pop = self.model.pop
        if engaged is None:
            e = pop.slots("engaged")
            engaged = e[pop.in_care[self.index][e] | pop.waiting[self.index][e]]
        lost = engaged[pop.contractor[self.row][engaged] < 0]
        if lost.size:
            u = self.model.draws.person_uniform("contracting", f"initial_{self.name}")[lost]
            pop.contractor[self.row][lost] = self.by_capacity(u)

    def by_contract(self, u: np.ndarray) -> np.ndarray:
        """Contractor per person from a uniform `u` and the contract shares."""
        cum = np.cumsum([c.params.contract_share for c in self.contractors])
        return np.minimum(np.searchsorted(cum, u * cum[-1], side="right"), len(cum) - 1)

    def by_capacity(self, u: np.ndarray) -> np.ndarray:
        """Contractor per person from a uniform `u` and the capacity shares."""
        cum = np.cumsum([c.params.capacity_share for c in self.contractors])
        return np.minimum(np.searchsorted(cum, u * cum[-1], side="right"), len(cum) - 1)

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
    def audit(self, audited: np.ndarray, design: DesignParams) -> np.ndarray:
        """Audits of this kind's clients among `audited` (sampled real clients): over-delivery
        in last week's delivery is found with `audit_detection_prob`; a finding recovers
        `audit_penalty_multiple` x the over-delivered amount over the look-back weeks (a
        negative booking, category recovery) and cuts the contractor's tendency and
        reputation. With earned trust, a client of a trusted contractor is audited with
        probability 1 - `trust_audit_cut` x trust, and each audit moves the contractor's
        trust (`Contractor.audited`). Returns the clients audited."""
        if not self.contractors:
            return audited[:0]
        model = self.model
        pop = model.pop
        idx = audited[pop.in_care[self.index][audited]]
        trust_on = bool(model.lever_state.get("earned_trust"))
        if trust_on and idx.size:
            trust = np.array([c.trust for c in self.contractors])
            cut = model.cfg.administration.trust_audit_cut
            u = model.draws.person_uniform("contracting", "audit_trust")[idx]
            idx = idx[u < 1.0 - cut * trust[pop.contractor[self.row][idx]]]
        over = self.over_eur_week[idx]
        u = model.draws.person_uniform("contracting", "audit_detection")[idx]
        hit = (over > 0) & (u < design.audit_detection_prob)
        found = idx[hit]
        if trust_on and idx.size:
            k_all = pop.contractor[self.row][idx]
            k_hit = pop.contractor[self.row][found]
            n = len(self.contractors)
            clean = np.bincount(k_all, minlength=n) - np.bincount(k_hit, minlength=n)
            hits = np.bincount(k_hit, minlength=n)
            for c in self.contractors:
                c.audited(int(clean[c.slot]), int(hits[c.slot]))
        if found.size == 0:
            return idx
        weeks = np.clip(model.week - pop.care_since[self.index][found], 1, None)
        weeks = np.minimum(weeks, max(design.audit_lookback_weeks, 1))
        amount = design.audit_penalty_multiple * over[hit] * weeks
        k = pop.contractor[self.row][found]
        per = np.bincount(k, weights=amount, minlength=len(self.contractors))
        count = np.bincount(k, minlength=len(self.contractors))
        model.recorder.add("audit_detections", float(found.size))
        for c in self.contractors:
            if count[c.slot]:
                model.book(self.params.financier, "recovery", f"recovery_{c.name}", -per[c.slot])
                c.detected(int(count[c.slot]))
        return idx

    def discharge(self, idx: np.ndarray) -> None:
        """End this provider's care of the people `idx`."""
        if idx.size == 0:
            return
        self.discharges += 1
        pop = self.model.pop
        pop.end_care(self.index, idx)
        pop.care_since[self.index][idx] = NONE
        if self.row >= 0:
            pop.contractor[self.row][idx] = -1
        self.model.recorder.log(idx, "discharge", self.index)

    def discharge_done(
        self,
        among: np.ndarray | None = None,
        among_bits: np.ndarray | None = None,
        fresh: bool = False,
    ) -> np.ndarray:
        """Discharge clients who recovered or reached the maximum duration; the rest.
        `among`: sorted slots known to hold all of this provider's clients (saves a pass
        over the population); `among_bits`: their `Population.care_bits` as they were when
        read (care ended since may still be set there: checked for this provider's part,
        unless `fresh`: this provider has ended nobody's care since they were read)."""
        pop, p, par = self.model.pop, self.index, self.params
        if among is None:
            clients = pop.in_care[p].nonzero()[0]
        elif among_bits is None:
            clients = among[pop.in_care[p][among]]
        else:
            clients = among[(among_bits & PROVIDER_BIT[p]) != 0]
            if not fresh:
                clients = clients[pop.in_care[p][clients]]
        if clients.size and (par.discharge_threshold > 0 or par.max_weeks > 0):
            sev = self.severity_of(clients)
            done = sev < par.discharge_threshold
            if par.max_weeks > 0:
                done |= pop.care_since[p][clients] <= self.model.week - par.max_weeks
            self.discharge(clients[done])
            clients = clients[~done]
        return clients

    def admit(
        self,
        clients: np.ndarray,
        among: np.ndarray | None = None,
        among_bits: np.ndarray | None = None,
    ) -> np.ndarray:
        """Admit from the waiting list (oldest first; crisis placements first) up to the free
        capacity; an institution's admission ends care at home. Returns all clients.
        `among`: sorted slots known to hold everyone on this provider's waiting list;
        `among_bits`: their `Population.wait_bits` as read earlier (nobody joined a list
        since; those who left this one since are checked)."""
        model = self.model
        pop, p, week, recorder = model.pop, self.index, model.week, model.recorder
        if among is None:
            waiting = (pop.waiting_since[p] != NONE).nonzero()[0]
        elif among_bits is None:
            waiting = among[pop.waiting_since[p][among] != NONE]
        else:
            bit = PROVIDER_BIT[p]
            waiting = among[(among_bits & bit) != 0]
            waiting = waiting[(pop.wait_bits[waiting] & bit) != 0]
        if self.contractors:
            self.place_unassigned(np.concatenate([clients, waiting]))
            waiting = self._contractor_admissions(clients, waiting)
            if waiting.size == 0:
                return clients
        else:
            free = self.capacity - clients.size
            if not (waiting.size and free > 0):
                return clients
            if waiting.size > free:
                order = stable_order(pop.waiting_since[p][waiting])
                waiting = waiting[order[:free]]
        since = pop.waiting_since[p][waiting].astype(np.int64)
        joined = np.where(since < week - PRIORITY // 2, since + PRIORITY, since)
        wait_weeks = week - joined
        pop.take_off_list(p, waiting)
        pop.start_care(p, waiting)
        pop.care_since[p][waiting] = week
        pop.used_this_year[p][waiting] = True
        self.admitted += waiting.size
        recorder.log(waiting, "admit", p)
        recorder.add("admissions", waiting.size)
        recorder.add("waiting_weeks_sum", float(wait_weeks.sum()))
        for d in self.domains:
            first = waiting[
                ~pop.helped[d][waiting] & (pop.onset_week[d][waiting] >= -model.burn_in_weeks)
            ]
            if first.size:
                recorder.add(
                    "onset_to_help_weeks_sum", float((week - pop.onset_week[d][first]).sum())
                )
                recorder.add("onset_to_help_count", first.size)
                pop.helped[d][first] = True
        if self.name in INSTITUTIONS:  # admission to an institution ends care at home
            care_bits, wait_bits = pop.care_bits[waiting], pop.wait_bits[waiting]
            for q in CARE_AT_HOME:
                bit = PROVIDER_BIT[q]
                model.providers[q].discharge(waiting[(care_bits & bit) != 0])
                pop.take_off_list(q, waiting[(wait_bits & bit) != 0])
        if self.params.financier == "wlz" and model.cfg.behaviour.wlz_before_wmo:
            model.access.end_wmo_care(waiting)
        return np.concatenate([clients, waiting])

    def _contractor_admissions(self, clients: np.ndarray, waiting: np.ndarray) -> np.ndarray:
        """Each contractor admits from its own part of the kind's waiting list (oldest
        first, crises first) up to its own free capacity; also updates each contractor's
        smoothed admissions per week. Returns the people admitted."""
        pop, row = self.model.pop, self.row
        memory = self.model.cfg.behaviour.client_wait_memory_weeks
        k_clients = np.bincount(
            np.maximum(pop.contractor[row][clients], 0), minlength=len(self.contractors)
        )
        k_waiting = pop.contractor[row][waiting]
        taken = []
        for c in self.contractors:
            mine = waiting[k_waiting == c.slot]
            free = max(c.capacity - int(k_clients[c.slot]), 0)
            if mine.size > free:
                order = stable_order(pop.waiting_since[self.index][mine])
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
            k = model.pop.contractor[self.row][clients]
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
        # earned trust (lever design.levers.earned_trust): 0 (none) - 1 (full)
        self.trust = model.cfg.administration.trust_start

    def audited(self, clean: int, findings: int) -> None:
        """Earned trust: `clean` audits that found nothing raise the contractor's trust,
        `findings` lower it (administration.trust_gain_per_clean_audit,
        trust_loss_per_finding), within 0-1."""
        adm = self.model.cfg.administration
        trust = self.trust + adm.trust_gain_per_clean_audit * clean
        self.trust = float(np.clip(trust - adm.trust_loss_per_finding * findings, 0.0, 1.0))

    def detected(self, n: int) -> None:
        """`n` audits found over-delivery: tendency and reputation fall."""
        b = self.model.cfg.behaviour
        self.detections += n
        self.tendency *= (1.0 - b.detection_tendency_cut) ** n
        self.reputation = max(0.0, self.reputation - b.detection_reputation_cut * n)
