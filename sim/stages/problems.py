"""Problems: onset and growth early in the week (`problems.evolve`), and the effects of care
after delivery (`problems.effects_of_care`): two steps of the week, two stage classes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.administration import delivered_share
from sim.age_profile import MAX_AGE, onset_by_age
from sim.designs.levers import prevention_eur_per_inhabitant, prevention_onset_multipliers
from sim.fastnp import clip
from sim.params import AGE_BAND_EDGES, DOMAINS
from sim.population import DOM, NO_END, NO_ONSET, NONE, PROVIDER_BIT
from sim.stages.base import Stage

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


def start_episode(model: SocialDomainModel, d: int, idx: np.ndarray) -> None:
    """A problem in domain d begins for the people `idx` this week: its onset week, and the
    week it ends by itself (exponential duration with mean `behaviour.duration_years`, drawn
    per person and domain so the same person meets the same chance in every design;
    never for chronic problems)."""
    if idx.size == 0:
        return
    pop, b = model.pop, model.cfg.behaviour
    name = DOMAINS[d]
    pop.problem_started(d, idx)
    pop.onset_week[d][idx] = model.week
    pop.helped[d][idx] = False
    if b.chronic[name] or b.duration_years[name] <= 0:
        pop.end_week[d][idx] = NO_END
        return
    u = model.draws.person_uniform("episodes", name)[idx].astype(np.float64)
    weeks = -np.log1p(-np.minimum(u, 1.0 - 1e-9)) * 52.0 * b.duration_years[name]
    pop.end_week[d][idx] = model.week + 1 + np.minimum(weeks, 1e8).astype(np.int32)


def end_episode(model: SocialDomainModel, d: int, idx: np.ndarray) -> None:
    """The problem in domain d is over for the people `idx`."""
    pop = model.pop
    pop.severity[d][idx] = 0.0
    pop.problems_ended(d)
    pop.onset_week[d][idx] = NO_ONSET
    pop.end_week[d][idx] = NO_END
    pop.helped[d][idx] = False
    if DOMAINS[d] == "debt":
        pop.debt_event[idx] = False
        pop.evicted[idx] = False


class ProblemDynamics(Stage):
    """Problems start (by age, income and other problems: debt feeds stress, loneliness
    feeds mental health and frailty) and grow when left alone, slowed by self-reliance,
    the social network, informal care and the care a person receives."""

    name = "problems.evolve"
    purpose = "onsets (competing risks by age, income, other problems); growth and remission"

    def init(self, model: SocialDomainModel) -> None:
        b = model.cfg.behaviour
        # yearly onset probability per whole year of age, smooth within the age bands
        self.onset_rate = onset_by_age([b.onset_per_year[d] for d in DOMAINS], AGE_BAND_EDGES)
        self.growth = np.array([b.growth_per_year[d] for d in DOMAINS], dtype=np.float32)
        self.remission = np.array([b.remission_per_year[d] for d in DOMAINS], dtype=np.float32)
        self.protectors: list[list[tuple[int, float]]] = [[] for _ in DOMAINS]
        for prov in model.providers:
            for d in prov.domains:
                if prov.params.growth_reduction > 0:
                    self.protectors[int(d)].append((prov.index, prov.params.growth_reduction))
        self._protection_tables: dict[tuple[bool, ...], list[tuple[np.ndarray | None, list]]] = {}
        self.onset_bound = self._onset_bound(model)

    def drift(self, model: SocialDomainModel, d: int, idx: np.ndarray) -> np.ndarray:
        """The weekly drift of the problem in domain d of the people `idx` (float32): growth
        slowed by self-reliance and the network, less remission, from their self-reliance
        and network as they are now (made where it is needed: no per-person table to keep
        up to date when self-reliance or the network moves)."""
        pop = model.pop
        sr, net = pop.self_reliance[idx], pop.network[idx]
        protect = 1.0 - model.cfg.behaviour.network_protection * net
        return (self.growth[d] * (1.0 - sr) * protect - self.remission[d] * sr) / 52.0

    def _onset_bound(self, model: SocialDomainModel) -> np.ndarray:
        """Upper bound of the summed weekly onset hazard per (whole year of age, income)."""
        b = model.cfg.behaviour
        k = b.interaction_risk
        mult = np.ones((len(DOMAINS), 3))
        mult[DOM["debt"]] = np.asarray(b.debt_income_risk)
        mult[DOM["mental_health"]] = 1.0 + 2.0 * k
        mult[DOM["loneliness"]] = 1.0 + k
        mult[DOM["frailty"]] = 1.0 + k
        bound = np.einsum("da,di->ai", self.onset_rate, mult) / 52.0
        return (bound * 1.0001 + 1e-12).astype(np.float32).ravel()

    def step(self, model: SocialDomainModel) -> None:
        self._onsets(model)
        self._growth_and_remission(model)

    def _onset_hazards(
        self,
        model: SocialDomainModel,
        idx: np.ndarray,
        age: np.ndarray,
        prevention: np.ndarray,
        sev: np.ndarray | None = None,
    ) -> np.ndarray:
        """Weekly onset hazard per domain (D, len(idx)); zero where the problem exists.
        `sev`: the severities of `idx` (D, len(idx)), if the caller has them."""
        pop, b = model.pop, model.cfg.behaviour
        if sev is None:
            sev = pop.severity.take(idx, axis=1)
        k = b.interaction_risk
        rate = self.onset_rate.take(age, axis=1)
        rate[DOM["debt"]] *= np.asarray(b.debt_income_risk)[pop.income[idx]]
        rate[DOM["mental_health"]] *= 1.0 + k * (sev[DOM["debt"]] + sev[DOM["loneliness"]])
        rate[DOM["loneliness"]] *= 1.0 + k * sev[DOM["dementia"]]
        rate[DOM["frailty"]] *= 1.0 + k * sev[DOM["loneliness"]]
        rate *= prevention[:, None]
        return rate / 52.0

    def _onsets(self, model: SocialDomainModel) -> None:
        """Competing onset risks with one uniform per person: only people whose uniform falls
        below their bound are examined (the others cannot have an onset this week)."""
        pop, b = model.pop, model.cfg.behaviour
        # first against the largest bound of all (the stream gives only the uniforms below
        # it), then each candidate's own bound by age and income (np.take: faster than
        # indexing by a small-int array)
        cand, u_cand = model.draws.uniform_below("onset", self.onset_bound.max())
        age_c = np.minimum(pop.age[cand].astype(np.int16), MAX_AGE - 1)
        below = u_cand < self.onset_bound.take(age_c * 3 + pop.income[cand])
        cand, age_c, u_cand = cand[below], age_c[below], u_cand[below]
        if cand.size == 0:
            return
        # prevention's dose-response: spend -> reach -> relative onset hazard per domain
        prevention = prevention_onset_multipliers(
            prevention_eur_per_inhabitant(model), model.cfg.behaviour
        )
        # read once: nothing changes it before the onsets below (np.take: faster than [:, cand])
        sev = pop.severity.take(cand, axis=1)
        hazard = self._onset_hazards(model, cand, age_c, prevention, sev)
        upper = np.cumsum(hazard, axis=0)
        lower = upper - hazard
        uc = u_cand.astype(np.float64)
        hit = (uc >= lower) & (uc < upper) & (sev <= 0.0)
        for d in hit.any(axis=1).nonzero()[0]:
            rows = hit[d].nonzero()[0]
            new = cand[rows]
            frac = (uc[rows] - lower[d][rows]) / hazard[d][rows]
            pop.severity[d][new] = (b.onset_severity_min + b.onset_severity_range * frac).astype(
                np.float32
            )
            start_episode(model, int(d), new)
            model.recorder.log(new, "onset", int(d))
            model.recorder.add("onsets", new.size)

    def _growth_and_remission(self, model: SocialDomainModel) -> None:
        """Each existing problem drifts by its person's rate; growth is damped by the care a
        person receives and, for frailty, dementia and loneliness, by informal care."""
        pop, b = model.pop, model.cfg.behaviour
        sev = pop.severity
        tables = self._protection_by_bits(model)
        for d in range(len(DOMAINS)):
            act = pop.problem_slots(d)
            if act.size == 0:
                continue
            # the drift from the person's self-reliance and network (a new array)
            drift = self.drift(model, d, act)
            at, protected = None, None
            if self.protectors[d]:
                # only people in some care can be protected by it: their providers as bits
                bits = pop.care_bits[act]
                at = (bits != 0).nonzero()[0]  # nonzero of a bool array: much faster
                cared, cared_bits = act[at], bits[at]
                # the largest share among a person's providers (0 outside their care): of
                # the providers whose share is one number, read from a table by the bits
                table, others = tables[d]
                if table is None:
                    protected = np.zeros(at.size, dtype=np.float32)
                else:
                    protected = table[cared_bits]
                for p, gr in others:
                    clients, share = self._protection_of_clients(model, p, gr, cared, cared_bits)
                    if clients.size:
                        protected[clients] = np.maximum(protected[clients], share)
            if DOMAINS[d] in ("frailty", "dementia", "loneliness"):
                protection = np.zeros(act.size, dtype=np.float32)
                if at is not None:
                    protection[at] = protected
                # informal care's share as float32 (max(p, float32(c)) is float32(max(p, c))
                # for float32 p: rounding keeps the order), so no float64 pass
                informal = np.float32(b.informal_care_protection) * (pop.carer[act] != NONE)
                np.maximum(protection, informal, out=protection)
                # growth (drift > 0) x (1 - protection); the rest x 1 (exact): np.where's value
                drift *= 1.0 - protection * (drift > 0)
            elif at is not None and at.size:
                # unprotected growth is left as it is (x 1.0): only the people in care change
                sub = drift[at]
                drift[at] = sub * (1.0 - protected * (sub > 0))  # as above
            s = sev[d][act]  # a copy
            s += drift
            # np.clip: the values of np.minimum(np.maximum(s, 0), 1), in one faster pass
            clip(s, 0.0, 1.0, out=s)
            sev[d][act] = s
            over = (s <= 0.0) | (pop.end_week[d][act] <= model.week)
            ended = act[over]
            if ended.size:
                end_episode(model, d, ended)
                pop.problems_kept(d, act, ~over)  # the next call needs no check

    def _protection_by_bits(
        self, model: SocialDomainModel
    ) -> list[tuple[np.ndarray | None, list[tuple[int, float]]]]:
        """Per domain: a table of the protection by a person's care bits from the providers
        whose share is the same for all their clients (one provider, the standard dose
        delivered: `_protection_of_clients`'s last case), or None; and the other
        protectors, whose shares differ by person. Made once per setting (a design with
        its own dose, a lump sum's under-delivery, which kinds have contractors)."""
        design = model.current_design
        uniform_dose = design.standard_dose() and not delivered_share(model) < 1.0
        key = (uniform_dose, *(bool(prov.contractors) for prov in model.providers))
        got = self._protection_tables.get(key)
        if got is not None:
            return got
        got = []
        bit_values = np.arange(2**16, dtype=np.int64) if PROVIDER_BIT.dtype == np.uint16 else None
        for protectors in self.protectors:
            table, others = None, []
            for p, gr in protectors:
                prov = model.providers[p]
                plain = not prov.contractors and (not prov.municipal or uniform_dose)
                if not plain or bit_values is None:
                    others.append((p, gr))
                    continue
                # as `_protection_of_clients`: float32(min(gr x 1.0, 1)) for its clients
                share = np.float32(np.minimum(gr * 1.0, 1.0))
                has = (bit_values & int(PROVIDER_BIT[p])) != 0
                row = np.where(has, share, np.float32(0.0))
                table = row if table is None else np.maximum(table, row)
            got.append((table, others))
        self._protection_tables[key] = got
        return got

    @staticmethod
    def _protection(
        model: SocialDomainModel,
        p: int,
        gr: float,
        act: np.ndarray,
        bits: np.ndarray | None = None,
    ) -> np.ndarray:
        """Share of growth that provider p's care prevents for the people `act` (`bits`:
        their `Population.care_bits`, if the caller has them): its `growth_reduction` x the
        dose-response of the municipal dose (at most 1)."""
        if bits is None:
            bits = model.pop.care_bits[act]
        out = np.zeros(act.size, dtype=np.float32)
        clients, share = ProblemDynamics._protection_of_clients(model, p, gr, act, bits)
        out[clients] = share
        return out

    @staticmethod
    def _protection_of_clients(
        model: SocialDomainModel, p: int, gr: float, act: np.ndarray, bits: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray | np.float32]:
        """`_protection` for provider p's clients among `act` only: their positions in
        `act` and their shares (float32; everyone else's is 0)."""
        clients = ((bits & PROVIDER_BIT[p]) != 0).nonzero()[0]
        if clients.size == 0:
            return clients, np.float32(0.0)
        prov = model.providers[p]
        # with several contractors, the person's contractor scales the protection
        effect = prov.effect_multiplier(act[clients])
        design = model.current_design
        delivered = delivered_share(model) if prov.municipal else 1.0
        if prov.municipal and (not design.standard_dose() or delivered < 1.0):
            # under a lump sum part of the indicated units is not delivered (paid all the same)
            dose = design.dose(model, p, act[clients]) * np.float32(delivered)
            return clients, np.minimum(gr * dose_response(dose, model) * effect, 1.0)
        # a dose of 1 has an effect of 1 (in float32, gr x 1 x effect = gr x effect)
        return clients, np.float32(np.minimum(gr * effect, 1.0))


def dose_response(dose: np.ndarray | float, model: SocialDomainModel) -> np.ndarray:
    """Relative effect of a dose (x the standard indication): dose ** exponent
    (`behaviour.dose_response_exponent`); the cost follows the dose itself."""
    return np.power(np.asarray(dose, dtype=np.float32), model.cfg.behaviour.dose_response_exponent)


class EffectsOfCare(Stage):
    """Fitting help shrinks problems: each provision reduces the severity of its domains."""

    name = "problems.effects_of_care"
    purpose = "care received this week shrinks the problems it fits (dose-dependent)"

    def step(self, model: SocialDomainModel) -> None:
        pop, design = model.pop, model.current_design
        in_some_care = pop.slots("care")  # this stage changes nobody's care
        bits = pop.care_bits[in_some_care]
        for prov in model.providers:
            eff = prov.params.effect_per_week
            if eff <= 0:
                continue
            clients = in_some_care[(bits & PROVIDER_BIT[prov.index]) != 0]
            if clients.size == 0:
                continue
            standard = not prov.municipal or design.standard_dose()
            dose = 1.0 if standard else design.dose(model, prov.index, clients)
            per_dose = eff * dose_response(dose, model)  # the same for each domain
            for d in prov.domains:
                s = pop.severity[d][clients]
                # the contractor's effect follows the severity, which the loop changes
                step = per_dose * prov.effect_multiplier(clients)
                # a problem shrinks, but not below 1e-6; no problem (0) stays 0 (x [s > 0]:
                # np.where's values, without its slower pass)
                pop.severity[d][clients] = np.maximum(s - step, 1e-6) * (s > 0)
