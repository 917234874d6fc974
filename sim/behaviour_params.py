"""Parameters of how the world works (same for every design): providers, care-finding
places and behaviour (problems, people, informal care, escalation). Part of the schema
re-exported by `sim.params`."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.schema import DOMAINS, ESCALATIONS, PLACES, PROVIDERS, p, table


# --------------------------------------------------------------------------- providers and places
@dataclass
class ProviderParams:
    """A kind of care or support: who pays, what a unit costs, what it does."""

    financier: str = p("wmo", "financier", source="Dutch law: which act pays")
    price_item: str = p("household_help", "key in prices", source="prices")
    units_per_week: float = p(1.0, "units per client per week", 0, 100, "assumption")
    hours_per_unit: float = p(1.0, "hours of formal care per unit", 0, 1000, "assumption")
    domains: list[str] = field(
        default_factory=list, metadata={"unit": "life domains served", "source": "DOMAIN.md"}
    )
    eligibility_threshold: float = p(0.4, "severity 0-1", 0, 1, "assumption")
    effect_per_week: float = p(0.005, "severity reduction per week", 0, 1, "assumption")
    growth_reduction: float = p(0.5, "share of problem growth prevented", 0, 1, "assumption")
    max_weeks: int = p(0, "weeks (0 = until no longer needed)", 0, 5200, "assumption")
    discharge_threshold: float = p(0.15, "severity 0-1", 0, 1, "assumption")
    own_contribution: bool = p(False, "subject to Wmo own contribution", source="Wmo 2015")
    min_age: int = p(0, "years", 0, 120, "law")
    max_age: int = p(120, "years", 0, 120, "law")


@dataclass
class PlaceParams:
    """A care-finding place (zorgvindplaats): contacts that happen anyway, and what it sees."""

    financier: str = p("care_finding_places", "financier", source="who pays its time")
    routine_contact_per_week: float = p(0.01, "probability per week", 0, 1, "assumption")
    problem_contact_per_week: dict[str, float] = table(
        {}, "extra contact probability per week per unit severity", 0, 1, "assumption", DOMAINS
    )
    detection: dict[str, float] = table(
        {}, "probability a contact reveals the problem", 0, 1, "assumption", DOMAINS
    )
    min_age: int = p(0, "years", 0, 120, "assumption")
    max_age: int = p(120, "years", 0, 120, "assumption")
    price_item: str = p("", "key in prices (per problem contact)", source="prices")


@dataclass
class ContractorParams:
    """A contractor (gecontracteerde aanbieder) of one kind of care: one of several that the
    municipality contracts for the same provision, differing in capacity, price, effect,
    tendency to deliver more units than needed (over-delivery) and reputation."""

    kind: str = p("household_help", "provider kind it delivers", source="contract")
    capacity_share: float = p(
        1.0, "share of the kind's starting capacity", 0, 1, "assumption: contract volumes"
    )
    contract_share: float = p(
        1.0,
        "share of the team's assignments (gatekeeping: fixed in the contract)",
        0,
        1,
        "assumption: volumes follow capacity",
    )
    price_factor: float = p(1.0, "unit price relative to the kind's price", 0, 5, "assumption")
    effect_factor: float = p(
        1.0,
        "multiplier on the kind's effect and growth reduction at severity 0.5",
        0,
        5,
        "assumption: effect studies of Wmo care per provider are scarce (ZonMw)",
    )
    effect_severity_slope: float = p(
        0.0,
        "relative change of the effect multiplier per unit severity above 0.5 (a specialist: > 0)",
        -2,
        2,
        "assumption",
    )
    over_delivery_tendency: float = p(
        0.0,
        "extra units delivered as a share of the units needed, when nothing checks it",
        0,
        2,
        "assumption: per-unit payment rewards more units (NZa/Wmo accountability reports)",
    )
    reputation: float = p(
        0.5,
        "starting public reputation 0-1 (what clients hear; need not match the effect)",
        0,
        1,
        "assumption",
    )


# --------------------------------------------------------------------------- behaviour
@dataclass
class BehaviourParams:
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
        "(SCP: loneliness often lasts years); dementia 8 (Alzheimer Nederland: 8 years on "
        "average from diagnosis to death)",
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
    self_reliance_mean: float = p(0.55, "0-1", 0, 1, "assumption")
    self_reliance_low_income_shift: float = p(-0.1, "0-1", -1, 1, "assumption")
    network_protection: float = p(
        0.3, "share of growth prevented by a full network", 0, 1, "assumption"
    )
    mortality_gompertz_a: float = p(2.0e-5, "per year at age 0", 0, 1, "fitted to CBS life table")
    mortality_gompertz_b: float = p(0.1, "per year of age", 0, 1, "fitted to CBS life table")
    mortality_excess_severity: float = p(
        1.5, "relative excess per unit frailty/dementia", 0, 50, "assumption"
    )
    nursing_home_mortality_multiplier: float = p(
        2.0, "relative", 0, 50, "assumption: median stay about 2 years"
    )
    # informal care
    informal_need_threshold: float = p(0.3, "care need 0-1", 0, 1, "assumption")
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
    case_management_escalation_reduction: float = p(0.3, "relative", 0, 1, "assumption (seed 002)")
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
    # asking for help: one behavioural model for every design (issue 10)
    asking_threshold: float = p(
        0.45,
        "severity 0-1: the smallest unhelped problem people ask about",
        0,
        1,
        "assumption: people ask late, when a problem is serious (SCP)",
    )
    asking_prob_per_week: float = p(
        0.043,
        "probability per week of asking, at no own contribution, no intake effort and the "
        "reference approval",
        0,
        1,
        "assumption: today's practice (12 intake hours, flat fee) then asks about 0.03 a week",
    )
    advice_follow_prob: float = p(
        0.36,
        "probability of acting on a care-finding place's advice to ask, at no own "
        "contribution, no intake effort and the reference approval",
        0,
        1,
        "assumption: about a quarter follow the advice in today's practice",
    )
    asking_fee_sensitivity: float = p(
        0.06,
        "relative fall in asking per percentage point of weekly income paid as own "
        "contribution (semi-elasticity: asking x exp(-this x fee share in %))",
        0,
        1,
        "assumption calibrated to the 2019-2020 abonnementstarief: replacing the "
        "income-dependent fee by the flat fee raised Wmo household-help requests sharply, "
        "mostly among middle and higher incomes (VWS/Skipr 2022); with the fee schedule "
        "below this gives about +30% asking for middle incomes",
    )
    asking_effort_sensitivity: float = p(
        0.026,
        "relative fall in asking per intake hour of the design (the effort of the "
        "investigation as hassle: asking x exp(-this x intake_hours))",
        0,
        1,
        "assumption: a one-hour intake draws about a third more requests than a 12-hour "
        "kitchen-table investigation",
    )
    asking_experience_sensitivity: float = p(
        1.5,
        "change of log asking per unit of the neighbourhood's remembered approval share "
        "above the reference (asking x exp(this x (share - reference)))",
        0,
        20,
        "assumption: expected refusal is a reason not to ask (non-take-up literature, SCP)",
    )
    asking_reference_approval: float = p(
        0.6,
        "approval share at which experience neither raises nor lowers asking; also every "
        "neighbourhood's remembered share at the start",
        0,
        1,
        "assumption: about the share of decisions approved under today's practice in this "
        "model (gatekeeping burn-in, small_town: 0.6), so that its asking is unchanged",
    )
    approval_memory_weeks: float = p(
        52.0,
        "weeks (time constant of the neighbourhood's exponentially smoothed approval share)",
        1,
        520,
        "assumption: people remember about a year of their neighbours' experiences",
    )
    income_eur_per_year: list[float] = field(
        default_factory=lambda: [18000.0, 33000.0, 60000.0],
        metadata={
            "unit": "EUR per year, household income of the low / middle / high group",
            "min": 0.0,
            "max": 1e6,
            "source": "assumption after CBS disposable household income (tertiles)",
        },
    )
    income_fee_minimum_eur_per_4_weeks: float = p(
        17.5,
        "EUR per 4-week period: the income-dependent contribution's minimum",
        0,
        1000,
        "CAK 2018 (minimum periodic contribution 17.50)",
    )
    income_fee_threshold_eur_per_year: float = p(
        22000.0,
        "EUR per year of income above which the income-dependent contribution rises",
        0,
        1e6,
        "CAK 2018 income threshold (about 22,000-23,000 single below state pension age)",
    )
    income_fee_share_above_threshold: float = p(
        0.125,
        "share of the yearly income above the threshold paid per year",
        0,
        1,
        "CAK 2018 (12.5%); CBS: 2018 contributions averaged 45 EUR per period at incomes "
        "20-30,000 and 166 EUR from 50,000",
    )
    income_fee_cap_eur_per_week: float = p(
        45.0,
        "EUR per week: the income-dependent contribution never exceeds this (the CAK caps "
        "it at the cost of the care)",
        0,
        10000,
        "assumption: CBS 2018 average of 166 EUR per 4 weeks from incomes of 50,000, where "
        "the care's cost caps the fee; the ledger also caps at the person's Wmo cost",
    )
    # staff have a price (issue 10)
    staff_hour_eur_no_expertise: float = p(
        80.0,
        "EUR per hour, integral cost of a consultant or case holder at expertise 0",
        0,
        1000,
        "assumption: CAO Gemeenten scale 8 (generalist consultant) incl. holiday pay, "
        "IKB, employer charges and overhead, about 1,300 productive hours a year",
    )
    staff_hour_eur_full_expertise: float = p(
        115.0,
        "EUR per hour, integral cost at expertise 1 (linear in between)",
        0,
        1000,
        "assumption: CAO Gemeenten scale 11 (specialist / senior case holder), same "
        "mark-ups; at expertise 0.5 about the former flat 96 EUR",
    )
    staff_hours_per_fte_week: float = p(
        36.0, "hours per FTE per week", 1, 60, "CAO Gemeenten: 36-hour working week"
    )
    consultant_hour_eur: float = p(
        96.0,
        "EUR per hour of administrative work outside the access staff (providers' "
        "accountability paperwork, audits)",
        0,
        1000,
        "assumption: integral cost of a municipal consultant",
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
    reputation_noise_sd: float = p(
        0.15,
        "standard deviation of a client's error in judging a contractor's reputation (0-1 scale)",
        0,
        1,
        "assumption: clients hear of providers by word of mouth and review sites",
    )
    client_choice_wait_weight: float = p(
        0.02,
        "reputation (0-1) a client gives up per week of expected waiting",
        0,
        1,
        "assumption: ten weeks' wait outweighs 0.2 of reputation",
    )
    client_wait_memory_weeks: float = p(
        13.0,
        "weeks (time constant of a contractor's smoothed admissions per week, from which "
        "clients expect its waiting time: waiting list / admissions per week)",
        1,
        520,
        "assumption: waiting times published per quarter",
    )
    detection_tendency_cut: float = p(
        0.1,
        "relative cut of a contractor's over-delivery tendency per audit that detects it",
        0,
        1,
        "assumption: a penalty deters, but one finding does not change a business model",
    )
    detection_reputation_cut: float = p(
        0.02,
        "reputation (0-1) a contractor loses per audit that detects over-delivery",
        0,
        1,
        "assumption: findings are published (seed 004: high trust, high penalty)",
    )
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
    # -- prevention, light help and the dose of help (issue 10, levers) -------------------
    prevention_reach_scale_eur: float = p(
        20.0,
        "EUR per inhabitant per year at which prevention reaches 1 - 1/e (63%) of the "
        "population: reach = 1 - exp(-spend / scale)",
        0.01,
        10000,
        "assumption: welfare prevention budgets of 5-40 EUR per inhabitant (Divosa 2023, "
        "municipal welfare budgets) reach a minority to a majority of the target groups",
    )
    prevention_onset_reduction_reached: dict[str, float] = table(
        {"debt": 0.25, "loneliness": 0.25, "mental_health": 0.1},
        "relative reduction of the onset hazard among the people prevention reaches",
        0,
        1,
        "assumption: early debt signalling and welfare work prevent part of new debt and "
        "loneliness (Divosa 2023, Movisie effect summaries); a smaller effect on mental "
        "health; domains not listed: no effect",
        DOMAINS,
    )
    warm_handover_dropout_reduction: float = p(
        0.5,
        "relative reduction of the weekly drop-out hazard from a municipal waiting list "
        "after a warm hand-off",
        0,
        1,
        "assumption: a known contact keeps people engaged; about half fewer give up",
    )
    dose_pivot_severity: float = p(
        0.5,
        "severity at which a scaled dose equals the standard indication (dose = severity / pivot)",
        0.01,
        1,
        "assumption: the standard indication fits a middling problem",
    )
    dose_min: float = p(0.5, "smallest scaled dose (x standard)", 0, 1, "assumption")
    dose_max: float = p(1.5, "largest scaled dose (x standard)", 1, 10, "assumption")
    dose_response_exponent: float = p(
        0.5,
        "exponent of the dose-response: effect per week and protection against growth scale "
        "with dose ** exponent (cost scales with dose)",
        0,
        2,
        "assumption: diminishing returns of extra hours (0.5 = square root)",
    )
