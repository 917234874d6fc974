"""Probe for docs/discovery.md (issue 25, round c): gatekeeping against yes-is-cheaper under
a staff shortage, with who waits on the provider lists.

    SEED=1 python docs/scripts/staff_shortage_probe.py POPULATION YEARS SHARE_SCALE [key=value ...]

SHARE_SCALE scales every `formal_care_need_met_share` (capped at 1). Every 4 design weeks it
counts the people on each provider's list by the severity of their problem in that
provider's domains (light < 0.5, serious >= 0.5) and splits the people with serious unmet
need by where they are. It wraps `SocialDomainModel.step`; the model is not changed."""

from __future__ import annotations

import os
import sys
from dataclasses import replace

import numpy as np

from sim import compose, run
from sim.burn_in import BurnInStore
from sim.model import SocialDomainModel
from sim.need import need_met
from sim.population import NONE, PRIORITY

UNMET = "unmet_need_person_weeks_per_1000_inhabitants_per_year"


def probe_config(design: str, population: int, years: int, overrides: list[str], scale: float):
    """small_town at `population` for `years` under `design`, with `overrides` and formal
    care's need-met shares times `scale` (capped at 1)."""
    cfg = compose(
        [
            "municipality=small_town",
            f"population={population}",
            f"years={years}",
            "record_events=false",
            f"design={design}",
            *overrides,
        ]
    )
    b = cfg.behaviour
    shares = {k: min(v * scale, 1.0) for k, v in b.formal_care_need_met_share.items()}
    return replace(cfg, behaviour=replace(b, formal_care_need_met_share=shares))


def sample(model: SocialDomainModel) -> tuple[float, ...]:
    """Lists by severity, weeks waited so far, and where the people with serious unmet need are."""
    pop = model.pop
    light = serious = 0
    weeks_light = weeks_serious = 0.0
    for prov in model.providers:
        waiting = np.flatnonzero(pop.waiting_since[prov.index] != NONE)
        if waiting.size:
            sev = prov.severity_of(waiting)
            waited = model.week - pop.waiting_since[prov.index][waiting].astype(np.int64)
            waited = np.where(waited > PRIORITY // 2, waited - PRIORITY, waited)
            serious += int((sev >= 0.5).sum())
            light += int((sev < 0.5).sum())
            weeks_serious += float(waited[sev >= 0.5].sum())
            weeks_light += float(waited[sev < 0.5].sum())
    unmet = need_met(model).residual >= model.cfg.behaviour.serious_threshold
    listed = unmet & pop.on_any_list
    in_care = unmet & pop.in_any_care & ~pop.on_any_list
    asked = (pop.request_since != NONE) | (pop.signal_since != NONE)
    outside = unmet & ~pop.on_any_list & ~pop.in_any_care
    intake = outside & asked
    refused = outside & ~asked & (pop.refused_until > model.week)
    return (light, serious, weeks_light, weeks_serious, unmet.sum(), listed.sum(),
            in_care.sum(), intake.sum(), refused.sum())  # fmt: skip


def main(argv: list[str]) -> None:
    population, years, scale = int(argv[0]), int(argv[1]), float(argv[2])
    overrides = argv[3:]
    seed = int(os.environ.get("SEED", "1"))
    samples: list[tuple[float, ...]] = []
    step = SocialDomainModel.step

    def probed_step(model: SocialDomainModel) -> None:
        step(model)
        if model.week >= 0 and model.week % 4 == 0:
            samples.append(sample(model))

    SocialDomainModel.step = probed_step  # type: ignore[method-assign]
    store = BurnInStore()
    per = 1000.0 / population
    for design in ("gatekeeping", "yes_is_cheaper"):
        samples.clear()
        cfg = probe_config(design, population, years, overrides, scale)
        result = run(cfg, seed=seed, burn_in=store)
        y = result.yearly
        by_year = y[y["outcome"] == UNMET].sort_values("year")["value"].round().astype(int)
        a = np.array(samples, dtype=float)
        light, serious, w_light, w_serious, unmet, listed, in_care, intake, refused = a.T
        print(
            f"{design}: unmet need {result.summary[UNMET]:.0f} (by year {by_year.tolist()})\n"
            f"  on a list per 1,000: light {light.mean() * per:.1f}, serious "
            f"{serious.mean() * per:.1f}; weeks on the list so far: serious "
            f"{w_serious.sum() / max(serious.sum(), 1):.0f}, light "
            f"{w_light.sum() / max(light.sum(), 1):.0f}\n"
            f"  serious unmet need per 1,000: {unmet.mean() * per:.1f}, of whom on a list "
            f"{listed.mean() * per:.1f}, in care {in_care.mean() * per:.1f}, in the intake "
            f"queue {intake.mean() * per:.1f}, refused {refused.mean() * per:.1f}, not asking "
            f"{(unmet - listed - in_care - intake - refused).mean() * per:.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
