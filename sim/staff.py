"""The access staff: the neighbourhood team and the case holders, paid by the hour whether
used or not, staffed to their inflow and queue with a lag (Mesa agents)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from sim.model import SocialDomainModel

from sim.providers import bounded_step


class StaffPool(mesa.Agent):
    """Access staff with paid hours per week (the neighbourhood team, case holders): the
    hours follow their inflow and queue with a lag (`respond_to_queue`) and are paid every week
    whether used or not (`pay`); the work done is recorded as hours used (`use`)."""

    label = "staff"

    def __init__(self, model: SocialDomainModel, hours_per_week: float) -> None:
        super().__init__(model)
        self.hours_per_week = hours_per_week  # staffed hours this week (paid, used or not)
        self.start_hours_per_week = hours_per_week  # from the municipality file / design
        self.hours_needed = hours_per_week  # the hours the staffing moves toward
        # planning from the inflow (`backlog_weeks`): today's staffing is taken to match
        # today's inflow of queue work, as a provider's capacity its demand
        self.inflow_hours = hours_per_week  # smoothed hours of queue work arriving per week
        self.last_queue = 0  # the queue at the last response
        self.queue_hours_last_week = 0.0  # hours of queue work done in the last paid week
        self.hours_used = 0.0  # cumulative hours of work done
        self.week_hours = 0.0  # hours of work done this week
        self.week_youth_hours = 0.0  # of which for people with a youth-family problem
        self.week_other_hours = 0.0  # of which not taken from the queue (reviews)
        self.other_hours_last_week = 0.0
        self.youth_share = 0.0  # share of the paid hours charged to the youth budget

    def staff(self, hours_per_week: float, hours_needed: float | None = None) -> None:
        """Set the staffing at a design's start (case holders hired at week 0): the hours
        staffed, and the hours the design wanted (more when the labour pool was short: the
        rest are open positions the staffing then moves toward)."""
        needed = hours_per_week if hours_needed is None else max(hours_needed, hours_per_week)
        self.hours_per_week = self.start_hours_per_week = hours_per_week
        self.hours_needed = self.inflow_hours = needed

    def use(self, hours: float, youth_hours: float, other: bool = False) -> None:
        """Record `hours` of work (`youth_hours` of them for youth cases); `other` work
        (reviews) is done besides the queue and adds to the hours the staff needs."""
        self.hours_used += hours
        self.week_hours += hours
        self.week_youth_hours += youth_hours
        if other:
            self.week_other_hours += hours

    def respond_to_queue(
        self,
        queue: int,
        hours_per_case: float,
        target_weeks: float,
        response_weeks: float,
        max_growth: float,
        max_shrink: float,
        growth_factor: float,
        ongoing_hours: float = 0.0,
        backlog_weeks: float | None = None,
    ) -> None:
        """Staffing follows the queue with a lag; the hours move toward what is needed,
        bounded per year. Needed: the hours of ongoing work plus, without `backlog_weeks`,
        the hours that would clear this week's queue within `target_weeks` (queue x hours
        per case / target weeks; by Little's law a queue served at that rate waits about
        `target_weeks`), smoothed with time constant `response_weeks`. With `backlog_weeks`,
        planned from the inflow instead: the smoothed hours of queue work arriving per week
        (`inflow_hours`, time constant `response_weeks`) plus the queue's hours beyond what
        that inflow waits in `target_weeks`, worked off over `backlog_weeks`. Both settle
        where the queue waits `target_weeks`; the second does not overshoot and ring
        (docs/ODD.md 7.12)."""
        if backlog_weeks is None:
            needed = ongoing_hours + queue * hours_per_case / max(target_weeks, 1e-9)
            self.hours_needed += (needed - self.hours_needed) / max(response_weeks, 1.0)
        else:
            arriving = self.queue_hours_last_week + (queue - self.last_queue) * hours_per_case
            self.inflow_hours += (arriving - self.inflow_hours) / max(response_weeks, 1.0)
            backlog = queue * hours_per_case - self.inflow_hours * target_weeks
            self.hours_needed = (
                ongoing_hours + self.inflow_hours + backlog / max(backlog_weeks, 1.0)
            )
        self.last_queue = queue
        self.hours_per_week = bounded_step(
            self.hours_per_week, self.hours_needed, max_growth, max_shrink, growth_factor
        )

    def pay(self, hour_eur: float) -> None:
        """Book this week's staffed hours at `hour_eur` (administration), whether used or
        not: youth budget for the share of the hours used for youth cases (the last known
        share in a week without work), the rest Wmo. Then start a new week of work."""
        model = self.model
        if self.week_hours > 0:
            self.youth_share = self.week_youth_hours / self.week_hours
        cost = self.hours_per_week * hour_eur
        if cost > 0:
            model.recorder.add("admin_hours", self.hours_per_week)
            model.book("youth", "administration", f"{self.label}_youth", cost * self.youth_share)
            model.book("wmo", "administration", f"{self.label}_wmo", cost * (1 - self.youth_share))
        self.other_hours_last_week = self.week_other_hours
        self.queue_hours_last_week = self.week_hours - self.week_other_hours
        self.week_hours = self.week_youth_hours = self.week_other_hours = 0.0


def redeploy(a: StaffPool, b: StaffPool, weeks: float) -> float:
    """Consultants move between two access pools of one municipality: the hours one has
    beyond what it needs (`hours_needed`) go to the other's shortfall, a share 1 / `weeks`
    of the smaller of the two each week (internal moves, not hiring: outside the pools'
    growth bounds). Returns the hours moved from `a` to `b` (negative: from `b` to `a`)."""
    a_over, b_over = a.hours_per_week - a.hours_needed, b.hours_per_week - b.hours_needed
    move = 0.0
    if a_over > 0 > b_over:
        move = min(a_over, -b_over) / max(weeks, 1.0)
    elif b_over > 0 > a_over:
        move = -min(b_over, -a_over) / max(weeks, 1.0)
    a.hours_per_week -= move
    b.hours_per_week += move
    return move


class NeighbourhoodTeam(StaffPool):
    """The neighbourhood team (sociaal wijkteam): consultants with limited hours per week."""

    label = "team"

    def __init__(self, model: SocialDomainModel, hours_per_week: float) -> None:
        super().__init__(model, hours_per_week)
        self._carry = 0.0

    def intake_capacity(self, hours_per_case: float) -> int:
        """Cases the team can take this week with the hours its other work (reviews) has
        left (fractions carried over to next week)."""
        if hours_per_case <= 0:
            return 10**9
        free = max(self.hours_per_week - self.week_other_hours, 0.0)
        cases = free / hours_per_case + self._carry
        whole = int(cases)
        self._carry = cases - whole
        return whole


class CaseHolders(StaffPool):
    """Early signalling's professional case holders: FTE with a caseload each."""

    label = "case_holders"

    def slots(self, hours_per_fte_week: float, caseload_per_fte: float) -> int:
        """Cases the staffed hours can hold."""
        return int(self.hours_per_week / hours_per_fte_week * caseload_per_fte)
