"""Parameters of the providers, their contractors and the care-finding places (part of the
schema re-exported by `sim.params`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.schema import DOMAINS, p, table


# --------------------------------------------------------------------------- providers and places
@dataclass
class ProviderParams:
    """A kind of care or support: who pays, what a unit costs, what it does."""

    financier: str = p("wmo", "financier", source="Dutch law: which act pays")
    financier_under_18: str = p(
        "",
        "financier of the care of clients under 18 ('' = financier)",
        source="Jeugdwet 2015: mental health care for under-18s is paid by the municipality "
        "(youth), not by the health insurers",
    )
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
    signal_partner: bool = p(
        False,
        "on/off: a legal signal partner of the Wet gemeentelijke schuldhulpverlening (art. "
        "3a): its debt signals go to the municipality's outreach, not to the design",
        source="Wgs art. 3a and Besluit gemeentelijke schuldhulpverlening (2021): housing "
        "corporations, energy and water companies, health insurers",
    )


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
