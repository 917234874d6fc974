"""The administrative process's parameters (`administration`): every act with who does it
and its hours, the hourly cost of each actor, the three Dutch contract models, objections
to refusals and earned trust. Values: `scenarios/administration/nl.yaml` only (no default
here: `MISSING`); docs/ODD.md 7.20 describes the process."""

from __future__ import annotations

from dataclasses import dataclass

from omegaconf import MISSING

from sim.schema import p, table

# who does an act: the access staff (the team's consultants or the case holders, paid by
# the FTE: their acts take their hours), the municipality's back office, the provider, the
# client (hours counted, not paid)
ACTORS: tuple[str, ...] = ("access_staff", "back_office", "provider", "client")
# the acts the model counts (docs/ODD.md 7.20); the hours of the first five are a design's
# rule (its YAML: intake_hours, decision_admin_hours, reindication_hours,
# contractor_choice_hours, audit_hours), the others' are in `administration.acts`
DESIGN_ACTS: tuple[str, ...] = (
    "intake",
    "indication",
    "reindication",
    "contractor_choice",
    "audit",
)
TABLE_ACTS: tuple[str, ...] = (
    "registration",  # a request or signal registered
    "decision",  # the formal decision (beschikking), also after a review or an objection
    "objection",  # an objection (bezwaar) to a refusal or partial grant, handled
    "case_registration",  # the case holder's registration of a new case
    "care_plan",  # a provider's care plan at admission
    "progress_report",  # a provider's periodic accountability report per client
    "invoice",  # a provider's invoice line / message per client and billing period
    "invoice_check",  # the back office's check of an invoice line
)
ACTS: tuple[str, ...] = (*DESIGN_ACTS, *TABLE_ACTS, "contract_management")
CONTRACT_MODELS: tuple[str, ...] = ("effort", "output", "task")


@dataclass
class ActParams:
    """One act: who does it and how long it takes."""

    actor: str = p(MISSING, "access_staff | back_office | provider | client", source="ODD 7.20")
    hours: float = p(MISSING, "hours per act", 0, 200, "see scenarios/administration/nl.yaml")
    client_hours: float = p(
        MISSING, "hours of the client per act (counted, not paid)", 0, 200, "assumption"
    )


@dataclass
class ContractModelParams:
    """A funding form (uitvoeringsvariant) of the Dutch iStandaarden: effort-based per hour
    (inspanningsgericht), output per client per period (outputgericht), lump sum per area
    (taakgericht)."""

    invoice_weeks: int = p(
        MISSING,
        "weeks between a client's invoice lines (0 = no invoice per client: one lump-sum "
        "payment per contractor every 4 weeks)",
        0,
        520,
        "iStandaarden: effort per month, output per period (assumption: 13 weeks), task none",
    )
    progress_report_weeks: int = p(
        MISSING,
        "weeks between a provider's accountability reports per client (0 = none per client)",
        0,
        520,
        "assumption: quarterly under effort, half-yearly under output, none under task",
    )
    contract_hours_per_contractor_year: float = p(
        MISSING,
        "back-office hours of contract management per contractor per year (dialogue, "
        "monitoring, lump-sum settlement)",
        0,
        5000,
        "assumption: a task-based contract needs more steering than tariff contracts",
    )
    over_delivery_pass_through: float = p(
        MISSING,
        "share of a contractor's over-delivery tendency the payment lets through before an "
        "indication caps it (1 = every extra hour is paid)",
        0,
        1,
        "assumption: per hour every unit is paid; per output only up-coding passes; "
        "a lump sum pays no extra unit",
    )
    under_delivery_share: float = p(
        MISSING,
        "share of the indicated units not delivered (the effect falls, the payment does not)",
        0,
        1,
        "assumption: a lump sum invites under-delivery and waiting (VNG 2020 on taakgericht)",
    )


@dataclass
class AdministrationParams:
    """The administrative process: acts, actors' hourly cost, contract models, objections
    and earned trust."""

    acts: dict[str, ActParams] = table(
        {}, "one entry per act (actor, hours, client hours)", None, None, "ODD 7.20", TABLE_ACTS
    )
    hour_eur: dict[str, float] = table(
        {},
        "EUR per hour of the back office and of providers' administrative staff (the "
        "access staff are paid per FTE at the design's rate)",
        0,
        1000,
        "assumption: integral hourly cost (CAO Gemeenten scale 8-9; care-sector admin staff)",
        ("back_office", "provider"),
    )
    contract_models: dict[str, ContractModelParams] = table(
        {}, "one entry per contract model", None, None, "iStandaarden", CONTRACT_MODELS
    )
    indication_cap_share: float = p(
        MISSING,
        "share of the over-delivery that passes the payment which an indication of the units "
        "stops (designs whose decision states the units; see design.indication_caps_units)",
        0,
        1,
        "assumption: re-indication catches most of what exceeds the indicated units",
    )
    objection_rate_base: float = p(
        MISSING,
        "probability a refusal or partial grant is objected to (bezwaar), at no need",
        0,
        1,
        "assumption: Wmo objection rates of a few per cent of decisions (municipal annual "
        "reports); most objections follow refusals",
    )
    objection_rate_need: float = p(
        MISSING,
        "extra objection probability per unit of the person's largest unhelped problem",
        0,
        1,
        "assumption: people with serious need object more",
    )
    objection_partial_factor: float = p(
        MISSING,
        "objection probability of a partial grant (light help only) relative to a refusal",
        0,
        1,
        "assumption",
    )
    objection_overturn_share: float = p(
        MISSING,
        "share of objections upheld: the refusal is replaced by a grant",
        0,
        1,
        "assumption: about a quarter of Wmo objections are (partly) upheld",
    )
    trust_start: float = p(
        MISSING,
        "a contractor's trust at the design's start (0-1), earned-trust lever",
        0,
        1,
        "assumption",
    )
    trust_gain_per_clean_audit: float = p(
        MISSING, "trust gained per audit that finds nothing", 0, 1, "assumption"
    )
    trust_loss_per_finding: float = p(
        MISSING, "trust lost per audit that finds over-delivery", 0, 1, "assumption"
    )
    trust_report_cut: float = p(
        MISSING,
        "share of progress reports and invoice checks dropped at full trust",
        0,
        1,
        "assumption (seed 000: 'bewezen vakmanschap belonen met minder verantwoording')",
    )
    trust_audit_cut: float = p(
        MISSING, "share of audits dropped at full trust", 0, 1, "assumption (seed 004)"
    )
    trust_tendency_growth_per_year: float = p(
        MISSING,
        "yearly relative growth of a contractor's over-delivery tendency at full trust "
        "(what trust lets through undetected)",
        0,
        5,
        "assumption: the risk of trust without checks",
    )


__all__ = [
    "ACTORS",
    "ACTS",
    "CONTRACT_MODELS",
    "DESIGN_ACTS",
    "TABLE_ACTS",
    "ActParams",
    "AdministrationParams",
    "ContractModelParams",
]
