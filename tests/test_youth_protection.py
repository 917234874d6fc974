"""The youth protection chain (docs/ODD.md 7.22): a court-ordered placement follows a report
to Veilig Thuis, its investigation and a supervision order; the costs are youth's."""

from __future__ import annotations

import numpy as np

from sim import SocialDomainModel, compose
from sim.population import NONE, PROV

FAST_CHAIN = [
    "municipality=mid_city",
    "population=3000",
    "years=1",
    "burn_in_years=0",
    "record_events=false",
    "progress=false",
    "behaviour.youth_protection.report_per_year=5",
    "behaviour.youth_protection.court_order_share=1",
    "behaviour.youth_protection.placement_per_year=5",
]


def test_a_court_ordered_placement_follows_a_report_and_a_supervision_order():
    m = SocialDomainModel(compose(FAST_CHAIN), seed=4)
    yp, q = m.youth_protection, m.cfg.behaviour.youth_protection
    reported_at: dict[int, int] = {}
    placements = 0
    yr = PROV["youth_residential"]
    for _ in range(40):
        placed_before = yp.placed.copy()
        m.step()
        week = m.week - 1
        for i in np.flatnonzero(yp.reported_week == week):
            reported_at.setdefault(int(m.pop.person_id[i]), week)
        new = np.flatnonzero(yp.placed & ~placed_before)
        for i in new:
            pid = int(m.pop.person_id[i])
            assert pid in reported_at, "placed without a report"
            assert reported_at[pid] <= week - q.investigation_weeks, (
                "placed before the investigation"
            )
            assert yp.supervised_until[i] != NONE, "placed without a supervision order"
            assert m.pop.in_care[yr][i] or m.pop.waiting_since[yr][i] != NONE
        placements += new.size
    assert placements > 0
    items = set(m.ledger.to_frame().query("financier == 'youth'")["item"])
    assert {"veilig_thuis_investigation", "supervision_certified_institution"} <= items


def test_no_report_no_supervision():
    m = SocialDomainModel(
        compose([*FAST_CHAIN, "behaviour.youth_protection.report_per_year=0"]), seed=4
    )
    for _ in range(20):
        m.step()
    assert (m.youth_protection.supervised_until == NONE).all()
    assert not m.youth_protection.placed.any()
