"""Administration act by act (docs/ODD.md 7.20): acts counted from the design's rules,
objections that follow refusals, contract models, earned trust."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim import compose, run
from sim.administration import provider_acts
from sim.designs import design_entries
from sim.model import SocialDomainModel

SMALL = [
    "municipality=small_town",
    "population=3000",
    "years=2",
    "burn_in_years=1",
    "record_events=false",
    "progress=false",
]


def act_eur(summary: dict, act: str) -> float:
    return summary[f"admin_by_act__{act}_eur_per_inhabitant_per_year"]


def act_hours(summary: dict, act: str) -> float:
    return summary[f"admin_by_act__{act}_hours_per_1000_inhabitants_per_year"]


def test_no_design_holds_administration_hours_per_client_week():
    for entry in design_entries():
        for f in dataclasses.fields(entry.params):
            assert "per_client_week" not in f.name
            assert "per client per week" not in str(f.metadata.get("unit", ""))


def test_acts_follow_the_design_rules():
    gk = run(compose([*SMALL, "design=gatekeeping"])).summary
    yes = run(compose([*SMALL, "design=yes_is_cheaper"])).summary
    es = run(compose([*SMALL, "design=early_signalling"])).summary
    # gatekeeping reviews every year, yes-is-cheaper never: no re-indication acts there
    assert act_hours(gk, "reindication") > 0 and act_hours(yes, "reindication") == 0
    # only case holders register cases; only a design that audits has audit acts
    assert act_hours(es, "case_registration") > 0 and act_hours(gk, "case_registration") == 0
    assert act_hours(yes, "audit") > 0 and act_hours(gk, "audit") == 0
    # every act booked by back office and providers is in the administration category
    for s in (gk, yes, es):
        assert act_eur(s, "decision") > 0 and act_eur(s, "care_plan") > 0


def test_objections_follow_refusals_and_are_booked():
    none = run(
        compose(
            [*SMALL, "administration.objection_rate_base=0", "administration.objection_rate_need=0"]
        )
    )
    many = run(
        compose(
            [
                *SMALL,
                "administration.objection_rate_base=1",
                "administration.objection_overturn_share=1",
            ]
        )
    )
    assert none.summary["objections_per_1000_inhabitants_per_year"] == 0
    assert not (none.ledger["item"] == "objection").any()
    # everyone refused objects: as many objections as refusals, all booked, all upheld
    assert many.summary["objections_per_1000_inhabitants_per_year"] > 0
    booked = many.ledger[many.ledger["item"] == "objection"]
    assert booked["eur"].sum() > 0 and set(booked["category"]) == {"administration"}
    assert (
        many.summary["objections_upheld_per_1000_inhabitants_per_year"]
        == many.summary["objections_per_1000_inhabitants_per_year"]
    )
    # upheld objections turn refusals into care: less unmet need than with none
    key = "unmet_need_person_weeks_per_1000_inhabitants_per_year"
    assert many.summary[key] < none.summary[key]
    # yes-is-cheaper refuses almost no one, so almost nobody objects; at the default rate
    # (a few per cent) both counts are 0-2 at this size, so a third of the refused object
    often = [*SMALL, "administration.objection_rate_base=0.3"]
    yes = run(compose([*often, "design=yes_is_cheaper"])).summary
    gk = run(compose([*often, "design=gatekeeping"])).summary
    assert (
        yes["objections_per_1000_inhabitants_per_year"]
        < 0.5 * gk["objections_per_1000_inhabitants_per_year"]
    )


def test_contract_models_change_administration_and_over_delivery():
    base = [*SMALL, "design=yes_is_cheaper", "design.levers.earned_trust=false"]
    effort = run(compose([*base, "design.contract_model=effort"])).summary
    output = run(compose([*base, "design.contract_model=output"])).summary
    task = run(compose([*base, "design.contract_model=task"])).summary
    # per hour: invoices monthly and reports quarterly; per output fewer; a lump sum none per client
    assert act_hours(effort, "progress_report") > act_hours(output, "progress_report") > 0
    assert act_hours(task, "progress_report") == 0
    assert act_hours(task, "contract_management") > act_hours(effort, "contract_management")
    # per hour every extra unit is paid; per output part of it; a lump sum pays none
    over = "over_delivery_eur_per_inhabitant_per_year"
    assert effort[over] > output[over] > 0 and task[over] == 0


def test_an_indication_of_the_units_stops_over_delivery():
    capped = run(compose([*SMALL, "design=yes_is_cheaper", "design.indication_caps_units=true"]))
    free = run(compose([*SMALL, "design=yes_is_cheaper", "design.indication_caps_units=false"]))
    over = "over_delivery_eur_per_inhabitant_per_year"
    assert free.summary[over] > 2 * capped.summary[over] > 0


@pytest.fixture(scope="module")
def trusted_model():
    cfg = compose([*SMALL, "design=yes_is_cheaper", "design.levers.earned_trust=true"])
    model = SocialDomainModel(cfg)
    for _ in range(3):
        model.step()
    yield model
    model.remove_from_mesa_registry()


def _report_hours(model, trust: float) -> float:
    prov = next(p for p in model.providers if p.contractors and p.municipal)
    for c in prov.contractors:
        c.trust = trust
    clients = np.flatnonzero(model.pop.in_care[prov.index])
    before = model.recorder.this_week("admin_hours__progress_report")
    provider_acts(model, prov, clients, 0)
    return model.recorder.this_week("admin_hours__progress_report") - before


def test_earned_trust_lowers_reports_after_clean_audits_and_raises_them_after_findings(
    trusted_model,
):
    model = trusted_model
    assert model.lever_state.get("earned_trust")
    full, none = _report_hours(model, 1.0), _report_hours(model, 0.0)
    assert 0 < full < none
    c = next(c for c in model.contractors)
    c.trust = 0.5
    c.audited(clean=3, findings=0)
    assert c.trust > 0.5
    c.audited(clean=0, findings=2)
    assert c.trust < 0.5


def test_earned_trust_can_lose_unchecked_over_delivery_grows():
    base = [*SMALL, "design=yes_is_cheaper", "design.audit_share_per_year=0"]
    off = run(compose([*base, "design.levers.earned_trust=false"])).summary
    on = run(
        compose(
            [
                *base,
                "design.levers.earned_trust=true",
                "administration.trust_tendency_growth_per_year=2",
            ]
        )
    ).summary
    assert (
        on["over_delivery_eur_per_inhabitant_per_year"]
        > off["over_delivery_eur_per_inhabitant_per_year"]
    )


def test_the_brief_answers_what_administration_costs_from_the_tables():
    import pandas as pd

    from experiments.report.administration import administration_by_act, administration_section

    rows = []
    for design, intake, report in (("gatekeeping", 90.0, 20.0), ("yes_is_cheaper", 10.0, 40.0)):
        for rep in (1, 2):
            for act, eur in (("intake", intake + rep), ("progress_report", report)):
                for unit, value in (
                    ("_eur_per_inhabitant_per_year", eur),
                    ("_hours_per_1000_inhabitants_per_year", 10 * eur),
                ):
                    rows.append(
                        {
                            "design": design,
                            "replication": rep,
                            "year": 0,
                            "outcome": f"admin_by_act__{act}{unit}",
                            "value": value,
                        }
                    )
    outcomes = pd.DataFrame(rows)
    table = administration_by_act(outcomes)
    gk = table[table["design"] == "gatekeeping"].set_index("act")
    assert gk.loc["intake", "eur_per_inhabitant_per_year"] == pytest.approx(91.5)
    section = administration_section(
        outcomes, ["gatekeeping", "yes_is_cheaper"], "gatekeeping", "en"
    )
    assert section is not None
    total = section["rows"][-1]
    assert total["total"] and total["cells"] == ["€112", "€52"]
    assert "€112" in section["findings"][0] and "Kitchen-table" in section["findings"][0]
    assert "−€60" in section["findings"][1] and "progress report" in section["findings"][1]
    assert administration_section(outcomes.iloc[:0], ["gatekeeping"], "gatekeeping", "nl") is None
