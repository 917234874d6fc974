"""Parameters of need met by any source: how informal care and general provisions
(algemene voorzieningen) meet need, the kitchen-table conversation (keukentafelgesprek),
formal care's price in people (crowding out, dependency) and substitution to lighter help.
Part of the behaviour schema (`sim.behaviour_params.BehaviourParams`); the mechanisms are in
`sim.need`, `sim.stages.general_provisions`, `sim.stages.person_dynamics` and
`sim.kitchen_table` (docs/ODD.md 7.17-7.20)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.schema import DOMAINS, PROVIDERS, p, table


@dataclass
class NeedBehaviour:
    """Need met by informal care and general provisions, the kitchen table, crowding out,
    dependency and substitution. Every effect can be switched off by a value of 0."""

    # ---- need met by a source (sim.need)
    need_met_per_informal_hour: float = p(
        0.02,
        "share of the person's largest problem not in formal care that one weekly hour of "
        "informal care meets (capped at need_met_informal_max)",
        0,
        0.2,
        "assumption: 20 hours a week (a heavy carer) meet about 40% of a serious need",
    )
    need_met_informal_max: float = p(
        0.5,
        "largest share of the need that informal care alone meets",
        0,
        1,
        "assumption: a carer cannot replace professional treatment",
    )
    formal_care_need_met_share: dict[str, float] = table(
        {
            "household_help": 0.5,
            "aids_and_transport": 0.5,
            "guidance": 0.6,
            "day_care": 0.5,
            "id_care": 0.6,
            "social_work": 0.4,
            "debt_counselling": 0.7,
            "youth_ambulant": 0.6,
            "youth_residential": 0.8,
            "mental_health_care": 0.6,
            "dementia_case_management": 0.5,
            "psychiatric_admission": 0.8,
            "wlz_at_home": 0.8,
            "nursing_home": 0.9,
            "residential_id": 0.9,
        },
        "share of a served problem's need that a kind of formal care meets at full dose "
        "(per kind of care; the best of a person's kinds that serve the problem counts)",
        0,
        1,
        "assumption: a provision serves part of a life domain (household help the household, "
        "not the mobility or loneliness of frailty); 24-hour care meets most, light "
        "help from social work least; no Dutch effect figures per kind were found",
        PROVIDERS,
    )
    formal_care_full_dose_weeks: float = p(
        8.0,
        "weeks in care after which a kind of care meets its full share; before that it meets "
        "the share times (weeks in care + 1) / these weeks (a start needs a plan, a "
        "relationship, the first visits); 0 = full share from the first week",
        0,
        104,
        "assumption: a few weeks of start-up (the provider's intake, a care plan, the first "
        "visits) before care works fully",
    )
    general_provision_need_met: dict[str, float] = table(
        {
            "frailty": 0.25,
            "dementia": 0.1,
            "mental_health": 0.25,
            "intellectual_disability": 0.1,
            "youth_family": 0.25,
            "debt": 0.35,
            "loneliness": 0.5,
        },
        "share of a problem's need a general provision meets for a user (per domain of the "
        "problem), while the provision has the volunteers for its users",
        0,
        1,
        "assumption: meeting places and groups help loneliness most, debt buddies and "
        "budget courses debt (Movisie effect studies); they do little for dementia",
        DOMAINS,
    )
    # ---- general provisions (sim.stages.general_provisions)
    general_provision_fit_max_severity: float = p(
        0.7,
        "severity 0-1 above which a general provision does not fit a problem (it meets no "
        "need; a referral there is a wrong referral)",
        0,
        1,
        "assumption: general provisions are for light and moderate problems (seed 003)",
    )
    volunteers_per_1000: float = p(
        15.0,
        "volunteers in welfare work per 1,000 inhabitants at the start (the target that "
        "recruitment restores)",
        0,
        100,
        "assumption: a third of the 4-5% of adults who volunteer in care and welfare "
        "(CBS/SCP vrijwilligerswerk)",
    )
    participants_per_volunteer: float = p(
        5.0, "users one volunteer can carry per week", 0.1, 50, "assumption"
    )
    volunteer_dropout_per_week: float = p(
        0.004,
        "share of volunteers who stop each week at a load of one (about 20% a year)",
        0,
        0.1,
        "assumption: volunteer turnover of a fifth a year (Movisie)",
    )
    volunteer_overload_dropout: float = p(
        0.5,
        "relative extra dropout per unit of load above one (users / what the volunteers "
        "carry): volunteers burn out",
        0,
        20,
        "assumption",
    )
    volunteer_recruitment_per_week: float = p(
        0.01,
        "share of the gap to the starting number of volunteers recruited each week",
        0,
        1,
        "assumption: recruitment closes a gap in about two years",
    )
    general_provision_eur_per_user_week: float = p(
        6.0,
        "EUR per user per week (paid welfare workers who coordinate the volunteers, rooms), "
        "paid from the welfare budget",
        0,
        200,
        "assumption: a community centre's budget of about 300 EUR per regular user a year",
    )
    general_provision_self_use_per_week: float = p(
        0.005,
        "weekly probability that someone with an unhelped problem above the asking "
        "threshold starts using a general provision without referral (times 0.5 + network)",
        0,
        1,
        "assumption: free walk-in",
    )
    general_provision_place_referral_prob: float = p(
        0.2,
        "probability that a care-finding place refers a detected problem that fits a "
        "general provision there",
        0,
        1,
        "assumption",
    )
    general_provision_stay_weeks: float = p(
        26.0,
        "mean weeks of use (geometric); use ends earlier when all problems are gone",
        1,
        520,
        "assumption: a group or meeting place for half a year",
    )
    general_provision_self_reliance_gain_per_week: float = p(
        0.002,
        "self-reliance gained per week of use (welfare work strengthens it)",
        0,
        0.05,
        "assumption",
    )
    general_provision_network_gain_per_week: float = p(
        0.002,
        "network strength gained per week of use (meeting places widen the network)",
        0,
        0.05,
        "assumption",
    )
    # ---- the kitchen-table conversation (sim.kitchen_table)
    kitchen_table_full_hours: float = p(
        8.0,
        "intake hours at which the conversation looks at the network, self-reliance, the "
        "carer and the general provisions for everyone (fewer hours: for that share)",
        0.1,
        100,
        "assumption: a full keukentafelgesprek takes a morning (seed 001)",
    )
    kitchen_table_resources_threshold: float = p(
        0.5,
        "own strength and network, (self-reliance + network x (1 - carer burden)) / 2, at "
        "or above which the network and a general provision can carry a fitting need",
        0,
        1,
        "assumption (seed 001: wat kan men nog zelf, wat kan de omgeving)",
    )
    kitchen_table_error_low_expertise: float = p(
        0.4,
        "probability of a wrong judgement of the fit at zero expertise (times 1 - "
        "assessor_expertise)",
        0,
        1,
        "assumption (seed 001: non-experts judge need less well)",
    )
    wrong_referral_severity: float = p(
        0.1,
        "severity 0-1 added to the problem of someone sent to a general provision that "
        "does not fit (the need grows)",
        0,
        1,
        "assumption",
    )
    wrong_referral_return_weeks: int = p(
        8,
        "weeks after a wrong referral when the person can ask again (the need comes back)",
        0,
        520,
        "assumption",
    )
    # ---- formal care's price in people (sim.stages.person_dynamics, informal_care)
    carer_crowding_out: float = p(
        0.15,
        "share of the informal carer's hours withdrawn, on top of the hours formal care "
        "replaces, while the person receives formal care (carers step back)",
        0,
        1,
        "assumption: crowding-out estimates of 0-30% (Bonsang 2009; Bolin et al. 2008)",
    )
    dependency_after_weeks: int = p(
        52,
        "weeks of formal care after which it lowers self-reliance and the network",
        0,
        1040,
        "assumption: long formal care",
    )
    dependency_self_reliance_per_week: float = p(
        0.0005,
        "self-reliance lost per week of long formal care (dependency)",
        0,
        0.05,
        "assumption",
    )
    network_erosion_formal_per_week: float = p(
        0.0005,
        "network strength lost per week of long formal care (the network steps back)",
        0,
        0.05,
        "assumption",
    )
    network_loss_carer_burnout: float = p(
        0.1,
        "network strength the cared-for person loses when the carer burns out",
        0,
        1,
        "assumption",
    )
    carer_support_network_gain_per_week: float = p(
        0.002,
        "network strength gained per week by a person whose carer is supported",
        0,
        0.05,
        "assumption",
    )
    person_recovery_per_week: float = p(
        0.01,
        "share of the gap to a person's own starting self-reliance and network closed each "
        "week (people return to their own level)",
        0,
        1,
        "assumption: a change halves in about 1.3 years",
    )
    # ---- substitution (sim.stages.general_provisions)
    substitution_after_weeks: int = p(
        26,
        "weeks of municipal care after which a stabilised case steps down to a general provision",
        0,
        1040,
        "assumption (seed 003: substitution to lighter care)",
    )
    substitution_severity: float = p(
        0.25,
        "severity 0-1 of the need municipal care serves below which a case counts as "
        "stabilised and steps down (0 = no substitution)",
        0,
        1,
        "assumption (seed 003)",
    )
