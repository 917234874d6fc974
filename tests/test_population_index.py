"""The maintained sets of the population (who is on a waiting list, who is in care, and
their cached slots) stay in step with the arrays they mirror, after every stage of every
design's week."""

from __future__ import annotations

import numpy as np
import pytest

from sim import compose
from sim.model import SocialDomainModel
from sim.population import NONE, PROV


def _model(design: str) -> SocialDomainModel:
    cfg = compose(
        [
            "municipality=small_town",
            "population=3000",
            "years=1",
            "burn_in_years=1",
            f"design={design}",
            "record_events=false",
            "progress=false",
            "seed=3",
        ]
    )
    return SocialDomainModel(cfg)


@pytest.mark.parametrize("design", ["gatekeeping", "early_signalling", "yes_is_cheaper"])
def test_maintained_sets_match_the_arrays_after_every_stage(design: str) -> None:
    m = _model(design)
    pop = m.pop
    try:
        assert pop.index_mismatches() == []
        changed = 0
        for _ in range(8):
            m.recording = True
            m.draws.start_week(m.week)
            m.ledger.new_week()
            m.recorder.new_week(True)
            for stage in m.plan:
                before = (pop.waiting.copy(), pop.in_care.copy())
                for which in ("lists", "care", "engaged"):
                    pop.slots(which)  # fill the cache, so a missed invalidation shows
                stage.step(m)
                assert pop.index_mismatches() == [], f"after {stage.name}, week {m.week}"
                changed += int(
                    not np.array_equal(before[0], pop.waiting)
                    or not np.array_equal(before[1], pop.in_care)
                )
            m.week += 1
        assert changed > 8  # the weeks did change lists and care (the check was exercised)
    finally:
        m.remove_from_mesa_registry()


def test_a_direct_write_is_caught_until_the_index_is_rebuilt() -> None:
    m = _model("gatekeeping")
    pop = m.pop
    try:
        p = PROV["household_help"]
        free = np.flatnonzero(pop.waiting_since[p] == NONE)[:5]
        pop.slots("lists")
        pop.waiting_since[p, free] = m.week  # bypasses put_on_list
        assert {"waiting", "on_any_list", "wait_bits", "slots:lists"} <= set(pop.index_mismatches())
        pop.rebuild_index()
        assert pop.index_mismatches() == []
        pop.take_off_list(p, free)
        pop.in_care[p, free[:2]] = True  # bypasses start_care
        assert pop.index_mismatches() == ["in_any_care", "care_bits"]
        pop.in_care[p, free[:2]] = False
        pop.start_care(p, free[:2])
        pop.end_care(p, free[:1])
        assert pop.index_mismatches() == []
        assert np.array_equal(pop.slots("care"), np.flatnonzero(pop.in_care.any(axis=0)))
        # a problem that begins without `problem_started`, a carer linked by hand
        d = 2
        healthy = np.flatnonzero(pop.severity[d] == 0)[:3]
        pop.severity[d, healthy] = 0.4
        assert pop.index_mismatches() == [f"problems:{d}"]
        pop.problem_started(d, healthy)
        assert pop.index_mismatches() == []
        a, b = np.flatnonzero((pop.carer == NONE) & (pop.caring_for == NONE))[:2]
        pop.carer[a] = b
        assert "cared_for" in pop.index_mismatches()
        pop.carer[a] = NONE
        pop.carers_linked(np.array([a]), np.array([b]))
        assert pop.index_mismatches() == []
    finally:
        m.remove_from_mesa_registry()


@pytest.mark.parametrize("by_table", [True, False])
def test_care_pairs_are_exactly_each_persons_care(
    by_table: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """care_pairs gives every (person, provider) in care once, each person at most once per
    round, and at_pairs reads a (P, N) column there (also with a round per kind)."""
    import sim.population as population

    if not by_table:
        monkeypatch.setattr(population, "LOWEST_BIT_ROW", None)
    m = _model("gatekeeping")
    pop = m.pop
    try:
        idx = np.concatenate([pop.slots("care")[::2], np.arange(0, pop.n, 97)])  # not all in care
        rounds = pop.care_pairs(idx)
        got = set()
        for pos, row in rounds:
            assert np.unique(pos).size == pos.size
            got |= set(zip(idx[pos].tolist(), row.tolist(), strict=True))
            assert np.array_equal(
                pop.at_pairs(pop.care_since, idx, pos, row), pop.care_since[row, idx[pos]]
            )
        rows, people = pop.in_care[:, idx].nonzero()
        assert got == set(zip(idx[people].tolist(), rows.tolist(), strict=True))
        assert len(got) > 100
        # the earliest start over all providers, and over some rows only
        top = np.iinfo(np.int32).max
        for only in (None, np.arange(pop.in_care.shape[0]) % 2 == 0):
            keep = pop.in_care[:, idx] if only is None else pop.in_care[:, idx] & only[:, None]
            dense = np.where(keep, pop.care_since[:, idx], top).min(axis=0)
            assert np.array_equal(pop.first_care_week(idx, only), dense)
    finally:
        m.remove_from_mesa_registry()
