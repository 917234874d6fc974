"""Typed, validated parameters of a ketensim run.

The schema is a tree of dataclasses (not frozen: OmegaConf makes frozen ones read-only
and then cannot merge the YAML values into them; the model never mutates them).
Every scalar field carries its unit, its allowed range and its source (or stated
assumption) in the field metadata; `docs/parameters.md` is generated from this metadata
together with the default YAML files in `scenarios/`. Values come from the Hydra configs in
`scenarios/`; the defaults here only make the schema self-describing, except for the
designs and levers, whose values come only from their YAML files (no default: `MISSING`).
"""

from dataclasses import dataclass, field

from omegaconf import MISSING

from sim.admin_params import (
    ACTORS,
    ACTS,
    CONTRACT_MODELS,
    ActParams,
    AdministrationParams,
    ContractModelParams,
)
from sim.behaviour_params import BehaviourParams, ContractorParams, PlaceParams, ProviderParams
from sim.schema import (
    AGE_BAND_EDGES,
    AGE_BANDS,
    CATEGORIES,
    DOMAINS,
    ESCALATIONS,
    FINANCIERS,
    MUNICIPAL_FINANCIERS,
    PLACES,
    PROVIDERS,
    p,
    table,
    zeros,
)


# --------------------------------------------------------------------------- municipality
@dataclass
class MunicipalityParams:
    """A municipality profile: people, organisations, budgets (capacities per 1,000)."""

    name: str = p("mid_city", "label", source="profile name")
    cbs_code: str = p("GM0000", "CBS municipality code", source="CBS gemeentecode")
    inhabitants: int = p(80000, "persons", 100, 2_000_000, "profile")
    age_band_shares: list[float] = field(
        default_factory=lambda: zeros(len(AGE_BANDS)),
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
    neighbourhoods: int = p(
        6,
        "neighbourhoods (wijken) whose residents share their experience of asking for help",
        1,
        1000,
        "assumption: a small number of districts per municipality (CBS wijken: about 5-15 "
        "in a town of 20,000-80,000); each person gets one at creation (keyed draw)",
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
        312.0,
        "EUR per inhabitant per year",
        0,
        10000,
        "CBS/Rijksoverheid: about 6 bn EUR youth care / 17.9 m spent, budgeted at about 0.93 "
        "of that (CBS 83454NED, see budget_share_of_baseline)",
    )
    participation_budget_eur_per_inhabitant: float = p(
        336.0,
        "EUR per inhabitant per year: income support (BUIG) and the participation budget",
        0,
        10000,
        "Divosa factsheet bijstandsbudget 2022: macro budget for benefits (BUIG) EUR 6,019 "
        "million / 17.9 million inhabitants",
    )
    welfare_budget_eur_per_inhabitant: float = p(
        40.0,
        "EUR per inhabitant per year: welfare work, general provisions, carer support",
        0,
        10000,
        "assumption: about the model's welfare spending in today's practice",
    )
    budget_share_of_baseline: dict[str, float] = table(
        {},
        "a compartment's budget from the design's start = its spending in the baseline year "
        "(the last burn-in year) x this share; before that, the EUR per inhabitant above",
        0.1,
        3,
        "CBS StatLine 83454NED (youth, 2021: budgeted / realised costs 0.84-1.01 in the "
        "municipal rows read, median about 0.93: overspending on youth care is the norm) and "
        "84580NED (Wmo, 2023: budgeted about equal to realised); participation and welfare: "
        "assumption 1",
        MUNICIPAL_FINANCIERS,
    )
    budget_growth_per_year: float = p(
        0.0,
        "share per year, real terms: every municipal budget's growth after each design year",
        -0.05,
        0.05,
        "assumption: 0 keeps the budgets at the baseline year's level in constant prices (as a "
        "council that indexes only for prices); the declared range's top (2% a year) follows "
        "the volume growth of Wmo and youth demand of an ageing population; in today's practice "
        "the model's pressure rises from about 0.05 to 0.1-0.25 over 20 years at 0 "
        "(mid_city 5,000, docs/ODD.md 7.11)",
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
    """Levers that combine with any design (values: scenarios/levers/default.yaml; each
    lever's fields, hooks and texts are declared in sim/designs/levers.py)."""

    chain_care: bool = p(
        MISSING, "on/off", source="seed 002: dementia chain care with case manager"
    )
    integrated_financing: bool = p(
        MISSING, "on/off", source="seeds 002-004: one budget over all compartments"
    )
    own_contribution: str = p(MISSING, "flat | income", source="Wmo abonnementstarief since 2019")
    earned_trust: bool = p(
        MISSING,
        "on/off: a contractor's reports and audits follow its audit record "
        "(administration.trust_*)",
        source="seed 000: proven craftsmanship rewarded with less accountability; seed 004: "
        "high trust, high penalty",
    )
    prevention: bool = p(
        MISSING,
        "on/off: prevention and welfare work paid at prevention_eur_per_inhabitant",
        source="seed 000 (early signalling's prevention); any design can buy it",
    )
    carer_support: bool = p(
        MISSING,
        "on/off: welfare support for heavily burdened carers whose household the municipality "
        "knows (a case holder, or municipal care or its waiting list)",
        source="seed 000; reach only through what the municipality knows: assumption",
    )
    # prevention: its price (reach and effect follow from the spend)
    prevention_eur_per_inhabitant: float = p(
        MISSING,
        "EUR per inhabitant per year while the prevention lever is on",
        0,
        1000,
        "assumption; Divosa 2023 for early debt signalling (reach and effect follow from "
        "the spend: behaviour.prevention_reach_scale_eur, prevention_onset_reduction_reached)",
    )
    # chain care (ketenzorg dementie): funded case management
    chain_care_coverage: float = p(
        MISSING,
        "case-management places funded per person with dementia living at home (share)",
        0,
        2,
        "Zorgstandaard Dementie 2020: every person with dementia has a case manager",
    )
    chain_care_caseload_per_fte: float = p(
        MISSING,
        "clients per case-manager FTE (reported; sets the FTE the places imply)",
        1,
        500,
        "assumption: V&VN / Alzheimer Nederland guidance of 40-50 clients per FTE",
    )
    chain_care_coordination_hours_per_case_week: float = p(
        MISSING,
        "coordination hours per case per week (network consultation, GP and carer contacts)",
        0,
        40,
        "assumption: about 5 hours a year per client of multidisciplinary consultation",
    )
    chain_care_municipal_share: float = p(
        MISSING,
        "share of the coordination hours paid by the municipality (Wmo); the rest by Zvw",
        0,
        1,
        "assumption: the municipality funds the regional network coordinator; case "
        "management itself is Zvw (district nursing) since 2017",
    )
    # integrated financing: one pooled budget with shared savings
    pool_share_zvw: float = p(
        MISSING,
        "share of the Zvw spending of the modelled chain that the pooled budget covers",
        0,
        1,
        "assumption: insurers pool a small part (district nursing, mental health care "
        "pilots; seeds 002-004)",
    )
    pool_share_wlz: float = p(
        MISSING,
        "share of the Wlz spending of the modelled chain that the pooled budget covers",
        0,
        1,
        "assumption: the care office pools a small part (seeds 002-004)",
    )
    pool_margin: float = p(
        MISSING,
        "pooled budget = the burn-in's last year of spending in the pooled compartments "
        "x (1 + margin)",
        -0.5,
        1,
        "assumption: a budget set on the baseline with room for ageing, so no design is "
        "squeezed by construction",
    )
    shared_savings_share: float = p(
        MISSING,
        "share of the Zvw and Wlz spending avoided (against the baseline year) that returns "
        "to the municipal prevention and welfare budget",
        0,
        1,
        "assumption: shared-savings contracts split savings about half-half (e.g. "
        "population-health pilots, seeds 002-004)",
    )
    shared_savings_lag_years: int = p(
        MISSING,
        "years between the year a saving is measured and the year its share is spent",
        0,
        10,
        "assumption: savings are settled after the year's accounts close",
    )


@dataclass
class DesignParams:
    """How access to care and support is organised: the parameters every design has (the
    base class `sim.designs.base.AccessDesign` and the stages read them). A design with
    parameters of its own declares a subclass beside its class (`sim.designs.registry`).
    Values come from the design's YAML file in `scenarios/design/` only: the schema gives
    units, ranges and sources, no second set of values."""

    name: str = p(
        MISSING, "a declared design (sim.designs.registry)", source="the design's YAML file"
    )
    intake_hours: float = p(
        MISSING,
        "consultant hours per request (also the client's effort of asking, see "
        "behaviour.asking_effort_sensitivity)",
        0,
        200,
        "matches the Westerveld 2023 needs-assessment tariff of 1,394 EUR",
    )
    decision_admin_hours: float = p(
        MISSING,
        "access-staff hours per indication report (the formal decision's letter is the back "
        "office's act, administration.acts.decision)",
        0,
        100,
        "assumption",
    )
    reindication_weeks: int = p(
        MISSING,
        "weeks between reviews of a running case (re-indication; 0 = none)",
        0,
        520,
        "common Wmo practice: a yearly re-indication",
    )
    reindication_hours: float = p(MISSING, "hours per review", 0, 100, "assumption")
    queue_discipline: str = p(
        MISSING,
        "order of the intake queue: oldest_first | signals_first (signals from care-finding "
        "places before self-referrals, each oldest first) | need_first (largest unhelped "
        "problem first)",
        source="stated rule of each design (seed 000: signals go to the case holder)",
    )
    approval_base: float = p(MISSING, "probability", 0, 1, "assumption")
    low_need_approval: float = p(
        MISSING,
        "probability",
        0,
        1,
        "assumption: approval when the assessed need is below threshold",
    )
    approval_need_threshold: float = p(MISSING, "severity 0-1", 0, 1, "assumption")
    budget_pressure_sensitivity: float = p(
        MISSING, "approval lost per unit of budget overrun", 0, 5, "assumption (seeds 001, 003)"
    )
    assessor_expertise: float = p(
        MISSING,
        "0 (none) - 1 (specialist); also sets the staff's hourly cost "
        "(behaviour.staff_hour_eur_no_expertise .. staff_hour_eur_full_expertise)",
        0,
        1,
        "assumption (seed 001: indications by non-experts)",
    )
    misjudgement_low_expertise: float = p(
        MISSING,
        "share of the need signal lost at zero expertise (approval drifts to the average)",
        0,
        1,
        "assumption (seed 001: non-experts judge need less well)",
    )
    residential_referral_base: float = p(
        MISSING, "probability", 0, 1, "assumption: share of severe youth cases placed residential"
    )
    residential_referral_low_expertise: float = p(
        MISSING, "relative increase at zero expertise", 0, 20, "assumption (seed 001)"
    )
    refusal_cooldown_weeks: int = p(MISSING, "weeks", 0, 520, "assumption")
    warm_handover: bool = p(
        MISSING, "on/off: admitted before the normal waiting list", source="seed 000"
    )
    # several contractors per kind: who chooses, over-delivery, audits (docs/ODD.md 7.14)
    contractor_choice_hours: float = p(
        MISSING,
        "professional hours per contractor choice (the team's assignment, the case holder's "
        "matching; 0 when the client chooses)",
        0,
        20,
        "assumption: matching a person to a contractor takes a case holder about an hour, "
        "an assignment by contract a quarter of an hour",
    )
    contract_model: str = p(
        MISSING,
        "effort | output | task: how the municipality pays its contractors (administration."
        "contract_models: invoices, reports, contract management, over- and under-delivery)",
        source="the design's contracting rule (iStandaarden uitvoeringsvarianten)",
    )
    indication_caps_units: bool = p(
        MISSING,
        "on/off: the decision states the units, so re-indication stops most over-delivery "
        "(administration.indication_cap_share); off: providers decide the hours",
        source="the design's rule (seed 000: under yes-is-cheaper providers decide the hours)",
    )
    audit_share_per_year: float = p(MISSING, "share of clients audited per year", 0, 1, "seed 004")
    audit_hours: float = p(MISSING, "hours per audit", 0, 100, "assumption")
    audit_detection_prob: float = p(
        MISSING,
        "probability an audit finds over-delivery that exists",
        0,
        1,
        "assumption: file and home-visit checks miss part of it",
    )
    audit_penalty_multiple: float = p(
        MISSING,
        "recovery as a multiple of the over-delivered amount over the look-back period",
        0,
        10,
        "assumption: repayment plus a fine (seed 004: high trust, high penalty)",
    )
    audit_lookback_weeks: int = p(
        MISSING,
        "weeks of over-delivery an audit recovers (at most the weeks in care)",
        0,
        520,
        "assumption: an audit checks the last half year's invoices",
    )
    levers: LeverParams = field(default_factory=LeverParams)


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
    administration: AdministrationParams = field(default_factory=AdministrationParams)
    population: int | None = p(
        None, "persons simulated (null = inhabitants)", 10, 10_000_000, "run setting"
    )
    years: int = p(10, "years", 1, 100, "run setting")
    burn_in_years: int = p(
        8,
        "years simulated under today's practice, with the run's own seed, before the design starts",
        0,
        50,
        "run setting: from the start, capacities, team staffing and episodes settle in about "
        "5-8 years; the chronic stocks start at the model's steady state (docs/ODD.md 5)",
    )
    spin_up_years: int = p(
        0,
        "years simulated under today's practice, shared by every seed, before the burn-in",
        0,
        200,
        "run setting: off by default; a cheap long warm-up whose replications share the "
        "spun-up population, and during which the municipality's age structure ages "
        "(docs/ODD.md 5)",
    )
    spin_up_seed: int = p(
        0,
        "root seed of the spin-up (every seed starts its own burn-in from it)",
        0,
        2**63 - 1,
        "run setting",
    )
    seed: int = p(1, "root seed", 0, 2**63 - 1, "run setting")
    out: str | None = p(None, "output directory", source="run setting")
    record_events: bool = p(True, "keep each person's history", source="run setting")
    progress: bool = p(True, "progress bar on a terminal", source="run setting")


__all__ = [
    "ACTORS",
    "ACTS",
    "AGE_BANDS",
    "AGE_BAND_EDGES",
    "CATEGORIES",
    "CONTRACT_MODELS",
    "DOMAINS",
    "ESCALATIONS",
    "FINANCIERS",
    "MUNICIPAL_FINANCIERS",
    "PLACES",
    "PROVIDERS",
    "ActParams",
    "AdministrationParams",
    "BehaviourParams",
    "ContractModelParams",
    "ContractorParams",
    "DesignParams",
    "KetensimConfig",
    "LeverParams",
    "MunicipalityParams",
    "PlaceParams",
    "PriceParams",
    "ProviderParams",
    "p",
    "table",
]
