"""Outcome recorder: weekly time series, yearly outcomes, and each person's history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.fastnp import clip
from sim.flows import WMO_PROVIDERS, YOUTH_PROVIDERS, FlowTracker
from sim.need import need_met
from sim.params import DOMAINS, ESCALATIONS, PLACES, PROVIDERS
from sim.population import DOM, NONE, PROV, PROVIDER_BIT
from sim.private_market import household_help_users_by_income

if TYPE_CHECKING:
    from sim.model import SocialDomainModel

EVENT_KINDS = (
    "onset",
    "signal",
    "request",
    "approved",
    "refused",
    "waitlist",
    "admit",
    "discharge",
    "escalation",
    "carer_assigned",
    "carer_burnout",
    "death",
    "birth",
    "case_holder",
    "dropout",
)
EVENT_CODES = {k: i for i, k in enumerate(EVENT_KINDS)}


@dataclass
class CitizenView:
    """One person, readable."""

    slot: int
    person_id: int
    age: float
    income: str
    self_reliance: float
    network: float
    problems: dict[str, float]
    receiving: list[str]
    waiting_for: list[str]
    informal_carer: int | None
    caring_for: int | None
    carer_burden: float
    history: list[str]

    def __str__(self) -> str:
        lines = [
            f"person {self.person_id} (slot {self.slot}), age {self.age:.0f}, "
            f"{self.income} income, self-reliance {self.self_reliance:.2f}"
        ]
        probs = ", ".join(f"{k} {v:.2f}" for k, v in self.problems.items() if v > 0) or "none"
        lines.append(f"problems: {probs}")
        lines.append(
            f"receiving: {', '.join(self.receiving) or 'nothing'}; waiting for: "
            f"{', '.join(self.waiting_for) or 'nothing'}"
        )
        lines.extend("  " + h for h in self.history)
        return "\n".join(lines)


class Recorder:
    """Collects weekly figures and events during a run and turns them into tables."""

    def __init__(self, model: SocialDomainModel, record_events: bool = True) -> None:
        self.model = model
        self.record_events = record_events
        self.weekly: list[dict[str, float]] = []
        self.yearly: list[dict[str, float]] = []
        self._week: dict[str, float] = defaultdict(float)
        self._year: dict[str, float] = defaultdict(float)
        self._recording = False
        self._events: list[tuple[np.ndarray, ...]] = []
        self._units = np.zeros(len(PROVIDERS))  # units delivered per provider (not money)
        self.cost_to_date_eur = 0.0  # the ledger's weekly totals, summed (for the DataCollector)
        self.flows = FlowTracker(model)  # starts, ends, entries and lead times per year

    # ----- accumulation
    def new_week(self, recording: bool) -> None:
        self._recording = recording
        self.flows.recording = recording
        self._week = defaultdict(float)

    def add(self, key: str, value: float) -> None:
        self._week[key] += value

    def add_provider_units(self, p: int, units: float) -> None:
        """Units provider p delivered (counted in recorded weeks)."""
        if self._recording:
            self._units[p] += units

    def last(self, key: str) -> float:
        return float(self.weekly[-1].get(key, 0.0)) if self.weekly else 0.0

    def this_week(self, key: str) -> float:
        """What has been added to `key` so far this week."""
        return float(self._week.get(key, 0.0))

    def log(self, idx: np.ndarray, kind: str, detail: np.ndarray | int = 0) -> None:
        """An event of the people `idx`: counted in the flows, kept in the event log if on."""
        self.flows.event(idx, kind, detail)
        if not (self.record_events and idx.size):
            return
        m = self.model
        det = np.broadcast_to(np.asarray(detail, dtype=np.int16), idx.shape).copy()
        self._events.append(
            (
                np.full(idx.size, m.week, dtype=np.int32),
                m.pop.person_id[idx].copy(),
                np.full(idx.size, EVENT_CODES[kind], dtype=np.int8),
                det,
            )
        )

    # ----- weekly and yearly figures
    def record_week(self) -> None:
        m = self.model
        pop, b = m.pop, m.cfg.behaviour
        if not self._recording:
            return
        w = self._week
        w["week"] = m.week
        # the need no source meets (formal care, light help, informal care, general
        # provisions: sim.need); waiting counts as unmet
        met = need_met(m)
        unhelped = met.residual
        w["unmet_need_persons"] = float(np.count_nonzero(unhelped >= b.serious_threshold))
        for source, value in met.met_by.items():
            w[f"met_by_{source}"] = value
        max_sev = m.access.max_severity  # fresh: the help state is updated just before recording
        # the carers (links are pairs): only they lose wellbeing to their burden; for the
        # others that term is 0 and subtracting it changes nothing
        carers = pop.carer[pop.cared_for_slots()]
        carer_burden = pop.burden[carers]
        # 1 - w_unmet x unhelped - w_severity x max_sev, in one buffer (the same operations)
        wellbeing = np.multiply(unhelped, b.wellbeing_weight_unmet)
        np.subtract(1.0, wellbeing, out=wellbeing)
        wellbeing -= np.multiply(max_sev, b.wellbeing_weight_severity)
        burden = b.wellbeing_weight_carer_burden * np.minimum(carer_burden, 1.0)
        wellbeing = wellbeing.astype(np.result_type(wellbeing, burden), copy=False)
        wellbeing[carers] -= burden
        clip(wellbeing, 0, 1, out=wellbeing)
        w["wellbeing_index_0_100"] = float(100.0 * wellbeing.mean())
        # the maintained sets and each person's providers as bits (no pass over everyone)
        in_care, on_lists = pop.slots("care"), pop.slots("lists")
        w["waiting_persons"] = float(on_lists.size)
        w["intake_queue"] = float(np.count_nonzero(pop.request_since != NONE))
        w["users_any_care"] = float(in_care.size)
        care_bits, wait_bits = pop.care_bits[in_care], pop.wait_bits[on_lists]
        for name in PROVIDERS:
            bit = PROVIDER_BIT[PROV[name]]
            w[f"clients__{name}"] = float(np.count_nonzero(care_bits & bit))
            w[f"waiting__{name}"] = float(np.count_nonzero(wait_bits & bit))
        w["carers"] = float(carers.size)
        w["heavily_burdened_carers"] = float(np.count_nonzero(carer_burden >= b.carer_heavy_burden))
        w["case_holder_cases"] = float(np.count_nonzero(pop.case_holder))
        w["budget_pressure"] = m.municipality.pressure
        w["cost_eur"] = float(m.ledger.week_by_financier.sum())
        self.cost_to_date_eur += w["cost_eur"]
        self.weekly.append(dict(w))
        for k, v in w.items():
            if k != "week":
                self._year[k] += v

    def reset_year(self) -> None:
        self._year = defaultdict(float)
        self.model.pop.used_this_year[:] = self.model.pop.in_care
        self.flows.reset_year()

    def close_year(self, recording: bool) -> None:
        """Year-end figures that need person-level state (users in the year, prevalences)."""
        m = self.model
        pop = m.pop
        if recording:
            n = m.n
            used = pop.used_this_year
            y: dict[str, float] = {"year": m.week // 52}
            wmo = used[[PROV[p] for p in WMO_PROVIDERS]].any(axis=0)
            y["wmo_users_share"] = float(wmo.mean())
            young = pop.age < 23
            youth = used[[PROV[p] for p in YOUTH_PROVIDERS]].any(axis=0)
            y["youth_care_share_under_23"] = float((youth & young).sum() / max(young.sum(), 1))
            y["youth_residential_share_under_23"] = float(
                (used[PROV["youth_residential"]] & young).sum() / max(young.sum(), 1)
            )
            wlz = pop.in_care[
                [PROV["wlz_at_home"], PROV["nursing_home"], PROV["residential_id"]]
            ].any(axis=0)
            y["wlz_share"] = float(wlz.mean())
            adults16 = pop.age >= 16
            carers = pop.caring_for != NONE
            y["informal_carers_share_16plus"] = float(
                (carers & adults16).sum() / max(adults16.sum(), 1)
            )
            y["heavily_burdened_share_of_carers"] = float(
                self._year["heavily_burdened_carers"] / max(self._year["carers"], 1)
            )
            y["dementia_prevalence_share"] = float(
                np.count_nonzero(pop.severity[DOM["dementia"]] > 0) / n
            )
            for p in PROVIDERS:
                y[f"users__{p}"] = float(np.count_nonzero(used[PROV[p]]))
            y["wmo_users"] = float(np.count_nonzero(wmo))
            y.update(household_help_users_by_income(m))
            y.update(self.flows.year_figures())
            for k, v in self._year.items():
                y[k] = v
            self.yearly.append(y)
        self._year = defaultdict(float)
        pop.used_this_year[:] = pop.in_care
        self.flows.reset_year()

    # ----- tables
    def weekly_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.weekly).fillna(0.0)

    def yearly_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.yearly).fillna(0.0)

    def events_frame(self) -> pd.DataFrame:
        if not self._events:
            return pd.DataFrame({"week": [], "person_id": [], "event": [], "detail": []})
        cols = [np.concatenate(c) for c in zip(*self._events, strict=True)]
        return pd.DataFrame(
            {"week": cols[0], "person_id": cols[1], "event": cols[2], "detail": cols[3]}
        )

    def provider_units(self) -> np.ndarray:
        """Units delivered per provider (order of `PROVIDERS`) over the recorded weeks."""
        return self._units.copy()

    # ----- one person
    def citizen(self, i: int) -> CitizenView:
        m = self.model
        pop = m.pop
        if not 0 <= i < m.n:
            raise IndexError(f"no citizen slot {i}; slots run from 0 to {m.n - 1}")
        pid = int(pop.person_id[i])
        history: list[str] = []
        for week, _, code, detail in self._person_events(pid):
            history.append(f"week {week}: {_describe(int(code), int(detail))}")
        carer = int(pop.carer[i])
        cf = int(pop.caring_for[i])
        return CitizenView(
            slot=i,
            person_id=pid,
            age=float(pop.age[i]),
            income=("low", "middle", "high")[int(pop.income[i])],
            self_reliance=float(pop.self_reliance[i]),
            network=float(pop.network[i]),
            problems={d: round(float(pop.severity[k, i]), 3) for k, d in enumerate(DOMAINS)},
            receiving=[p for k, p in enumerate(PROVIDERS) if pop.in_care[k, i]],
            waiting_for=[p for k, p in enumerate(PROVIDERS) if pop.waiting_since[k, i] != NONE],
            informal_carer=None if carer == NONE else carer,
            caring_for=None if cf == NONE else cf,
            carer_burden=float(pop.burden[i]),
            history=history,
        )

    def _person_events(self, pid: int) -> list[tuple[Any, ...]]:
        out = []
        for week, person, code, detail in self._events:
            hit = (person == pid).nonzero()[0]
            out.extend(zip(week[hit], person[hit], code[hit], detail[hit], strict=True))
        return out


def _describe(code: int, detail: int) -> str:
    kind = EVENT_KINDS[code]
    if kind == "onset":
        return f"problem began: {DOMAINS[detail]}"
    if kind == "signal":
        return f"signal from care-finding place: {PLACES[detail]}"
    if kind in ("waitlist", "admit", "discharge"):
        verb = {
            "waitlist": "on waiting list for",
            "admit": "admitted to",
            "discharge": "care ended:",
        }[kind]
        return f"{verb} {PROVIDERS[detail]}"
    if kind == "escalation":
        return f"escalation: {ESCALATIONS[detail]}"
    return kind.replace("_", " ")
