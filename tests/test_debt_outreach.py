"""Debt signals and outreach (issue 26, point 6): the legal signal partners of the debt-help
law are care-finding places, and a signalled household may decline the offer of help."""

from __future__ import annotations

from sim import compose
from sim.model import SocialDomainModel

SETTING = ["municipality=small_town", "population=4000", "record_events=false", "seed=2"]


def _run(take_up: float) -> SocialDomainModel:
    m = SocialDomainModel(
        compose(
            [*SETTING, "burn_in_years=0", "years=1", f"behaviour.debt_outreach_take_up={take_up}"]
        )
    )
    for _ in range(m.horizon_weeks):
        m.step()
    m.remove_from_mesa_registry()
    return m


def test_signal_partners_signal_and_households_may_decline_outreach():
    """The energy and water companies and health insurers are care-finding places that
    signal; with take-up 0 every household contacted declines (no one joins debt counselling
    from outreach), with take-up 1 every one accepts; the outreach is paid either way."""
    names = {pl.name for pl in _run(0.4).places if pl.params.signal_partner}
    assert {"energy_company", "water_company", "health_insurer", "housing_corporation"} <= names
    none, all_ = _run(0.0), _run(1.0)
    y0, y1 = none.recorder.yearly_frame().iloc[0], all_.recorder.yearly_frame().iloc[0]
    assert y0["debt_outreach_contacts"] > 10 and y1["debt_outreach_contacts"] > 10
    assert y0["debt_outreach_accepted"] == 0
    assert y1["debt_outreach_accepted"] == y1["debt_outreach_contacts"]
    for m in (none, all_):
        ledger = m.ledger.to_frame()
        assert ledger.loc[ledger["item"] == "debt_outreach", "eur"].sum() > 0
    # accepting households fill debt counselling: more users than where all decline
    assert y1["users__debt_counselling"] > y0["users__debt_counselling"]
