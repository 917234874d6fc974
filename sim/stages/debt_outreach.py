"""Early debt signals and outreach (vroegsignalering, Wet gemeentelijke schuldhulpverlening
art. 3a): the legal signal partners (housing corporations, energy and water companies,
health insurers) pass a household's payment arrears to the municipality, which reaches out
and offers debt help; the household may decline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.population import DOM, NONE, PROV
from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


class DebtOutreach(Stage):
    """This week's detections at a signal partner (`PlaceParams.signal_partner`) of people
    whose debt is at least debt counselling's eligibility threshold are payment-arrears
    signals: they go to the municipality's outreach instead of the design. Each signalled
    household not in debt counselling or on its list, and not contacted within the cooldown,
    is followed up (`behaviour.debt_outreach_hours` at the debt desk's hourly price,
    participation budget, prevention) and reached with probability
    `behaviour.debt_outreach_reach` (else tried again at its next signal); a reached
    household accepts help with probability
    `behaviour.debt_outreach_take_up` (a keyed draw): it joins debt counselling's waiting
    list. A household that declines is not contacted again for
    `behaviour.debt_outreach_cooldown_weeks`."""

    name = "debt.outreach"
    purpose = "payment-arrears signals from the legal signal partners; outreach, take-up"

    def init(self, model: SocialDomainModel) -> None:
        self.partner = np.array([pl.params.signal_partner for pl in model.places], dtype=bool)
        self.contacted_until = np.full(model.n, NONE, dtype=np.int32)

    def step(self, model: SocialDomainModel) -> None:
        contacts = model.contacts
        if contacts.detected.size == 0 or not self.partner.any():
            return
        pop, b = model.pop, model.cfg.behaviour
        dc = model.providers[PROV["debt_counselling"]]
        debt = pop.severity[DOM["debt"]][contacts.detected]
        signal = self.partner[contacts.place] & (debt >= dc.params.eligibility_threshold)
        if not signal.any():
            return
        signalled = contacts.detected[signal]
        contacts.detected, contacts.place = contacts.detected[~signal], contacts.place[~signal]
        model.recorder.add("debt_signals", float(signalled.size))
        p = dc.index
        free = ~pop.in_care[p][signalled] & (pop.waiting_since[p][signalled] == NONE)
        free &= (self.contacted_until[signalled] == NONE) | (
            self.contacted_until[signalled] <= model.week
        )
        tried = signalled[free]
        if tried.size == 0:
            return
        # every signal is followed up (letters, calls, visits: the outreach's price); a
        # share of the households is reached, the others are tried again at a next signal
        model.book(
            "participation",
            "prevention",
            "debt_outreach",
            tried.size * b.debt_outreach_hours * model.prices["debt_desk_hour"],
        )
        reach = model.draws.person_uniform("referrals", "debt_outreach_reach")[tried]
        reached = tried[reach < b.debt_outreach_reach]
        model.recorder.add("debt_outreach_tried", float(tried.size))
        if reached.size == 0:
            return
        u = model.draws.person_uniform("referrals", "debt_outreach")[reached]
        accept = u < b.debt_outreach_take_up
        model.recorder.add("debt_outreach_contacts", float(reached.size))
        model.recorder.add("debt_outreach_accepted", float(np.count_nonzero(accept)))
        self.contacted_until[reached] = model.week + b.debt_outreach_cooldown_weeks
        model.access.join_waiting_list(p, reached[accept])
