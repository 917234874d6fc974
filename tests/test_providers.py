"""Several contractors per kind: who chooses (per design), over-delivery, audits that recover."""

from __future__ import annotations

import numpy as np
import pytest

from sim import compose, run
from sim.config import ConfigError
from sim.designs.early_signalling import EarlySignalling
from sim.designs.gatekeeping import Gatekeeping
from sim.designs.yes_is_cheaper import YesIsCheaper
from sim.ledger import Ledger
from sim.model import SocialDomainModel
from sim.population import DOM, NONE, PROV

TINY = ["population=3000", "years=1", "burn_in_years=0"]


def _model(*extra: str) -> SocialDomainModel:
    return SocialDomainModel(compose([*TINY, *extra]))


def test_each_kind_with_contractors_is_split_over_contractor_agents():
    m = _model()
    try:
        for name in ("household_help", "guidance", "youth_ambulant"):
            prov = m.providers[PROV[name]]
            assert len(prov.contractors) >= 2
            assert prov.capacity == sum(c.capacity for c in prov.contractors)
            # today's clients are each with one of the kind's contractors
            clients = np.flatnonzero(m.pop.in_care[prov.index])
            assert clients.size and (m.pop.contractor[prov.row, clients] >= 0).all()
        assert not m.providers[PROV["nursing_home"]].contractors
    finally:
        m.remove_from_mesa_registry()


def test_client_choice_follows_waiting_time_and_reputation():
    """yes_is_cheaper: clients go to the best reputation, and away from a long wait."""
    m = _model("design=yes_is_cheaper", "behaviour.reputation_noise_sd=0")
    try:
        prov = m.providers[PROV["household_help"]]
        design = m.design
        assert isinstance(design, YesIsCheaper)
        people = np.arange(200)
        best = max(prov.contractors, key=lambda c: c.reputation)
        for c in prov.contractors:
            c.admit_rate = 1.0
        m.pop.waiting_since[prov.index] = NONE
        m.pop.rebuild_index()  # the arrays were written directly
        chosen = design.choose_contractor(m, prov, people)
        assert (chosen == best.slot).all()
        # a long waiting list at the best-reputed contractor sends clients elsewhere
        queue = np.arange(1000, 1000 + 40)
        m.pop.waiting_since[prov.index, queue] = 0
        m.pop.contractor[prov.row, queue] = best.slot
        m.pop.rebuild_index()
        chosen = design.choose_contractor(m, prov, people)
        assert not (chosen == best.slot).any()
        # with a noisy reputation the choice spreads, but the best-reputed still leads
        m.cfg.behaviour.reputation_noise_sd = 0.3
        m.pop.waiting_since[prov.index] = NONE
        m.pop.rebuild_index()
        chosen = design.choose_contractor(m, prov, np.arange(3000))
        counts = np.bincount(chosen, minlength=len(prov.contractors))
        assert (counts > 0).sum() >= 2 and counts.argmax() == best.slot
    finally:
        m.remove_from_mesa_registry()


def test_gatekeeping_assigns_by_contract_shares():
    m = _model("design=gatekeeping")
    try:
        prov = m.providers[PROV["youth_ambulant"]]
        assert isinstance(m.design, Gatekeeping)
        chosen = m.design.choose_contractor(m, prov, np.arange(m.n))
        shares = np.bincount(chosen, minlength=len(prov.contractors)) / m.n
        contract = [c.params.contract_share for c in prov.contractors]
        np.testing.assert_allclose(shares, contract, atol=0.03)
        # the same person gets the same contractor in the same week (keyed draw)
        again = m.design.choose_contractor(m, prov, np.arange(m.n)[::-1])[::-1]
        np.testing.assert_array_equal(chosen, again)
    finally:
        m.remove_from_mesa_registry()


def test_matching_picks_the_higher_effect_and_costs_case_holder_time():
    m = _model("design=early_signalling")
    try:
        prov = m.providers[PROV["guidance"]]
        assert isinstance(m.design, EarlySignalling)
        people = np.arange(100)
        d = DOM["mental_health"]
        m.pop.severity[d, people[:50]] = 0.9  # severe: the specialist works better
        m.pop.severity[d, people[50:]] = 0.1  # mild: the generalist works better
        chosen = m.design.choose_contractor(m, prov, people)
        effects = prov.expected_effects(people)
        np.testing.assert_array_equal(effects[chosen, people], effects.max(axis=0))
        assert len(set(chosen[:50])) == 1 and len(set(chosen[50:])) == 1
        assert chosen[0] != chosen[-1]
        # matching is not free: the case holder's hours are booked
        m.ledger = Ledger()
        m.design.assign_contractor(m, prov, people)
        led = m.ledger.to_frame()
        hours = m.design.p.contractor_choice_hours
        assert hours > 0
        assert led["eur"].sum() == pytest.approx(100 * hours * m.cfg.behaviour.consultant_hour_eur)
    finally:
        m.remove_from_mesa_registry()


def test_ledger_books_recoveries_negative_and_nothing_else():
    led = Ledger()
    led.book(0, "wmo", "recovery", "recovery_x", -10.0)
    with pytest.raises(ValueError, match="recovery must be negative"):
        led.book(0, "wmo", "recovery", "recovery_x", 5.0)
    with pytest.raises(ValueError, match="must be positive"):
        led.book(0, "wmo", "care", "household_help", -5.0)
    assert led.total() == -10.0


AUDIT = ["population=2000", "years=1", "burn_in_years=0", "design=yes_is_cheaper"]


def _recoveries(r) -> float:
    led = r.ledger
    return float(led.loc[led["category"] == "recovery", "eur"].sum())


def test_audits_book_recoveries_only_when_over_delivery_exists():
    audited = run(compose([*AUDIT, "design.audit_share_per_year=0.5"]))
    led = audited.ledger
    rec = led[led["category"] == "recovery"]
    assert len(rec) > 0 and (rec["eur"] < 0).all()
    assert rec["item"].str.startswith("recovery_").all()
    assert audited.summary["audit_detections_per_1000_inhabitants_per_year"] > 0
    # totals are still sums of the ledger, recoveries included
    n = audited.meta["population"]
    assert audited.summary["total_chain_cost_eur_per_inhabitant_per_year"] == pytest.approx(
        led["eur"].sum() / n
    )
    assert audited.summary["cost_by_category__recovery_eur_per_inhabitant_per_year"] < 0
    # audits without over-delivery (a lump sum pays no extra unit) recover nothing
    honest = run(compose([*AUDIT, "design.audit_share_per_year=0.5", "design.contract_model=task"]))
    assert honest.summary["audits_per_1000_inhabitants_per_year"] > 0
    assert _recoveries(honest) == 0.0
    # no audits: no recoveries, no audit hours, though over-delivery goes on
    none = run(compose([*AUDIT, "design.audit_share_per_year=0"]))
    assert _recoveries(none) == 0.0
    assert none.summary["audits_per_1000_inhabitants_per_year"] == 0
    assert none.summary["over_delivery_eur_per_inhabitant_per_year"] > 0
    assert not (none.ledger["item"] == "audits").any()


def test_more_audits_less_over_delivery_over_time():
    """Deterrence through detection: audited contractors lower their tendency."""
    base = ["population=2000", "years=3", "burn_in_years=0", "design=yes_is_cheaper"]
    base.append("design.levers.earned_trust=false")  # trust's own growth is tested apart
    runs = {a: run(compose([*base, f"design.audit_share_per_year={a}"])) for a in (0.0, 0.5)}

    def over(r, year: int) -> float:
        y = r.yearly
        row = y[(y["outcome"] == "over_delivery_eur_per_inhabitant_per_year") & (y["year"] == year)]
        return float(row["value"].iloc[0])

    assert over(runs[0.5], 3) < 0.8 * over(runs[0.0], 3)
    # the audited run's over-delivery falls from year 1 to year 3 relative to the unaudited
    assert over(runs[0.5], 3) / over(runs[0.5], 1) < over(runs[0.0], 3) / over(runs[0.0], 1)
    tendency = {
        a: [c.tendency for c in r.model.contractors if c.params.over_delivery_tendency > 0]
        for a, r in runs.items()
    }
    # no audits, no detections: tendencies stay; with audits they only fall (small
    # contractors may escape detection)
    assert tendency[0.0] == [
        c.params.over_delivery_tendency
        for c in runs[0.0].model.contractors
        if c.params.over_delivery_tendency > 0
    ]
    assert all(t1 <= t0 for t0, t1 in zip(tendency[0.0], tendency[0.5], strict=True))
    assert sum(tendency[0.5]) < 0.8 * sum(tendency[0.0])


def test_contractor_shares_must_sum_to_one():
    with pytest.raises(ConfigError, match="capacity_shares of guidance sum to"):
        compose([*TINY, "behaviour.contractors.guidance_general.capacity_share=0.9"])
    with pytest.raises(ConfigError, match="kind=nursing_home"):
        compose([*TINY, "behaviour.contractors.guidance_general.kind=nursing_home"])


def test_a_contractors_effect_multiplier_changes_what_care_does():
    """The same client, once with each of two contractors (two identical models, so the
    client meets the same chances in both): after a week of care the problem is smaller
    with the contractor whose effect multiplier is higher."""
    after = []
    for first in (0, 1):
        m = _model("design=gatekeeping")
        try:
            prov = m.providers[PROV["guidance"]]
            pop, d = m.pop, DOM["mental_health"]
            pair = np.flatnonzero(pop.in_care[prov.index])[:2]
            pop.severity[d, pair] = 0.9
            pop.contractor[prov.row, pair] = [first, 1 - first]
            effect = prov.effect_multiplier(pair)
            m.stages["problems.effects_of_care"].step(m)
            after.append((effect.copy(), pop.severity[d, pair].copy()))
        finally:
            m.remove_from_mesa_registry()
    (effect_a, sev_a), (effect_b, sev_b) = after
    assert (effect_a != effect_b).all()
    for i in range(2):  # each client: the higher multiplier leaves the smaller problem
        better_in_a = effect_a[i] > effect_b[i]
        assert (sev_a[i] < sev_b[i]) == better_in_a, i
