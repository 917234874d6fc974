"""Demography: ageing, deaths and births; youth problems become adult problems at 23."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.population import DOM, NO_END, NO_ONSET, NONE, PROV, reset_newborns
from sim.stages.base import Stage

LIFE_TABLE_BANDS = 21  # 5-year age bands, the last 100+
NO_SLOTS = np.zeros(0, dtype=np.intp)  # no newborns this week (read-only)
NO_SLOTS.flags.writeable = False

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


class Demography(Stage):
    """Ageing, deaths (the Gompertz life table sets how many die per age band; frailty,
    dementia and the nursing home who; nursing-home residents die at least at
    `nursing_home_mortality_floor_per_year`), and births that take the dead's slots. Youth
    problems become adult mental health problems at 23."""

    name = "demography"
    purpose = "ageing, deaths (life table per age; frailty/dementia say who), births in slots"

    def init(self, model: SocialDomainModel) -> None:
        self.next_person_id = model.n
        self.refresh_life_table(model)

    def refresh_life_table(self, model: SocialDomainModel) -> None:
        """Tie the Gompertz curve to the population's mean. Per 5-year age band, find the
        divisor of everyone's relative risk (1 + e x max(frailty, dementia), x the
        nursing-home multiplier for residents, residents at least at the floor) that makes
        the band's expected deaths the life table's (where the floor alone exceeds them,
        the band's mean relative risk): the Gompertz curve sets how many die at
        each age, frailty, dementia and the nursing home who. Refreshed at the end of each
        year of burn-in (today's practice; the last time in week -1), so every design starts
        from the same divisors and a design that changes frailty changes deaths."""
        pop, b = model.pop, model.cfg.behaviour
        band = self._band(pop.age)
        gompertz = b.mortality_gompertz_a * np.exp(b.mortality_gompertz_b * pop.age.astype(float))
        hazard = gompertz * self._relative_risk(model, np.arange(pop.n))
        resident = pop.in_care[PROV["nursing_home"]]
        floor = b.nursing_home_mortality_floor_per_year
        table = np.bincount(band, weights=gompertz, minlength=LIFE_TABLE_BANDS)
        # expected deaths fall as the divisor grows: bisect its logarithm, per band at once
        lo = np.zeros(LIFE_TABLE_BANDS)  # a divisor of 1: risk never lowers a hazard
        hi = np.full(LIFE_TABLE_BANDS, np.log(1e6))
        for _ in range(40):
            mid = (lo + hi) / 2.0
            h = hazard / np.exp(mid)[band]
            h[resident] = np.maximum(h[resident], floor)
            over = np.bincount(band, weights=h, minlength=LIFE_TABLE_BANDS) > table
            lo = np.where(over, mid, lo)
            hi = np.where(over, hi, mid)
        # where the residents' floor alone reaches the band's deaths (a young band with a
        # resident), no divisor can: that band keeps its mean relative risk
        count = np.bincount(band, minlength=LIFE_TABLE_BANDS)
        mean_risk = np.bincount(band, weights=hazard / gompertz, minlength=LIFE_TABLE_BANDS)
        mean_risk = np.where(count > 0, mean_risk / np.maximum(count, 1), 1.0)
        floored = np.bincount(band[resident], minlength=LIFE_TABLE_BANDS) * floor
        self.risk_divisor_by_band = np.where(floored < table, np.exp(hi), mean_risk)
        # upper bound of the weekly hazard of a person of each whole year of age k (age below
        # k + 1, band of k; worst case: severity 1, in a nursing home)
        k = np.arange(132)
        worst = (1.0 + b.mortality_excess_severity) * max(b.nursing_home_mortality_multiplier, 1.0)
        bound = (
            b.mortality_gompertz_a
            * np.exp(b.mortality_gompertz_b * (k + 1.0))
            * worst
            / self.risk_divisor_by_band[self._band(k)]
            / 52.0
        )
        bound = np.maximum(bound, b.nursing_home_mortality_floor_per_year / 52.0)
        self.bound_by_whole_age = bound.astype(np.float32) * np.float32(1.0001)

    @staticmethod
    def _band(age: np.ndarray) -> np.ndarray:
        """5-year age band (0-4, 5-9, ..., 100+)."""
        return np.minimum(age.astype(np.int64) // 5, LIFE_TABLE_BANDS - 1)

    @staticmethod
    def _relative_risk(model: SocialDomainModel, c: np.ndarray) -> np.ndarray:
        """Mortality relative to a person of the same age without frailty or dementia outside
        a nursing home."""
        pop, b = model.pop, model.cfg.behaviour
        sev = np.maximum(pop.severity[DOM["frailty"]][c], pop.severity[DOM["dementia"]][c])
        risk = 1.0 + b.mortality_excess_severity * sev.astype(np.float64)
        risk[pop.in_care[PROV["nursing_home"]][c]] *= b.nursing_home_mortality_multiplier
        return risk

    def step(self, model: SocialDomainModel) -> None:
        pop, b = model.pop, model.cfg.behaviour
        model.newborns = NO_SLOTS
        pop.age += np.float32(1.0 / 52.0)
        # the exact hazard only for people below the per-age bound (the bound at the next
        # whole year of age, the top year's beyond, by whole age); first against the largest
        # bound up to the oldest person's age: the stream gives only the uniforms below it
        # (the same numbers as the full draw), then each candidate's own
        bound = self.bound_by_whole_age
        oldest = min(int(pop.age.max()), bound.size - 1)
        c, u_c = model.draws.uniform_below("demography", bound[: oldest + 1].max())
        below = u_c < bound.take(pop.age[c].astype(np.int16), mode="clip")
        c, u_c = c[below], u_c[below]
        hazard = (
            b.mortality_gompertz_a
            * np.exp(b.mortality_gompertz_b * pop.age[c])
            * self._relative_risk(model, c)
            / self.risk_divisor_by_band[self._band(pop.age[c])]
        )
        resident = pop.in_care[PROV["nursing_home"]][c]
        hazard[resident] = np.maximum(hazard[resident], b.nursing_home_mortality_floor_per_year)
        dead = c[u_c < hazard / 52.0]
        if dead.size:
            model.recorder.log(dead, "death")
            model.recorder.add("deaths", dead.size)
            self.release_carer_links(model, dead)
            self.next_person_id = reset_newborns(
                pop, dead, self.next_person_id, model.cfg, model.draws.week_rng("births")
            )
            model.recorder.log(dead, "birth")
            model.newborns = np.sort(dead)
        y = DOM["youth_family"]
        youth = pop.problem_slots(y)
        grown = youth[pop.age[youth] >= 23.0]
        if grown.size:
            mh = DOM["mental_health"]
            pop.problem_started(mh, grown)
            pop.severity[mh][grown] = np.maximum(pop.severity[mh][grown], pop.severity[y][grown])
            new = grown[pop.onset_week[mh][grown] == NO_ONSET]  # the episode carries on
            pop.onset_week[mh][new] = pop.onset_week[y][new]
            pop.end_week[mh][new] = pop.end_week[y][new]
            pop.severity[y][grown] = 0.0
            pop.problems_ended(y)
            pop.onset_week[y][grown] = NO_ONSET
            pop.end_week[y][grown] = NO_END
            for p in (PROV["youth_ambulant"], PROV["youth_residential"]):
                model.providers[p].discharge(grown[pop.in_care[p][grown]])
                pop.take_off_list(p, grown)
        if model.week < 0 and model.week % 52 == 51:  # the last week of a year of burn-in
            self.refresh_life_table(model)

    @staticmethod
    def release_carer_links(model: SocialDomainModel, dead: np.ndarray) -> None:
        """The dead neither give nor receive informal care any more."""
        pop = model.pop
        cared = pop.caring_for[dead]
        pop.carer[cared[cared != NONE]] = NONE
        helper = pop.carer[dead]
        pop.caring_for[helper[helper != NONE]] = NONE
        pop.caring_for[dead] = NONE
        pop.carer[dead] = NONE
