"""A chain in a plausible steady state, and each design's defining route working (issue 9).

Each test here failed on the model before the steady-chain change: problems that never end
by themselves, sequential referral draws, re-indications of people no longer in care, a Wlz
route that let people on a Wlz waiting list escalate again and kept them from a nursing
home, and early signalling whose signals never reached a case holder."""

from __future__ import annotations

import numpy as np
import pytest

from sim import compose, run
from sim.age_profile import onset_by_age
from sim.model import SocialDomainModel
from sim.params import AGE_BAND_EDGES, DOMAINS
from sim.population import DOM, NO_END, NONE, PROV
from sim.rng import RandomStreams
from sim.stages.problems import start_episode

SMALL = ["municipality=small_town", "population=3000", "record_events=false"]


def _model(*overrides: str) -> SocialDomainModel:
    return SocialDomainModel(compose([*SMALL, *overrides]))


def test_a_persons_chance_does_not_depend_on_who_else_is_drawn():
    """Common random numbers inside a week: a person's uniform for a decision is the same
    whether 3 or 3,000 others are decided alongside (the designs have diverged by then),
    and differs between two decisions of the same stream."""
    draws = RandomStreams(7, 5000)
    draws.start_week(40)
    u = draws.person_uniform("referrals", "residential_youth")
    few, many = np.array([11, 250, 4000]), np.arange(5000)
    np.testing.assert_array_equal(u[few], u[many][few])
    other = draws.person_uniform("referrals", "debt_known")
    assert not np.array_equal(u[many], other[many])
    # two streams never share their numbers (they used to: every key came from the root)
    assert len(set(draws.key.values())) == len(draws.key)
    assert not np.array_equal(
        draws.person_uniform("requests")[many], draws.person_uniform("decisions")[many]
    )
    draws.start_week(41)
    assert not np.array_equal(u[many], draws.person_uniform("referrals", "residential_youth")[many])


@pytest.mark.parametrize("n", [5000, 4999])
def test_uniforms_below_a_bound_are_the_streams_own_numbers(n):
    """`uniform_below` gives exactly the people and uniforms of `uniform` below the bound
    (at bounds that fall between two representable uniforms, and at 0 and above 1), and
    leaves the stream where `uniform` leaves it (odd n: the plain draw)."""
    a, b = RandomStreams(3, n), RandomStreams(3, n)
    for bound in (0.0, 2.0**-24, 0.01, np.nextafter(np.float32(0.3), np.float32(1)), 1.0, 2.0):
        u = a.uniform("onset")
        idx, below = b.uniform_below("onset", np.float32(bound))
        np.testing.assert_array_equal(idx, np.flatnonzero(u < np.float32(bound)))
        np.testing.assert_array_equal(below.view(np.uint32), u[idx].view(np.uint32))
    np.testing.assert_array_equal(a.uniform("onset"), b.uniform("onset"))


@pytest.mark.parametrize("n", [5000, 4999])
def test_uniforms_at_some_slots_are_the_streams_own_numbers(n):
    """`uniform_at` gives exactly `uniform(stream)[idx]` (bit for bit) and leaves the stream
    where `uniform` leaves it (odd n: the plain draw)."""
    a, b = RandomStreams(5, n), RandomStreams(5, n)
    rng = np.random.default_rng(1)
    for idx in (np.arange(0), np.sort(rng.choice(n, 1700, replace=False)), np.arange(n)):
        u = a.uniform("contacts")
        np.testing.assert_array_equal(
            b.uniform_at("contacts", idx).view(np.uint32), u[idx].view(np.uint32)
        )
    np.testing.assert_array_equal(a.uniform("contacts"), b.uniform("contacts"))


def test_same_person_same_referral_chance_after_designs_diverged():
    """Two designs, same seed, 30 weeks in (their queues and care differ): the referral
    uniform of every person is identical in both."""
    a = _model("design=gatekeeping", "burn_in_years=0", "years=1")
    b = _model("design=yes_is_cheaper", "burn_in_years=0", "years=1")
    for _ in range(30):
        a.step()
        b.step()
    assert not np.array_equal(a.pop.in_care, b.pop.in_care)  # they have diverged
    everyone = np.arange(a.n)
    for decision in ("residential_youth", "wlz_stay_home", "debt_known", "youth_care"):
        np.testing.assert_array_equal(
            a.draws.person_uniform("referrals", decision)[everyone],
            b.draws.person_uniform("referrals", decision)[everyone],
        )
    for m in (a, b):
        m.remove_from_mesa_registry()


def test_episodes_end_by_themselves_after_their_mean_duration():
    """A non-chronic problem ends by itself after an exponential duration with the stated
    mean; a chronic one never gets an end week."""
    m = _model("burn_in_years=0", "years=1")
    idx = np.arange(m.n)
    mh, dem = DOM["mental_health"], DOM["dementia"]
    start_episode(m, mh, idx)
    weeks = (m.pop.end_week[mh, idx] - m.week).astype(float)
    expected = 52.0 * m.cfg.behaviour.duration_years["mental_health"]
    assert weeks.min() >= 1
    assert weeks.mean() == pytest.approx(expected, rel=0.08)
    start_episode(m, dem, idx)
    assert (m.pop.end_week[dem, idx] == NO_END).all()
    m.remove_from_mesa_registry()


def test_problem_prevalence_is_stationary_under_todays_practice():
    """Gatekeeping on a small town for 10 years after the default burn-in: each episodic
    problem's prevalence stays within 30% of its first year's level (before the
    steady-chain change, mental health problems accumulated to 2.5 times their start and
    unmet need rose about 6-fold); unmet need and the reviews of the last three years stay
    within 15% of the first three (with today's clients never reviewed and the team's
    staffing ringing, both rose 20-22% here; now about 7-9%, the town's ageing)."""
    m = SocialDomainModel(
        compose(["municipality=small_town", "population=8000", "record_events=false"])
    )
    first = last = None
    for w in range(m.horizon_weeks):
        m.step()
        if w == 51 or w == m.horizon_weeks - 1:
            prev = (m.pop.severity > 0).mean(axis=1)
            if first is None:
                first = prev
            else:
                last = prev
    for name in ("mental_health", "youth_family", "debt", "loneliness"):
        d = DOM[name]
        assert last[d] == pytest.approx(first[d], rel=0.3), name
    for key in ("unmet_need_persons", "reviews"):
        years = [y[key] for y in m.recorder.yearly]
        assert len(years) == 10
        assert np.mean(years[-3:]) == pytest.approx(np.mean(years[:3]), rel=0.15), key
    m.remove_from_mesa_registry()


def test_onset_rises_smoothly_with_age_within_bands():
    """Dementia onset rises within the 65-74 band and keeps rising after 85; a band with no
    onsets by definition (youth problems from 23) stays at zero."""
    c = compose([])
    rates = onset_by_age([c.behaviour.onset_per_year[d] for d in DOMAINS], AGE_BAND_EDGES)
    dem, youth = rates[DOMAINS.index("dementia")], rates[DOMAINS.index("youth_family")]
    assert dem[65] < dem[69] < dem[74] < dem[79] < dem[85] < dem[90] < dem[95]
    assert np.all(np.diff(dem[60:100]) > 0)
    assert (youth[23:] == 0).all() and youth[22] > 0


def test_no_review_for_people_no_longer_in_care():
    """A re-indication that falls due for someone whose care ended costs nothing and lapses;
    one for someone still in care is done (hours booked)."""
    m = _model("design=gatekeeping", "burn_in_years=0", "years=1")
    m.step()
    pop = m.pop
    hh = PROV["household_help"]
    in_care = np.flatnonzero(pop.in_care[hh])[:5]
    rows = m.access.municipal_rows
    idle = np.flatnonzero(
        ~(pop.in_care[rows] | (pop.waiting_since[rows] != NONE)).any(axis=0)
        & (pop.request_since == NONE)
    )[:5]
    pop.indicated_until[:] = NONE
    pop.indicated_until[np.concatenate([in_care, idle])] = m.week
    before = m.team.hours_used
    m.design.review(m)
    hours = m.cfg.design.reindication_hours
    assert m.team.hours_used - before == pytest.approx(in_care.size * hours)
    assert (pop.indicated_until[idle] == NONE).all()
    m.remove_from_mesa_registry()


def test_review_keeps_high_need_care_more_often_than_low_need():
    """Re-indication judges need: a client whose problem is still large keeps care more
    often than one whose problem has shrunk (it used to be a coin flip). Budget pressure is
    switched off: without a burn-in the start-up's spending overruns the budgets and the
    pressure (1.0) would cut every approval alike, which is another mechanism's test."""
    m = _model(
        "design=gatekeeping", "burn_in_years=0", "years=1", "design.budget_pressure_sensitivity=0"
    )
    m.step()
    pop = m.pop
    hh = PROV["household_help"]
    clients = np.flatnonzero(pop.in_care[hh])
    assert clients.size >= 40
    high, low = clients[: clients.size // 2], clients[clients.size // 2 :]
    doms = m.providers[hh].domains
    pop.severity[np.ix_(doms, high)] = 0.8
    pop.severity[np.ix_(doms, low)] = 0.2
    pop.indicated_until[:] = NONE
    pop.indicated_until[clients] = m.week
    m.design.review(m)
    assert pop.in_care[hh, high].mean() > pop.in_care[hh, low].mean() + 0.3
    m.remove_from_mesa_registry()


def test_todays_clients_are_reviewed_over_the_year_and_admitted_before_the_start():
    """The clients the start puts in care: municipal ones get their review spread over
    today's re-indication period (they used to be never reviewed, so the reviews, and the
    care they stop, grew for ten years as they were replaced), the others none; everyone's
    admission lies in the year before the model's first week (it used to lie before week
    0, eight burn-in years later, so care with a maximum length ran through the burn-in)."""
    # the state the start builds, before the burn-in runs
    m = SocialDomainModel(
        compose([*SMALL, "design=gatekeeping", "burn_in_years=2", "years=1", "seed=4"]),
        spin_up_only=True,
    )
    try:
        pop, first = m.pop, m.week
        assert first == -104
        municipal = [p.index for p in m.providers if p.municipal]
        in_municipal = pop.in_care[municipal].any(axis=0)
        due = pop.indicated_until[in_municipal]
        assert in_municipal.sum() > 300
        assert due.min() >= first + 1 and due.max() <= first + 52
        per_quarter = np.bincount((due - first - 1) // 13, minlength=4)
        assert per_quarter.min() > 0.15 * due.size  # spread, not all in one week
        others = pop.in_any_care & ~in_municipal
        assert others.any() and (pop.indicated_until[others] == NONE).all()
        since = pop.care_since[pop.in_care]
        assert since.min() >= first - 51 and since.max() <= first
    finally:
        m.remove_from_mesa_registry()


def test_wlz_indication_gives_access_and_is_not_given_twice():
    """An escalation to the Wlz puts the person, once the CIZ has decided, on the
    nursing-home list even below the home's own eligibility threshold (the indication is
    the eligibility), and someone on a Wlz waiting list does not escalate again."""
    m = _model(
        "design=gatekeeping",
        "burn_in_years=0",
        "years=1",
        "behaviour.nursing_home_stay_home_share=0",
        "behaviour.escalation_rate_per_week.nursing_home=1.0",
        "behaviour.frailty_admission_weight=1.0",  # the frailty set below is the need itself
        "behaviour.ciz_lead_time_weeks=1",
        "record_events=true",
    )
    pop = m.pop
    nh, home = PROV["nursing_home"], PROV["wlz_at_home"]
    elig = m.providers[nh].params.eligibility_threshold
    thr = m.cfg.behaviour.escalation_threshold["nursing_home"]
    assert thr < elig
    adults = np.flatnonzero((pop.age >= 40) & (pop.age < 80) & ~pop.in_care.any(axis=0))[:200]
    pop.severity[:, adults] = 0.0
    pop.severity[DOM["frailty"], adults] = np.float32(0.5 * (thr + elig) + 0.25 * (1 - elig))
    pop.severity[DOM["frailty"], adults] = min(elig - 0.01, 0.99)
    pop.waiting_since[home, adults[:100]] = m.week  # already waiting for Wlz care at home
    pop.rebuild_index()  # the arrays were written directly
    m.stages["escalation"].step(m)
    ev = m.recorder.events_frame()
    escalated = set(ev.loc[ev["event"] == 8, "person_id"])  # 8 = escalation
    ids = pop.person_id
    assert escalated.isdisjoint(ids[adults[:100]])
    fresh = adults[100:]
    hit = fresh[np.isin(ids[fresh], list(escalated))]
    assert hit.size > 10
    # the escalation is an application: on the list once the CIZ has decided (issue 26;
    # with a one-week lead time, the next week)
    assert m.ciz.pending(hit).all() and (pop.waiting_since[nh, hit] == NONE).all()
    m.week += 1
    m.draws.start_week(m.week)
    m.stages["ciz"].step(m)
    assert (pop.waiting_since[nh, hit] != NONE).all()
    m.remove_from_mesa_registry()


def test_early_signalling_cases_start_from_signals_and_hold_no_idle_slots():
    """Early signalling's defining route fires: most case-holder cases start from a signal,
    and case-holder slots are not held by people neither in nor waiting for municipal care
    (before: 107 of 175 slots on mid_city)."""
    r = run(compose([*SMALL, "design=early_signalling", "years=2", "burn_in_years=1"]))
    m = r.model
    years = m.recorder.yearly
    from_signal = sum(y.get("case_holder_from_signal", 0.0) for y in years)
    from_request = sum(y.get("case_holder_from_request", 0.0) for y in years)
    assert from_signal > 0.5 * (from_signal + from_request) > 0
    pop = m.pop
    rows = m.access.municipal_rows
    cases = np.flatnonzero(pop.case_holder)
    engaged = (pop.in_care[rows][:, cases] | (pop.waiting_since[rows][:, cases] != NONE)).any(
        axis=0
    )
    # cases whose care ended this very week, or whom the kitchen table referred to a general
    # provision this week (issue 25), close at the next assessment: a few at most
    assert engaged.mean() >= 0.8
    assert sum(y.get("reviews", 0.0) for y in years) > 0  # running cases get new decisions
