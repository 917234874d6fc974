"""Demography: ageing, deaths and births; youth problems become adult problems at 23."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.population import DOM, NO_END, NO_ONSET, NONE, PROV, reset_newborns
from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


class Demography(Stage):
    """Ageing, deaths (Gompertz mortality raised by frailty and dementia; nursing-home
    residents die at least at `nursing_home_mortality_floor_per_year`), and births that take
    the dead's slots. Youth problems become adult mental health problems at 23."""

    name = "demography"
    purpose = "ageing, deaths (Gompertz, raised by frailty/dementia), births in the dead's slots"

    def init(self, model: SocialDomainModel) -> None:
        self.next_person_id = model.n
        bound = self._mortality_bound_by_age(model)
        top = bound.size - 1
        self.bound_by_whole_age = bound[np.minimum(np.arange(top + 1) + 1, top)]

    @staticmethod
    def _mortality_bound_by_age(model: SocialDomainModel) -> np.ndarray:
        """Upper bound of the weekly death hazard per whole year of age (worst case:
        severity 1, in a nursing home)."""
        b = model.cfg.behaviour
        years = np.arange(132, dtype=np.float64)
        worst = (1.0 + b.mortality_excess_severity) * max(b.nursing_home_mortality_multiplier, 1.0)
        bound = b.mortality_gompertz_a * np.exp(b.mortality_gompertz_b * years) * worst / 52.0
        bound = np.maximum(bound, b.nursing_home_mortality_floor_per_year / 52.0)
        return bound.astype(np.float32) * np.float32(1.0001)

    def step(self, model: SocialDomainModel) -> None:
        pop, b = model.pop, model.cfg.behaviour
        pop.age += np.float32(1.0 / 52.0)
        u = model.draws.uniform("demography")
        # the exact hazard only for people below the per-age bound
        # the bound at the next whole year of age (the top year's beyond), by whole age
        c = np.flatnonzero(
            u < np.take(self.bound_by_whole_age, pop.age.astype(np.int16), mode="clip")
        )
        sev = np.maximum(pop.severity[DOM["frailty"]][c], pop.severity[DOM["dementia"]][c])
        hazard = (
            b.mortality_gompertz_a
            * np.exp(b.mortality_gompertz_b * pop.age[c])
            * (1.0 + b.mortality_excess_severity * sev)
        )
        resident = pop.in_care[PROV["nursing_home"]][c]
        hazard[resident] = np.maximum(
            hazard[resident] * b.nursing_home_mortality_multiplier,
            b.nursing_home_mortality_floor_per_year,
        )
        dead = c[u[c] < hazard / 52.0]
        if dead.size:
            model.recorder.log(dead, "death")
            model.recorder.add("deaths", dead.size)
            self.release_carer_links(model, dead)
            self.next_person_id = reset_newborns(
                pop, dead, self.next_person_id, model.cfg, model.draws.week_rng("births")
            )
            model.recorder.log(dead, "birth")
            model.problems.refresh_person_rates(model, dead)
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
