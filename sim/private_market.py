"""The private market for household help: a household with means compares what the Wmo's
household help costs it (the own contribution of the fee schedule, plus the intake's effort)
with a private cleaner's price, and turns to the market when that is cheaper, to the Wmo
when the Wmo is. The fee schedule therefore moves who asks the Wmo, by income group."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.designs.levers import own_contribution_by_income_group, week_memo
from sim.population import PROV

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


def private_choice_by_income_group(model: SocialDomainModel) -> np.ndarray:
    """Probability per income group (low, middle, high) that a household whose problem
    household help serves buys help privately instead of asking the Wmo: a logistic choice
    on (Wmo cost - private cost) per week with spread `private_help_choice_scale_eur_per_week`,
    only where the private price per week is at most `private_help_max_income_share` of the
    group's weekly income (0 elsewhere). Wmo cost: the group's own contribution per week plus
    the design's intake hours at `private_help_time_value_eur_per_hour`, spread over
    `private_help_effort_weeks`. Private cost: household help's hours per week at
    `private_help_price_eur_per_hour`. Read-only (shared within the week)."""
    return week_memo(model, "private_choice_by_income_group", lambda: _private_choice(model))


def _private_choice(model: SocialDomainModel) -> np.ndarray:
    b = model.cfg.behaviour
    hours = model.providers[PROV["household_help"]].params.units_per_week
    private = hours * b.private_help_price_eur_per_hour
    effort = (
        model.current_design.p.intake_hours
        * b.private_help_time_value_eur_per_hour
        / max(b.private_help_effort_weeks, 1.0)
    )
    wmo = own_contribution_by_income_group(model) + effort
    income = np.asarray(b.income_eur_per_year, dtype=float) / 52.0
    afford = private <= b.private_help_max_income_share * income
    scale = b.private_help_choice_scale_eur_per_week
    if scale > 0:
        prefer = 1.0 / (1.0 + np.exp(-(wmo - private) / scale))
    else:
        prefer = (wmo > private).astype(float)
    choice = np.where(afford, prefer, 0.0)
    choice.flags.writeable = False
    return choice


def wmo_share(model: SocialDomainModel, idx: np.ndarray) -> np.ndarray:
    """Each of `idx`'s probability of turning to the Wmo rather than the market (1 unless
    their largest unhelped problem is one household help serves)."""

    def make() -> np.ndarray:
        served = np.zeros(model.pop.severity.shape[0], dtype=bool)
        served[model.providers[PROV["household_help"]].domains] = True
        served.flags.writeable = False
        return served

    served = week_memo(model, "household_help_domains", make)
    private = private_choice_by_income_group(model)[model.pop.income[idx]]
    return np.where(served[model.access.unhelped_domain[idx]], 1.0 - private, 1.0)


def household_help_users_by_income(model: SocialDomainModel) -> dict[str, float]:
    """Household help's users in the year so far per income group (low, middle, high)."""
    used = model.pop.used_this_year[PROV["household_help"]]
    counts = np.bincount(model.pop.income[used], minlength=3)
    return {
        f"users__household_help__income_{g}": float(k)
        for g, k in zip(("low", "middle", "high"), counts, strict=True)
    }
