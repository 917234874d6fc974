"""Behaviour parameters of the limits around the chain (issue 26, part B): the regional care
workforce, the CIZ's Wlz assessment, the debt-help law's signal partners and outreach, and
the private market for household help. Part of `BehaviourParams` (sim.behaviour_params)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.schema import PROVIDERS, p, table


@dataclass
class WorkforceBehaviour:
    """The regional labour pool of care and welfare staff (docs/ODD.md 7.12, sim.workforce)."""

    workforce_fte_per_place: dict[str, float] = table(
        {
            "household_help": 0.09,
            "aids_and_transport": 0.0,
            "guidance": 0.12,
            "day_care": 0.08,
            "id_care": 0.12,
            "social_work": 0.05,
            "debt_counselling": 0.05,
            "youth_ambulant": 0.10,
            "youth_residential": 1.0,
            "mental_health_care": 0.06,
            "dementia_case_management": 0.02,
            "psychiatric_admission": 1.5,
            "wlz_at_home": 0.35,
            "nursing_home": 1.1,
            "residential_id": 1.0,
        },
        "FTE of care and support staff per client place (0 = not staffed from the pool)",
        0,
        10,
        "assumption from the units per week at 36 hours per FTE plus indirect time (household "
        "help about 3 hours a week, guidance and youth care 3-4 hours); institutions about 1 "
        "FTE per resident (Vektis/ActiZ: about 1.1 FTE care staff per nursing-home resident); "
        "aids and transport are bought goods and drivers, outside the care labour market",
        PROVIDERS,
    )
    workforce_turnover_per_year: float = p(
        0.15,
        "share of the staff leaving their employer per year (replaced by hiring from the pool)",
        0,
        1,
        "CBS/AZW StatLine (arbeidsmarkt zorg en welzijn): outflow of employees from care and "
        "welfare about 12-15% a year, job changes within the sector on top; the brief's 15-20%",
    )
    workforce_inflow_per_year: float = p(
        0.17,
        "care and welfare workers the regional labour market offers per year, as a share of "
        "the municipality's starting staff (graduates, returners, job changers)",
        0,
        1,
        "CBS/AZW: inflow of employees into care and welfare about 14-17% a year against an "
        "outflow of 12-15% (net growth about 2% a year, 2022-2023); UWV: tension "
        "'zeer krap' in care occupations (vacancy rate about 5%)",
    )
    workforce_pool_growth_per_year: float = p(
        0.0,
        "relative change per year of the pool's inflow (negative: a shrinking labour supply)",
        -0.2,
        0.2,
        "assumption: ABF/PRIMO prognosis of a growing shortage (about 266,000 in 2033) "
        "through demand, not through a falling supply; varied from -5% to +3% a year in the "
        "uncertainty analysis (staff-shortage scenario)",
    )
    workforce_seeker_stay_weeks: float = p(
        13.0,
        "weeks an unhired worker stays available to the region's employers (time constant)",
        1,
        520,
        "assumption: a job seeker not hired within about a quarter finds work elsewhere "
        "(other sector or region)",
    )


@dataclass
class CizBehaviour:
    """The CIZ's assessment before Wlz care (docs/ODD.md 7.10, sim.stages.ciz)."""

    ciz_lead_time_weeks: float = p(
        2.8,
        "mean weeks from a Wlz application to the CIZ's decision (weekly decision chance "
        "1 / this, at least one week)",
        1,
        52,
        "Wlz art. 3.2.3 and Awb 4:13: the CIZ decides within 6 weeks; minister's letter of "
        "February 2023: 93% of the decisions within the term; with the geometric lead time "
        "(1 - 1/2.8)^6 = 7% wait longer (re-set from the assumed 5, which left 26% beyond "
        "the term; docs/validation.md)",
    )


@dataclass
class DebtOutreachBehaviour:
    """Early debt signals from the legal signal partners and the outreach that follows them
    (docs/ODD.md 7.4, sim.stages.debt_outreach)."""

    debt_outreach_take_up: float = p(
        0.4,
        "share of households reached by outreach after a payment-arrears signal that accept help",
        0,
        1,
        "Divosa monitor vroegsignalering 2023 and Dutch pilots: about 30-50% of the "
        "households contacted accept an offer of help",
    )
    debt_outreach_reach: float = p(
        0.2,
        "share of signalled households the municipality reaches (a letter, call or house "
        "visit that leads to contact); one not reached is tried again at its next signal",
        0,
        1,
        "Divosa Monitor Vroegsignalering Schulden 2022: 8% of the signals end in help "
        "accepted, 39% of the households reached accept, so about 20% of the signals are "
        "reached (2021: about 1 in 6)",
    )
    debt_outreach_hours: float = p(
        1.5,
        "hours of outreach per signalled household (letter, call, house visit)",
        0,
        20,
        "assumption: Divosa monitor 2023: 0.33 FTE per 10,000 inhabitants for early "
        "signalling (EUR 2.63 per inhabitant per year)",
    )
    debt_outreach_cooldown_weeks: int = p(
        26,
        "weeks before a household that declined outreach is contacted again",
        0,
        520,
        "assumption: Wgs art. 3a: signals repeat while arrears last; municipalities "
        "re-contact after some months",
    )


@dataclass
class PrivateMarketBehaviour:
    """Household help bought privately as the alternative to the Wmo's (docs/ODD.md 7.6,
    sim.private_market)."""

    private_help_price_eur_per_hour: float = p(
        17.5,
        "EUR per hour for a private cleaner (household help bought without the Wmo)",
        8,
        40,
        "assumption: the Regeling dienstverlening aan huis makes about EUR 15-20 an hour "
        "common for private cleaners (2024); agency prices are higher",
    )
    private_help_time_value_eur_per_hour: float = p(
        12.0,
        "EUR per hour: what a household's hour of effort for the Wmo intake is worth to it",
        0,
        100,
        "assumption after the KiM value of time for other purposes (about EUR 10-13 an hour)",
    )
    private_help_effort_weeks: float = p(
        52.0,
        "weeks of household help over which the intake's effort is weighed",
        1,
        520,
        "assumption: a Wmo household-help decision runs about a year before review",
    )
    private_help_max_income_share: float = p(
        0.06,
        "largest share of weekly income a household spends on private household help",
        0,
        1,
        "assumption: a private cleaner at 3 hours a week is about 4% of a high income and "
        "8-15% of a middle or low one; only households with means buy it",
    )
    private_help_choice_scale_eur_per_week: float = p(
        10.0,
        "EUR per week: the spread of households' preferences between the Wmo and the market "
        "(logistic choice; 0 = all choose the cheaper)",
        0,
        200,
        "assumption: households differ in how they value a provider chosen by themselves",
    )
