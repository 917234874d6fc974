"""The CIZ (issue 26, point 5): a Wlz admission waits for the CIZ's decision, which costs."""

from __future__ import annotations

import numpy as np

from sim import compose
from sim.model import SocialDomainModel
from sim.population import DOM, NONE, PROV
from sim.stages.ciz import NURSING_HOME

SETTING = ["municipality=small_town", "population=2000", "record_events=false", "seed=5"]


def _model(lead: float, years: int = 1) -> SocialDomainModel:
    return SocialDomainModel(
        compose(
            [*SETTING, "burn_in_years=0", f"years={years}", f"behaviour.ciz_lead_time_weeks={lead}"]
        )
    )


def _applicants(m: SocialDomainModel, k: int = 40) -> np.ndarray:
    """Frail adults outside the Wlz route: in no Wlz care and on no Wlz list."""
    pop = m.pop
    wlz = [PROV[q] for q in ("wlz_at_home", "nursing_home", "residential_id")]
    free = ~pop.in_care[wlz].any(axis=0) & (pop.waiting_since[wlz] == NONE).all(axis=0)
    frail = pop.severity[DOM["frailty"]] > 0
    return np.flatnonzero(free & frail & (pop.age >= 70))[:k]


def test_a_wlz_admission_waits_for_the_ciz_decision():
    """Applicants are on no Wlz list until the CIZ decides; with a mean lead time of 8 weeks
    most still wait after 2 weeks, all are decided within a year, and the mean wait is
    near 8 weeks; each decision is booked to the Wlz."""
    m = _model(8.0)
    idx = _applicants(m)
    m.ciz.apply(m, idx, NURSING_HOME)
    nh = PROV["nursing_home"]
    m.step()
    assert not (m.pop.waiting_since[nh][idx] != NONE).any()  # not decided in the same week
    m.step()
    assert m.ciz.pending(idx).mean() > 0.6
    decided_week = np.full(idx.size, -1)
    for _ in range(60):
        m.step()
        newly = (decided_week < 0) & ~m.ciz.pending(idx)
        decided_week[newly] = m.week
    alive = m.pop.person_id[idx] == m.ciz.person_id[idx]
    assert (decided_week[alive] > 0).all()
    assert 5.0 < decided_week[alive].mean() < 12.0
    ledger = m.ledger.to_frame()
    assert ledger.loc[ledger["item"] == "ciz_decision", "eur"].sum() > 0


def test_a_shorter_ciz_lead_time_admits_sooner():
    """With a one-week lead time the same applicants are decided the week after applying."""
    m = _model(1.0)
    idx = _applicants(m)
    m.ciz.apply(m, idx, NURSING_HOME)
    m.step()
    m.step()
    assert not m.ciz.pending(idx).any()
    wlz = [PROV[q] for q in ("wlz_at_home", "nursing_home")]
    pop = m.pop
    in_route = pop.in_care[wlz][:, idx].any(axis=0) | (pop.waiting_since[wlz][:, idx] != NONE).any(
        axis=0
    )
    alive = pop.person_id[idx] == m.ciz.person_id[idx]
    assert in_route[alive].all()
