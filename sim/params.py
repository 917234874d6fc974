"""Typed, validated parameters of a ketensim run.

The schema is a tree of dataclasses (not frozen: OmegaConf makes frozen ones read-only
and then cannot merge the YAML values into them; the model never mutates them).
Every scalar field carries its unit, its allowed range and its source (or stated
assumption) in the field metadata; `docs/parameters.md` is generated from this metadata
together with the default YAML files in `scenarios/`. Values come from the Hydra configs in
`scenarios/`; the defaults here only make the schema self-describing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The life domains in which a citizen can have a problem (severity 0..1 each).
DOMAINS: tuple[str, ...] = (
    "frailty",  # frailty of old age
    "dementia",
    "mental_health",
    "intellectual_disability",  # mild intellectual disability (LVB, IQ 50-85)
    "youth_family",  # youth and family problems (ages 0-22)
    "debt",
    "loneliness",
)
# Who pays: the compartments ("schotten") of the Dutch chain.
FINANCIERS: tuple[str, ...] = (
    "wmo",  # municipality, Social Support Act 2015
    "youth",  # municipality, Youth Act (Jeugdwet)
    "participation",  # municipality, work and income incl. debt counselling
    "welfare",  # municipality, welfare work, prevention, carer support
    "zvw",  # health insurers (Zorgverzekeringswet)
    "wlz",  # long-term care act (Wet langdurige zorg)
    "own_contribution",  # citizens' own contributions (eigen bijdrage)
    "care_finding_places",  # own budgets of police, housing corporations, schools
)
MUNICIPAL_FINANCIERS: tuple[str, ...] = ("wmo", "youth", "participation", "welfare")
CATEGORIES: tuple[str, ...] = ("care", "administration", "prevention")
# The providers (care and support provisions) and the care-finding places (zorgvindplaatsen).
PROVIDERS: tuple[str, ...] = (
    "household_help",
    "aids_and_transport",  # Wmo aids, home adaptations and regional transport
    "guidance",  # begeleiding
    "day_care",
    "id_care",  # ambulant care for people with (mild) intellectual disability
    "social_work",  # light help from welfare work (algemene voorziening)
    "debt_counselling",
    "youth_ambulant",
    "youth_residential",
    "mental_health_care",  # GGZ, via the GP
    "dementia_case_management",
    "psychiatric_admission",
    "wlz_at_home",
    "nursing_home",
    "residential_id",
)
PLACES: tuple[str, ...] = (
    "gp",
    "community_police",
    "housing_corporation",
    "debt_counselling_desk",
    "school",
)
ESCALATIONS: tuple[str, ...] = (
    "residential_youth",
    "nursing_home",
    "mental_health_crisis",
    "eviction",
    "problematic_debt",
)
DESIGNS: tuple[str, ...] = ("gatekeeping", "early_signalling", "yes_is_cheaper")
AGE_BANDS: tuple[str, ...] = (
    "0-3",
    "4-11",
    "12-17",
    "18-22",
    "23-44",
    "45-64",
    "65-74",
    "75-84",
    "85+",
)
AGE_BAND_EDGES: tuple[int, ...] = (0, 4, 12, 18, 23, 45, 65, 75, 85, 101)


def p(
    default: Any, unit: str, lo: float | None = None, hi: float | None = None, source: str = ""
) -> Any:
    """A scalar parameter with unit, allowed range [lo, hi] and source."""
    return field(default=default, metadata={"unit": unit, "min": lo, "max": hi, "source": source})


def table(
    default: Any, unit: str, lo: float | None, hi: float | None, source: str, keys: tuple
) -> Any:
    """A mapping parameter (keys from `keys`), each value or list element in [lo, hi]."""
    return field(
        default_factory=lambda: dict(default),
        metadata={"unit": unit, "min": lo, "max": hi, "source": source, "keys": keys},
    )


def _zeros(n: int) -> list[float]:
    return [0.0] * n


# --------------------------------------------------------------------------- municipality
@dataclass
class MunicipalityParams:
    """A municipality profile: people, organisations, budgets (capacities per 1,000)."""

    name: str = p("mid_city", "label", source="profile name")
    cbs_code: str = p("GM0000", "CBS municipality code", source="CBS gemeentecode")
    inhabitants: int = p(80000, "persons", 100, 2_000_000, "profile")
    age_band_shares: list[float] = field(
        default_factory=lambda: _zeros(len(AGE_BANDS)),
        metadata={
            "unit": "share per age band (sums to 1)",
            "min": 0.0,
            "max": 1.0,
            "source": "CBS StatLine 03759ned, municipalities of this size",
        },
    )
    single_adult_share: float = p(
        0.38, "share of adults living alone", 0, 1, "CBS household statistics"
    )
    income_shares: list[float] = field(
        default_factory=lambda: [0.3, 0.45, 0.25],
        metadata={
            "unit": "share low / middle / high income",
            "min": 0.0,
            "max": 1.0,
            "source": "CBS income distribution (assumption: thirds weighted to low in cities)",
        },
    )
    gp_practices_per_10000: float = p(2.4, "practices per 10,000 inhabitants", 0, 20, "NIVEL")
    care_finding_places_per_10000: float = p(
        10.0,
        "care-finding places other than GPs per 10,000 inhabitants",
        0,
        1000,
        "assumption; recorded from municipality files, not used by the model yet",
    )
    team_hours_per_week_per_1000: float = p(
        14.0,
        "consultant hours per week per 1,000 inhabitants",
        0,
        1000,
        "assumption: about 30 FTE neighbourhood team for 80,000 inhabitants",
    )
    wmo_budget_eur_per_inhabitant: float = p(
        335.0, "EUR per inhabitant per year", 0, 10000, "CBS Landelijke Monitor Wmo 2024"
    )
    youth_budget_eur_per_inhabitant: float = p(
        330.0,
        "EUR per inhabitant per year",
        0,
        10000,
        "CBS/Rijksoverheid: about 6 bn EUR youth care / 17.9 m",
    )
    chain_budget_eur_per_inhabitant: float = p(
        1400.0,
        "EUR per inhabitant per year",
        0,
        100000,
        "assumption: expected cost of the modelled chain, all compartments (integrated financing)",
    )
    provider_capacity_per_1000: dict[str, float] = table(
        {},
        "client places per 1,000 inhabitants",
        0,
        1000,
        "assumption, see docs/parameters.md",
        PROVIDERS,
    )


# --------------------------------------------------------------------------- design
@dataclass
class LeverParams:
    """Levers that combine with any design."""

    chain_care: bool = p(False, "on/off", source="seed 002: dementia chain care with case manager")
    integrated_financing: bool = p(
        False, "on/off", source="seeds 002-004: one budget over all compartments"
    )
    own_contribution: str = p("flat", "flat | income", source="Wmo abonnementstarief since 2019")


@dataclass
class DesignParams:
    """How access to care and support is organised (one YAML file per design)."""

    name: str = p(
        "gatekeeping", "gatekeeping | early_signalling | yes_is_cheaper", source="DOMAIN.md"
    )
    self_referral_threshold: float = p(
        0.45, "severity 0-1", 0, 1, "assumption: people ask late, when a problem is serious"
    )
    self_referral_prob_per_week: float = p(0.03, "probability per week", 0, 1, "assumption")
    advice_follow_prob: float = p(
        0.25, "probability", 0, 1, "assumption: share who act on a care-finding place's advice"
    )
    intake_hours: float = p(
        12.0,
        "consultant hours per request",
        0,
        200,
        "matches the Westerveld 2023 needs-assessment tariff of 1,394 EUR",
    )
    decision_admin_hours: float = p(
        2.5, "hours per formal decision (beschikking)", 0, 100, "assumption"
    )
    reindication_weeks: int = p(52, "weeks (0 = none)", 0, 520, "common Wmo practice")
    reindication_hours: float = p(4.0, "hours per re-indication", 0, 100, "assumption")
    provider_admin_hours_per_client_week: float = p(
        0.15, "hours per client per week", 0, 40, "assumption: accountability reports"
    )
    approval_base: float = p(0.85, "probability", 0, 1, "assumption")
    low_need_approval: float = p(
        0.25, "probability", 0, 1, "assumption: approval when the assessed need is below threshold"
    )
    approval_need_threshold: float = p(0.45, "severity 0-1", 0, 1, "assumption")
    budget_pressure_sensitivity: float = p(
        0.5, "approval lost per unit of budget overrun", 0, 5, "assumption (seeds 001, 003)"
    )
    assessor_expertise: float = p(
        0.5, "0 (none) - 1 (specialist)", 0, 1, "assumption (seed 001: indications by non-experts)"
    )
    misjudgement_low_expertise: float = p(
        0.2,
        "share of the need signal lost at zero expertise (approval drifts to the average)",
        0,
        1,
        "assumption (seed 001: non-experts judge need less well)",
    )
    residential_referral_base: float = p(
        0.25, "probability", 0, 1, "assumption: share of severe youth cases placed residential"
    )
    residential_referral_low_expertise: float = p(
        1.5, "relative increase at zero expertise", 0, 20, "assumption (seed 001)"
    )
    refusal_cooldown_weeks: int = p(52, "weeks", 0, 520, "assumption")
    # early signalling
    uses_signals: bool = p(False, "on/off", source="seed 000")
    signal_referral_prob: float = p(
        0.0, "probability a detection becomes a signal", 0, 1, "assumption"
    )
    signal_threshold: float = p(
        0.2, "severity 0-1", 0, 1, "assumption: smallest problem worth a signal"
    )
    signal_handling_hours: float = p(
        0.5, "hours of the care-finding place per signal", 0, 20, "assumption"
    )
    case_holder_fte_per_1000: float = p(0.0, "FTE per 1,000 inhabitants", 0, 100, "assumption")
    caseload_per_fte: float = p(35.0, "cases per FTE", 1, 1000, "assumption (typical 25-50)")
    case_holder_hours_per_case_week: float = p(0.8, "hours per case per week", 0, 40, "assumption")
    warm_handover: bool = p(
        False, "on/off: admitted before the normal waiting list", source="seed 000"
    )
    scale_up_down: bool = p(False, "on/off: hours follow severity", source="seed 000")
    light_help_threshold: float = p(
        0.55, "severity 0-1 below which light help is offered", 0, 1, "assumption"
    )
    carer_support: bool = p(False, "on/off", source="seed 000")
    prevention_eur_per_inhabitant: float = p(
        0.0,
        "EUR per inhabitant per year",
        0,
        1000,
        "assumption; Divosa 2023 for early debt signalling",
    )
    prevention_onset_reduction: float = p(0.0, "relative reduction of onsets", 0, 1, "assumption")
    # yes is cheaper
    grant_probability: float = p(
        0.0, "probability a request is granted without assessment", 0, 1, "seed 000"
    )
    over_supply_factor: float = p(
        1.0, "delivered / needed hours", 1, 5, "assumption: providers may over-supply"
    )
    audit_share_per_year: float = p(0.0, "share of clients audited per year", 0, 1, "seed 004")
    audit_hours: float = p(3.0, "hours per audit", 0, 100, "assumption")
    audit_deterrence: float = p(
        0.0,
        "over-supply removed per unit audit share",
        0,
        50,
        "assumption: high trust, high penalty (seed 004)",
    )
    flat_fee_demand_uplift: float = p(
        0.3,
        "relative increase in asking (middle/high income)",
        0,
        5,
        "assumption: flat Wmo fee of 2019 raised demand",
    )
    levers: LeverParams = field(default_factory=LeverParams)


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


# --------------------------------------------------------------------------- behaviour
@dataclass
class BehaviourParams:
    """How the world works: problems, people, informal care, escalation. Same for every design."""

    onset_per_year: dict[str, list[float]] = table(
        {}, "probability per year per age band", 0, 1, "assumption, calibrated to targets", DOMAINS
    )
    initial_duration_years: dict[str, float] = table(
        {}, "years (initial prevalence = onset x duration)", 0, 100, "assumption", DOMAINS
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
    own_contribution_income_eur_per_week: list[float] = field(
        default_factory=lambda: [0.0, 5.0, 20.0],
        metadata={
            "unit": "EUR per week, low / middle / high income",
            "min": 0.0,
            "max": 1000.0,
            "source": "pre-2019 income-dependent Wmo contribution (assumption)",
        },
    )
    consultant_hour_eur: float = p(
        96.0, "EUR per hour", 0, 1000, "assumption: integral cost of a municipal consultant"
    )
    providers: dict[str, ProviderParams] = table(
        {}, "provider", None, None, "see providers", PROVIDERS
    )
    places: dict[str, PlaceParams] = table(
        {}, "care-finding place", None, None, "see places", PLACES
    )


@dataclass
class PriceParams:
    """Unit prices in euros of one price year (from shared data, indexed with the CPI)."""

    price_year: int = p(2024, "year", 2000, 2100, "CBS CPI")
    eur: dict[str, float] = table(
        {},
        "EUR per unit (see sim/data/prices_nl.csv)",
        0,
        1e7,
        "Zorginstituut Kostenhandleiding; municipal tariff lists",
        (),
    )


@dataclass
class KetensimConfig:
    """Everything a run needs."""

    design: DesignParams = field(default_factory=DesignParams)
    municipality: MunicipalityParams = field(default_factory=MunicipalityParams)
    prices: PriceParams = field(default_factory=PriceParams)
    behaviour: BehaviourParams = field(default_factory=BehaviourParams)
    population: int | None = p(
        None, "persons simulated (null = inhabitants)", 10, 10_000_000, "run setting"
    )
    years: int = p(10, "years", 1, 100, "run setting")
    burn_in_years: int = p(
        3, "years simulated under gatekeeping before the design starts", 0, 50, "run setting"
    )
    seed: int = p(1, "root seed", 0, 2**63 - 1, "run setting")
    out: str | None = p(None, "output directory", source="run setting")
    record_events: bool = p(True, "keep each person's history", source="run setting")
    progress: bool = p(True, "progress bar on a terminal", source="run setting")
