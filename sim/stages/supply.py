"""Supply that responds: providers' capacity follows their sustained demand, and the access
staff's hours (the neighbourhood team, early signalling's case holders) follow their queues,
each with a lag, bounded per year and held back by the financier's budget
(`Provider.respond_to_demand`, `StaffPool.respond_to_queue`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.population import PROVIDER_BIT
from sim.providers import FollowsDemand
from sim.staff import StaffPool, redeploy
from sim.stages.base import Stage
from sim.workforce import StaffUnit

if TYPE_CHECKING:
    from sim.model import SocialDomainModel
    from sim.providers import Provider


class SupplyResponse(Stage):
    """After the week's spending is known, each provider moves its capacity toward its
    smoothed demand (clients + waiting list) x (1 + margin) and the team its hours toward
    what clears the intake queue within the legal term. Growth of municipal providers and
    of the team is damped by the municipality's budget pressure; Zvw and Wlz providers grow
    within their financier's contracting headroom (and, under integrated financing, are
    damped by the one budget's pressure too)."""

    name = "supply.response"
    purpose = "capacity and team hours follow demand, bounded, damped, hired from the labour pool"

    def init(self, model: SocialDomainModel) -> None:
        # today's capacity is taken to match today's demand: the first target is the start
        margin = model.cfg.behaviour.capacity_margin
        for prov in model.providers:
            prov.smoothed_demand = prov.capacity_level / (1.0 + margin)
            for c in prov.contractors:
                c.smoothed_demand = c.capacity_level / (1.0 + margin)

    def growth_factor(self, model: SocialDomainModel, prov: Provider) -> float:
        """Share of the maximum growth a provider may use this week (0-1)."""
        b = model.cfg.behaviour
        municipality = model.municipality
        damped = 1.0 - b.capacity_budget_damping * municipality.pressure
        if prov.municipal:
            return damped
        headroom = b.capacity_contracting_headroom.get(prov.params.financier, 1.0)
        return headroom * damped if municipality.integrated else headroom

    def step(self, model: SocialDomainModel) -> None:
        b = model.cfg.behaviour
        pop = model.pop
        # nothing here changes who is in care or waiting: each person's providers as bits,
        # read once for the maintained sets (no pass over everyone per provider)
        engaged = pop.slots("engaged")
        engaged_bits = pop.care_bits[engaged] | pop.wait_bits[engaged]
        care_bits = pop.care_bits[pop.slots("care")]
        wait_bits = pop.wait_bits[pop.slots("lists")]
        # what hires from the regional labour pool: each unit's level before and proposed
        units: list[tuple[FollowsDemand | StaffPool, StaffUnit]] = []
        margin = 1.0 + b.capacity_margin
        for prov in model.providers:
            name = prov.name
            bounds = (
                b.capacity_response_weeks,
                b.capacity_margin,
                b.capacity_max_growth_per_year[name],
                b.capacity_max_shrink_per_year[name],
                self.growth_factor(model, prov),
            )
            fte = b.workforce_fte_per_place[name]
            bit = PROVIDER_BIT[prov.index]
            if prov.contractors:  # each contractor follows its own clients + waiting list
                mine = engaged[(engaged_bits & bit) != 0]
                prov.place_unassigned(mine)
                own = np.bincount(
                    np.maximum(pop.contractor[prov.row][mine], 0),
                    minlength=len(prov.contractors),
                )
                for c in prov.contractors:
                    before = c.capacity_level
                    c.respond_to_demand(float(own[c.slot]), *bounds)
                    target = c.smoothed_demand * margin
                    units.append((c, StaffUnit(before, c.capacity_level, fte, target)))
            else:
                demand = np.count_nonzero(care_bits & bit) + np.count_nonzero(wait_bits & bit)
                before = prov.capacity_level
                prov.respond_to_demand(float(demand), *bounds)
                target = prov.smoothed_demand * margin
                units.append((prov, StaffUnit(before, prov.capacity_level, fte, target)))
        units += self.staff_response(model)
        levels = model.workforce.bound([unit for _, unit in units])
        for (agent, _), level in zip(units, levels, strict=True):
            if isinstance(agent, StaffPool):
                agent.hours_per_week = float(level)
            else:
                agent.capacity_level = float(level)
                agent.capacity = round(agent.capacity_level)
        for prov in model.providers:
            prov.sync_capacity()
            model.recorder.add(f"capacity__{prov.name}", float(prov.capacity))
        model.workforce.record()
        self.redeploy_staff(model)

    @staticmethod
    def staff_response(model: SocialDomainModel) -> list[tuple[StaffPool, StaffUnit]]:
        """The access staff follow their queues: the neighbourhood team plans from the
        inflow of intake work (plus the hours of last week's reviews) and works a queue
        beyond the legal term off over `team_backlog_weeks`; the case holders' hours (early
        signalling) follow the ongoing caseload plus the signals and requests waiting for a
        case holder; both with the team's lag, bounds and budget damping. Returns the pools
        with their hours before and proposed, for the labour pool to bound."""
        b = model.cfg.behaviour
        design = model.current_design
        p = design.p
        damping = 1.0 - b.team_budget_damping * model.municipality.pressure
        pools = [
            (
                model.team,
                design.team_queue(model),
                p.intake_hours + p.decision_admin_hours,
                model.team.other_hours_last_week,
                b.team_backlog_weeks,
            )
        ]
        waiting = design.case_holder_queue(model)
        if waiting is not None:
            per_slot = design.case_holder_slot_hours(model)
            active = int(np.count_nonzero(model.pop.case_holder))
            pools.append((model.case_holders, waiting, per_slot, active * per_slot, None))
        fte = 1.0 / max(b.staff_hours_per_fte_week, 1e-9)
        units = []
        for pool, queue, hours_per_case, ongoing, backlog_weeks in pools:
            before = pool.hours_per_week
            pool.respond_to_queue(
                queue,
                hours_per_case,
                b.team_intake_target_weeks,
                b.team_response_weeks,
                b.team_max_growth_per_year,
                b.team_max_shrink_per_year,
                damping,
                ongoing_hours=ongoing,
                backlog_weeks=backlog_weeks,
            )
            unit = StaffUnit(before, pool.hours_per_week, fte, pool.hours_needed)
            units.append((pool, unit))
        return units

    @staticmethod
    def redeploy_staff(model: SocialDomainModel) -> None:
        """Where both access pools are staffed, hours one has beyond its need move to the
        other's shortfall (`staff.redeploy`, over `staff_redeployment_weeks`: internal moves,
        not hiring from the labour pool)."""
        b = model.cfg.behaviour
        if model.current_design.case_holder_queue(model) is not None:
            moved = redeploy(model.team, model.case_holders, b.staff_redeployment_weeks)
            model.recorder.add("staff_hours_redeployed", moved)
        model.recorder.add("team_hours_per_week", model.team.hours_per_week)
        model.recorder.add("case_holder_hours_per_week", model.case_holders.hours_per_week)
