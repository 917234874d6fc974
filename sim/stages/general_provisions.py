"""General provisions (algemene voorzieningen): welfare work with volunteers, community
centres, meeting places and groups. Cheap, without a formal decision, paid from the welfare
budget, carried by volunteers who drop away and burn out under load. People use them on
their own, or are referred by a care-finding place, the kitchen-table conversation or a
case holder; a stabilised case in municipal care steps down to one (substitution)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.population import NONE
from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


class GeneralProvisions(Stage):
    """Who uses a general provision (`until`: the week their use ends, NONE if they use
    none), the volunteers who carry them, referrals from care-finding places, walk-ins,
    substitution from municipal care, and the welfare cost."""

    name = "general_provisions"
    purpose = "general provisions: walk-ins, referrals, substitution, volunteers, welfare cost"

    def init(self, model: SocialDomainModel) -> None:
        self.model = model
        self.until = np.full(model.n, NONE, dtype=np.int32)
        self.target_volunteers = model.cfg.behaviour.volunteers_per_1000 * model.n / 1000.0
        self.volunteers = self.target_volunteers
        self._users: np.ndarray | None = None  # users() until `until` changes

    # ------------------------------------------------------------------------- queries
    def users(self) -> np.ndarray:
        """Sorted slots of the people using a general provision (found again only after
        `until` changed; the array returned is never modified)."""
        if self._users is None:
            self._users = (self.until != NONE).nonzero()[0]
        return self._users

    def capacity_share(self) -> float:
        """Share of the users the volunteers can carry (1 when there are enough)."""
        b = self.model.cfg.behaviour
        n_users = self.users().size
        carried = self.volunteers * b.participants_per_volunteer
        return 1.0 if n_users <= carried else carried / n_users

    def fits(self, need: np.ndarray) -> np.ndarray:
        """Whether a general provision fits a problem of severity `need` (0 < need <= max)."""
        return (need > 0) & (need <= self.model.cfg.behaviour.general_provision_fit_max_severity)

    # ------------------------------------------------------------------------- referral
    def refer(self, idx: np.ndarray, source: str) -> None:
        """The people `idx` start using a general provision (no decision, no waiting list);
        those already using one go on. Their use lasts a geometric number of weeks with
        mean `behaviour.general_provision_stay_weeks`. `source` names who referred them
        (recorded as `general_provision_from_<source>`)."""
        model = self.model
        idx = idx[self.until[idx] == NONE]
        if idx.size == 0:
            return
        mean = max(model.cfg.behaviour.general_provision_stay_weeks, 1.0)
        u = model.draws.person_uniform("referrals", "general_provision_stay")[idx]
        weeks = np.ceil(np.log1p(-u) / np.log1p(-1.0 / mean)) if mean > 1 else np.ones(idx.size)
        self.until[idx] = model.week + np.maximum(weeks, 1).astype(np.int32)
        self._users = None
        model.recorder.add(f"general_provision_from_{source}", idx.size)

    # ------------------------------------------------------------------------- the week
    def step(self, model: SocialDomainModel) -> None:
        b = model.cfg.behaviour
        born = model.newborns
        if born.size:  # a newborn in a slot uses nothing
            self.until[born] = NONE
            self._users = None
        users = self.users()
        done = users[(self.until[users] <= model.week) | (model.access.max_severity[users] <= 0)]
        if done.size:
            self.until[done] = NONE
            self._users = None
        self._walk_ins(model)
        self._place_referrals(model)
        self._substitution(model)
        users = self.users()
        # volunteers: turnover rises with the load; recruitment closes the gap to the start
        carried = max(self.volunteers * b.participants_per_volunteer, 1e-9)
        load = users.size / carried
        dropout = b.volunteer_dropout_per_week * (
            1.0 + b.volunteer_overload_dropout * max(load - 1.0, 0.0)
        )
        self.volunteers += (
            b.volunteer_recruitment_per_week * (self.target_volunteers - self.volunteers)
            - dropout * self.volunteers
        )
        self.volunteers = max(self.volunteers, 0.0)
        if users.size:
            model.book(
                "welfare",
                "prevention",
                "general_provisions",
                users.size * b.general_provision_eur_per_user_week,
            )
        model.recorder.add("general_provision_users", float(users.size))
        model.recorder.add("volunteers", float(self.volunteers))

    def _walk_ins(self, model: SocialDomainModel) -> None:
        """People with an unhelped problem above the asking threshold that a general
        provision fits walk in, more often with a stronger network."""
        b = model.cfg.behaviour
        if b.general_provision_self_use_per_week <= 0:
            return
        need = model.access.unhelped_max
        could = (need >= b.asking_threshold).nonzero()[0]
        could = could[self.until[could] == NONE]
        could = could[self.fits(need[could])]
        prob = b.general_provision_self_use_per_week * (0.5 + model.pop.network[could])
        u = model.draws.person_uniform("referrals", "general_provision_walk_in")[could]
        self.refer(could[u < prob], "walk_in")

    def _place_referrals(self, model: SocialDomainModel) -> None:
        """Care-finding places refer detected problems that a general provision fits."""
        b = model.cfg.behaviour
        detected = model.contacts.detected
        if detected.size == 0 or b.general_provision_place_referral_prob <= 0:
            return
        ok = detected[self.fits(model.access.unhelped_max[detected])]
        u = model.draws.person_uniform("referrals", "general_provision_place")[ok]
        self.refer(ok[u < b.general_provision_place_referral_prob], "place")

    def _substitution(self, model: SocialDomainModel) -> None:
        """Substitution (seed 003): municipal care that has run `substitution_after_weeks`
        and whose need has fallen below `substitution_severity` ends; the person steps down
        to a general provision."""
        b = model.cfg.behaviour
        if b.substitution_severity <= 0:
            return
        pop, access = model.pop, model.access
        care = pop.slots("care")
        clients = care[(pop.care_bits[care] & access.municipal_bits) != 0]
        if clients.size == 0:
            return
        need = access.need_for_municipal_care(clients)
        low = clients[need < b.substitution_severity]
        if low.size == 0:
            return
        municipal = np.zeros(len(model.providers), dtype=bool)
        municipal[access.municipal_rows] = True
        started = pop.first_care_week(low, municipal)  # the earliest municipal start
        stable = low[started <= model.week - b.substitution_after_weeks]
        if stable.size == 0:
            return
        access.stop_municipal_care(stable)
        pop.indicated_until[stable] = NONE
        model.recorder.add("substitutions", stable.size)
        self.refer(stable[model.access.max_severity[stable] > 0], "substitution")
