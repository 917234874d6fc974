"""The design and lever registry: one declaration per design or lever, every list derived
from it, and a design added from a test file alone."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from omegaconf import MISSING

from sim import ConfigError, compose, run
from sim.designs import design_entry, design_names, lever_entries
from sim.designs.gatekeeping import Gatekeeping
from sim.designs.registry import (
    DesignEntry,
    RegistryError,
    register_design,
    unregister_design,
)
from sim.params import DesignParams, p

SMALL = [
    "municipality=small_town",
    "population=1500",
    "years=1",
    "burn_in_years=1",
    "record_events=false",
    "progress=false",
]


@dataclass
class ToyParams(DesignParams):
    """A toy design's own parameter."""

    refuse_share: float = p(MISSING, "probability", 0, 1, "test")


class Toy(Gatekeeping):
    """Gatekeeping that refuses a stated share of everything it would grant."""

    name = "toy_design"
    p: ToyParams

    def approval_probability(self, model, idx, need=None):  # type: ignore[no-untyped-def]
        base = super().approval_probability(model, idx, need)
        return base * (1.0 - self.p.refuse_share)


def toy_values(refuse_share: float) -> dict:
    values = dict(compose(["design=gatekeeping"]).design.__dict__)
    values.pop("levers")
    values.pop("name")
    return {**values, "refuse_share": refuse_share}


def declare_toy(values: dict) -> DesignEntry:
    """Declare the toy design with `values` (again, if it was)."""
    return register_design(
        DesignEntry(
            name="toy_design",
            cls=Toy,
            params=ToyParams,
            label={"nl": "Speelgoed", "en": "Toy"},
            description={"nl": "Een testontwerp.", "en": "A test design."},
            colour="#56B4E9",
            values=values,
            order=99,
        ),
        replace=True,
    )


@pytest.fixture
def toy():
    yield declare_toy(toy_values(0.5))
    unregister_design("toy_design")


def test_a_design_declared_in_a_test_file_runs_and_is_listed(toy):
    assert "toy_design" in design_names()
    cfg = compose([*SMALL, "design=toy_design"])
    assert type(cfg.design) is ToyParams and cfg.design.refuse_share == 0.5
    toy_run = run(cfg).summary
    base = run(compose([*SMALL, "design=gatekeeping"])).summary
    # refusing half of the grants leaves more need unmet than today's practice
    key = "unmet_need_person_weeks_per_1000_inhabitants_per_year"
    assert toy_run[key] > base[key]
    # its own parameter can be overridden, and the other designs do not have it
    assert compose([*SMALL, "design=toy_design", "design.refuse_share=0.1"]).design.refuse_share
    with pytest.raises(ConfigError, match="a parameter of toy_design, not of design gatekeeping"):
        compose([*SMALL, "design=gatekeeping", "design.refuse_share=0.1"])


def test_each_design_has_only_its_own_parameters():
    gk = compose(["design=gatekeeping"]).design
    es = compose(["design=early_signalling"]).design
    assert not hasattr(gk, "signal_referral_prob") and hasattr(es, "signal_referral_prob")
    assert not hasattr(gk, "grant_probability")
    with pytest.raises(ConfigError, match="a parameter of yes_is_cheaper"):
        compose(["design=gatekeeping", "design.grant_probability=0.5"])


def test_a_missing_text_or_bad_colour_is_an_error_at_declaration():
    with pytest.raises(RegistryError, match="label missing in en"):
        DesignEntry(
            name="no_text",
            cls=Toy,
            params=ToyParams,
            label={"nl": "Zonder"},
            description={"nl": "x", "en": "x"},
            colour="#000000",
            values={},
        )
    with pytest.raises(RegistryError, match="colour"):
        DesignEntry(
            name="bad_colour",
            cls=Toy,
            params=ToyParams,
            label={"nl": "a", "en": "a"},
            description={"nl": "x", "en": "x"},
            colour="blue",
            values={},
        )


def test_a_design_without_a_value_for_a_parameter_stops_with_one_line(toy):
    declare_toy({k: v for k, v in toy_values(0.5).items() if k != "refuse_share"})
    with pytest.raises(ConfigError, match=r"design\.refuse_share: no value"):
        compose(["design=toy_design"])


def test_every_lever_has_texts_values_and_a_field():
    names = {e.name for e in lever_entries()}
    assert names == {
        "chain_care",
        "integrated_financing",
        "own_contribution",
        "prevention",
        "carer_support",
        "earned_trust",
    }
    for e in lever_entries():
        assert e.label["nl"] and e.label["en"] and e.switch in e.fields
    with pytest.raises(
        ConfigError, match=r"design\.levers\.own_contribution=weekly: allowed: flat"
    ):
        compose(["design.levers.own_contribution=weekly"])


def test_independent_advice_books_the_municipal_decision_and_overrules_under_pressure():
    cfg = compose([*SMALL, "design=independent_advice"])
    model = run(cfg).model
    ledger = model.ledger.to_frame()
    decided = ledger[ledger["item"] == "municipal_decision_on_advice"]
    assert decided["eur"].sum() > 0 and set(decided["category"]) == {"administration"}
    design = model.design
    idx = np.arange(200)
    need = np.full(idx.size, 0.8)
    model.municipality.pressure = 0.0
    calm = design.approval_probability(model, idx, need)
    model.municipality.pressure = 0.5
    pressed = design.approval_probability(model, idx, need)
    # the adviser ignores the budget, the municipality's decision does not
    assert np.all(pressed < calm)
    assert design_entry("independent_advice").label["nl"] == "Onafhankelijk indicatieadvies"
