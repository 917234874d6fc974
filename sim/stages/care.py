"""Care: providers discharge, admit from their waiting lists and deliver; the cost is booked
to each provision's financier, with the Wmo own contributions split off."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.administration import contract_acts, over_delivery_pass_through, provider_acts
from sim.designs.levers import own_contribution_fee_per_week
from sim.population import PROV
from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel
    from sim.providers import Provider


class Care(Stage):
    """Each provider ends care that is done, admits from its waiting list (oldest first,
    crises first) up to its capacity and delivers its units (`Provider.discharge_done`,
    `admit`, `deliver`); this stage books the cost to the financier, splits the Wmo own
    contributions off, and books the providers' accountability hours."""

    name = "care"
    purpose = "providers discharge, admit (crises first) and deliver; costs and own contributions"

    def init(self, model: SocialDomainModel) -> None:
        self.initial_care(model)

    @staticmethod
    def initial_care(model: SocialDomainModel) -> None:
        """Start from today's situation: providers hold clients who fit them, up to a share
        of their capacity (institutions first, so nobody is at home and in a home; with
        `wlz_before_wmo` all Wlz care before the Wmo's, which leaves out Wlz clients).
        Their admission weeks lie in the year before the start; the municipal clients'
        reviews fall due over today's re-indication period."""
        pop = model.pop
        rng = model.draws.generator("population")
        fill = model.cfg.behaviour.initial_capacity_fill
        wlz_first = model.cfg.behaviour.wlz_before_wmo
        order = sorted(
            model.providers,
            key=lambda pr: (
                pr.name not in ("nursing_home", "residential_id"),
                wlz_first and pr.params.financier != "wlz",
            ),
        )
        wlz_rows = [pr.index for pr in model.providers if pr.params.financier == "wlz"]
        for prov in order:
            par = prov.params
            sev = pop.severity[prov.domains].max(axis=0)
            ok = (
                (sev >= max(par.eligibility_threshold, 1e-6))
                & (pop.age >= par.min_age)
                & (pop.age < par.max_age + 1)
            )
            ok &= ~(pop.in_care[PROV["nursing_home"]] | pop.in_care[PROV["residential_id"]])
            if wlz_first and par.financier == "wmo":
                ok &= ~pop.in_care[wlz_rows].any(axis=0)
            cand = ok.nonzero()[0]
            k = min(cand.size, int(fill * prov.capacity))
            chosen = rng.choice(cand, size=k, replace=False) if k else cand[:0]
            pop.start_care(prov.index, chosen)
            # admitted within the last year before the start (the model's first week)
            pop.care_since[prov.index][chosen] = model.week - rng.integers(0, 52, size=k)
            if prov.contractors:  # today's clients are with the contractors by their size
                u = model.draws.person_uniform("contracting", f"initial_{prov.name}")[chosen]
                pop.contractor[prov.row][chosen] = prov.by_capacity(u)
            pop.helped[np.ix_(prov.domains, chosen)] = True
        # today's municipal clients are re-indicated like anyone granted care: each one's
        # review falls due in a week of today's re-indication period (reviews spread evenly)
        period = model.burn_in_design.p.reindication_weeks
        municipal = [pr.index for pr in model.providers if pr.municipal]
        clients = (pop.in_care[municipal].any(axis=0)).nonzero()[0]
        if period > 0 and clients.size:
            u = model.draws.person_uniform("decisions", "initial_review")[clients]
            pop.indicated_until[clients] = model.week + 1 + (u * period).astype(np.int32)

    def step(self, model: SocialDomainModel) -> None:
        design = model.current_design
        own_rows: list[tuple[Provider, np.ndarray, np.ndarray]] = []
        pass_through = over_delivery_pass_through(model)
        # everyone in some care, and everyone on some waiting list, once: this stage adds
        # nobody to a waiting list and admits to provider p only after p's discharges, so
        # each provider's clients and list stay within these; their providers as bits, read
        # once (care that ends in this stage before a provider's turn is checked for then)
        pop = model.pop
        in_any = pop.slots("care")
        in_any_bits = pop.care_bits[in_any]
        on_lists = pop.slots("lists")
        list_bits = pop.wait_bits[on_lists]  # read once: admissions only take people off
        # care ends only through `Provider.discharge`: a provider that has ended nobody's
        # care since the bits were read (no institution admitted its clients first) needs
        # no check of them
        ended = [prov.discharges for prov in model.providers]
        for k, prov in enumerate(model.providers):
            par = prov.params
            clients = prov.discharge_done(in_any, in_any_bits, prov.discharges == ended[k])
            staying = clients.size
            clients = prov.admit(clients, on_lists, list_bits)
            if prov.municipal:
                provider_acts(model, prov, clients, clients.size - staying)
            if clients.size == 0:
                continue
            dose = (
                design.dose(model, prov.index, clients)
                if prov.municipal
                else np.ones(clients.size, dtype=np.float32)
            )
            cost = prov.deliver(clients, dose, pass_through if prov.municipal else 0.0)
            if par.own_contribution and model.week >= 0:
                own_rows.append((prov, clients, cost))
            elif par.financier_under_18:  # e.g. youth mental health care (Jeugdwet)
                young = model.pop.age[clients] < 18
                model.book(par.financier, "care", prov.name, float(cost[~young].sum()))
                model.book(par.financier_under_18, "care", prov.name, float(cost[young].sum()))
            else:
                model.book(par.financier, "care", prov.name, float(cost.sum()))
        self.book_own_contributions(model, own_rows)
        contract_acts(model)

    @staticmethod
    def book_own_contributions(
        model: SocialDomainModel, rows: list[tuple[Provider, np.ndarray, np.ndarray]]
    ) -> None:
        """Split each Wmo provision's cost between the municipality and the citizen: a
        person's contribution (capped at their Wmo cost) is shared over their provisions."""
        if not rows:
            return
        everyone = np.concatenate([clients for _, clients, _ in rows])
        # each person's Wmo cost, by slot (summed in the same order as by a sorted inverse)
        per_person = np.bincount(everyone, weights=np.concatenate([c for _, _, c in rows]))
        fee = own_contribution_fee_per_week(model, everyone)
        start = 0
        for prov, clients, cost in rows:
            part = slice(start, start + clients.size)
            person_cost = per_person[clients]
            start += clients.size
            share = cost / np.maximum(person_cost, 1e-12)
            own = np.minimum(fee[part], person_cost) * share
            own_total = float(own.sum())
            model.book("own_contribution", "care", prov.name, own_total)
            model.book(prov.params.financier, "care", prov.name, float(cost.sum()) - own_total)
