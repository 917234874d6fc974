"""Behaviour parameters of access (the same in every design): asking for help, the access
staff's price, choosing a contractor, prevention and the dose of help. Part of
`BehaviourParams` (sim.behaviour_params)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.schema import DOMAINS, p, table


@dataclass
class AccessBehaviour:
    """How people ask, what access staff cost, how contractors are chosen, what prevention
    and the dose of help do."""

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
