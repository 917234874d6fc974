"""Work and income (Participatiewet): who of working age receives income support (bijstand),
who works, re-integration into work, and the carer who stops working because work and care
no longer combine (seed 002). Booked to the participation compartment (docs/ODD.md 7.21)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.population import DOM, NONE
from sim.stages.base import Stage
from sim.stages.problems import start_episode

if TYPE_CHECKING:
    from sim.model import SocialDomainModel

STREAM = "referrals"  # keyed draws: one named decision each (common random numbers)


class IncomeSupport(Stage):
    """Each week, for the people of working age (18 up to the AOW age): income support
    starts (job loss or an income below the social minimum; more likely with debt and
    mental-health problems) or starts for a carer who stopped working; it ends (to work or
    otherwise; more likely in a re-integration trajectory, less likely with debt or heavy
    care); people out of work without support find work again; a recipient may develop a
    debt problem. The municipality pays the benefit (category `income`), its execution
    (administration) and re-integration (care), all to the participation compartment."""

    name = "work_and_income"
    purpose = "income support (bijstand) and re-integration; carers who stop working"

    def init(self, model: SocialDomainModel) -> None:
        pop, q = model.pop, model.cfg.behaviour.income_support
        n = pop.n
        self.on_support = np.zeros(n, dtype=bool)
        self.employed = np.zeros(n, dtype=bool)
        self.reintegration_until = np.full(n, NONE, dtype=np.int32)
        working = ((pop.age >= q.min_age) & (pop.age < q.max_age)).nonzero()[0]
        inc = pop.income[working]
        u = model.draws.person_uniform(STREAM, "income_support_start")[working]
        on = u < np.asarray(q.initial_share_by_income)[inc]
        self.on_support[working[on]] = True
        u = model.draws.person_uniform(STREAM, "employed_start")[working]
        works = ~on & (u < np.asarray(q.employed_share_by_income)[inc])
        self.employed[working[works]] = True
        # a trajectory under way for a share of them: the steady share rate x T / (1 + rate x T)
        recipients = working[on]
        t = q.reintegration_weeks / 52.0
        share = q.reintegration_start_per_year * t / (1.0 + q.reintegration_start_per_year * t)
        u = model.draws.person_uniform(STREAM, "reintegration_start")[recipients]
        starts = recipients[u < share]
        left = u[u < share] / max(share, 1e-9) * q.reintegration_weeks
        self.reintegration_until[starts] = model.week + 1 + left.astype(np.int32)

    def step(self, model: SocialDomainModel) -> None:
        pop, q, week = model.pop, model.cfg.behaviour.income_support, model.week
        self._newcomers(model)
        age = pop.age
        working = (age >= q.min_age) & (age < q.max_age)
        # the AOW age: income support and work end (the pension is not the municipality's)
        aged_out = ((self.on_support | self.employed) & ~working).nonzero()[0]
        self._leave(aged_out)
        self.employed[aged_out] = False
        heavy = np.zeros(pop.n, dtype=bool)
        carers = pop.carer[pop.cared_for_slots()]
        heavy[carers[pop.carer_hours[carers] >= q.carer_hours_limit]] = True
        debt, mh = pop.severity[DOM["debt"]], pop.severity[DOM["mental_health"]]
        # entries: job loss or an income below the social minimum
        cand = (working & ~self.on_support).nonzero()[0]
        rate = np.asarray(q.entry_per_year_by_income)[pop.income[cand]] / 52.0
        rate = rate * (
            1.0 + q.debt_entry_multiplier * debt[cand] + q.mental_health_entry_multiplier * mh[cand]
        )
        u = model.draws.person_uniform(STREAM, "income_support_entry")[cand]
        entering = cand[u < rate]
        # carers who stop working because work and care no longer combine (seed 002)
        cand = (heavy & self.employed & working & ~self.on_support).nonzero()[0]
        u = model.draws.person_uniform(STREAM, "carer_stops_work")[cand]
        stopped = cand[u < q.carer_stop_work_per_year / 52.0]
        self.employed[stopped] = False
        u = model.draws.person_uniform(STREAM, "carer_income_support")[stopped]
        share = np.asarray(q.carer_support_share_by_income)[pop.income[stopped]]
        from_care = stopped[u < share]
        entering = np.union1d(entering, from_care)
        # exits (before the entries of this week: a new recipient stays at least a week)
        rec = self.on_support.nonzero()[0]
        rate = np.full(rec.size, q.exit_per_year / 52.0)
        rate *= np.where(self.reintegration_until[rec] > week, q.reintegration_exit_multiplier, 1.0)
        rate *= 1.0 - q.debt_exit_reduction * debt[rec]
        rate *= np.where(heavy[rec], 1.0 - q.carer_exit_reduction, 1.0)
        u = model.draws.person_uniform(STREAM, "income_support_exit")[rec]
        leaving = rec[u < rate]
        self._leave(leaving)
        u = model.draws.person_uniform(STREAM, "exit_to_work")[leaving]
        to_work = leaving[u < q.exit_to_work_share]
        self.employed[to_work] = True
        # people out of work, without support and without heavy care, who find work
        cand = (working & ~self.employed & ~self.on_support & ~heavy).nonzero()[0]
        u = model.draws.person_uniform(STREAM, "finds_work")[cand]
        self.employed[cand[u < q.return_to_work_per_year / 52.0]] = True
        self._enter(model, entering)
        rec = self.on_support.nonzero()[0]  # this week's recipients, read once
        self._reintegration(model, rec)
        self._debt_onsets(model, rec)
        self._book_and_record(model, rec, working, entering, leaving, to_work, stopped, from_care)

    def _newcomers(self, model: SocialDomainModel) -> None:
        """A slot taken by a newborn (births replace deaths): nothing of the previous occupant."""
        new = model.newborns
        if new.size:
            self._leave(new)
            self.employed[new] = False

    def _leave(self, idx: np.ndarray) -> None:
        self.on_support[idx] = False
        self.reintegration_until[idx] = NONE

    def _enter(self, model: SocialDomainModel, idx: np.ndarray) -> None:
        """Income support starts for `idx`."""
        self.on_support[idx] = True
        self.employed[idx] = False

    def _reintegration(self, model: SocialDomainModel, rec: np.ndarray) -> None:
        """Recipients not in a trajectory start one at a rate; it lasts its weeks."""
        q, week = model.cfg.behaviour.income_support, model.week
        free = rec[self.reintegration_until[rec] <= week]
        u = model.draws.person_uniform(STREAM, "reintegration")[free]
        starts = free[u < q.reintegration_start_per_year / 52.0]
        self.reintegration_until[starts] = week + q.reintegration_weeks
        model.recorder.add("reintegration_starts", starts.size)

    def _debt_onsets(self, model: SocialDomainModel, rec: np.ndarray) -> None:
        """A recipient without a debt problem may develop one (income support raises debt
        risk): the onset severity of a new problem, an episode as any other."""
        pop, b = model.pop, model.cfg.behaviour
        d = DOM["debt"]
        rec = rec[pop.severity[d][rec] <= 0.0]
        u = model.draws.person_uniform(STREAM, "debt_on_support")[rec]
        hit = rec[u < b.income_support.debt_onset_per_year_on_support / 52.0]
        if hit.size:
            pop.severity[d][hit] = np.float32(b.onset_severity_min)
            start_episode(model, d, hit)
            model.recorder.log(hit, "onset", d)
            model.recorder.add("onsets", hit.size)
            model.recorder.add("debt_onsets_on_income_support", hit.size)

    def _book_and_record(
        self,
        model: SocialDomainModel,
        rec: np.ndarray,
        working: np.ndarray,
        entering: np.ndarray,
        leaving: np.ndarray,
        to_work: np.ndarray,
        stopped: np.ndarray,
        from_care: np.ndarray,
    ) -> None:
        q = model.cfg.behaviour.income_support
        recipients = rec.size
        reintegrating = int(np.count_nonzero(self.reintegration_until[rec] > model.week))
        model.book(
            "participation",
            "income",
            "income_support_benefit",
            recipients * q.benefit_eur_per_year / 52.0,
        )
        model.book(
            "participation",
            "administration",
            "income_support_execution",
            recipients * q.execution_eur_per_year / 52.0,
        )
        model.book(
            "participation",
            "care",
            "reintegration",
            reintegrating * q.reintegration_eur_per_year / 52.0,
        )
        add = model.recorder.add
        add("income_support_recipients", recipients)
        add("reintegration_trajectories", reintegrating)
        add("income_support_entries", entering.size)
        add("income_support_entries_from_care", from_care.size)
        add("income_support_exits", leaving.size)
        add("income_support_exits_to_work", to_work.size)
        add("carers_stopped_work", stopped.size)
        add("employed_working_age", int(np.count_nonzero(self.employed)))
        add("working_age", int(np.count_nonzero(working)))

    def person(self, i: int) -> dict[str, object]:
        """Work and income of the person in slot i (for inspection)."""
        return {
            "on_income_support": bool(self.on_support[i]),
            "employed": bool(self.employed[i]),
            "in_reintegration": bool(self.reintegration_until[i] != NONE),
        }
