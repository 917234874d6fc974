"""The administrative process, act by act (docs/ODD.md 7.20).

Every act is counted where it happens and priced through the hourly cost of who does it:
the access staff (the team or the case holders: their acts take their paid hours, so they
are recorded, not booked again), the municipality's back office and the providers'
administrative staff (booked as administration at `administration.hour_eur`), the client
(hours counted, not paid). How many acts a design causes follows from its rules: who is
assessed, how often reviewed, its contract model (`design.contract_model`), how many
contractors. The recorder keeps, per act, `admin_hours__<act>`, `admin_eur__<act>` (the
access staff's acts valued at the design's staff rate) and `admin_count__<act>`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.population import DOM

if TYPE_CHECKING:
    from sim.admin_params import ContractModelParams
    from sim.model import SocialDomainModel
    from sim.providers import Provider


def record_act(model: SocialDomainModel, act: str, count: float, hours: float, eur: float) -> None:
    """Count `count` acts of `act` that took `hours` and cost (or are valued at) `eur`."""
    rec = model.recorder
    rec.add(f"admin_count__{act}", count)
    rec.add(f"admin_hours__{act}", hours)
    rec.add(f"admin_eur__{act}", eur)


def staff_act(model: SocialDomainModel, act: str, count: float, hours_each: float) -> None:
    """Record an act of the access staff (its hours are in their paid FTE): valued at the
    design's staff rate, booked nowhere."""
    if count <= 0 or hours_each <= 0:
        return
    hours = count * hours_each
    record_act(model, act, count, hours, hours * model.current_design.staff_hour_eur(model))


def paid_act(
    model: SocialDomainModel,
    act: str,
    count: float,
    financier: str,
    hours_each: float | None = None,
) -> None:
    """`count` acts of `act` by the back office or the provider (the act's actor in
    `administration.acts`, or the back office for an act with `hours_each` given), booked
    as administration on `financier` at the actor's hourly cost; the client's hours are
    counted."""
    if count <= 0:
        return
    adm = model.cfg.administration
    spec = adm.acts.get(act)
    actor = spec.actor if spec is not None else "back_office"
    per_act = hours_each if hours_each is not None else (spec.hours if spec is not None else 0.0)
    if spec is not None and spec.client_hours > 0:
        model.recorder.add("client_admin_hours", count * spec.client_hours)
    if actor == "access_staff":  # within the staff's paid hours: recorded, not booked
        staff_act(model, act, count, per_act)
        return
    hours = count * per_act
    if hours <= 0:
        return
    eur = hours * adm.hour_eur[actor]
    record_act(model, act, count, hours, eur)
    model.recorder.add("admin_hours", hours)
    model.book(financier, "administration", act, eur)


def paid_act_by_person(model: SocialDomainModel, act: str, idx: np.ndarray) -> None:
    """One act of `act` for each of `idx`, booked to youth for those whose largest unhelped
    problem is a youth-family problem and to the Wmo for the others."""
    if idx.size == 0:
        return
    youth = int(np.count_nonzero(model.access.unhelped_domain[idx] == DOM["youth_family"]))
    paid_act(model, act, float(youth), "youth")
    paid_act(model, act, float(idx.size - youth), "wmo")


def contract_model(model: SocialDomainModel) -> ContractModelParams:
    """The contract model of the design that runs."""
    return model.cfg.administration.contract_models[model.current_design.p.contract_model]


def over_delivery_pass_through(model: SocialDomainModel) -> float:
    """Share of a contractor's over-delivery tendency that is delivered and paid: what the
    contract model's payment lets through, less what an indication of the units stops."""
    cm, design = contract_model(model), model.current_design.p
    cap = model.cfg.administration.indication_cap_share if design.indication_caps_units else 0.0
    return cm.over_delivery_pass_through * (1.0 - cap)


def delivered_share(model: SocialDomainModel) -> float:
    """Share of the indicated units that is delivered (a lump sum invites under-delivery;
    the payment does not fall)."""
    return 1.0 - contract_model(model).under_delivery_share


def provider_acts(
    model: SocialDomainModel, prov: Provider, clients: np.ndarray, admitted: int
) -> None:
    """This week's accountability acts of a municipal kind of care for its `clients`: a care
    plan per admission, and per client the share of a progress report and of an invoice
    line (checked by the back office) that falls in a week under the contract model; with
    earned trust, fewer reports and checks for trusted contractors."""
    financier = prov.params.financier
    paid_act(model, "care_plan", float(admitted), financier)
    cm = contract_model(model)
    if clients.size == 0:
        return
    per_client = float(clients.size)
    if prov.contractors and model.lever_state.get("earned_trust"):
        cut = model.cfg.administration.trust_report_cut
        trust = np.array([c.trust for c in prov.contractors])
        k = model.pop.contractor[prov.row][clients]
        per_client = float((1.0 - cut * trust[np.maximum(k, 0)]).sum())
    if cm.progress_report_weeks > 0:
        paid_act(model, "progress_report", per_client / cm.progress_report_weeks, financier)
    if cm.invoice_weeks > 0:
        paid_act(model, "invoice", clients.size / cm.invoice_weeks, financier)
        paid_act(model, "invoice_check", per_client / cm.invoice_weeks, financier)


def contract_acts(model: SocialDomainModel) -> None:
    """This week's share of each contractor's yearly contract management, and under a lump
    sum one payment per contractor every 4 weeks (an invoice and its check)."""
    cm = contract_model(model)
    for prov in model.providers:
        if not prov.municipal:
            continue
        n = float(max(len(prov.contractors), 1))
        paid_act(
            model,
            "contract_management",
            n / 52.0,
            prov.params.financier,
            hours_each=cm.contract_hours_per_contractor_year,
        )
        if cm.invoice_weeks == 0:
            paid_act(model, "invoice", n / 4.0, prov.params.financier)
            paid_act(model, "invoice_check", n / 4.0, prov.params.financier)


def objections(model: SocialDomainModel, refused: np.ndarray, partial: np.ndarray) -> np.ndarray:
    """Objections (bezwaar) to the refusals `refused` and the partial grants `partial` (light
    help only) of this week's decisions: each objects with probability
    `objection_rate_base` + `objection_rate_need` x their largest unhelped problem (x
    `objection_partial_factor` for a partial grant), a keyed draw; each objection is an
    act of the back office with the client's hours; a share `objection_overturn_share` is
    upheld. Returns the people whose objection was upheld (the design grants them)."""
    adm = model.cfg.administration
    people = np.concatenate([refused, partial])
    if people.size == 0:
        return people
    need = model.access.unhelped_max[people]
    factor = np.concatenate(
        [np.ones(refused.size), np.full(partial.size, adm.objection_partial_factor)]
    )
    prob = np.clip((adm.objection_rate_base + adm.objection_rate_need * need) * factor, 0.0, 1.0)
    u = model.draws.person_uniform("decisions", "objection")[people]
    objecting = people[u < prob]
    if objecting.size == 0:
        return objecting
    model.recorder.add("objections", float(objecting.size))
    paid_act_by_person(model, "objection", objecting)
    upheld_u = model.draws.person_uniform("decisions", "objection_upheld")[objecting]
    upheld = objecting[upheld_u < adm.objection_overturn_share]
    model.recorder.add("objections_upheld", float(upheld.size))
    return upheld


__all__ = [
    "contract_acts",
    "contract_model",
    "delivered_share",
    "objections",
    "over_delivery_pass_through",
    "paid_act",
    "paid_act_by_person",
    "provider_acts",
    "record_act",
    "staff_act",
]
