"""Behaviour parameters of supply: providers' capacity and the staff's hours follow demand
with a lag, and people drop out of queues. Part of `BehaviourParams` (sim.behaviour_params)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.schema import PROVIDERS, p, table


@dataclass
class SupplyBehaviour:
    """Capacity and staffing that respond to demand; drop-out from queues."""

    # supply that responds (providers' capacity, the team's hours) and drop-out from queues
    capacity_response_weeks: float = p(
        26.0,
        "weeks (time constant of the exponentially smoothed demand = clients + waiting list)",
        1,
        520,
        "assumption: providers and financiers act on a waiting list sustained for about half "
        "a year (one contracting round), not on one week's peak",
    )
    capacity_margin: float = p(
        0.05,
        "target capacity above smoothed demand (share)",
        0,
        1,
        "assumption: providers plan for about 95% occupancy",
    )
    capacity_max_growth_per_year: dict[str, float] = table(
        {
            "household_help": 0.20,
            "aids_and_transport": 0.20,
            "guidance": 0.20,
            "day_care": 0.15,
            "id_care": 0.15,
            "social_work": 0.20,
            "debt_counselling": 0.20,
            "youth_ambulant": 0.20,
            "youth_residential": 0.05,
            "mental_health_care": 0.10,
            "dementia_case_management": 0.15,
            "psychiatric_admission": 0.03,
            "wlz_at_home": 0.10,
            "nursing_home": 0.04,
            "residential_id": 0.03,
        },
        "largest relative capacity increase per year",
        0,
        5,
        "assumption: ambulant care hires and contracts within a year (open-house "
        "procurement), mental health care and Wlz care at home are held back by staff "
        "shortages, institutions must build (nursing-home places about +4% a year is "
        "the order of the national expansion need)",
        PROVIDERS,
    )
    capacity_max_shrink_per_year: dict[str, float] = table(
        {
            "household_help": 0.15,
            "aids_and_transport": 0.15,
            "guidance": 0.15,
            "day_care": 0.15,
            "id_care": 0.15,
            "social_work": 0.15,
            "debt_counselling": 0.15,
            "youth_ambulant": 0.15,
            "youth_residential": 0.10,
            "mental_health_care": 0.10,
            "dementia_case_management": 0.10,
            "psychiatric_admission": 0.05,
            "wlz_at_home": 0.10,
            "nursing_home": 0.02,
            "residential_id": 0.02,
        },
        "largest relative capacity decrease per year",
        0,
        1,
        "assumption: ambulant staff leave by turnover (about 15% a year), institutions "
        "close places slowly (buildings, contracts)",
        PROVIDERS,
    )
    capacity_budget_damping: float = p(
        1.0,
        "share of a municipal provider's capacity growth lost per unit of budget pressure",
        0,
        1,
        "assumption: a municipality over budget contracts no extra Wmo/youth capacity "
        "(pressure 1 = spending 100% over budget stops growth)",
    )
    capacity_contracting_headroom: dict[str, float] = table(
        {"zvw": 1.0, "wlz": 0.7},
        "share of the maximum growth the financier contracts (health insurers, care offices)",
        0,
        1,
        "assumption: insurers must contract care within the Treeknorm waiting times; care "
        "offices (zorgkantoren) grow within the yearly Wlz contracting space",
        ("zvw", "wlz"),
    )
    team_intake_target_weeks: float = p(
        8.0,
        "weeks from request to decision the municipality staffs for",
        1,
        104,
        "Wmo 2015 art. 2.3.2 (investigation within 6 weeks of the report) and art. 2.3.5 "
        "(decision within 2 weeks of the application)",
    )
    team_response_weeks: float = p(
        26.0,
        "weeks (time constant of the smoothed hours the intake queue needs)",
        1,
        520,
        "assumption: a municipality hires or lets go after about half a year (budget cycle)",
    )
    team_backlog_weeks: float = p(
        26.0,
        "weeks over which the team plans to work off an intake queue beyond the legal term",
        1,
        520,
        "assumption: a municipality staffs for the inflow it sees and clears a backlog "
        "within about half a year (budget cycle); 13-52 weeks give the same steady state",
    )
    staff_redeployment_weeks: float = p(
        13.0,
        "weeks (time constant over which hours one access pool has beyond its need move to "
        "the other pool's shortfall: the neighbourhood team and early signalling's case "
        "holders are the same municipality's consultants)",
        1,
        520,
        "assumption: a consultant moves between teams within a municipality in about a "
        "quarter (notice, handover, training); at the top of the range the pools do not "
        "exchange staff",
    )
    team_max_growth_per_year: float = p(
        0.15,
        "largest relative increase of the team's hours per year",
        0,
        5,
        "assumption: consultants are scarce; vacancies take months to fill",
    )
    team_max_shrink_per_year: float = p(
        0.10,
        "largest relative decrease of the team's hours per year",
        0,
        1,
        "assumption: staff leave by turnover (about 10% a year), no lay-offs",
    )
    team_budget_damping: float = p(
        1.0,
        "share of the team's growth lost per unit of budget pressure",
        0,
        1,
        "assumption: a municipality over budget does not hire (pressure 1 stops growth)",
    )
    dropout_per_week: dict[str, float] = table(
        {
            "intake": 0.01,
            "household_help": 0.005,
            "aids_and_transport": 0.005,
            "guidance": 0.005,
            "day_care": 0.005,
            "id_care": 0.005,
            "social_work": 0.01,
            "debt_counselling": 0.01,
            "youth_ambulant": 0.005,
            "youth_residential": 0.002,
            "mental_health_care": 0.005,
            "dementia_case_management": 0.002,
            "psychiatric_admission": 0.25,
            "wlz_at_home": 0.002,
            "nursing_home": 0.002,
            "residential_id": 0.002,
        },
        "probability per week of leaving the queue (intake) or a provider's waiting list",
        0,
        1,
        "assumption: about 40% a year leave the intake queue and 23% a year an ambulant "
        "waiting list (they solve it otherwise or give up), Wlz lists rarely; a crisis "
        "not admitted within about 4 weeks has passed or is handled by crisis teams",
        ("intake", *PROVIDERS),
    )
    dropout_rise_per_year: float = p(
        0.0,
        "relative increase of the drop-out hazard per year already waited",
        0,
        10,
        "assumption: no Dutch data on how leaving depends on waiting time (0 = constant "
        "hazard); varied in the sensitivity analysis",
    )
    dropout_cooldown_weeks: int = p(
        26,
        "weeks before someone who left a queue asks again (or is referred to that list)",
        0,
        520,
        "assumption: like the cooldown after a refusal; the problem stays",
    )
