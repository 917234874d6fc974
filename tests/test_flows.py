"""Flows, not just stocks (sim/flows.py): starts, ends, entries and lead times per year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import compose, run
from sim.params import PROVIDERS
from sim.run import UNITS

SMALL = ["population=3000", "years=2", "burn_in_years=2", "seed=3"]
FLOW_OUTCOMES = [
    "wlz_entries_per_1000_inhabitants_per_year",
    "wlz_entries_from_wmo_per_1000_inhabitants_per_year",
    "wlz_entries_from_wmo_share_of_wmo_users_per_year",
    "nursing_home_admissions_per_1000_inhabitants_per_year",
    "request_to_decision_weeks_mean",
    "request_to_decision_over_8_weeks_share",
    "decision_to_care_weeks_mean",
    "decision_to_care_weeks_mean__household_help",
    "request_to_care_weeks_mean",
    "request_to_care_over_8_weeks_share",
    "wmo_starts_persons_per_1000_inhabitants_per_year",
    "wmo_ends_persons_per_1000_inhabitants_per_year",
    "wmo_ends_by_death_share",
    "youth_care_starts_per_1000_under_23_per_year",
    "youth_care_ends_per_1000_under_23_per_year",
    "youth_residential_starts_per_1000_under_23_per_year",
    "intake_queue_persons_per_1000_inhabitants",
    "waiting_list_persons_per_1000_inhabitants",
]


@pytest.fixture(scope="module", params=["gatekeeping", "early_signalling"])
def results(request):
    return run(compose([*SMALL, f"design={request.param}"]))


def _yearly(results) -> pd.DataFrame:
    return results.yearly.pivot(index="year", columns="outcome", values="value")


def test_flow_outcomes_have_units_and_are_non_negative(results):
    yearly = _yearly(results)
    for name in FLOW_OUTCOMES:
        assert name in UNITS, name
        assert (yearly[name] >= 0).all(), name
    for share in (
        "wlz_entries_from_wmo_share_of_wmo_users_per_year",
        "request_to_decision_over_8_weeks_share",
        "wmo_ends_by_death_share",
    ):
        assert (yearly[share] <= 1).all(), share
    # things happen: people enter Wlz care, start and end youth care, are decided on
    assert (yearly["wlz_entries_per_1000_inhabitants_per_year"] > 0).all()
    assert (yearly["youth_care_starts_per_1000_under_23_per_year"] > 0).all()
    assert (yearly["request_to_decision_weeks_mean"] > 0).all()


def test_wlz_entries_from_wmo_are_among_all_wlz_entries(results):
    raw = results.model.recorder.yearly_frame()
    assert (raw["wlz_entries_from_wmo"] <= raw["wlz_entries"]).all()
    assert (raw["wlz_entries"] <= raw[[f"starts__{p}" for p in ("wlz_at_home",
            "nursing_home", "residential_id")]].sum(axis=1)).all()  # fmt: skip
    assert (raw["deaths_80plus_in_nursing_home"] <= raw["deaths_80plus"]).all()


def test_starts_minus_ends_is_the_change_in_clients_per_provider(results):
    """Every admission is a start; every discharge and every death in care an end."""
    raw = results.model.recorder.yearly_frame()
    for p in PROVIDERS:
        change = raw[f"clients_at_end__{p}"] - raw[f"clients_at_start__{p}"]
        net = raw[f"starts__{p}"] - raw[f"ends__{p}"] - raw[f"deaths_in_care__{p}"]
        np.testing.assert_array_equal(net.to_numpy(), change.to_numpy(), err_msg=p)
    # the years chain: one year's end is the next year's start
    end = raw[[f"clients_at_end__{p}" for p in PROVIDERS]].to_numpy()[:-1]
    start = raw[[f"clients_at_start__{p}" for p in PROVIDERS]].to_numpy()[1:]
    np.testing.assert_array_equal(end, start)


def test_wmo_person_flows_are_bounded_by_provision_flows(results):
    raw = results.model.recorder.yearly_frame()
    wmo = ("household_help", "aids_and_transport", "guidance", "day_care", "id_care")
    starts = raw[[f"starts__{p}" for p in wmo]].sum(axis=1)
    ends = raw[[f"ends__{p}" for p in wmo] + [f"deaths_in_care__{p}" for p in wmo]].sum(axis=1)
    assert (raw["wmo_starts_persons"] <= starts).all()
    assert (raw["wmo_ends_persons"] <= ends).all()
    assert (raw["wmo_ends_by_death_persons"] <= raw["wmo_ends_persons"]).all()


def test_flows_do_not_depend_on_the_event_log():
    with_log = run(compose([*SMALL, "record_events=true"]))
    without = run(compose([*SMALL, "record_events=false"]))
    a, b = with_log.model.recorder.yearly_frame(), without.model.recorder.yearly_frame()
    pd.testing.assert_frame_equal(a, b)


def test_lead_time_is_counted_at_the_decision_from_the_request():
    """A request logged in week w and decided in week w + 6 gives a lead time of 6 weeks;
    a second decision without a new request is not counted again."""
    res = run(compose(["population=500", "years=1", "burn_in_years=0", "seed=1"]))
    model = res.model
    flows = model.recorder.flows
    flows.reset_year()
    flows.recording = True
    who = np.array([3, 7])
    model.week = 100
    model.recorder.log(who, "request")
    model.week = 106
    model.recorder.log(who[:1], "approved")
    model.recorder.log(who[1:], "refused")
    model.recorder.log(who, "refused")  # no new request: not counted
    assert flows.counts["decisions"] == 2
    assert flows.counts["request_to_decision_weeks_sum"] == 12
    assert flows.counts["decisions_over_legal_term"] == 0


def test_waiting_time_runs_from_the_request_to_the_first_care_after_the_grant():
    """Request in week 100, granted in week 106, first municipal care in week 111: 11 weeks
    (over the Wmo's 8); a second start is not counted again, a refused person's later start
    is not counted, and a new request forgets an earlier grant whose care never started."""
    res = run(compose(["population=500", "years=1", "burn_in_years=0", "seed=1"]))
    model = res.model
    flows = model.recorder.flows
    flows.reset_year()
    flows.recording = True
    guidance, social_work = PROVIDERS.index("guidance"), PROVIDERS.index("social_work")
    model.week = 100
    model.recorder.log(np.array([3, 7, 9]), "request")
    model.week = 106
    model.recorder.log(np.array([3, 9]), "approved")
    model.recorder.log(np.array([7]), "refused")
    model.week = 108
    model.recorder.log(np.array([9]), "request")  # asks again before care started
    model.week = 111
    model.recorder.log(np.array([3, 7, 9]), "admit", guidance)
    model.recorder.log(np.array([3]), "admit", social_work)  # already counted
    assert flows.counts["request_to_care_count"] == 1
    assert flows.counts["request_to_care_weeks_sum"] == 11
    assert flows.counts["request_to_care_over_legal_term"] == 1


def test_waiting_time_includes_intake_and_assessment(results):
    """Request to care is at least the lead time to the decision plus part of the list's:
    longer than the provider's waiting list alone (which starts at the decision)."""
    y = results.summary
    assert y["request_to_care_weeks_mean"] > y["decision_to_care_weeks_mean"]
    assert y["request_to_care_weeks_mean"] > y["waiting_weeks_mean"]
