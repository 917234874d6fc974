"""Self-reliance (eigen kracht) and the social network change over time: long formal care
lowers both (dependency, the network stepping back), welfare work (general provisions) and
carer support strengthen them, and each person drifts back toward their own level."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.fastnp import clip
from sim.population import NONE
from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


class PersonDynamics(Stage):
    """Each week: self-reliance and network move toward each person's own starting level
    (`person_recovery_per_week`), down with long formal care (`dependency_*`,
    `network_erosion_formal_per_week`), up with a general provision and a supported carer.
    Problem growth reads the new levels (`ProblemDynamics.drift`)."""

    name = "people.strength"
    purpose = "self-reliance and network: dependency on long formal care, welfare work, recovery"

    def init(self, model: SocialDomainModel) -> None:
        self.own_self_reliance = model.pop.self_reliance.copy()
        self.own_network = model.pop.network.copy()
        self.moved = np.zeros(model.n, dtype=bool)  # off their own level

    def step(self, model: SocialDomainModel) -> None:
        pop, b = model.pop, model.cfg.behaviour
        born = model.newborns
        if born.size:  # a newborn in a slot brings their own level
            self.own_self_reliance[born] = pop.self_reliance[born]
            self.own_network[born] = pop.network[born]
            self.moved[born] = False
        d_sr = np.zeros(model.n, dtype=np.float32)
        d_net = np.zeros(model.n, dtype=np.float32)
        long_care = self.long_formal_care(model)
        d_sr[long_care] -= b.dependency_self_reliance_per_week
        d_net[long_care] -= b.network_erosion_formal_per_week
        users = model.general.users()
        d_sr[users] += b.general_provision_self_reliance_gain_per_week
        d_net[users] += b.general_provision_network_gain_per_week
        supported = pop.caring_for[pop.carer_supported.nonzero()[0]]
        supported = supported[supported != NONE]  # a supported carer may have burnt out since
        d_net[supported] += b.carer_support_network_gain_per_week
        # off their own level: those with a change this week (found among the people given
        # one, not by a pass over everyone's changes)
        given = np.concatenate([long_care, users, supported])
        self.moved[given[(d_sr[given] != 0) | (d_net[given] != 0)]] = True
        # changed elsewhere (a carer's burnout costs the network)
        self.moved |= pop.network != self.own_network
        idx = self.moved.nonzero()[0]
        if idx.size == 0:
            return
        rate = b.person_recovery_per_week
        # their own levels, read once (a third of everyone after a long run)
        own_sr, own_net = self.own_self_reliance[idx], self.own_network[idx]
        sr = pop.self_reliance[idx]
        net = pop.network[idx]
        sr += rate * (own_sr - sr) + d_sr[idx]
        net += rate * (own_net - net) + d_net[idx]
        clip(sr, 0.0, 1.0, out=sr)
        clip(net, 0.0, 1.0, out=net)
        # back at their own level (within 0.001): set to it and no longer followed
        home = (np.abs(sr - own_sr) < 1e-3) & (np.abs(net - own_net) < 1e-3)
        sr[home] = own_sr[home]
        net[home] = own_net[home]
        pop.self_reliance[idx] = sr
        pop.network[idx] = net
        self.moved[idx[home]] = False

    @staticmethod
    def long_formal_care(model: SocialDomainModel) -> np.ndarray:
        """Slots of the people in some formal care for `dependency_after_weeks` or more."""
        pop, b = model.pop, model.cfg.behaviour
        care = pop.slots("care")
        if care.size == 0:
            return care
        first = pop.first_care_week(care)  # read at their care pairs only
        return care[first <= model.week - b.dependency_after_weeks]
