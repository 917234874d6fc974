"""Parameters of the Participatiewet (income support and re-integration) and of the youth
protection chain (Veilig Thuis, certified institutions, court orders): part of the world's
behaviour (`behaviour.income_support`, `behaviour.youth_protection`), the same in every
design. Values: scenarios/behaviour/*.yaml; mechanisms: docs/ODD.md 7.21 and 7.22."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.schema import p

INCOME_GROUPS = 3  # low, middle, high (Population.income)


def _by_income(values: list[float], unit: str, lo: float, hi: float, source: str) -> list[float]:
    return field(  # type: ignore[return-value]
        default_factory=lambda: list(values),
        metadata={"unit": unit, "min": lo, "max": hi, "source": source},
    )


@dataclass
class IncomeSupportParams:
    """Income support (bijstand) under the Participatiewet and re-integration into work."""

    min_age: float = p(18.0, "years", 15, 30, "Participatiewet: from 18")
    max_age: float = p(
        67.0, "years (AOW age: income support ends)", 60, 75, "AOW age 67 in 2024 (SVB)"
    )
    initial_share_by_income: list[float] = _by_income(
        [0.115, 0.014, 0.0],
        "share of the working-age people of each income group (low, middle, high) on income "
        "support at the start",
        0,
        1,
        "CBS (news 2024/09): 401,000 people under the AOW age on general income support at the "
        "end of 2023, about 3.5% of the 11.3 million aged 18 to 66; placed in the low income "
        "group (a means test), a little in the middle group",
    )
    entry_per_year_by_income: list[float] = _by_income(
        [0.022, 0.0025, 0.0],
        "chance per year that a working-age person of each income group without income "
        "support comes to need it (job loss or income below the social minimum), before the "
        "debt and mental-health multipliers",
        0,
        1,
        "CBS flows: about 20,000 entries a quarter (Q4 2022: 20,800) on a stock of about "
        "400,000; set so that the stock stays near the CBS share (docs/ODD.md 7.21)",
    )
    exit_per_year: float = p(
        0.18,
        "chance per year that a recipient leaves income support (work, partner income, other "
        "benefit), before re-integration, debt and care",
        0,
        1,
        "CBS flows: about 18,300 exits in Q4 2022 on 397,000 recipients (about 18% a year, "
        "leaving the AOW exits aside); Samenwerken voor Werk: nearly half receive it 5 years "
        "or longer",
    )
    exit_to_work_share: float = p(
        0.5,
        "share of the exits that are to paid work (the rest: partner income, other benefit)",
        0,
        1,
        "assumption: CBS reports about half of the exits as to work",
    )
    debt_entry_multiplier: float = p(
        1.5,
        "relative increase of the entry chance per unit of debt severity",
        0,
        10,
        "assumption: problematic debt and job loss go together (Nibud; SCP 'Sociaal domein "
        "op koers?' 2020); the direction is sourced, the size is not",
    )
    mental_health_entry_multiplier: float = p(
        1.0,
        "relative increase of the entry chance per unit of mental-health severity",
        0,
        10,
        "assumption: mental illness raises the chance of losing work (SCP); size not sourced",
    )
    debt_exit_reduction: float = p(
        0.5,
        "relative reduction of the exit chance per unit of debt severity",
        0,
        1,
        "assumption: debts hinder the way to work (garnishment makes work pay less; Divosa "
        "2023 'schulden en werk')",
    )
    debt_onset_per_year_on_support: float = p(
        0.03,
        "extra chance per year that a recipient without a debt problem develops one",
        0,
        1,
        "assumption: households on income support have problematic debts several times more "
        "often than others (CBS/Nibud 2020: 7.6% of all households); the extra chance here "
        "makes that difference",
    )
    reintegration_start_per_year: float = p(
        0.3,
        "chance per year that a recipient not in a re-integration trajectory starts one",
        0,
        5,
        "assumption: about a fifth to a third of recipients has a re-integration provision at "
        "a time (Divosa benchmark W&I)",
    )
    reintegration_weeks: int = p(
        52, "weeks a re-integration trajectory lasts", 1, 520, "assumption"
    )
    reintegration_exit_multiplier: float = p(
        1.3,
        "exit chance x this while in a re-integration trajectory (1 = no effect)",
        1,
        5,
        "assumption: CPB 'Kansrijk arbeidsmarktbeleid' (2016/2017): small effects of "
        "re-integration, a few percentage points more to work; range down to no effect",
    )
    benefit_eur_per_year: float = p(
        15000.0,
        "EUR per recipient per year (the benefit, BUIG)",
        0,
        100000,
        "Divosa factsheet bijstandsbudget 2022: EUR 6,134 million of benefits (bijstandslasten) "
        "for about 400,000 recipients (CBS), about EUR 15,000 each",
    )
    execution_eur_per_year: float = p(
        2000.0,
        "EUR per recipient per year: the municipality's execution (intake, payment, checks)",
        0,
        20000,
        "assumption: Divosa benchmark of execution costs of work and income, about EUR "
        "1,500-2,500 per recipient a year",
    )
    reintegration_eur_per_year: float = p(
        5000.0,
        "EUR per re-integration trajectory per year",
        0,
        50000,
        "assumption: participation budget (re-integration part) per trajectory",
    )
    carer_hours_limit: float = p(
        20.0,
        "informal care hours per week above which work and care are hard to combine",
        0,
        80,
        "SCP 'Mantelzorg en werk' (2019, seed 002): carers giving more than about 20 hours a "
        "week reduce or stop work more often; the threshold is an assumption",
    )
    carer_stop_work_per_year: float = p(
        0.15,
        "chance per year that an employed carer above the hours limit stops working",
        0,
        1,
        "assumption (seed 002: a mother who stopped working to care for her son)",
    )
    carer_support_share_by_income: list[float] = _by_income(
        [0.5, 0.05, 0.0],
        "share of the carers who stop working that come to need income support, per income "
        "group (low, middle, high)",
        0,
        1,
        "assumption: the means test counts a partner's income; low-income households qualify "
        "more often",
    )
    carer_exit_reduction: float = p(
        0.5,
        "relative reduction of the exit chance of a recipient who cares above the hours limit",
        0,
        1,
        "assumption (seed 002: re-integration that does not fit the care)",
    )
    employed_share_by_income: list[float] = _by_income(
        [0.65, 0.8, 0.85],
        "share of the working-age people of each income group not on income support who work, "
        "at the start",
        0,
        1,
        "CBS: net labour participation about 73% of 15-75 year olds in 2023, higher at 25-65; "
        "lower in the low income group (assumption)",
    )
    return_to_work_per_year: float = p(
        0.1,
        "chance per year that a working-age person who does not work, is not on income support "
        "and does not care above the hours limit starts working",
        0,
        1,
        "assumption: keeps the employment share near its start",
    )


@dataclass
class YouthProtectionParams:
    """The youth protection chain: reports to Veilig Thuis, voluntary help, court-ordered
    supervision (ondertoezichtstelling, OTS) by a certified institution (gecertificeerde
    instelling, GI) and out-of-home placement by court order."""

    report_threshold: float = p(
        0.3,
        "youth and family severity from which a report to Veilig Thuis can follow",
        0,
        1,
        "assumption: reports concern serious unsafety at home",
    )
    report_per_year: float = p(
        1.0,
        "chance per year of a report at severity 1 (linear from 0 at the threshold)",
        0,
        5,
        "set so that reports about children come near the CBS figure: Veilig Thuis received "
        "about 120,000-130,000 reports a year in 2022-2024 (CBS, half-year figures), about half "
        "about children, i.e. about 18 per 1,000 under-18s a year",
    )
    max_age: float = p(18.0, "years: child protection ends at majority", 12, 23, "Civil Code")
    investigation_weeks: int = p(
        10,
        "weeks from a report to Veilig Thuis's decision (safety assessment and investigation)",
        0,
        52,
        "assumption: Veilig Thuis's working norm of 10 weeks for an investigation",
    )
    report_eur: float = p(
        2500.0,
        "EUR per report investigated by Veilig Thuis (booked to youth)",
        0,
        50000,
        "assumption: Veilig Thuis organisations' budgets divided by their reports and "
        "advices; part is Wmo money, all booked to youth here",
    )
    voluntary_help_share: float = p(
        0.5,
        "share of the investigated reports without a court order that are referred to "
        "voluntary youth care (the rest: no further action or help already under way)",
        0,
        1,
        "assumption",
    )
    court_order_share: float = p(
        0.18,
        "share of the investigated reports that lead, via the Council for Child Protection, "
        "to a court-ordered supervision (OTS)",
        0,
        1,
        "set so that orders come near the CBS figure: about 7,900 OTS started in 2022 (6,500 "
        "plus 1,370 provisional), about 2.3 a year per 1,000 under-18s (measured on mid_city "
        "20,000: the reduction for children in youth care halves the share actually reached)",
    )
    court_order_reduction_in_care: float = p(
        0.5,
        "relative reduction of that share for a child already in youth care",
        0,
        1,
        "assumption: help under way is a reason for the Council to advise against a measure",
    )
    supervision_years: float = p(
        2.5,
        "mean duration of a supervision order (exponential, ends at majority)",
        0.1,
        18,
        "CBS: 19,390 OTS at the end of 2022 against 6,500-7,900 started a year: about 2.5 years",
    )
    supervision_eur_per_year: float = p(
        12000.0,
        "EUR per supervision per year paid to the certified institution (booked to youth)",
        0,
        100000,
        "assumption: regional tariffs of certified institutions, about EUR 1,000 a month per "
        "measure",
    )
    placement_per_year: float = p(
        0.2,
        "chance per year that a child under supervision is placed out of home by court order "
        "(machtiging uithuisplaatsing)",
        0,
        5,
        "assumption: about a third to half of the children under supervision live out of home "
        "at some time",
    )


__all__ = ["INCOME_GROUPS", "IncomeSupportParams", "YouthProtectionParams"]
