"""Dutch figures the model is calibrated and validated against, and how a run is compared.

Two data files in `sim/data/` (each row with its source):

* `targets_nl.csv`: national levels (CBS, SCP, Nibud, Alzheimer Nederland, ActiZ) and flows
  (entries into Wlz care, starts and ends of care, lead times). `TARGETS` below says, per
  row, which simulated quantity it is compared with, how the national figure is converted
  (persons -> share of the 17.9 million inhabitants), whether it is a stock or a flow, and
  whether it is a level or an upper bound (a legal maximum). Where the mapping itself is an
  assumption (what counts as "strongly lonely" in the model), `TARGETS` says so.
* `age_profiles_nl.csv`: use by age (household help, youth care, dementia), for the
  validation report's age-profile figure.

`observe(results)` computes every simulated quantity from one run: the run summary, the
weekly table and the population at year end (`results.model.pop`, attached in-process).
`simulate_targets(config, seed)` is the ensemble run function that returns them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parents[2] / "sim" / "data"
TARGETS_FILE = DATA / "targets_nl.csv"
AGE_PROFILES_FILE = DATA / "age_profiles_nl.csv"
# CBS StatLine 37296ned: 17,942,942 inhabitants on 1 January 2024.
NL_POPULATION = 17.9e6
# CBS StatLine 03759ned: about 3.4 million inhabitants under 18 on 1 January 2024.
NL_UNDER_18 = 3.4e6

WMO_PROVIDERS = ("household_help", "aids_and_transport", "guidance", "day_care", "id_care")
YOUTH_PROVIDERS = ("youth_ambulant", "youth_residential")


@dataclass(frozen=True)
class Target:
    """A row of targets_nl.csv and the simulated quantity it is compared with."""

    row: str  # name in targets_nl.csv
    simulated: str  # key in observe() output
    factor: float  # target value x factor = value in the simulated unit
    label: str  # short English label
    mapping: str  # how the simulated quantity is defined (and any assumption in that)
    group: str = "stock"  # "stock" (a level at a moment or in a year) or "flow" (per year)
    bound: str = "level"  # "level": should equal the figure; "upper": should not exceed it

    def relative_error(self, simulated: float, target: float) -> float:
        """simulated / target - 1; for an upper bound only the excess counts (0 below it)."""
        error = simulated / target - 1.0
        return max(error, 0.0) if self.bound == "upper" else error

    def met(self, simulated: float, target: float, tolerance: float) -> bool:
        """Within the tolerance of the figure (of an upper bound: not above it + tolerance)."""
        return abs(self.relative_error(simulated, target)) <= tolerance


TARGETS: tuple[Target, ...] = (
    Target(
        "wmo_maatwerk_users_share_of_population",
        "wmo_users_share",
        1.0,
        "Wmo users (share of inhabitants)",
        "persons who used a Wmo provision in the year / inhabitants",
    ),
    Target(
        "wmo_municipal_spending_per_inhabitant",
        "wmo_spending_eur_per_inhabitant_per_year",
        1.0,
        "Wmo spending (EUR per inhabitant)",
        "euros booked to the Wmo compartment per inhabitant per year",
    ),
    Target(
        "household_help_users",
        "household_help_users_share",
        1.0 / NL_POPULATION,
        "Household help users (share)",
        "persons with household help in the year / inhabitants (target / 17.9 million)",
    ),
    Target(
        "youth_in_youth_care_share_under_23",
        "youth_care_share_under_23",
        1.0,
        "Youth care (share of under-23s)",
        "under-23s with ambulant or residential youth care in the year",
    ),
    Target(
        "youth_in_residential_care_share_under_23",
        "youth_residential_share_under_23",
        1.0,
        "Residential youth care (share of under-23s)",
        "under-23s with residential youth care in the year",
    ),
    Target(
        "wlz_indication_share_of_population",
        "wlz_share",
        1.0,
        "Wlz care (share of inhabitants)",
        "persons in Wlz care (at home, nursing home, residential ID) at year end; the model "
        "has no indication without care, so this compares care with indications",
    ),
    Target(
        "informal_carers_share_of_16plus",
        "informal_carers_share_16plus",
        1.0,
        "Informal carers (share of 16+)",
        "persons 16+ caring for someone at year end",
    ),
    Target(
        "informal_care_hours_per_week_mean",
        "informal_care_hours_per_carer_per_week",
        1.0,
        "Hours per carer per week",
        "informal care hours / carer-weeks over the simulated years",
    ),
    Target(
        "heavily_burdened_share_of_carers",
        "heavily_burdened_share_of_carers",
        1.0,
        "Heavily burdened carers (share)",
        "carer-weeks with burden above the heavy-burden threshold / carer-weeks",
    ),
    Target(
        "dementia_prevalence_persons",
        "dementia_prevalence_share",
        1.0 / NL_POPULATION,
        "Dementia (share of inhabitants)",
        "persons with a dementia problem at year end / inhabitants (target / 17.9 million)",
    ),
    Target(
        "dementia_in_nursing_or_care_home",
        "dementia_in_nursing_home_share",
        1.0 / NL_POPULATION,
        "Dementia in a nursing home (share)",
        "persons with dementia in a nursing home at year end / inhabitants",
    ),
    Target(
        "strongly_lonely_share_of_adults",
        "lonely_share_15plus",
        1.0,
        "Strongly lonely (share of 15+)",
        "assumption: a loneliness problem of any severity in the model is strong loneliness "
        "(CBS counts persons 15+)",
    ),
    Target(
        "problematic_debt_share_of_households",
        "debt_share_18plus",
        1.0,
        "Problematic debt (share)",
        "assumption: the share of adults with a debt problem approximates the share of "
        "households with problematic debt (debts are shared within households)",
    ),
    Target(
        "mild_intellectual_disability_persons",
        "intellectual_disability_share",
        1.0 / NL_POPULATION,
        "Mild intellectual disability (share)",
        "persons with an intellectual disability problem / inhabitants",
    ),
    Target(
        "nursing_home_residents",
        "nursing_home_residents_share",
        1.0 / NL_POPULATION,
        "Nursing-home residents (share)",
        "persons in a nursing home at year end / inhabitants (target / 17.9 million)",
    ),
    Target(
        "nursing_home_actively_waiting",
        "nursing_home_waiting_share",
        1.0 / NL_POPULATION,
        "Actively waiting for a nursing home (share)",
        "persons on the nursing-home waiting list at year end / inhabitants; assumption: the "
        "model's list is the 'actively waiting' group (it has no preferred-home waiting)",
    ),
    Target(
        "wlz_vv_indication_persons",
        "wlz_elderly_care_share",
        1.0 / NL_POPULATION,
        "Wlz nursing and care (VV) (share)",
        "persons in Wlz care at home or in a nursing home at year end / inhabitants; the model "
        "has no indication without care, so waiting VV clients are missing from it",
    ),
    # ----- flows (sim/flows.py), per year, mean over the simulated years
    Target(
        "wmo_to_wlz_entries_per_1000_inhabitants",
        "wlz_entries_from_wmo_per_1000_inhabitants_per_year",
        1.0,
        "Wmo clients entering Wlz care (per 1,000)",
        "admissions to Wlz care (at home, nursing home, residential ID) of people in none of "
        "them, who were in Wmo care then or in the 52 weeks before, per 1,000 inhabitants",
        group="flow",
    ),
    Target(
        "wmo_clients_entering_wlz_next_year_share",
        "wlz_entries_from_wmo_share_of_wmo_users_per_year",
        1.0,
        "Wmo clients entering Wlz care (share)",
        "the Wmo-to-Wlz entries above / Wmo users in the same year; assumption: the year's "
        "Wmo users stand in for the previous year's (CBS: Wmo clients of year t entering in "
        "t+1), all ages (CBS: 18+)",
        group="flow",
    ),
    Target(
        "wmo_decision_legal_max_weeks",
        "request_to_decision_weeks_mean",
        1.0,
        "Request to decision, mean (legal max. 8 weeks)",
        "weeks from the request (or early signal) to the assessment's decision, mean over "
        "decisions in the year; an upper bound: met if the mean is not above 8 weeks",
        group="flow",
        bound="upper",
    ),
    Target(
        "wmo_decisions_over_legal_term_share",
        "request_to_decision_over_8_weeks_share",
        1.0,
        "Decisions later than 8 weeks (share)",
        "decisions taken more than 8 weeks after the request / decisions; all municipal "
        "domains (the survey: household help)",
        group="flow",
    ),
    Target(
        "household_help_request_to_care_weeks_mean",
        "household_help_request_to_care_weeks_mean",
        1.0,
        "Household help: request to care (weeks)",
        "mean weeks from request to decision (all decisions) + mean weeks on the household-"
        "help waiting list at admission; assumption: the two means add up (the model does "
        "not follow one person's request to their admission)",
        group="flow",
    ),
    Target(
        "youth_care_trajectories_started_per_1000_under_23",
        "youth_care_starts_per_1000_under_23_per_year",
        1.0,
        "Youth care starts (per 1,000 under-23s)",
        "admissions to ambulant or residential youth care / under-23s at year end x 1,000; "
        "one admission is one trajectory (CBS merges overlapping ones of one form)",
        group="flow",
    ),
    Target(
        "youth_residential_trajectories_started_per_1000_under_23",
        "youth_residential_starts_per_1000_under_23_per_year",
        1.0,
        "Residential youth care starts (per 1,000 under-23s)",
        "admissions to residential youth care / under-23s at year end x 1,000",
        group="flow",
    ),
    Target(
        "wmo_endings_per_1000_inhabitants",
        "wmo_ends_persons_per_1000_inhabitants_per_year",
        1.0,
        "Wmo care ended (persons per 1,000)",
        "persons with at least one Wmo maatwerk provision ended in the year (discharge or "
        "death in care) per 1,000 inhabitants; the figure is an approximation (half-year "
        "municipal rows, doubled)",
        group="flow",
    ),
    Target(
        "wmo_endings_by_death_share",
        "wmo_ends_by_death_share",
        1.0,
        "Wmo endings by death (share)",
        "persons whose Wmo care ended by death / persons whose Wmo care ended, in the year",
        group="flow",
    ),
    Target(
        "decedents_80plus_in_nursing_home_share",
        "deaths_80plus_in_nursing_home_share",
        1.0,
        "Deaths at 80+ in a nursing home (share)",
        "deaths aged 80+ of nursing-home residents / deaths aged 80+; CBS counts nursing and "
        "care homes (the model has nursing homes only)",
        group="flow",
    ),
    Target(
        "income_support_recipients",
        "income_support_recipients_per_1000_inhabitants",
        1000.0 / NL_POPULATION,
        "Income support recipients (per 1,000)",
        "persons on income support (bijstand), mean of the year's weeks, per 1,000 inhabitants",
    ),
    Target(
        "income_support_benefits_per_inhabitant",
        "cost_by_category__income_eur_per_inhabitant_per_year",
        1.0,
        "Income support benefits (EUR per inhabitant)",
        "euros booked in category income (the benefit) per inhabitant per year",
    ),
    Target(
        "youth_municipal_spending_per_inhabitant",
        "cost_by_financier__youth_eur_per_inhabitant_per_year",
        1.0,
        "Youth spending (EUR per inhabitant)",
        "euros booked to the youth compartment per inhabitant per year (youth care, the "
        "team's youth hours, youth mental health under 18, Veilig Thuis, supervision)",
    ),
    Target(
        "municipal_wmo_youth_income_support_per_inhabitant",
        "wmo_youth_income_support_eur_per_inhabitant_per_year",
        1.0,
        "Wmo + youth + income support (EUR per inhabitant)",
        "Wmo and youth compartments plus the income support benefits, per inhabitant",
    ),
    Target(
        "municipal_social_domain_spending_per_inhabitant_upper",
        "municipal_spending_eur_per_inhabitant_per_year",
        1.0,
        "Municipal spending, four compartments (EUR per inhabitant, upper bound)",
        "euros booked to the Wmo, youth, participation and welfare compartments per "
        "inhabitant per year; an upper bound: the CBS social-domain total less special "
        "assistance still holds sheltered work, sheltered housing and shelter and refugee "
        "reception, which the model leaves out",
        bound="upper",
    ),
    Target(
        "municipal_social_domain_in_model_scope_per_inhabitant",
        "municipal_spending_in_sourced_scope_eur_per_inhabitant_per_year",
        1.0,
        "Municipal spending, Wmo + youth + welfare + income support (EUR per inhabitant)",
        "euros booked to the Wmo, youth and welfare compartments plus the income support "
        "benefit, per inhabitant per year: the four compartments less re-integration, debt "
        "counselling and benefit execution, for which no national figure was found; the "
        "target is the sum of four sourced national figures of the same scope",
    ),
    Target(
        "youth_under_supervision",
        "children_under_supervision_share_under_18",
        1.0 / NL_UNDER_18,
        "Children under supervision (share of under-18s)",
        "children under a supervision order (OTS), mean of the year's weeks / under-18s "
        "(target / 3.4 million); the model has no guardianship",
    ),
    Target(
        "veilig_thuis_child_reports",
        "veilig_thuis_reports_per_1000_under_18_per_year",
        1000.0 / NL_UNDER_18,
        "Reports to Veilig Thuis about children (per 1,000 under-18s)",
        "reports in the year per 1,000 under-18s; the model's report is a case, repeated "
        "reports during an investigation are not counted",
        group="flow",
    ),
    Target(
        "youth_supervision_orders_started",
        "supervision_orders_per_1000_under_18_per_year",
        1000.0 / NL_UNDER_18,
        "Supervision orders started (per 1,000 under-18s)",
        "supervision orders begun in the year per 1,000 under-18s",
        group="flow",
    ),
    Target(
        "nursing_home_deaths_per_resident",
        "nursing_home_deaths_per_resident_per_year",
        1.0,
        "Nursing-home residents' deaths (per resident per year)",
        "deaths of nursing-home residents in the year / mean of the residents at the year's "
        "start and end; CBS counts nursing and care homes",
        group="flow",
    ),
    # ----- the CIZ, the care labour market, debt counselling (issue 26)
    Target(
        "care_vacancy_rate_per_1000_jobs",
        "workforce_vacancies_per_1000_jobs",
        1.0,
        "Care and welfare vacancy rate (per 1,000 jobs)",
        "the year's mean open positions (FTE) of the providers, the team and the case holders "
        "per 1,000 filled positions (FTE); CBS counts open vacancies per 1,000 employee jobs in "
        "all of care and welfare (hospitals and child care too)",
    ),
    Target(
        "ciz_decision_legal_max_weeks",
        "ciz_weeks_waited_mean",
        1.0,
        "CIZ: application to decision, mean (legal max. 6 weeks)",
        "weeks from a Wlz application to the CIZ's decision, mean over the year's decisions; "
        "an upper bound: met if the mean is not above 6 weeks",
        group="flow",
        bound="upper",
    ),
    Target(
        "ciz_decisions_over_legal_term_share",
        "ciz_decisions_over_legal_term_share",
        1.0,
        "CIZ decisions later than 6 weeks (share)",
        "the CIZ's decisions more than 6 weeks after the application / its decisions in the year",
        group="flow",
    ),
    Target(
        "debt_counselling_applications",
        "debt_counselling_starts_per_1000_inhabitants_per_year",
        1000.0 / NL_POPULATION,
        "Debt counselling starts (per 1,000)",
        "admissions to debt counselling per 1,000 inhabitants per year; assumption: NVVK "
        "members' applications stand for the starts (applications include requests for advice "
        "only, and members do not cover every municipality: the two go opposite ways)",
        group="flow",
    ),
    Target(
        "debt_outreach_help_accepted_per_1000_inhabitants",
        "debt_outreach_accepted_per_1000_inhabitants_per_year",
        1.0,
        "Debt outreach: help accepted (per 1,000)",
        "households that accept help after a signal partner's payment-arrears signal, per 1,000 "
        "inhabitants per year; in the model they join debt counselling's list (Divosa counts "
        "lighter help too, such as a payment arrangement)",
        group="flow",
    ),
    Target(
        "dementia_onset_per_1000_65_69",
        "dementia_onsets_65_69_per_1000_per_year",
        1.0,
        "Dementia onset 65-69 (per 1,000 per year)",
        "dementia onsets at 65-69 in the year / persons 65-69 without dementia at year end",
        group="flow",
    ),
    Target(
        "dementia_onset_per_1000_90plus",
        "dementia_onsets_90plus_per_1000_per_year",
        1.0,
        "Dementia onset 90+ (per 1,000 per year)",
        "dementia onsets at 90+ in the year / persons 90+ without dementia at year end",
        group="flow",
    ),
)
TARGET_BY_ROW: dict[str, Target] = {t.row: t for t in TARGETS}
GROUP_LABELS: dict[str, str] = {"stock": "Stocks (levels)", "flow": "Flows (per year)"}

# Age profiles: profile -> (provider rows or domain, label)
PROFILE_GROUPS: dict[str, tuple[float, float]] = {
    "0-3": (0, 4),
    "4-11": (4, 12),
    "12-17": (12, 18),
    "18-22": (18, 23),
    "23-44": (23, 45),
    "45-64": (45, 65),
    "65-74": (65, 75),
    "75-84": (75, 85),
    "85+": (85, 200),
}
PROFILES: tuple[str, ...] = ("wmo", "household_help", "youth_care", "dementia")
PROFILE_LABELS: dict[str, str] = {
    "wmo": "Wmo provision (any)",
    "household_help": "Household help",
    "youth_care": "Youth care",
    "dementia": "Dementia",
}


def read_targets(path: Path = TARGETS_FILE) -> list[dict[str, str]]:
    """Rows of targets_nl.csv."""
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def target_values(path: Path = TARGETS_FILE) -> dict[str, float]:
    """Target row -> value in the simulated unit (only rows that `TARGETS` maps)."""
    rows = {r["target"]: float(r["value"]) for r in read_targets(path)}
    return {t.row: rows[t.row] * t.factor for t in TARGETS if t.row in rows}


def read_age_profiles(path: Path = AGE_PROFILES_FILE) -> list[dict[str, Any]]:
    """Rows of age_profiles_nl.csv with numeric age bounds and value."""
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["age_min"] = float(r["age_min"])
        r["age_max"] = float(r["age_max"]) if r["age_max"] else 200.0
        r["value"] = float(r["value"])
    return rows


def _share(mask: np.ndarray, within: np.ndarray) -> float:
    n = int(within.sum())
    return float((mask & within).sum() / n) if n else float("nan")


def in_sourced_scope(summary: Any) -> float:
    """Municipal spending in the scope of the sourced national figure (EUR per inhabitant per
    year): the Wmo, youth and welfare compartments plus the income support benefit."""
    return float(
        summary["wmo_youth_income_support_eur_per_inhabitant_per_year"]
        + summary["cost_by_financier__welfare_eur_per_inhabitant_per_year"]
    )


def observe(results: Any) -> dict[str, float]:
    """Every simulated quantity that a target or an age profile is compared with."""
    from sim.population import DOM, NONE, PROV

    s = results.summary
    model = results.model
    pop = model.pop
    n = pop.n
    weekly = results.weekly
    out: dict[str, float] = {
        "wmo_users_share": s["wmo_users_share"],
        "wmo_spending_eur_per_inhabitant_per_year": s["wmo_spending_eur_per_inhabitant_per_year"],
        "household_help_users_share": s["users__household_help_per_1000_inhabitants"] / 1000.0,
        "youth_care_share_under_23": s["youth_care_share_under_23"],
        "youth_residential_share_under_23": s["youth_residential_share_under_23"],
        "wlz_share": s["wlz_share"],
        "informal_carers_share_16plus": s["informal_carers_share_16plus"],
        "heavily_burdened_share_of_carers": s["heavily_burdened_share_of_carers"],
        "dementia_prevalence_share": s["dementia_prevalence_share"],
    }
    out.update({t.simulated: s[t.simulated] for t in TARGETS if t.simulated in s})
    out["municipal_spending_in_sourced_scope_eur_per_inhabitant_per_year"] = in_sourced_scope(s)
    out["household_help_request_to_care_weeks_mean"] = (
        s["request_to_decision_weeks_mean"] + s["decision_to_care_weeks_mean__household_help"]
    )
    carer_weeks = float(weekly["carers"].sum()) if "carers" in weekly else 0.0
    hours = float(weekly["informal_care_hours"].sum()) if "informal_care_hours" in weekly else 0.0
    out["informal_care_hours_per_carer_per_week"] = hours / carer_weeks if carer_weeks else 0.0
    dementia = pop.severity[DOM["dementia"]] > 0
    out["dementia_in_nursing_home_share"] = float(
        (dementia & pop.in_care[PROV["nursing_home"]]).sum() / n
    )
    nursing_home = PROV["nursing_home"]
    out["nursing_home_residents_share"] = float(pop.in_care[nursing_home].sum() / n)
    out["nursing_home_waiting_share"] = float((pop.waiting_since[nursing_home] != NONE).sum() / n)
    out["wlz_elderly_care_share"] = float(
        pop.in_care[[PROV["wlz_at_home"], nursing_home]].any(axis=0).sum() / n
    )
    everyone = np.ones(n, dtype=bool)
    out["lonely_share_15plus"] = _share(pop.severity[DOM["loneliness"]] > 0, pop.age >= 15)
    out["debt_share_18plus"] = _share(pop.severity[DOM["debt"]] > 0, pop.age >= 18)
    out["intellectual_disability_share"] = _share(
        pop.severity[DOM["intellectual_disability"]] > 0, everyone
    )
    out.update(age_profile(results))
    return out


def used_in_last_year(model: Any) -> np.ndarray:
    """(providers, persons): received the provision at some time in the last simulated year.

    In care at year end, or admitted to or discharged from it in the last 52 weeks (from the
    event log; without one, in care at year end only). People who died during the year are
    not in the population any more and are left out."""
    from sim.recorder import EVENT_CODES

    pop = model.pop
    used = pop.in_care.copy()
    events = model.recorder.events_frame()
    if events.empty:
        return used
    last = events[
        (events["week"] >= model.week - 52)
        & events["event"].isin([EVENT_CODES["admit"], EVENT_CODES["discharge"]])
    ]
    slot_of = {int(pid): i for i, pid in enumerate(pop.person_id)}
    slots = last["person_id"].map(slot_of)
    keep = slots.notna().to_numpy()
    used[last["detail"].to_numpy()[keep], slots[keep].astype(int).to_numpy()] = True
    return used


def profile_masks(model: Any) -> dict[str, np.ndarray]:
    """Per profile, who counts: used the provision in the last year; dementia: has it at year
    end."""
    from sim.population import DOM, PROV

    pop = model.pop
    ic = used_in_last_year(model)
    return {
        "wmo": ic[[PROV[p] for p in WMO_PROVIDERS]].any(axis=0),
        "household_help": ic[PROV["household_help"]],
        "youth_care": ic[[PROV[p] for p in YOUTH_PROVIDERS]].any(axis=0),
        "dementia": pop.severity[DOM["dementia"]] > 0,
    }


def age_profile(results: Any) -> dict[str, float]:
    """Share of each age band (and of each reference age group) in each profile.

    Keys: `age__<profile>__<lo>-<hi>` with `hi` 200 for open-ended groups."""
    pop = results.model.pop
    masks = profile_masks(results.model)
    groups = dict(PROFILE_GROUPS)
    for r in read_age_profiles():
        groups.setdefault(f"{r['age_min']:g}-{r['age_max']:g}", (r["age_min"], r["age_max"]))
    out: dict[str, float] = {}
    for lo, hi in sorted(set(groups.values())):
        within = (pop.age >= lo) & (pop.age < hi)
        for name, mask in masks.items():
            out[age_key(name, lo, hi)] = _share(mask, within)
    return out


def age_key(profile: str, lo: float, hi: float) -> str:
    """Summary key of one profile in one age group."""
    return f"age__{profile}__{lo:g}-{hi:g}"


def simulate_targets(config: dict[str, Any], seed: int) -> dict[str, Any]:
    """Ensemble run function: one run -> its summary plus every observed target quantity."""
    from sim.config import from_dict
    from sim.run import run

    cfg = from_dict(config)
    results = run(cfg, seed=seed)
    summary = dict(results.summary)
    summary.update({f"obs__{k}": v for k, v in observe(results).items()})
    return {"summary": summary}


def simulate_targets_and_years(config: dict[str, Any], seed: int) -> dict[str, Any]:
    """Like `simulate_targets`, plus the yearly outcomes table (for trajectory figures)."""
    from sim.config import from_dict
    from sim.run import run

    results = run(from_dict(config), seed=seed)
    summary = dict(results.summary)
    summary.update({f"obs__{k}": v for k, v in observe(results).items()})
    return {"summary": summary, "tables": {"yearly": results.yearly}}


__all__ = [
    "GROUP_LABELS",
    "NL_POPULATION",
    "PROFILES",
    "TARGETS",
    "Target",
    "age_key",
    "age_profile",
    "observe",
    "read_age_profiles",
    "simulate_targets",
    "simulate_targets_and_years",
    "target_values",
]
