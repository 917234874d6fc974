"""SocialDomainModel: a Dutch municipality's social domain, week by week.

Citizens and informal carers are arrays (`sim.population`); the organisations are Mesa agents
(`sim.organisations`); the access design is a strategy object (`sim.designs`). `step()` reads
as the week's story; every stage works on whole arrays (no Python loop over citizens).
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from sim.config import compose
from sim.designs import Gatekeeping, make_design
from sim.ledger import Ledger
from sim.organisations import CareFindingPlace, Municipality, NeighbourhoodTeam, Provider
from sim.params import (
    AGE_BAND_EDGES,
    DOMAINS,
    ESCALATIONS,
    FINANCIERS,
    PLACES,
    PROVIDERS,
    DesignParams,
    KetensimConfig,
)
from sim.population import (
    DOM,
    NO_ONSET,
    NONE,
    PROV,
    Population,
    create_population,
    reset_newborns,
)
from sim.recorder import EVENT_CODES, CitizenView, Recorder

STREAMS = (
    "population",
    "demography",
    "births",
    "onset",
    "carers",
    "contacts",
    "requests",
    "decisions",
    "referrals",
    "escalation",
)
WLZ_ROWS = [PROV["wlz_at_home"], PROV["nursing_home"], PROV["residential_id"]]
# age in whole years -> age band index (AGE_BAND_EDGES), a lookup instead of a search
AGE_TO_BAND = np.searchsorted(
    np.asarray(AGE_BAND_EDGES[1:-1]), np.arange(131), side="right"
).astype(np.int8)
PRIORITY = 10**6  # waiting_since offset that puts a crisis placement at the front of a queue


class SocialDomainModel(mesa.Model):
    """A municipality's social domain under one access design.

    Build it from a validated config (`sim.compose([...])`), or with keyword arguments as
    `mesa.batch_run` does: `SocialDomainModel(design="early_signalling", population=5000,
    rng=7)`. Keyword arguments are Hydra overrides of the default scenario.
    """

    def __init__(
        self,
        config: KetensimConfig | None = None,
        *,
        rng: int | None = None,
        seed: int | None = None,
        **overrides: Any,
    ) -> None:
        if config is None:
            config = compose([f"{k}={_override_value(v)}" for k, v in overrides.items()])
        elif overrides:
            raise TypeError("pass either a config or keyword overrides, not both")
        root = config.seed if rng is None and seed is None else (rng if rng is not None else seed)
        super().__init__(rng=int(root))
        self.cfg = config
        self.root_seed = int(root)
        self.n = int(config.population or config.municipality.inhabitants)
        self._seed_seq = np.random.SeedSequence(self.root_seed)
        children = self._seed_seq.spawn(len(STREAMS))
        self.streams = {
            name: np.random.default_rng(s) for name, s in zip(STREAMS, children, strict=True)
        }
        self._stream_key = {
            name: int(
                np.random.SeedSequence(s.entropy, spawn_key=(99,)).generate_state(1, np.uint64)[0]
            )
            for name, s in zip(STREAMS, children, strict=True)
        }
        self._stream_entropy = {name: s.entropy for name, s in zip(STREAMS, children, strict=True)}
        b, m = config.behaviour, config.municipality
        self.prices = config.prices.eur
        self.pop: Population = create_population(self.n, config, self.streams["population"])
        self._next_person_id = self.n
        self.ledger = Ledger()
        self.recorder = Recorder(self, record_events=config.record_events)
        # organisations as Mesa agents
        self.places: list[CareFindingPlace] = [
            CareFindingPlace(
                self,
                name,
                b.places[name],
                self.prices[b.places[name].price_item],
                price_per_contact=b.places[name].price_item.startswith("gp_"),
            )
            for name in PLACES
            if name in b.places
        ]
        self.providers: list[Provider] = [
            Provider(
                self,
                name,
                PROV[name],
                b.providers[name],
                capacity=round(m.provider_capacity_per_1000[name] * self.n / 1000.0),
                price=self.prices[b.providers[name].price_item],
            )
            for name in PROVIDERS
        ]
        self.team = NeighbourhoodTeam(self, m.team_hours_per_week_per_1000 * self.n / 1000.0)
        self.municipality = Municipality(
            self,
            (m.wmo_budget_eur_per_inhabitant + m.youth_budget_eur_per_inhabitant) * self.n,
            m.chain_budget_eur_per_inhabitant * self.n,
            integrated=config.design.levers.integrated_financing,
        )
        self.municipal_provider_rows = np.array(
            [pr.index for pr in self.providers if pr.municipal], dtype=np.int64
        )
        self._provider_domain_pairs = [
            (pr.index, int(d)) for pr in self.providers for d in pr.domains
        ]
        self._protectors: list[list[tuple[int, float]]] = [[] for _ in DOMAINS]
        for p, d in self._provider_domain_pairs:
            if self.providers[p].params.growth_reduction > 0:
                self._protectors[d].append((p, self.providers[p].params.growth_reduction))
        self._onset_table = np.array([b.onset_per_year[d] for d in DOMAINS], dtype=np.float64)
        self._growth = np.array([b.growth_per_year[d] for d in DOMAINS], dtype=np.float32)
        self._remission = np.array([b.remission_per_year[d] for d in DOMAINS], dtype=np.float32)
        self.design = make_design(config.design)
        self.baseline = Gatekeeping(DesignParams())  # today's practice, during burn-in
        self.burn_in_weeks = 52 * config.burn_in_years
        self.horizon_weeks = 52 * config.years
        self.week = -self.burn_in_weeks
        self.unhelped_max = np.zeros(self.n, dtype=np.float32)
        self._drift = np.zeros((len(DOMAINS), self.n), dtype=np.float32)
        self._refresh_person_rates(np.arange(self.n))
        self._onset_bound_table = self._onset_bound()
        self._mortality_bound = self._mortality_bound_by_age()
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "week": "week",
                "wellbeing_index_0_100": lambda mdl: mdl.recorder.last("wellbeing_index_0_100"),
                "unmet_need_persons": lambda mdl: mdl.recorder.last("unmet_need_persons"),
                "waiting_persons": lambda mdl: mdl.recorder.last("waiting_persons"),
                "cost_to_date_eur": lambda mdl: mdl.ledger.total(),
                "users_any_care": lambda mdl: mdl.recorder.last("users_any_care"),
            }
        )
        self._initial_care()
        self.running = True
        for _ in range(self.burn_in_weeks):
            self._week_story(recording=False)
        self.ledger = Ledger()  # costs count from the design's start
        self.recorder.reset_year()

    def _initial_care(self) -> None:
        """Start from today's situation: providers hold clients who fit them, up to a share
        of their capacity (institutions first, so nobody is at home and in a home)."""
        pop = self.pop
        rng = self.streams["population"]
        fill = self.cfg.behaviour.initial_capacity_fill
        order = sorted(
            self.providers, key=lambda pr: pr.name not in ("nursing_home", "residential_id")
        )
        for prov in order:
            par = prov.params
            sev = pop.severity[prov.domains].max(axis=0)
            ok = (
                (sev >= max(par.eligibility_threshold, 1e-6))
                & (pop.age >= par.min_age)
                & (pop.age < par.max_age + 1)
            )
            ok &= ~(pop.in_care[PROV["nursing_home"]] | pop.in_care[PROV["residential_id"]])
            cand = np.flatnonzero(ok)
            k = min(cand.size, int(fill * prov.capacity))
            chosen = rng.choice(cand, size=k, replace=False) if k else cand[:0]
            pop.in_care[prov.index, chosen] = True
            pop.care_since[prov.index, chosen] = -rng.integers(0, 52, size=k)
            pop.helped[np.ix_(prov.domains, chosen)] = True

    # ------------------------------------------------------------------------- the week
    def step(self) -> None:
        """One week of the design, then data collection; stops at the horizon."""
        if self.week >= self.horizon_weeks:
            self.running = False
            return
        self._week_story(recording=True)
        self.datacollector.collect(self)
        if self.week >= self.horizon_weeks:
            self.running = False

    def _week_story(self, recording: bool) -> None:
        design = self.design if self.week >= 0 else self.baseline
        self._week_gens: dict[str, np.random.Generator] = {}  # variable-size draws
        self.ledger.new_week()
        self.ledger.recording = recording
        self.recorder.new_week(recording)
        self.demography()
        self.problems_evolve(design)
        self.informal_care(design)
        self._update_help_state()
        detected, place = self.contacts_with_care_finding_places()
        u_req = self._person_uniform("requests")
        design.handle_detections(self, detected, place, u_req)
        self.health_care_referrals(detected, place)
        design.requests(self, u_req)
        design.assess(self, self._person_uniform("decisions"))
        design.weekly(self)
        self.providers_admit_and_deliver(design)
        self.effects_on_problems(design)
        self.escalations()
        spend = self.ledger.week_by_financier
        self.municipality.update_pressure(  # the Wmo + youth budget against their spending
            float(spend[FINANCIERS.index("wmo")] + spend[FINANCIERS.index("youth")]),
            float(spend.sum()),
        )
        if recording:  # the recorder reads the end-of-week help state
            self._update_help_state(outcomes=True)
        self.recorder.record_week()
        self.week += 1
        if self.week % 52 == 0:
            self.recorder.close_year(recording)

    # ------------------------------------------------------------------------- helpers
    def _uniform(self, stream: str, dtype: type = np.float32) -> np.ndarray:
        """One uniform draw per person per week from a stream (keeps streams aligned across
        designs: common random numbers)."""
        return self.streams[stream].random(self.n, dtype=dtype)

    def _person_uniform(self, stream: str) -> PersonUniform:
        """This week's uniform of each person in a stream, computed only for the people
        asked for (a counter-based hash of stream, week and slot): the same numbers for the
        same person and week in every design (common random numbers)."""
        return PersonUniform(self._stream_key[stream], self.week)

    def _week_rng(self, stream: str) -> np.random.Generator:
        """A generator for draws whose number varies (births): seeded by stream and week, so a
        different count in one week does not shift any other week's numbers. Calls within a
        week continue the same generator."""
        gen = self._week_gens.get(stream)
        if gen is None:
            gen = np.random.default_rng([self._stream_entropy[stream], self.week + 10**6])
            self._week_gens[stream] = gen
        return gen

    def book(self, financier: str, category: str, item: str, amount: float) -> None:
        self.ledger.book(self.week, financier, category, item, float(amount))

    def book_admin(self, financier: str, item: str, hours: float) -> None:
        """Administrative hours at the consultant's hourly cost."""
        if hours <= 0:
            return
        self.recorder.add("admin_hours", hours)
        self.book(financier, "administration", item, hours * self.cfg.behaviour.consultant_hour_eur)

    def book_consultant_hours(self, idx: np.ndarray, hours_each: float) -> None:
        """Team hours for assessments: youth cases on the youth budget, others on the Wmo."""
        if idx.size == 0 or hours_each <= 0:
            return
        youth = int(np.count_nonzero(self.pop.severity[DOM["youth_family"], idx] > 0))
        self.team.hours_used += idx.size * hours_each
        self.book_admin("youth", "assessment_youth", youth * hours_each)
        self.book_admin("wmo", "assessment_wmo", (idx.size - youth) * hours_each)

    def log_events(self, idx: np.ndarray, kind: str, detail: np.ndarray | int = 0) -> None:
        self.recorder.log(idx, kind, detail)

    def _refresh_person_rates(self, idx: np.ndarray) -> None:
        """Per-person weekly drift of each problem (depends on self-reliance and network)."""
        pop, b = self.pop, self.cfg.behaviour
        sr, net = pop.self_reliance[idx], pop.network[idx]
        protect = 1.0 - b.network_protection * net
        for d in range(len(DOMAINS)):
            self._drift[d, idx] = (
                self._growth[d] * (1.0 - sr) * protect - self._remission[d] * sr
            ) / 52.0

    def _update_help_state(self, outcomes: bool = False) -> None:
        """Which problems are covered (in care or on a waiting list), and the largest
        problem that is not: `unhelped_max`, which drives asking and assessment. With
        `outcomes`, also `unmet_max`: the largest problem not *in care* (someone on a waiting
        list has no help yet), used for unmet need and wellbeing.
        Also keeps `waiting` (P, N) and `max_severity` (N) for the stages that follow."""
        pop = self.pop
        self.waiting = pop.waiting_since != NONE
        engaged = pop.in_care | self.waiting
        covered = np.zeros((len(DOMAINS), self.n), dtype=bool)
        cared = np.zeros((len(DOMAINS), self.n), dtype=bool) if outcomes else None
        for prov in self.providers:
            for d in prov.domains:
                covered[d] |= engaged[prov.index]
                if cared is not None:
                    cared[d] |= pop.in_care[prov.index]
        self.max_severity = pop.severity.max(axis=0)
        # severity * not-covered (a multiply is far cheaper than np.where on scattered masks)
        self.unhelped_max = (pop.severity * ~covered).max(axis=0)
        if cared is not None:
            self.unmet_max = (pop.severity * ~cared).max(axis=0)

    # ------------------------------------------------------------------------- stages
    def demography(self) -> None:
        """Ageing, deaths (Gompertz mortality raised by frailty and dementia), and births that
        take the dead's slots. Youth problems become adult mental health problems at 23."""
        pop, b = self.pop, self.cfg.behaviour
        pop.age += np.float32(1.0 / 52.0)
        u = self._uniform("demography")
        # the exact hazard only for people below the per-age bound
        ceil_age = np.minimum(pop.age.astype(np.int16) + 1, 131)
        c = np.flatnonzero(u < self._mortality_bound[ceil_age])
        sev = np.maximum(pop.severity[DOM["frailty"], c], pop.severity[DOM["dementia"], c])
        hazard = (
            b.mortality_gompertz_a
            * np.exp(b.mortality_gompertz_b * pop.age[c])
            * (1.0 + b.mortality_excess_severity * sev)
        )
        hazard *= np.where(
            pop.in_care[PROV["nursing_home"], c], b.nursing_home_mortality_multiplier, 1.0
        )
        dead = c[u[c] < hazard / 52.0]
        if dead.size:
            self.log_events(dead, "death")
            self.recorder.add("deaths", dead.size)
            self._release_carer_links(dead)
            self._next_person_id = reset_newborns(
                pop, dead, self._next_person_id, self.cfg, self._week_rng("births")
            )
            self.log_events(dead, "birth")
            self._refresh_person_rates(dead)
        y = DOM["youth_family"]
        grown = np.flatnonzero((pop.severity[y] > 0) & (pop.age >= 23.0))
        if grown.size:
            mh = DOM["mental_health"]
            pop.severity[mh, grown] = np.maximum(pop.severity[mh, grown], pop.severity[y, grown])
            pop.onset_week[mh, grown] = np.where(
                pop.onset_week[mh, grown] == NO_ONSET,
                pop.onset_week[y, grown],
                pop.onset_week[mh, grown],
            )
            pop.severity[y, grown] = 0.0
            pop.onset_week[y, grown] = NO_ONSET
            for p in (PROV["youth_ambulant"], PROV["youth_residential"]):
                self._discharge(p, grown[pop.in_care[p, grown]])
                pop.waiting_since[p, grown] = NONE

    def problems_evolve(self, design: Gatekeeping) -> None:
        """Problems start (by age, income and other problems: debt feeds stress, loneliness
        feeds mental health and frailty) and grow when left alone, slowed by self-reliance,
        the social network, informal care and the care a person receives."""
        self._onsets(design)
        self._growth_and_remission()

    def _onset_hazards(self, idx: np.ndarray, band: np.ndarray, prevention: float) -> np.ndarray:
        """Weekly onset hazard per domain (D, len(idx)); zero where the problem exists."""
        pop, b = self.pop, self.cfg.behaviour
        sev = pop.severity[:, idx]
        k = b.interaction_risk
        rate = self._onset_table[:, band].copy()
        rate[DOM["debt"]] *= np.asarray(b.debt_income_risk)[pop.income[idx]] * prevention
        rate[DOM["mental_health"]] *= 1.0 + k * (sev[DOM["debt"]] + sev[DOM["loneliness"]])
        rate[DOM["loneliness"]] *= (1.0 + k * sev[DOM["dementia"]]) * prevention
        rate[DOM["frailty"]] *= 1.0 + k * sev[DOM["loneliness"]]
        return rate / 52.0

    def _onset_bound(self) -> np.ndarray:
        """Upper bound of the summed weekly onset hazard per (age band, income group)."""
        b = self.cfg.behaviour
        k = b.interaction_risk
        mult = np.ones((len(DOMAINS), 3))
        mult[DOM["debt"]] = np.asarray(b.debt_income_risk)
        mult[DOM["mental_health"]] = 1.0 + 2.0 * k
        mult[DOM["loneliness"]] = 1.0 + k
        mult[DOM["frailty"]] = 1.0 + k
        bound = np.einsum("db,di->bi", self._onset_table, mult) / 52.0
        return (bound * 1.0001 + 1e-12).astype(np.float32).ravel()

    def _mortality_bound_by_age(self) -> np.ndarray:
        """Upper bound of the weekly death hazard per whole year of age (worst case:
        severity 1, in a nursing home)."""
        b = self.cfg.behaviour
        years = np.arange(132, dtype=np.float64)
        worst = (1.0 + b.mortality_excess_severity) * max(b.nursing_home_mortality_multiplier, 1.0)
        bound = b.mortality_gompertz_a * np.exp(b.mortality_gompertz_b * years) * worst / 52.0
        return bound.astype(np.float32) * np.float32(1.0001)

    def _onsets(self, design: Gatekeeping) -> None:
        """Competing onset risks with one uniform per person: only people whose uniform falls
        below their bound are examined (the others cannot have an onset this week)."""
        pop = self.pop
        u = self._uniform("onset")
        band = AGE_TO_BAND[np.minimum(pop.age.astype(np.int16), AGE_TO_BAND.size - 1)]
        cand = np.flatnonzero(u < self._onset_bound_table[band.astype(np.int16) * 3 + pop.income])
        if cand.size == 0:
            return
        prevention = 1.0 - design.p.prevention_onset_reduction
        hazard = self._onset_hazards(cand, band[cand], prevention)
        upper = np.cumsum(hazard, axis=0)
        lower = upper - hazard
        uc = u[cand].astype(np.float64)
        hit = (uc >= lower) & (uc < upper) & (pop.severity[:, cand] <= 0.0)
        for d in np.flatnonzero(hit.any(axis=1)):
            rows = np.flatnonzero(hit[d])
            new = cand[rows]
            frac = (uc[rows] - lower[d, rows]) / hazard[d, rows]
            pop.severity[d, new] = (0.05 + 0.25 * frac).astype(np.float32)
            pop.onset_week[d, new] = self.week
            pop.helped[d, new] = False
            self.log_events(new, "onset", int(d))
            self.recorder.add("onsets", new.size)

    def _growth_and_remission(self) -> None:
        """Each existing problem drifts by its person's rate; growth is damped by the care a
        person receives and, for frailty, dementia and loneliness, by informal care."""
        pop, b = self.pop, self.cfg.behaviour
        sev = pop.severity
        for d in range(len(DOMAINS)):
            act = np.flatnonzero(sev[d] > 0)
            if act.size == 0:
                continue
            drift = self._drift[d, act]
            protection = np.zeros(act.size, dtype=np.float32)
            for p, gr in self._protectors[d]:
                np.maximum(protection, gr * pop.in_care[p, act], out=protection)
            if DOMAINS[d] in ("frailty", "dementia", "loneliness"):
                np.maximum(
                    protection,
                    b.informal_care_protection * (pop.carer[act] != NONE),
                    out=protection,
                )
            drift = np.where(drift > 0, drift * (1.0 - protection), drift)
            s = np.clip(sev[d, act] + drift, 0.0, 1.0)
            sev[d, act] = s
            ended = act[s <= 0.0]
            if ended.size:
                pop.onset_week[d, ended] = NO_ONSET
                pop.helped[d, ended] = False
                if DOMAINS[d] == "debt":
                    pop.debt_event[ended] = False
                    pop.evicted[ended] = False

    def informal_care(self, design: Gatekeeping) -> None:
        """Informal carers are found for people who need care, give hours, carry a burden that
        formal care and welfare support relieve, and burn out at a threshold."""
        pop, b = self.pop, self.cfg.behaviour
        sev = pop.severity
        need = np.maximum(
            np.maximum(sev[DOM["frailty"]], sev[DOM["dementia"]]),
            np.maximum(0.6 * sev[DOM["intellectual_disability"]], 0.5 * sev[DOM["mental_health"]]),
        )
        institution = pop.in_care[PROV["nursing_home"]] | pop.in_care[PROV["residential_id"]]
        u = self._person_uniform("carers")
        # links end when the need is gone or the person moved into an institution
        receivers = np.flatnonzero(pop.carer != NONE)
        end = receivers[
            (need[receivers] < 0.5 * b.informal_need_threshold) | institution[receivers]
        ]
        if end.size:
            pop.caring_for[pop.carer[end]] = NONE
            pop.carer[end] = NONE
        # new carers
        seeking = np.flatnonzero(
            (need >= b.informal_need_threshold) & (pop.carer == NONE) & ~institution
        )
        if seeking.size:
            p_found = (
                b.carer_found_prob
                * (0.5 + 0.5 * pop.network[seeking])
                * np.where(pop.single[seeking], b.single_carer_found_factor, 1.0)
            )
            found = seeking[u[seeking] < p_found]
            pool = np.flatnonzero(
                (pop.age >= 18)
                & (pop.age < 85)
                & (pop.caring_for == NONE)
                & (pop.no_caring_until <= self.week)
                & (need < b.informal_need_threshold)
            )
            if found.size and pool.size:
                frac = u[found] / np.maximum(p_found[u[seeking] < p_found], 1e-9)
                pick = pool[np.minimum((frac * pool.size).astype(np.int64), pool.size - 1)]
                ok = pick != found
                found, pick = found[ok], pick[ok]
                _, first = np.unique(pick, return_index=True)
                found, pick = found[first], pick[first]
                pop.carer[found] = pick
                pop.caring_for[pick] = found
                pop.burden[pick] = 0.0
                self.log_events(pick, "carer_assigned")
        # hours and burden
        carers = np.flatnonzero(pop.caring_for != NONE)
        pop.carer_hours[:] = 0.0
        pop.carer_supported[:] = False
        if carers.size:
            r = pop.caring_for[carers]
            formal = (
                pop.in_care[PROV["household_help"], r]
                | pop.in_care[PROV["day_care"], r]
                | pop.in_care[PROV["wlz_at_home"], r]
            )
            hours = (
                b.carer_hours_per_need
                * need[r]
                * (1.0 - b.carer_hours_formal_substitution * formal)
            )
            pop.carer_hours[carers] = hours
            # burden moves toward an equilibrium proportional to the hours given, faster for
            # carers with little self-reliance of their own
            load = b.carer_burden_per_hour * np.maximum(hours - b.carer_tolerance_hours, 0.0)
            load *= 1.5 - pop.self_reliance[carers]
            pop.burden[carers] += load - b.carer_recovery_per_week * pop.burden[carers]
            if design.p.carer_support:
                support = carers[pop.burden[carers] >= 0.5 * b.carer_heavy_burden]
                pop.carer_supported[support] = True
                pop.burden[support] -= b.carer_support_relief
                self.book(
                    "welfare",
                    "prevention",
                    "carer_support",
                    support.size * b.carer_support_eur_per_week,
                )
            np.maximum(pop.burden, 0.0, out=pop.burden)
            self.recorder.add("informal_care_hours", float(hours.sum()))
            burnt = carers[pop.burden[carers] >= b.carer_burnout_threshold]
            if burnt.size:
                self.log_events(burnt, "carer_burnout")
                self.recorder.add("carer_burnouts", burnt.size)
                pop.carer[pop.caring_for[burnt]] = NONE
                pop.caring_for[burnt] = NONE
                pop.no_caring_until[burnt] = self.week + 52
                pop.burden[burnt] = 0.3
                mh = DOM["mental_health"]
                newly = burnt[pop.severity[mh, burnt] <= 0]
                pop.onset_week[mh, newly] = self.week
                pop.helped[mh, newly] = False
                pop.severity[mh, burnt] = np.minimum(
                    1.0, pop.severity[mh, burnt] + b.carer_burnout_mental_health
                )

    def contacts_with_care_finding_places(self) -> tuple[np.ndarray, np.ndarray]:
        """Contacts that happen anyway; some reveal a problem. One uniform per person picks
        at most one place per week (competing probabilities); its conditional value decides
        detection. Problem-driven contacts cost the place's financier."""
        pop = self.pop
        u = self._uniform("contacts")
        # a contact needs u below the summed contact probabilities; bound that sum from above
        # (all routine rates + all problem weights x the largest problem) to skip the rest
        routine_all = sum(pl.params.routine_contact_per_week for pl in self.places)
        weight_all = sum(float(pl.problem_weights.sum()) for pl in self.places)
        ms = self.max_severity
        idx = np.flatnonzero((ms > 0) & (u < routine_all + weight_all * ms))
        if idx.size == 0 or not self.places:
            return idx[:0], idx[:0]
        sev = pop.severity[:, idx]
        ages = pop.age[idx]
        main = sev.argmax(axis=0)
        main_sev = sev[main, np.arange(idx.size)]
        uu = u[idx]
        lower = np.zeros(idx.size, dtype=np.float32)
        detected = np.zeros(idx.size, dtype=bool)
        place_of = np.full(idx.size, -1, dtype=np.int64)
        for k, place in enumerate(self.places):
            routine, problem = place.contact_probabilities(ages, sev)
            upper = np.minimum(lower + routine + problem, 1.0)
            hit = (uu >= lower) & (uu < upper)
            if hit.any():
                width = np.maximum(upper - lower, 1e-9)
                frac = (uu - lower) / width
                is_problem_contact = hit & (uu >= lower + routine)
                n_problem = int(np.count_nonzero(is_problem_contact))
                place.contacts += int(np.count_nonzero(hit))
                place.problem_contacts += n_problem
                if n_problem:
                    self.book(
                        place.params.financier,
                        "care",
                        f"contacts_{place.name}",
                        n_problem * place.contact_cost,
                    )
                p_detect = place.detection[main] * (0.5 + 0.5 * main_sev)
                det = hit & (frac < p_detect)
                detected |= det
                place_of[det] = k
                place.detections += int(np.count_nonzero(det))
            lower = upper
        self.recorder.add("detections", int(np.count_nonzero(detected)))
        return idx[detected], place_of[detected]

    def health_care_referrals(self, detected: np.ndarray, place: np.ndarray) -> None:
        """Routes outside the municipal design: the GP refers to mental health care (Zvw) and
        to dementia case management (Zvw; everyone with chain care)."""
        pop = self.pop
        gp = [k for k, pl in enumerate(self.places) if pl.name == "gp"]
        at_gp = detected[place == gp[0]] if gp else detected[:0]
        mhc = self.providers[PROV["mental_health_care"]]
        mh = pop.severity[DOM["mental_health"], at_gp]
        self._join_waiting_list(mhc.index, at_gp[mh >= mhc.params.eligibility_threshold])
        dcm = self.providers[PROV["dementia_case_management"]]
        dem = at_gp[pop.severity[DOM["dementia"], at_gp] >= dcm.params.eligibility_threshold]
        if not self.cfg.design.levers.chain_care or self.week < 0:
            dem = dem[self._uniform_subset("referrals", dem) < 0.5]
        self._join_waiting_list(dcm.index, dem)
        # GPs (and school doctors) may refer to youth care directly under the Youth Act
        names = [pl.name for pl in self.places]
        direct = np.isin(place, [k for k, nm in enumerate(names) if nm in ("gp", "school")])
        youth = detected[direct]
        youth = youth[
            self._uniform_subset("referrals", youth) < self.cfg.behaviour.gp_youth_referral_prob
        ]
        self._join_waiting_list(PROV["youth_ambulant"], youth)

    def _uniform_subset(self, stream: str, idx: np.ndarray) -> np.ndarray:
        return self._week_rng(stream).random(idx.size)

    # ----- requests, decisions and grants (called by the designs)
    def enqueue_requests(self, idx: np.ndarray) -> None:
        """Put people in the intake queue, unless already queued, cared for, or refused."""
        pop = self.pop
        ok = idx[
            (pop.request_since[idx] == NONE)
            & (pop.refused_until[idx] <= self.week)
            & ~pop.case_holder[idx]
            & (pop.signal_since[idx] == NONE)
            & (self.unhelped_max[idx] > 0)
        ]
        pop.request_since[ok] = self.week
        self.log_events(ok, "request")
        self.recorder.add("requests", ok.size)

    def decide(
        self,
        approved: np.ndarray,
        refused: np.ndarray,
        design: DesignParams,
        light_only: np.ndarray | None = None,
    ) -> None:
        """Formal outcome of an assessment: grants go to the providers' waiting lists."""
        pop = self.pop
        self.log_events(approved, "approved")
        self.log_events(refused, "refused")
        self.recorder.add("approvals", approved.size)
        self.recorder.add("refusals", refused.size)
        # nobody asks again right after an assessment, whatever its outcome
        pop.refused_until[refused] = self.week + design.refusal_cooldown_weeks
        pop.refused_until[approved] = self.week + design.refusal_cooldown_weeks
        if approved.size == 0:
            return
        light = np.zeros(approved.size, dtype=bool) if light_only is None else light_only
        warm = design.warm_handover  # the case holder's warm contacts: admitted first
        self._join_waiting_list(PROV["social_work"], approved[light], priority=warm, light=True)
        full = approved[~light]
        u = self._uniform_subset("referrals", full)
        res_prob = design.residential_referral_base * (
            1.0 + design.residential_referral_low_expertise * (1.0 - design.assessor_expertise)
        )
        youth_sev = pop.severity[DOM["youth_family"], full]
        res_elig = self.providers[PROV["youth_residential"]].params.eligibility_threshold
        residential = (youth_sev >= res_elig) & (u < res_prob)
        for prov in self.providers:
            if not prov.municipal:
                continue
            if prov.name == "youth_residential":
                self._join_waiting_list(prov.index, full[residential], priority=warm)
            elif prov.name == "youth_ambulant":
                self._join_waiting_list(prov.index, full[~residential], priority=warm)
            else:
                self._join_waiting_list(prov.index, full, priority=warm)

    def _join_waiting_list(
        self, p: int, idx: np.ndarray, priority: bool = False, light: bool = False
    ) -> None:
        """Add the eligible among `idx` to provider p's waiting list."""
        if idx.size == 0:
            return
        pop, prov = self.pop, self.providers[p]
        par = prov.params
        sev = pop.severity[prov.domains][:, idx].max(axis=0)
        threshold = 0.0 if light else par.eligibility_threshold
        ok = (
            (sev >= threshold)
            & (sev > 0)
            & (pop.age[idx] >= par.min_age)
            & (pop.age[idx] < par.max_age + 1)
            & ~pop.in_care[p, idx]
            & (pop.waiting_since[p, idx] == NONE)
        )
        chosen = idx[ok]
        if chosen.size == 0:
            return
        pop.waiting_since[p, chosen] = self.week - PRIORITY if priority else self.week
        self.log_events(chosen, "waitlist", p)

    def stop_municipal_care(self, idx: np.ndarray) -> None:
        for p in self.municipal_provider_rows:
            self._discharge(int(p), idx[self.pop.in_care[p, idx]])

    def _discharge(self, p: int, idx: np.ndarray) -> None:
        if idx.size == 0:
            return
        self.pop.in_care[p, idx] = False
        self.pop.care_since[p, idx] = NONE
        self.log_events(idx, "discharge", p)

    # ----- providers
    def providers_admit_and_deliver(self, design: Gatekeeping) -> None:
        """Each provider admits from its waiting list (oldest first, crises first) up to its
        capacity, delivers its units and books the cost to its financier; Wmo own
        contributions are split off the Wmo cost; care ends at recovery or at its maximum."""
        pop, b = self.pop, self.cfg.behaviour
        week = self.week
        own_rows: list[tuple[Provider, np.ndarray, np.ndarray]] = []
        over = design.over_supply()
        for prov in self.providers:
            p, par = prov.index, prov.params
            # discharge: recovered, or the maximum duration reached
            clients = np.flatnonzero(pop.in_care[p])
            if clients.size and (par.discharge_threshold > 0 or par.max_weeks > 0):
                sev = pop.severity[prov.domains][:, clients].max(axis=0)
                done = sev < par.discharge_threshold
                if par.max_weeks > 0:
                    done |= pop.care_since[p, clients] <= week - par.max_weeks
                self._discharge(p, clients[done])
                clients = clients[~done]
            # admission
            waiting = np.flatnonzero(pop.waiting_since[p] != NONE)
            free = prov.capacity - clients.size
            if waiting.size and free > 0:
                if waiting.size > free:
                    order = np.argsort(pop.waiting_since[p, waiting], kind="stable")
                    waiting = waiting[order[:free]]
                since = pop.waiting_since[p, waiting].astype(np.int64)
                joined = np.where(since < week - PRIORITY // 2, since + PRIORITY, since)
                wait_weeks = week - joined
                pop.waiting_since[p, waiting] = NONE
                pop.in_care[p, waiting] = True
                pop.care_since[p, waiting] = week
                pop.used_this_year[p, waiting] = True
                prov.admitted += waiting.size
                self.log_events(waiting, "admit", p)
                self.recorder.add("admissions", waiting.size)
                self.recorder.add("waiting_weeks_sum", float(wait_weeks.sum()))
                for d in prov.domains:
                    first = waiting[
                        ~pop.helped[d, waiting]
                        & (pop.onset_week[d, waiting] >= -self.burn_in_weeks)
                    ]
                    if first.size:
                        self.recorder.add(
                            "onset_to_help_weeks_sum",
                            float((week - pop.onset_week[d, first]).sum()),
                        )
                        self.recorder.add("onset_to_help_count", first.size)
                        pop.helped[d, first] = True
                if p in WLZ_ROWS[1:]:  # admission to an institution ends care at home
                    for q in (
                        PROV["wlz_at_home"],
                        PROV["household_help"],
                        PROV["day_care"],
                        PROV["id_care"],
                    ):
                        self._discharge(q, waiting[pop.in_care[q, waiting]])
                        pop.waiting_since[q, waiting] = NONE
                clients = np.concatenate([clients, waiting])
            # delivery
            if clients.size == 0:
                continue
            dose = (
                design.dose(self, p, clients)
                if prov.municipal
                else np.ones(clients.size, dtype=np.float32)
            )
            units = par.units_per_week * dose * (over if prov.municipal else 1.0)
            cost = units * prov.price
            prov.units_delivered += float(units.sum())
            self.recorder.add("formal_care_hours", float(units.sum()) * par.hours_per_unit)
            self.recorder.add_provider_units(p, float(units.sum()), float(cost.sum()))
            if par.own_contribution and self.week >= 0:
                own_rows.append((prov, clients, cost))
            else:
                self.book(par.financier, "care", prov.name, float(cost.sum()))
            if prov.municipal:
                hours = clients.size * design.provider_admin_hours_per_client_week()
                self.book_admin(par.financier, f"accountability_{prov.name}", hours)
        self._book_own_contributions(own_rows, b)

    def _book_own_contributions(self, rows: list, b: Any) -> None:
        """Split each Wmo provision's cost between the municipality and the citizen: a
        person's contribution (capped at their Wmo cost) is shared over their provisions."""
        if not rows:
            return
        pop = self.pop
        everyone = np.concatenate([clients for _, clients, _ in rows])
        _, where = np.unique(everyone, return_inverse=True)
        per_person = np.bincount(where, weights=np.concatenate([c for _, _, c in rows]))
        if self.cfg.design.levers.own_contribution == "flat":
            fee = np.full(self.n, self.prices["wmo_flat_contribution"] * 12.0 / 52.0)
        else:
            fee = np.asarray(b.own_contribution_income_eur_per_week, dtype=float)[pop.income]
        start = 0
        for prov, clients, cost in rows:
            person_cost = per_person[where[start : start + clients.size]]
            start += clients.size
            share = cost / np.maximum(person_cost, 1e-12)
            own = np.minimum(fee[clients], person_cost) * share
            own_total = float(own.sum())
            self.book("own_contribution", "care", prov.name, own_total)
            self.book(prov.params.financier, "care", prov.name, float(cost.sum()) - own_total)

    def effects_on_problems(self, design: Gatekeeping) -> None:
        """Fitting help shrinks problems: each provision reduces the severity of its domains."""
        pop = self.pop
        for prov in self.providers:
            eff = prov.params.effect_per_week
            if eff <= 0:
                continue
            clients = np.flatnonzero(pop.in_care[prov.index])
            if clients.size == 0:
                continue
            dose = design.dose(self, prov.index, clients) if prov.municipal else 1.0
            for d in prov.domains:
                s = pop.severity[d, clients]
                pop.severity[d, clients] = np.where(
                    s > 0, np.maximum(s - eff * np.sqrt(dose), 1e-6), s
                )

    def escalations(self) -> None:
        """Needs that grew too large escalate to expensive care, often in other compartments:
        residential youth placement (youth), Wlz indication and nursing home (Wlz), mental
        health crisis and admission (Zvw), eviction, problematic debt."""
        pop, b = self.pop, self.cfg.behaviour
        u = self._person_uniform("escalation")
        thr, rate = b.escalation_threshold, b.escalation_rate_per_week
        sev = pop.severity
        y = sev[DOM["youth_family"]]
        old = np.maximum(
            sev[DOM["frailty"]],
            np.minimum(np.float32(b.dementia_admission_weight) * sev[DOM["dementia"]], 1.0),
        )
        id_sev = sev[DOM["intellectual_disability"]] * np.float32(0.9)
        mh = sev[DOM["mental_health"]]
        debt = sev[DOM["debt"]]
        # only people above some escalation threshold can escalate: work on them alone
        c = np.flatnonzero(
            (y >= thr["residential_youth"])
            | (old >= thr["nursing_home"])
            | (id_sev >= thr["nursing_home"])
            | (mh >= thr["mental_health_crisis"])
            | (debt >= thr["eviction"])
        )
        in_care = pop.in_care[:, c]
        waiting = pop.waiting_since[:, c] != NONE

        def hazard(kind: str, s: np.ndarray, eligible: np.ndarray) -> np.ndarray:
            t = thr[kind]
            return np.where(eligible & (s >= t), rate[kind] * (s - t) / max(1.0 - t, 1e-9), 0.0)

        yr, nh = PROV["youth_residential"], PROV["nursing_home"]
        h_youth = hazard("residential_youth", y[c], (pop.age[c] < 18) & ~in_care[yr] & ~waiting[yr])
        h_youth *= np.where(in_care[PROV["youth_ambulant"]], 0.5, 1.0)
        in_wlz = in_care[WLZ_ROWS].any(axis=0) | waiting[nh]
        h_wlz = hazard("nursing_home", old[c], (pop.age[c] >= 18) & ~in_wlz)
        h_wlz *= 1.0 - b.informal_care_escalation_reduction * (pop.carer[c] != NONE)
        h_wlz *= (
            1.0 - b.case_management_escalation_reduction * in_care[PROV["dementia_case_management"]]
        )
        h_wlz_id = hazard("nursing_home", id_sev[c], ~in_wlz)
        h_crisis = hazard("mental_health_crisis", mh[c], ~in_care[PROV["psychiatric_admission"]])
        h_crisis *= np.where(in_care[PROV["mental_health_care"]], 0.5, 1.0)
        h_evict = hazard("eviction", debt[c], (pop.age[c] >= 18) & ~pop.evicted[c])
        h_evict *= np.where(in_care[PROV["debt_counselling"]], 0.3, 1.0)
        uc = u[c]
        lower = np.zeros(c.size)
        outcomes = {}
        for name, h in (
            ("residential_youth", h_youth),
            ("nursing_home", h_wlz),
            ("wlz_id", h_wlz_id),
            ("mental_health_crisis", h_crisis),
            ("eviction", h_evict),
        ):
            upper = lower + h
            outcomes[name] = c[(uc >= lower) & (uc < upper)]
            lower = upper
        esc = {name: i for i, name in enumerate(ESCALATIONS)}
        hit = outcomes["residential_youth"]
        self._escalate(hit, "residential_youth", esc)
        self._join_waiting_list(PROV["youth_residential"], hit, priority=True)
        hit = outcomes["nursing_home"]
        self._escalate(hit, "nursing_home", esc)
        stay_home = self._uniform_subset("referrals", hit) < b.nursing_home_stay_home_share
        self._join_waiting_list(PROV["wlz_at_home"], hit, priority=True)
        self._join_waiting_list(PROV["nursing_home"], hit[~stay_home], priority=True)
        self._join_waiting_list(PROV["residential_id"], outcomes["wlz_id"], priority=True)
        hit = outcomes["mental_health_crisis"]
        self._escalate(hit, "mental_health_crisis", esc)
        self._join_waiting_list(PROV["psychiatric_admission"], hit, priority=True)
        if hit.size:
            self.book(
                "zvw",
                "care",
                "mental_health_crisis_service",
                hit.size * 3 * self.prices["specialised_mental_health_contact"],
            )
        hit = outcomes["eviction"]
        self._escalate(hit, "eviction", esc)
        pop.evicted[hit] = True  # once per debt episode
        if hit.size:
            half = hit.size * b.eviction_cost_eur / 2.0
            self.book("welfare", "care", "eviction_shelter", half)
            self.book("care_finding_places", "care", "eviction_housing_corporation", half)
            mh = DOM["mental_health"]
            pop.severity[mh, hit] = np.minimum(1.0, pop.severity[mh, hit] + 0.1)
            pop.onset_week[mh, hit] = np.where(
                pop.onset_week[mh, hit] == NO_ONSET, self.week, pop.onset_week[mh, hit]
            )
        # problematic debt: counted once per debt episode; only some become known to help
        debt = sev[DOM["debt"]]
        crossed = np.flatnonzero((debt >= thr["problematic_debt"]) & ~pop.debt_event)
        if crossed.size:
            pop.debt_event[crossed] = True
            self._escalate(crossed, "problematic_debt", esc)
            known = crossed[self._uniform_subset("referrals", crossed) < b.debt_known_to_help_share]
            self._join_waiting_list(PROV["debt_counselling"], known)

    def _escalate(self, idx: np.ndarray, kind: str, esc: dict[str, int]) -> None:
        if idx.size:
            self.log_events(idx, "escalation", esc[kind])
            self.recorder.add(f"escalations__{kind}", idx.size)

    def _release_carer_links(self, dead: np.ndarray) -> None:
        pop = self.pop
        cared = pop.caring_for[dead]
        pop.carer[cared[cared != NONE]] = NONE
        helper = pop.carer[dead]
        pop.caring_for[helper[helper != NONE]] = NONE
        pop.caring_for[dead] = NONE
        pop.carer[dead] = NONE

    # ------------------------------------------------------------------------- inspection
    def citizen(self, i: int) -> CitizenView:
        """A readable view of the person in slot i, with what happened to them."""
        return self.recorder.citizen(i)

    def remove_from_mesa_registry(self) -> None:
        """Drop this model from `mesa.Agent._ids` (Mesa 3.3.1 keeps every model alive there)."""
        mesa.Agent._ids.pop(self, None)


class PersonUniform:
    """Uniforms in [0, 1) indexed by person slot: `u[idx]` hashes (stream key, week, slot)
    with SplitMix64, so only the people looked at cost anything."""

    _GOLDEN = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, key: int, week: int) -> None:
        with np.errstate(over="ignore"):
            self._base = np.uint64(key) ^ (np.uint64(week + 2**40) * self._GOLDEN)

    def __getitem__(self, idx: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            z = np.asarray(idx, dtype=np.uint64) * self._GOLDEN + self._base
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            z ^= z >> np.uint64(31)
        return (z >> np.uint64(40)).astype(np.float32) * np.float32(2.0**-24)


def _override_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


__all__ = ["EVENT_CODES", "SocialDomainModel"]
