"""Run one simulation and turn it into results: `run(config, seed) -> Results`."""

from __future__ import annotations

import math
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from sim.burn_in import BurnInStore
from sim.need import SOURCES as NEED_SOURCES
from sim.params import (
    ACTS,
    CATEGORIES,
    ESCALATIONS,
    FINANCIERS,
    MUNICIPAL_FINANCIERS,
    PROVIDERS,
    KetensimConfig,
)

__version__ = "0.1.0"

# Outcome name -> unit. Names carry their unit too, so a table column is never ambiguous.
UNITS: dict[str, str] = {
    "total_chain_cost_eur_per_inhabitant_per_year": "EUR per inhabitant per year",
    **{
        f"met_by_{s}_need_weeks_per_1000_inhabitants_per_year": "severity-weeks of need met "
        "per 1,000 inhabitants per year"
        for s in NEED_SOURCES
    },
    **{
        f"cost_by_financier__{f}_eur_per_inhabitant_per_year": "EUR per inhabitant per year"
        for f in FINANCIERS
    },
    **{
        f"cost_by_category__{c}_eur_per_inhabitant_per_year": "EUR per inhabitant per year"
        for c in CATEGORIES
    },
    "informal_care_value_eur_per_inhabitant_per_year": "EUR per inhabitant per year (societal)",
    "wellbeing_index_0_100": "index 0-100",
    "unmet_need_person_weeks_per_1000_inhabitants_per_year": "person-weeks per 1,000 per year",
    "weeks_from_onset_to_help_mean": "weeks",
    **{
        f"escalations__{t}_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year"
        for t in ESCALATIONS
    },
    "carer_burnouts_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year",
    "waiting_weeks_mean": "weeks",
    "admin_hours_per_1000_inhabitants_per_year": "hours per 1,000 inhabitants per year",
    **{
        f"admin_by_act__{a}_eur_per_inhabitant_per_year": "EUR per inhabitant per year "
        "(access-staff acts valued at their hourly rate, part of their paid hours)"
        for a in ACTS
    },
    **{
        f"admin_by_act__{a}_hours_per_1000_inhabitants_per_year": "hours per 1,000 "
        "inhabitants per year"
        for a in ACTS
    },
    "objections_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year",
    "objections_upheld_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year",
    "client_admin_hours_per_1000_inhabitants_per_year": "hours per 1,000 inhabitants per year",
    "informal_care_hours_per_inhabitant_per_year": "hours per inhabitant per year",
    "formal_care_hours_per_inhabitant_per_year": "hours per inhabitant per year",
    **{
        f"users__{p}_per_1000_inhabitants": "users in the year per 1,000 inhabitants"
        for p in PROVIDERS
    },
    "workforce_vacancies_fte_per_1000_inhabitants": "FTE open positions per 1,000 "
    "inhabitants (mean over the year's weeks)",
    "workforce_unfilled_hours_per_1000_inhabitants_per_year": "hours per 1,000 inhabitants "
    "per year",
    "workforce_hires_unfilled_fte_per_1000_inhabitants_per_year": "FTE per 1,000 inhabitants "
    "per year",
    "ciz_weeks_waited_mean": "weeks from application to the CIZ's decision (mean)",
    "ciz_decisions_over_legal_term_share": "share of the CIZ's decisions later than its "
    "legal term (6 weeks)",
    "workforce_vacancies_per_1000_jobs": "open positions per 1,000 filled positions (FTE; "
    "the vacancy rate)",
    "debt_counselling_starts_per_1000_inhabitants_per_year": "admissions to debt counselling "
    "per 1,000 inhabitants per year",
    "debt_outreach_contacts_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year",
    "debt_outreach_accepted_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year",
    **{
        f"users__household_help__income_{g}_per_1000_inhabitants": "users in the year per "
        "1,000 inhabitants"
        for g in ("low", "middle", "high")
    },
    "wmo_users_share": "share of inhabitants",
    "youth_care_share_under_23": "share of inhabitants under 23",
    "youth_residential_share_under_23": "share of inhabitants under 23",
    "wlz_share": "share of inhabitants",
    "informal_carers_share_16plus": "share of inhabitants 16+",
    "heavily_burdened_share_of_carers": "share of carers",
    "dementia_prevalence_share": "share of inhabitants",
    "wmo_spending_eur_per_inhabitant_per_year": "EUR per inhabitant per year",
    # the whole municipal social domain (docs/ODD.md 7.21-7.23)
    "municipal_spending_eur_per_inhabitant_per_year": "EUR per inhabitant per year "
    "(Wmo, youth, participation, welfare)",
    "wmo_youth_income_support_eur_per_inhabitant_per_year": "EUR per inhabitant per year "
    "(Wmo, youth and income support benefits)",
    **{
        f"budget_use__{f}": "spending / budget of the compartment in the year"
        for f in MUNICIPAL_FINANCIERS
    },
    "budget_pressure_mean": "mean weekly budget pressure (relative overrun, 0-1)",
    "budget_pressure_weeks_share": "share of the year's weeks with budget pressure > 0",
    # work and income (Participatiewet), docs/ODD.md 7.21
    "income_support_recipients_per_1000_inhabitants": "persons per 1,000 inhabitants "
    "(mean of weeks)",
    "income_support_share_of_working_age": "share of the people aged 18 to the AOW age "
    "(mean of weeks)",
    "employment_share_of_working_age": "share of the people aged 18 to the AOW age (mean of weeks)",
    "income_support_entries_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year",
    "income_support_exits_to_work_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year",
    "carers_stopped_work_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year",
    "income_support_entries_from_care_per_1000_inhabitants_per_year": "per 1,000 inhabitants "
    "per year",
    "reintegration_trajectories_per_1000_inhabitants": "per 1,000 inhabitants (mean of weeks)",
    # youth protection, docs/ODD.md 7.22
    "veilig_thuis_reports_per_1000_under_18_per_year": "per 1,000 under-18s per year",
    "supervision_orders_per_1000_under_18_per_year": "per 1,000 under-18s per year",
    "children_under_supervision_share_under_18": "share of under-18s (mean of weeks)",
    "court_ordered_placements_per_1000_under_18_per_year": "per 1,000 under-18s per year",
    # contractors (docs/ODD.md 7.14): over-delivery and audits
    "over_delivery_eur_per_inhabitant_per_year": "EUR per inhabitant per year (gross, in care)",
    "audits_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year",
    "audit_detections_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year",
    # queues (stocks over the year's weeks)
    "intake_queue_persons_per_1000_inhabitants": "persons per 1,000 inhabitants (mean of weeks)",
    "waiting_list_persons_per_1000_inhabitants": "persons per 1,000 inhabitants (mean of weeks)",
    # flows (sim/flows.py): entries, starts, ends and lead times
    "wlz_entries_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year",
    "wlz_entries_from_wmo_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year",
    "wlz_entries_from_wmo_share_of_wmo_users_per_year": "share of the year's Wmo users per year",
    "nursing_home_admissions_per_1000_inhabitants_per_year": "per 1,000 inhabitants per year",
    "request_to_decision_weeks_mean": "weeks",
    "request_to_decision_over_8_weeks_share": "share of decisions",
    "decision_to_care_weeks_mean": "weeks (municipal provisions)",
    "request_to_care_weeks_mean": "weeks (request to first municipal care after the grant)",
    "request_to_care_over_8_weeks_share": "share of care starts after a grant",
    "decision_to_care_weeks_mean__household_help": "weeks",
    "wmo_starts_persons_per_1000_inhabitants_per_year": "persons per 1,000 inhabitants per year",
    "wmo_ends_persons_per_1000_inhabitants_per_year": "persons per 1,000 inhabitants per year",
    "wmo_ends_by_death_share": "share of persons whose Wmo care ended",
    "youth_care_starts_per_1000_under_23_per_year": "per 1,000 inhabitants under 23 per year",
    "youth_care_ends_per_1000_under_23_per_year": "per 1,000 inhabitants under 23 per year",
    "youth_residential_starts_per_1000_under_23_per_year": "per 1,000 inhabitants under 23 "
    "per year",
    "dementia_onsets_65_69_per_1000_per_year": "per 1,000 persons aged 65-69 without dementia "
    "per year",
    "dementia_onsets_90plus_per_1000_per_year": "per 1,000 persons aged 90+ without dementia "
    "per year",
    "deaths_80plus_in_nursing_home_share": "share of deaths aged 80+",
    "nursing_home_deaths_per_resident_per_year": "deaths per resident (mean of the year's "
    "first and last week) per year",
}


def git_commit() -> str:
    """The current git commit of the source tree, or 'unknown'."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=Path(__file__).resolve().parent,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


@dataclass
class Results:
    """What one run produced: tidy tables plus a flat summary."""

    config: KetensimConfig
    seed: int
    summary: dict[str, float]
    yearly: pd.DataFrame  # long: year, outcome, value, unit
    weekly: pd.DataFrame  # one row per week
    ledger: pd.DataFrame  # one row per booking
    provider_units_cost: pd.DataFrame  # units delivered and gross cost per provider
    wall_time_s: float
    meta: dict[str, Any] = field(default_factory=dict)


def _yearly_outcomes(
    model: Any, ledger: pd.DataFrame, yearly: pd.DataFrame, weekly: pd.DataFrame
) -> pd.DataFrame:
    """Per year (1..Y) every outcome in UNITS."""
    n = model.n
    per1000 = 1000.0 / n
    replacement = model.prices["informal_care_replacement"]
    rows: list[tuple[int, str, float]] = []
    ledger = ledger.assign(year=ledger["week"] // 52 + 1)
    weekly = weekly.assign(year=weekly["week"].astype(int) // 52 + 1)
    by_fin = ledger.pivot_table(
        index="year", columns="financier", values="eur", aggfunc="sum", observed=False
    ).reindex(columns=list(FINANCIERS), fill_value=0.0)
    by_cat = ledger.pivot_table(
        index="year", columns="category", values="eur", aggfunc="sum", observed=False
    ).reindex(columns=list(CATEGORIES), fill_value=0.0)
    wmo_item = ledger[ledger["financier"] == "wmo"].groupby("year")["eur"].sum()
    for _, yr in yearly.iterrows():
        year = int(yr["year"])
        wk = weekly[weekly["year"] == year]
        fin = by_fin.loc[year] if year in by_fin.index else pd.Series(0.0, index=list(FINANCIERS))
        cat = by_cat.loc[year] if year in by_cat.index else pd.Series(0.0, index=list(CATEGORIES))
        out: dict[str, float] = {
            "total_chain_cost_eur_per_inhabitant_per_year": float(fin.sum()) / n,
            "informal_care_value_eur_per_inhabitant_per_year": yr.get("informal_care_hours", 0.0)
            * replacement
            / n,
            "wellbeing_index_0_100": float(wk["wellbeing_index_0_100"].mean()),
            "unmet_need_person_weeks_per_1000_inhabitants_per_year": float(
                wk["unmet_need_persons"].sum()
            )
            * per1000,
            "weeks_from_onset_to_help_mean": float(
                yr.get("onset_to_help_weeks_sum", 0.0) / max(yr.get("onset_to_help_count", 0), 1)
            ),
            "carer_burnouts_per_1000_inhabitants_per_year": yr.get("carer_burnouts", 0.0) * per1000,
            "waiting_weeks_mean": float(
                yr.get("waiting_weeks_sum", 0.0) / max(yr.get("admissions", 0.0), 1)
            ),
            "admin_hours_per_1000_inhabitants_per_year": yr.get("admin_hours", 0.0) * per1000,
            "informal_care_hours_per_inhabitant_per_year": yr.get("informal_care_hours", 0.0) / n,
            "formal_care_hours_per_inhabitant_per_year": yr.get("formal_care_hours", 0.0) / n,
            "wmo_spending_eur_per_inhabitant_per_year": float(wmo_item.get(year, 0.0)) / n,
            "over_delivery_eur_per_inhabitant_per_year": yr.get("over_delivery_eur", 0.0) / n,
            "audits_per_1000_inhabitants_per_year": yr.get("audits", 0.0) * per1000,
            "audit_detections_per_1000_inhabitants_per_year": yr.get("audit_detections", 0.0)
            * per1000,
        }
        for a in ACTS:
            out[f"admin_by_act__{a}_eur_per_inhabitant_per_year"] = (
                yr.get(f"admin_eur__{a}", 0.0) / n
            )
            out[f"admin_by_act__{a}_hours_per_1000_inhabitants_per_year"] = (
                yr.get(f"admin_hours__{a}", 0.0) * per1000
            )
        for key in ("objections", "objections_upheld", "client_admin_hours"):
            out[f"{key}_per_1000_inhabitants_per_year"] = yr.get(key, 0.0) * per1000
        for source in NEED_SOURCES:
            out[f"met_by_{source}_need_weeks_per_1000_inhabitants_per_year"] = (
                yr.get(f"met_by_{source}", 0.0) * per1000
            )
        for f in FINANCIERS:
            out[f"cost_by_financier__{f}_eur_per_inhabitant_per_year"] = float(fin[f]) / n
        for c in CATEGORIES:
            out[f"cost_by_category__{c}_eur_per_inhabitant_per_year"] = float(cat[c]) / n
        out.update(_social_domain_outcomes(model, yr, wk, fin, ledger, year, per1000))
        for t in ESCALATIONS:
            out[f"escalations__{t}_per_1000_inhabitants_per_year"] = (
                yr.get(f"escalations__{t}", 0.0) * per1000
            )
        for p in PROVIDERS:
            out[f"users__{p}_per_1000_inhabitants"] = yr.get(f"users__{p}", 0.0) * per1000
        for g in ("low", "middle", "high"):
            key = f"users__household_help__income_{g}"
            out[f"{key}_per_1000_inhabitants"] = yr.get(key, 0.0) * per1000
        # the regional workforce, the CIZ, debt outreach (issue 26)
        out["workforce_vacancies_fte_per_1000_inhabitants"] = (
            yr.get("workforce_vacancies_fte", 0.0) / 52.0 * per1000
        )
        for key in ("workforce_unfilled_hours", "workforce_hires_unfilled_fte"):
            out[f"{key}_per_1000_inhabitants_per_year"] = yr.get(key, 0.0) * per1000
        out["ciz_weeks_waited_mean"] = float(
            yr.get("ciz_weeks_waited", 0.0) / max(yr.get("ciz_decisions", 0.0), 1)
        )
        out["ciz_decisions_over_legal_term_share"] = float(
            yr.get("ciz_decisions_over_legal_term", 0.0) / max(yr.get("ciz_decisions", 0.0), 1)
        )
        # the vacancy rate: the year's open positions per 1,000 filled ones (both FTE,
        # summed over the weeks: the ratio of the year's means)
        out["workforce_vacancies_per_1000_jobs"] = 1000.0 * float(
            yr.get("workforce_vacancies_fte", 0.0) / max(yr.get("workforce_staff_fte", 0.0), 1e-9)
        )
        out["debt_counselling_starts_per_1000_inhabitants_per_year"] = (
            yr.get("starts__debt_counselling", 0.0) * per1000
        )
        for key in ("debt_outreach_contacts", "debt_outreach_accepted"):
            out[f"{key}_per_1000_inhabitants_per_year"] = yr.get(key, 0.0) * per1000
        for key in (
            "wmo_users_share",
            "youth_care_share_under_23",
            "youth_residential_share_under_23",
            "wlz_share",
            "informal_carers_share_16plus",
            "heavily_burdened_share_of_carers",
            "dementia_prevalence_share",
        ):
            out[key] = float(yr.get(key, 0.0))
        out.update(_queue_outcomes(wk, per1000))
        out.update(_flow_outcomes(model, yr, per1000))
        rows.extend((year, k, float(v)) for k, v in out.items())
    frame = pd.DataFrame(rows, columns=["year", "outcome", "value"])
    frame["unit"] = frame["outcome"].map(UNITS)
    return frame


def _social_domain_outcomes(
    model: Any,
    yr: pd.Series,
    wk: pd.DataFrame,
    fin: pd.Series,
    ledger: pd.DataFrame,
    year: int,
    per1000: float,
) -> dict[str, float]:
    """The whole municipal social domain: spending against budgets, work and income,
    youth protection (docs/ODD.md 7.21-7.23)."""
    n, g = model.n, yr.get
    weeks = max(len(wk), 1)
    benefit = ledger[(ledger["year"] == year) & (ledger["category"] == "income")]["eur"].sum()
    use = model.municipality.budget_use(fin.reindex(list(FINANCIERS)).to_numpy(dtype=float))
    pressure = wk["budget_pressure"] if "budget_pressure" in wk else pd.Series(dtype=float)
    working = g("working_age", 0.0)
    under18 = g("under_18", 0.0) / weeks  # mean of weeks
    per1000_young = 1000.0 / under18 if under18 > 0 else 0.0
    out = {
        "municipal_spending_eur_per_inhabitant_per_year": float(
            math.fsum(fin[f] for f in MUNICIPAL_FINANCIERS)
        )
        / n,
        "wmo_youth_income_support_eur_per_inhabitant_per_year": float(
            fin["wmo"] + fin["youth"] + benefit
        )
        / n,
        "budget_pressure_mean": float(pressure.mean()) if len(pressure) else 0.0,
        "budget_pressure_weeks_share": float((pressure > 0).mean()) if len(pressure) else 0.0,
        "income_support_recipients_per_1000_inhabitants": g("income_support_recipients", 0.0)
        / weeks
        * per1000,
        "income_support_share_of_working_age": _ratio(g("income_support_recipients", 0.0), working),
        "employment_share_of_working_age": _ratio(g("employed_working_age", 0.0), working),
        "income_support_entries_per_1000_inhabitants_per_year": g("income_support_entries", 0.0)
        * per1000,
        "income_support_exits_to_work_per_1000_inhabitants_per_year": g(
            "income_support_exits_to_work", 0.0
        )
        * per1000,
        "carers_stopped_work_per_1000_inhabitants_per_year": g("carers_stopped_work", 0.0)
        * per1000,
        "income_support_entries_from_care_per_1000_inhabitants_per_year": g(
            "income_support_entries_from_care", 0.0
        )
        * per1000,
        "reintegration_trajectories_per_1000_inhabitants": g("reintegration_trajectories", 0.0)
        / weeks
        * per1000,
        "veilig_thuis_reports_per_1000_under_18_per_year": g("veilig_thuis_reports", 0.0)
        * per1000_young,
        "supervision_orders_per_1000_under_18_per_year": g("supervision_orders", 0.0)
        * per1000_young,
        "children_under_supervision_share_under_18": _ratio(
            g("children_under_supervision", 0.0), g("under_18", 0.0)
        ),
        "court_ordered_placements_per_1000_under_18_per_year": g("court_ordered_placements", 0.0)
        * per1000_young,
    }
    for k, f in enumerate(FINANCIERS):
        if f in MUNICIPAL_FINANCIERS:
            out[f"budget_use__{f}"] = float(use[k])
    return out


def _ratio(num: float, den: float) -> float:
    return float(num) / den if den > 0 else 0.0


def _queue_outcomes(weekly_of_year: pd.DataFrame, per1000: float) -> dict[str, float]:
    """Intake queue and waiting lists: persons, mean over the year's weeks, per 1,000."""
    out = {}
    for name, col in (
        ("intake_queue_persons_per_1000_inhabitants", "intake_queue"),
        ("waiting_list_persons_per_1000_inhabitants", "waiting_persons"),
    ):
        values = weekly_of_year[col] if col in weekly_of_year else pd.Series(dtype=float)
        out[name] = float(values.mean()) * per1000 if len(values) else 0.0
    return out


def _flow_outcomes(model: Any, yr: pd.Series, per1000: float) -> dict[str, float]:
    """The year's flows (sim/flows.py) in their units."""
    g = yr.get
    municipal = [pr.name for pr in model.providers if pr.params.financier in MUNICIPAL_FINANCIERS]
    youth = ("youth_ambulant", "youth_residential")
    under23 = g("under_23", 0.0)
    wmo_ends = g("wmo_ends_persons", 0.0)
    return {
        "wlz_entries_per_1000_inhabitants_per_year": g("wlz_entries", 0.0) * per1000,
        "wlz_entries_from_wmo_per_1000_inhabitants_per_year": g("wlz_entries_from_wmo", 0.0)
        * per1000,
        "wlz_entries_from_wmo_share_of_wmo_users_per_year": _ratio(
            g("wlz_entries_from_wmo", 0.0), g("wmo_users", 0.0)
        ),
        "nursing_home_admissions_per_1000_inhabitants_per_year": g("starts__nursing_home", 0.0)
        * per1000,
        "request_to_decision_weeks_mean": _ratio(
            g("request_to_decision_weeks_sum", 0.0), g("decisions", 0.0)
        ),
        "request_to_decision_over_8_weeks_share": _ratio(
            g("decisions_over_legal_term", 0.0), g("decisions", 0.0)
        ),
        "request_to_care_weeks_mean": _ratio(
            g("request_to_care_weeks_sum", 0.0), g("request_to_care_count", 0.0)
        ),
        "request_to_care_over_8_weeks_share": _ratio(
            g("request_to_care_over_legal_term", 0.0), g("request_to_care_count", 0.0)
        ),
        "decision_to_care_weeks_mean": _ratio(
            math.fsum(g(f"wait_weeks_sum__{p}", 0.0) for p in municipal),
            math.fsum(g(f"wait_known__{p}", 0.0) for p in municipal),
        ),
        "decision_to_care_weeks_mean__household_help": _ratio(
            g("wait_weeks_sum__household_help", 0.0), g("wait_known__household_help", 0.0)
        ),
        "wmo_starts_persons_per_1000_inhabitants_per_year": g("wmo_starts_persons", 0.0) * per1000,
        "wmo_ends_persons_per_1000_inhabitants_per_year": wmo_ends * per1000,
        "wmo_ends_by_death_share": _ratio(g("wmo_ends_by_death_persons", 0.0), wmo_ends),
        "youth_care_starts_per_1000_under_23_per_year": 1000.0
        * _ratio(math.fsum(g(f"starts__{p}", 0.0) for p in youth), under23),
        "youth_care_ends_per_1000_under_23_per_year": 1000.0
        * _ratio(
            math.fsum(g(f"ends__{p}", 0.0) + g(f"deaths_in_care__{p}", 0.0) for p in youth), under23
        ),
        "youth_residential_starts_per_1000_under_23_per_year": 1000.0
        * _ratio(g("starts__youth_residential", 0.0), under23),
        "dementia_onsets_65_69_per_1000_per_year": 1000.0
        * _ratio(g("dementia_onsets_65_69", 0.0), g("dementia_free_65_69", 0.0)),
        "dementia_onsets_90plus_per_1000_per_year": 1000.0
        * _ratio(g("dementia_onsets_90plus", 0.0), g("dementia_free_90plus", 0.0)),
        "deaths_80plus_in_nursing_home_share": _ratio(
            g("deaths_80plus_in_nursing_home", 0.0), g("deaths_80plus", 0.0)
        ),
        "nursing_home_deaths_per_resident_per_year": _ratio(
            g("deaths_in_care__nursing_home", 0.0),
            0.5
            * (g("clients_at_start__nursing_home", 0.0) + g("clients_at_end__nursing_home", 0.0)),
        ),
    }


def provider_units_cost(model: Any, ledger: pd.DataFrame) -> pd.DataFrame:
    """Units delivered (recorder) and gross cost (ledger) per provider: a provider's care
    bookings carry its name as item, split between its financier and `own_contribution`."""
    care = ledger[ledger["category"] == "care"]
    gross = care.groupby("item", sort=False)["eur"].sum()
    return pd.DataFrame(
        {
            "provider": list(PROVIDERS),
            "units": model.recorder.provider_units(),
            "gross_cost_eur": [float(gross.get(p, 0.0)) for p in PROVIDERS],
            "financier": [pr.params.financier for pr in model.providers],
        }
    )


def summarise(yearly_long: pd.DataFrame) -> dict[str, float]:
    """Run summary: the mean over the years of each yearly outcome."""
    means = yearly_long.groupby("outcome", sort=False)["value"].mean()
    return {k: float(v) for k, v in means.items()}


def run(
    config: KetensimConfig,
    seed: int | None = None,
    progress: bool = False,
    burn_in: BurnInStore | None = None,
) -> Results:
    """Simulate `config` (with `seed` instead of config.seed if given) and collect results.
    With a `burn_in` store the run starts from a copy of the shared burn-in of its seed and
    burn-in config (computed once per store; the same numbers as without it)."""
    from sim.model import SocialDomainModel

    if seed is not None:
        config = replace(config, seed=int(seed))
    start = time.perf_counter()
    model = burn_in.model(config) if burn_in is not None else SocialDomainModel(config)
    try:
        weeks = range(model.horizon_weeks)
        bar = None
        if progress and sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(
                total=model.horizon_weeks,
                unit="week",
                desc=f"{config.design.name}",
                file=sys.stderr,
            )
        for _ in weeks:
            model.step()
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        ledger = model.ledger.to_frame()
        weekly = model.recorder.weekly_frame()
        yearly_raw = model.recorder.yearly_frame()
        yearly = _yearly_outcomes(model, ledger, yearly_raw, weekly)
        puc = provider_units_cost(model, ledger)
        summary = summarise(yearly)
        results = Results(
            config=config,
            seed=config.seed,
            summary=summary,
            yearly=yearly,
            weekly=weekly,
            ledger=ledger,
            provider_units_cost=puc,
            wall_time_s=time.perf_counter() - start,
            meta={
                "model_version": __version__,
                "population": model.n,
                "weeks": model.horizon_weeks,
            },
        )
        results.model = model  # type: ignore[attr-defined]  # for inspection in-process
        return results
    finally:
        model.remove_from_mesa_registry()


__all__ = ["UNITS", "Results", "git_commit", "provider_units_cost", "run", "summarise"]
