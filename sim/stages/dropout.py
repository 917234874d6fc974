"""Drop-out: people leave the intake queue or a provider's waiting list at a weekly hazard
(per queue kind, optionally rising with the time already waited; lower after a warm
hand-off to a municipal list); they keep their problem and may ask again after a cooldown
(`Access.drop_out`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.population import NONE, PRIORITY, PROVIDER_BIT
from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


def dropout_hazard(base: float, weeks_waited: np.ndarray, rise_per_year: float) -> np.ndarray:
    """Weekly probability of leaving a queue after `weeks_waited` weeks in it."""
    # np.minimum/np.maximum: the values of np.clip, without its wrapper's checks
    return np.minimum(np.maximum(base * (1.0 + rise_per_year * weeks_waited / 52.0), 0.0), 1.0)


def weeks_on_list(since: np.ndarray, week: int) -> np.ndarray:
    """Weeks since joining a waiting list (a crisis entry is stored PRIORITY weeks early)."""
    since = since.astype(np.int64)
    joined = np.where(since < week - PRIORITY // 2, since + PRIORITY, since)
    return (week - joined).astype(np.float64)


class QueueDropOut(Stage):
    """Each person in a queue meets one keyed uniform per week (stream `dropout`: the same
    person meets the same chance in every design) and leaves every queue whose hazard is
    above it: giving up is a decision of the person's week, not of one list."""

    name = "queues.dropout"
    purpose = "people leave the intake queue or a waiting list (weekly hazard), ask later"

    def step(self, model: SocialDomainModel) -> None:
        pop, b, week = model.pop, model.cfg.behaviour, model.week
        access = model.access
        # a slot reused by a newborn this week carries no cooldown of the person who died
        newborn = model.newborns
        if newborn.size:
            access.rejoin_from[:, newborn] = NONE
        u = model.draws.person_uniform("dropout")
        rise, cooldown = b.dropout_rise_per_year, b.dropout_cooldown_weeks
        base = b.dropout_per_week.get("intake", 0.0)
        queue = (pop.request_since != NONE).nonzero()[0]
        if base > 0 and queue.size:
            waited = (week - pop.request_since[queue]).astype(np.float64)
            left = queue[u[queue] < dropout_hazard(base, waited, rise)]
            access.drop_out(None, left, cooldown)
        # a warm hand-off (the design's priority entry to a municipal list) keeps people
        # engaged: their hazard is lowered by `behaviour.warm_handover_dropout_reduction`
        warm = model.current_design.p.warm_handover
        warm_cut = b.warm_handover_dropout_reduction
        # everyone on some waiting list, once; each list is then a subset of them (a drop-out
        # from one list changes no other list), with their lists as bits, read once
        on_lists = pop.slots("lists")
        list_bits = pop.wait_bits[on_lists]
        # the providers with anyone waiting (the others have nobody to lose)
        listed = int(np.bitwise_or.reduce(list_bits, initial=0))
        for prov in model.providers:
            base = b.dropout_per_week.get(prov.name, 0.0)
            if base <= 0 or not listed >> prov.index & 1:
                continue
            waiting = on_lists[(list_bits & PROVIDER_BIT[prov.index]) != 0]
            if waiting.size == 0:
                continue
            since = pop.waiting_since[prov.index][waiting]
            hazard = dropout_hazard(base, weeks_on_list(since, week), rise)
            if warm and prov.municipal:
                hazard *= np.where(since < week - PRIORITY // 2, 1.0 - warm_cut, 1.0)
            left = waiting[u[waiting] < hazard]
            access.drop_out(prov.index, left, cooldown)
