"""The vocabulary of the parameter schema: the names of domains, financiers, providers,
places, escalations, designs and age bands, and the field helpers that give every parameter
its unit, range and source (`p`, `table`). `sim.params` re-exports all of it."""

from __future__ import annotations

from dataclasses import field
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
# "recovery": money recovered from providers after audits, booked as negative amounts;
# "income": income support paid to citizens (bijstand), a transfer, not care
CATEGORIES: tuple[str, ...] = ("care", "administration", "prevention", "recovery", "income")
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
    # the other legal signal partners of the debt-help law (Wgs art. 3a)
    "energy_company",
    "water_company",
    "health_insurer",
)
ESCALATIONS: tuple[str, ...] = (
    "residential_youth",
    "nursing_home",
    "mental_health_crisis",
    "eviction",
    "problematic_debt",
)
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


def zeros(n: int) -> list[float]:
    """A list of n zeros (default of a per-age-band field)."""
    return [0.0] * n
