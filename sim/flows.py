"""Flows, not just stocks: entries, starts, ends and lead times, counted per year.

The recorder passes every event it is told about (`Recorder.log`) to a `FlowTracker`, with
or without an event log, so the flows need no hook of their own in the stages. The tracker
keeps a few per-person columns (when a person last asked for help, when they joined each
waiting list, when their Wmo care last ended) and counts, in recorded weeks only:

* starts (`admit`) and ends (`discharge`, and death while in care) per provider row, so
  that starts - ends = the change in the number of clients over the year, exactly;
* entries into Wlz care: admissions to Wlz at home, a nursing home or residential ID care
  of people in none of them, and among them those coming from Wmo care (in a Wmo provision
  at the admission, or one ended in the last 52 weeks);
* the lead time from request to decision: from the request (gatekeeping, yes-is-cheaper)
  or the signal or request (early signalling) to the assessment's decision, counted at the
  decision; a decision without a preceding request (none today) is not counted;
* the lead time from decision to care: the weeks on the waiting list at admission (crisis
  placements included), per provider row;
* the waiting time from request to care: from the request or signal of a person granted
  care (intake and assessment included) to their first start with a municipal provider
  after that grant, counted at the start; a grant that never leads to care (dropped out,
  died, asked again) is not counted;
* persons whose Wmo maatwerk care started or ended in the year, ended by death;
* dementia onsets by age (65-69, 90+) and deaths at 80+ in a nursing home.

Everything is vectorised over the people an event concerns; nothing loops over citizens.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from sim.params import PROVIDERS
from sim.population import DOM, NONE, PROV, PROVIDER_BIT

if TYPE_CHECKING:
    from sim.model import SocialDomainModel

WMO_PROVIDERS = ("household_help", "aids_and_transport", "guidance", "day_care", "id_care")
YOUTH_PROVIDERS = ("youth_ambulant", "youth_residential")
WLZ_PROVIDERS = ("wlz_at_home", "nursing_home", "residential_id")
LEGAL_DECISION_WEEKS = 8  # Wmo 2015 art. 2.3.2 + 2.3.5: 6 weeks' investigation + 2 to decide
FROM_WMO_WEEKS = 52  # "came from the Wmo": Wmo care ended at most this many weeks ago
NEVER = -(10**6)  # a week long before any simulated week


class FlowTracker:
    """Per-year flow counters, fed by the recorder's events (see the module docstring)."""

    def __init__(self, model: SocialDomainModel) -> None:
        self.model = model
        n, p = model.n, len(PROVIDERS)
        self.asked_week = np.full(n, NONE, dtype=np.int32)  # request or signal, not decided
        self.granted_asked_week = np.full(n, NONE, dtype=np.int32)  # granted, care not started
        self._municipal: frozenset[int] | None = None  # the providers exist after the recorder
        self.joined_week = np.full((p, n), NONE, dtype=np.int32)  # joined each waiting list
        self.wmo_ended_week = np.full(n, NEVER, dtype=np.int32)  # last end of Wmo care
        self.wmo_rows = np.array([PROV[q] for q in WMO_PROVIDERS], dtype=np.int64)
        self.wlz_rows = np.array([PROV[q] for q in WLZ_PROVIDERS], dtype=np.int64)
        self._wmo_set = frozenset(PROV[q] for q in WMO_PROVIDERS)  # membership tests
        self._wlz_set = frozenset(PROV[q] for q in WLZ_PROVIDERS)
        # the same rows as bits of `Population.care_bits`; per Wlz row, the other Wlz rows
        self._wmo_bits = np.bitwise_or.reduce(PROVIDER_BIT[self.wmo_rows])
        self._other_wlz_bits = {
            p: np.bitwise_or.reduce(PROVIDER_BIT[self.wlz_rows[self.wlz_rows != p]])
            for p in self._wlz_set
        }
        # the counters' names per provider row, made once
        self._keys = {
            key: [f"{key}__{name}" for name in PROVIDERS]
            for key in ("starts", "ends", "wait_weeks_sum", "wait_known", "deaths_in_care")
        }
        self.recording = False
        self.reset_year()

    # ----- the year
    def reset_year(self) -> None:
        """Start a new year: zero the counters, remember the clients per provider."""
        n = self.model.n
        self.counts: dict[str, float] = defaultdict(float)
        self.wmo_started = np.zeros(n, dtype=bool)
        self.wmo_ended = np.zeros(n, dtype=bool)
        self.wmo_ended_by_death = np.zeros(n, dtype=bool)
        self.clients_at_start = self.model.pop.in_care.sum(axis=1).astype(float)

    def year_figures(self) -> dict[str, float]:
        """The year's raw flow figures (counts and sums), for the recorder's yearly row."""
        pop = self.model.pop
        y = dict(self.counts)
        clients = pop.in_care.sum(axis=1).astype(float)
        for k, name in enumerate(PROVIDERS):
            y[f"clients_at_start__{name}"] = float(self.clients_at_start[k])
            y[f"clients_at_end__{name}"] = float(clients[k])
            for key in ("starts", "ends", "deaths_in_care", "wait_weeks_sum", "wait_known"):
                y.setdefault(f"{key}__{name}", 0.0)
        y["wmo_starts_persons"] = float(np.count_nonzero(self.wmo_started))
        y["wmo_ends_persons"] = float(np.count_nonzero(self.wmo_ended))
        y["wmo_ends_by_death_persons"] = float(np.count_nonzero(self.wmo_ended_by_death))
        y["under_23"] = float(np.count_nonzero(pop.age < 23))
        dementia_free = pop.severity[DOM["dementia"]] <= 0
        y["dementia_free_65_69"] = float(np.count_nonzero(dementia_free & _band(pop.age, 65, 70)))
        y["dementia_free_90plus"] = float(np.count_nonzero(dementia_free & (pop.age >= 90)))
        return y

    # ----- events
    def event(self, idx: np.ndarray, kind: str, detail: np.ndarray | int) -> None:
        """Follow one event of the people `idx` (called by `Recorder.log`, before the event
        log, so it works without one)."""
        handler = _HANDLERS.get(kind)
        if handler is not None and idx.size:
            handler(self, idx, detail)

    def _add(self, key: str, value: float) -> None:
        if self.recording:
            self.counts[key] += value

    def _asked(self, idx: np.ndarray, detail: np.ndarray | int) -> None:
        # a request or signal is only logged for someone not in the intake queue; it starts
        # a new episode, so an earlier grant whose care never started is forgotten
        self.asked_week[idx] = self.model.week
        self.granted_asked_week[idx] = NONE

    def _approved(self, idx: np.ndarray, detail: np.ndarray | int) -> None:
        # remember when the granted asked, until their care starts (`_admitted`)
        asked = self.asked_week[idx]
        known = asked != NONE
        self.granted_asked_week[idx[known]] = asked[known]
        self._decided(idx, detail)

    def _decided(self, idx: np.ndarray, detail: np.ndarray | int) -> None:
        asked = self.asked_week[idx]
        known = asked[asked != NONE]
        lead = self.model.week - known.astype(np.int64)
        self.asked_week[idx] = NONE
        self._add("decisions", float(known.size))
        self._add("request_to_decision_weeks_sum", float(lead.sum()))
        self._add("decisions_over_legal_term", float(np.count_nonzero(lead > LEGAL_DECISION_WEEKS)))

    def _waitlisted(self, idx: np.ndarray, detail: np.ndarray | int) -> None:
        self.joined_week[_first(detail)][idx] = self.model.week

    def _admitted(self, idx: np.ndarray, detail: np.ndarray | int) -> None:
        model = self.model
        pop, week = model.pop, model.week
        p = _first(detail)
        keys = self._keys
        joined = self.joined_week[p][idx]
        known = joined[joined != NONE]
        self.joined_week[p][idx] = NONE
        self._add(keys["starts"][p], float(idx.size))
        # the weeks waited, summed (integers, exact): week x count - the weeks joined
        waited = week * known.size - int(known.sum(dtype=np.int64))
        self._add(keys["wait_weeks_sum"][p], float(waited))
        self._add(keys["wait_known"][p], float(known.size))
        if self._municipal is None:
            self._municipal = frozenset(pr.index for pr in model.providers if pr.municipal)
        if p in self._municipal:
            # request to care: the first municipal start after a grant ends the wait
            asked = self.granted_asked_week[idx]
            started = idx[asked != NONE]
            if started.size:
                weeks = week - self.granted_asked_week[started].astype(np.int64)
                self.granted_asked_week[started] = NONE
                self._add("request_to_care_count", float(started.size))
                self._add("request_to_care_weeks_sum", float(weeks.sum()))
                self._add(
                    "request_to_care_over_legal_term",
                    float(np.count_nonzero(weeks > LEGAL_DECISION_WEEKS)),
                )
        if p in self._wmo_set:
            if self.recording:
                self.wmo_started[idx] = True
        elif p in self._wlz_set:
            # in none of the other Wlz rows; from the Wmo: in Wmo care (their care as bits)
            # or Wmo care ended recently
            new = idx[(pop.care_bits[idx] & self._other_wlz_bits[p]) == 0]
            from_wmo = ((pop.care_bits[new] & self._wmo_bits) != 0) | (
                self.wmo_ended_week[new] >= week - FROM_WMO_WEEKS
            )
            self._add("wlz_entries", float(new.size))
            self._add("wlz_entries_from_wmo", float(np.count_nonzero(from_wmo)))

    def _discharged(self, idx: np.ndarray, detail: np.ndarray | int) -> None:
        p = _first(detail)
        self._add(self._keys["ends"][p], float(idx.size))
        if p in self._wmo_set:
            self.wmo_ended_week[idx] = self.model.week
            if self.recording:
                self.wmo_ended[idx] = True

    def _died(self, idx: np.ndarray, detail: np.ndarray | int) -> None:
        pop = self.model.pop
        # their care as bits (`Population.care_bits`): (people, providers) booleans
        bits = pop.care_bits[idx]
        in_care = (bits[:, None] & PROVIDER_BIT) != 0
        per_provider = np.count_nonzero(in_care, axis=0)
        for k in per_provider.nonzero()[0]:
            self._add(self._keys["deaths_in_care"][k], float(per_provider[k]))
        old = pop.age[idx] >= 80
        self._add("deaths_80plus", float(np.count_nonzero(old)))
        self._add(
            "deaths_80plus_in_nursing_home",
            float(np.count_nonzero(old & in_care[:, PROV["nursing_home"]])),
        )
        if self.recording:
            in_wmo = idx[(bits & self._wmo_bits) != 0]
            self.wmo_ended[in_wmo] = True
            self.wmo_ended_by_death[in_wmo] = True

    def _born(self, idx: np.ndarray, detail: np.ndarray | int) -> None:
        # the slot now holds a newborn: forget the previous occupant's history
        self.asked_week[idx] = NONE
        self.granted_asked_week[idx] = NONE
        self.joined_week[:, idx] = NONE
        self.wmo_ended_week[idx] = NEVER

    def _onset(self, idx: np.ndarray, detail: np.ndarray | int) -> None:
        if _first(detail) != DOM["dementia"]:
            return
        age = self.model.pop.age[idx]
        self._add("dementia_onsets_65_69", float(np.count_nonzero(_band(age, 65, 70))))
        self._add("dementia_onsets_90plus", float(np.count_nonzero(age >= 90)))


def _first(detail: np.ndarray | int) -> int:
    """An event's detail (a provider row, a domain) as one integer."""
    return detail if type(detail) is int else int(np.asarray(detail).flat[0])


def _band(age: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return (age >= lo) & (age < hi)


_HANDLERS = {
    "request": FlowTracker._asked,
    "signal": FlowTracker._asked,
    "approved": FlowTracker._approved,
    "refused": FlowTracker._decided,
    "waitlist": FlowTracker._waitlisted,
    "admit": FlowTracker._admitted,
    "discharge": FlowTracker._discharged,
    "death": FlowTracker._died,
    "birth": FlowTracker._born,
    "onset": FlowTracker._onset,
}

__all__ = ["LEGAL_DECISION_WEEKS", "WLZ_PROVIDERS", "FlowTracker"]
