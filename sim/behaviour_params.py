"""Parameters of how the world works (same for every design): problems, people, informal
care and escalation here; access and supply behaviour in sim.access_behaviour and
sim.supply_behaviour; providers and places in sim.provider_params. Part of the schema
re-exported by `sim.params`."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.access_behaviour import AccessBehaviour
from sim.limits_behaviour import (
    CizBehaviour,
    DebtOutreachBehaviour,
    PrivateMarketBehaviour,
    WorkforceBehaviour,
)
from sim.need_behaviour import NeedBehaviour
from sim.participation_params import IncomeSupportParams, YouthProtectionParams
from sim.provider_params import ContractorParams, PlaceParams, ProviderParams
from sim.schema import DOMAINS, ESCALATIONS, PLACES, PROVIDERS, p, table
from sim.supply_behaviour import SupplyBehaviour


# --------------------------------------------------------------------------- behaviour
@dataclass
class BehaviourParams(
    NeedBehaviour,
    SupplyBehaviour,
    AccessBehaviour,
    WorkforceBehaviour,
    CizBehaviour,
    DebtOutreachBehaviour,
    PrivateMarketBehaviour,
):
    """How the world works: problems, people, informal care, escalation. Same for every design."""

    onset_per_year: dict[str, list[float]] = table(
        {}, "probability per year per age band", 0, 1, "assumption, calibrated to targets", DOMAINS
    )
    duration_years: dict[str, float] = table(
        {},
        "years: mean duration of a problem; sets the initial prevalence (onset x duration) "
        "and, unless chronic, the weekly chance 1 / (52 x duration) that it ends by itself",
        0,
        100,
        "assumptions: mental health 1.5 (NEMESIS: most episodes end within a year or two), "
        "youth 1.5 (CBS: a youth care trajectory lasts about a year), debt 2, loneliness 2 "
        "(SCP: loneliness often lasts years); for the chronic problems (frailty, dementia) it "
        "only sets the starting prevalence, chosen so that the start is the model's own steady "
        "state: measured on mid_city 20,000 (seeds 1-2, 20 years from the start, with the "
        "mortality tied to the life table), the age-standardised prevalence (60+, weighted by "
        "the start's age bands) reached 1.13x the start for frailty at 5.75 years (still "
        "rising 0.6% a year) and 1.13-1.16x for dementia at 4.9 years (from year 13), hence "
        "frailty 6.5 and dementia 5.6 (Alzheimer Nederland's 8 years from diagnosis to death "
        "include years before the model's onset of a care need)",
        DOMAINS,
    )
    chronic: dict[str, bool] = table(
        {},
        "true = does not end by itself (only with death, or shrinks through care and "
        "self-reliance)",
        None,
        None,
        "frailty, dementia and intellectual disability are lasting conditions",
        DOMAINS,
    )
    growth_per_year: dict[str, float] = table(
        {},
        "severity increase per year untreated, at zero self-reliance",
        0,
        5,
        "assumption",
        DOMAINS,
    )
    remission_per_year: dict[str, float] = table(
        {}, "severity decrease per year at full self-reliance", 0, 5, "assumption", DOMAINS
    )
    intellectual_disability_at_birth: float = p(
        0.02, "share of newborns", 0, 1, "SCP 2019: 370,000 persons with mild ID"
    )
    debt_income_risk: list[float] = field(
        default_factory=lambda: [2.5, 1.0, 0.3],
        metadata={
            "unit": "onset multiplier low / middle / high income",
            "min": 0.0,
            "max": 20.0,
            "source": "Nibud/CBS 2020: debt concentrated in low incomes",
        },
    )
    interaction_risk: float = p(
        1.5,
        "onset multiplier per unit severity of a feeding problem",
        0,
        20,
        "assumption: debt feeds stress, loneliness feeds demand",
    )
    serious_threshold: float = p(0.5, "severity 0-1", 0, 1, "assumption: a serious problem")
    onset_severity_min: float = p(
        0.05, "severity 0-1 of the mildest new problem", 0, 1, "assumption: problems start small"
    )
    onset_severity_range: float = p(
        0.25,
        "severity 0-1: a new problem's severity is uniform in [min, min + range]",
        0,
        1,
        "assumption: problems start small",
    )
    detection_floor: float = p(
        0.5,
        "share of a place's detection probability that does not depend on severity "
        "(detection = place's probability x (floor + (1 - floor) x severity))",
        0,
        1,
        "assumption: a larger problem is noticed more easily",
    )
    wellbeing_weight_unmet: float = p(
        0.6,
        "weight of the largest problem not in care in the wellbeing index (1 - weights x ...)",
        0,
        1,
        "assumption: unmet need weighs most",
    )
    wellbeing_weight_severity: float = p(
        0.3, "weight of the largest problem in the wellbeing index", 0, 1, "assumption"
    )
    wellbeing_weight_carer_burden: float = p(
        0.1, "weight of a carer's burden in the wellbeing index", 0, 1, "assumption"
    )
    self_reliance_mean: float = p(0.55, "0-1", 0, 1, "assumption")
    self_reliance_low_income_shift: float = p(-0.1, "0-1", -1, 1, "assumption")
    network_protection: float = p(
        0.3, "share of growth prevented by a full network", 0, 1, "assumption"
    )
    mortality_gompertz_a: float = p(2.0e-5, "per year at age 0", 0, 1, "fitted to CBS life table")
    mortality_gompertz_b: float = p(0.1, "per year of age", 0, 1, "fitted to CBS life table")
    mortality_excess_severity: float = p(
        1.5,
        "relative excess per unit frailty/dementia",
        0,
        50,
        "assumption; it decides who dies within an age band, whose deaths the life table "
        "sets (docs/ODD.md 7.1)",
    )
    nursing_home_mortality_multiplier: float = p(
        2.0, "relative", 0, 50, "assumption: median stay about 2 years"
    )
    nursing_home_mortality_floor_per_year: float = p(
        0.25,
        "per year",
        0,
        5,
        "assumption: a resident's death rate is at least this at any age (admission comes late "
        "in an illness; younger residents die of it too); 0.25 sets residents' deaths near "
        "CBS's 0.32 a year (752 deaths a week in nursing and care homes in weeks 1-10 of 2020, "
        "123,000 residents); the calibrated behaviour fits it with the Wlz share (0.34)",
    )
    # informal care
    informal_need_threshold: float = p(0.3, "care need 0-1", 0, 1, "assumption")
    carer_need_weight_intellectual_disability: float = p(
        0.6,
        "care need per unit of intellectual-disability severity (frailty and dementia weigh 1)",
        0,
        1,
        "assumption",
    )
    carer_need_weight_mental_health: float = p(
        0.5, "care need per unit of mental-health severity", 0, 1, "assumption"
    )
    carer_found_network_floor: float = p(
        0.5,
        "share of the chance to find a carer that does not depend on the network "
        "(x (floor + (1 - floor) x network))",
        0,
        1,
        "assumption",
    )
    carer_found_prob: float = p(0.8, "probability at full network", 0, 1, "assumption")
    single_carer_found_factor: float = p(
        0.7,
        "relative chance of finding a carer when living alone",
        0,
        1,
        "assumption: no partner in the household to care",
    )
    carer_hours_per_need: float = p(
        20.0, "hours per week at care need 1", 0, 168, "CBS: 13.1 hours per week on average"
    )
    carer_hours_formal_substitution: float = p(
        0.4, "share of hours replaced by formal care", 0, 1, "assumption"
    )
    carer_burden_per_hour: float = p(
        0.0015, "burden per hour given above tolerance, per week", 0, 1, "assumption"
    )
    carer_tolerance_hours: float = p(
        8.0, "hours per week without burden build-up", 0, 168, "assumption"
    )
    carer_recovery_per_week: float = p(
        0.05, "share of the burden that fades per week", 0, 1, "assumption"
    )
    carer_heavy_burden: float = p(0.6, "burden 0-1", 0, 1, "assumption, CBS: 19% heavily burdened")
    carer_burnout_threshold: float = p(1.0, "burden", 0, 10, "assumption")
    carer_burnout_mental_health: float = p(0.4, "severity added to the carer", 0, 1, "assumption")
    carer_support_relief: float = p(
        0.02, "burden decrease per week when supported", 0, 1, "assumption"
    )
    carer_support_eur_per_week: float = p(
        10.0,
        "EUR per supported carer per week",
        0,
        1000,
        "assumption: respite 204 EUR/24h a few days a year",
    )
    informal_care_protection: float = p(0.4, "share of growth prevented", 0, 1, "assumption")
    # escalation
    escalation_threshold: dict[str, float] = table(
        {}, "severity 0-1", 0, 1, "assumption", ESCALATIONS
    )
    escalation_rate_per_week: dict[str, float] = table(
        {}, "probability per week at severity 1", 0, 1, "assumption", ESCALATIONS
    )
    escalation_weeks: dict[str, int] = table(
        {}, "weeks in residential care", 0, 5200, "assumption", ESCALATIONS
    )
    gp_youth_referral_prob: float = p(
        0.3,
        "probability a detected youth problem is referred",
        0,
        1,
        "assumption: GPs make about 40% of youth care referrals",
    )
    gp_dementia_referral_prob: float = p(
        0.5,
        "probability a GP refers a detected dementia patient to case management (without "
        "chain care)",
        0,
        1,
        "assumption: about half of people with dementia living at home get a case manager "
        "(Alzheimer Nederland, Dementiemonitor)",
    )
    initial_capacity_fill: float = p(
        0.8,
        "share of provider capacity in use at the start",
        0,
        1,
        "assumption: today's providers are busy",
    )
    debt_known_to_help_share: float = p(
        0.144, "share", 0, 1, "Nibud/CBS 2018: 14.4% of problem debt known to agencies"
    )
    eviction_mental_health: float = p(
        0.1,
        "severity added to mental health by an eviction",
        0,
        1,
        "assumption: an eviction is a major stressor",
    )
    eviction_cost_eur: float = p(
        8000.0, "EUR per eviction", 0, 1e6, "assumption: shelter and housing corporation cost"
    )
    nursing_home_stay_home_share: float = p(
        0.35,
        "share of Wlz clients cared for at home",
        0,
        1,
        "CBS: Wlz at home (vpt/mpt/pgb) about a third",
    )
    wlz_home_to_nursing_home_rate_per_week: float = p(
        0.0,
        "rate per week at full need (severity 1) at which a Wlz client cared for at home "
        "joins the nursing-home waiting list; R(s - T)/(1 - T) with the nursing-home threshold",
        0,
        1,
        "assumption: care at home (vpt/mpt/pgb) ends in a nursing home when the need grows "
        "past what home can give; calibrated (history matching)",
    )
    wlz_before_wmo: bool = p(
        False,
        "on/off: Wlz care ends a client's Wmo maatwerk care and keeps them off its lists",
        source="Wmo 2015 and Wlz: the Wlz comes first (voorliggend); someone with a Wlz "
        "indication gets household help, day care and guidance from the Wlz, at home "
        "(vpt/mpt/pgb) or in the institution",
    )
    case_management_escalation_reduction: float = p(0.3, "relative", 0, 1, "assumption (seed 002)")
    frailty_admission_weight: float = p(
        1.0,
        "multiplier on frailty severity in the Wlz admission risk",
        0,
        5,
        "assumption: a Wlz indication for frailty alone needs heavy care (permanent "
        "supervision or 24-hour care nearby); calibrated (history matching)",
    )
    dementia_admission_weight: float = p(
        1.3,
        "multiplier on dementia severity in the Wlz admission risk",
        0,
        5,
        "assumption: dementia is the main reason for nursing-home admission (Alzheimer NL)",
    )
    informal_care_escalation_reduction: float = p(0.4, "relative", 0, 1, "assumption")
    youth_ambulant_escalation_reduction: float = p(
        0.5,
        "relative reduction of the residential-youth escalation hazard in ambulant youth care",
        0,
        1,
        "assumption",
    )
    mental_health_care_crisis_reduction: float = p(
        0.5,
        "relative reduction of the mental-health crisis hazard in mental health care",
        0,
        1,
        "assumption",
    )
    debt_counselling_eviction_reduction: float = p(
        0.7,
        "relative reduction of the eviction hazard in debt counselling",
        0,
        1,
        "assumption: counselling arranges payment of rent arrears",
    )
    id_admission_weight: float = p(
        0.9,
        "multiplier on intellectual-disability severity in the residential-care admission risk",
        0,
        5,
        "assumption",
    )
    crisis_service_contacts: float = p(
        3.0,
        "specialised mental health contacts per crisis (crisis service)",
        0,
        100,
        "assumption",
    )
    eviction_cost_share_housing_corporation: float = p(
        0.5,
        "share of an eviction's cost borne by the housing corporation (rest: shelter, welfare)",
        0,
        1,
        "assumption",
    )
    providers: dict[str, ProviderParams] = table(
        {}, "provider", None, None, "see providers", PROVIDERS
    )
    places: dict[str, PlaceParams] = table(
        {}, "care-finding place", None, None, "see places", PLACES
    )
    # several contractors per kind: client choice, over-delivery, audits (docs/ODD.md 7.14)
    contractors: dict[str, ContractorParams] = table(
        {},
        "contractor",
        None,
        None,
        "see contractors; kinds without contractors have one provider",
        (),
    )
    # income support and re-integration (Participatiewet), docs/ODD.md 7.21
    income_support: IncomeSupportParams = field(default_factory=IncomeSupportParams)
    # the youth protection chain (Veilig Thuis, court orders), docs/ODD.md 7.22
    youth_protection: YouthProtectionParams = field(default_factory=YouthProtectionParams)


__all__ = [
    "BehaviourParams",
    "ContractorParams",
    "IncomeSupportParams",
    "PlaceParams",
    "ProviderParams",
    "YouthProtectionParams",
]
