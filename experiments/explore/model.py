"""The explorer's model: a `SocialDomainModel` built in a background thread, with the weekly
reporters the live page plots.

Building a model runs its burn-in (years under today's practice) inside the constructor, which
takes seconds for a large municipality. The page must not freeze meanwhile, so
`ExplorerModel(...)` returns at once: it validates the settings, then builds the simulation
in a thread and reports its progress (`progress`, `status`). `step()` is a no-op until the
simulation is ready. Only public parts of `sim` are used: `sim.compose`,
`SocialDomainModel(config)`, `model.step()`, `model.citizen(i)`, `model.recorder.last(key)`,
`model.ledger.week_by_financier` and the model's `week`, `n`, `horizon_weeks` and `running`.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import deque
from typing import Any

import mesa
import numpy as np

from sim import SocialDomainModel
from sim.burn_in import BurnInStore
from sim.config import ConfigError, compose
from sim.designs import BURN_IN_DESIGN, design_entries, design_entry, lever_entries
from sim.designs.registry import BASE_EXPLORER_CONTROLS, ExplorerControl
from sim.params import ESCALATIONS, FINANCIERS

# What "profile" / "design" mean in a select: keep the value of the municipality profile or
# of the design's YAML file.
KEEP = "default"

# weekly reporters: column name -> recorder key (per week, persons or hours)
UNMET = "Unmet need (persons)"
QUEUES = {
    "Intake queue (persons)": "intake_queue",
    "On a provider's waiting list (persons)": "waiting_persons",
}
WAIT_WEEKS = "Wait of admissions in the last 4 weeks (weeks, mean)"
WAIT_WINDOW = 4  # weeks: one week's admissions are few in a small town, so their mean jumps
INFORMAL = {
    "Informal care (hours per week)": "informal_care_hours",
    "Formal care (hours per week)": "formal_care_hours",
}
COST_PREFIX = "Cost: "  # + financier, in EUR thousand per week
ESCALATION_PREFIX = "Escalations: "  # + kind, cumulative since the design started


def cost_column(financier: str) -> str:
    """Datacollector column of one financier's weekly cost (EUR thousand per week)."""
    return f"{COST_PREFIX}{financier}"


def escalation_column(kind: str) -> str:
    """Datacollector column of one kind of escalation (cumulative count)."""
    return f"{ESCALATION_PREFIX}{kind}"


class BuildCancelledError(Exception):
    """The build was abandoned (the page was reset before it finished)."""


def design_controls() -> tuple[ExplorerControl, ...]:
    """The explorer's controls of design parameters: those of every design
    (`BASE_EXPLORER_CONTROLS`) and each declared design's own (`sim.designs.registry`)."""
    out = list(BASE_EXPLORER_CONTROLS)
    for entry in design_entries():
        out += [c for c in entry.explorer if c.key not in {x.key for x in out}]
    return tuple(out)


def file_spec(path: str) -> str:
    """The `municipality=` value of a municipality file typed into the page: `file:` + the
    path (as on the command line; `file:` may be typed too, `@GMxxxx` picks a row)."""
    text = path.strip()
    return text if text.startswith("file:") else f"file:{text}"


def overrides_for(
    design: str = BURN_IN_DESIGN,
    municipality: str = "small_town",
    population: int | None = None,
    seed: int = 1,
    years: int = 10,
    burn_in_years: int | None = None,
    team_hours: str = KEEP,
    flat_contribution: str = KEEP,
    **design_and_levers: Any,
) -> list[str]:
    """The Hydra overrides of the explorer's controls. `design_and_levers` are the declared
    levers (by name: on/off or a value) and design parameters (`design_controls`); `KEEP`
    leaves a profile's or design's own value, and a design parameter the chosen design does
    not have is left out (its control names the design it belongs to)."""
    out = [
        f"design={design}",
        f"municipality={municipality}",
        f"seed={int(seed)}",
        f"years={int(years)}",
    ]
    levers = {e.name: e for e in lever_entries()}
    controls = {c.key: c for c in design_controls()}
    unknown = sorted(set(design_and_levers) - set(levers) - set(controls))
    if unknown:
        raise ConfigError(
            f"{unknown[0]}: not a control of the explorer; allowed: "
            f"{', '.join([*levers, *controls])}"
        )
    for name, entry in levers.items():
        value = design_and_levers.get(name, entry.values[0])
        text = str(value).lower() if isinstance(value, bool) else str(value)
        out.append(entry.override(text))
    out.append("progress=false")
    if burn_in_years not in (None, ""):  # None: the scenario's own burn-in
        out.append(f"burn_in_years={int(burn_in_years)}")
    if population not in (None, "", 0):
        out.append(f"population={int(population)}")
    if str(team_hours) != KEEP:
        out.append(f"municipality.team_hours_per_week_per_1000={team_hours}")
    if str(flat_contribution) != KEEP:
        out.append(f"prices.eur.wmo_flat_contribution={flat_contribution}")
    try:
        own = set(design_entry(design).parameter_names())
    except KeyError as exc:
        raise ConfigError(f"design={design}: {exc.args[0]}") from None
    for key in controls:
        value = design_and_levers.get(key, KEEP)
        if str(value) != KEEP and key in own:
            out.append(f"design.{key}={value}")
    return out


SETTINGS_ENV = "KETENSIM_EXPLORE"  # the command's settings (JSON), read by the page too
MAX_POPULATION = 200_000  # persons: the largest model a visitor may build (about 120 MB)


def explorer_limits() -> dict[str, Any]:
    """What a visitor of the page may build: `max_population` persons at most, and only
    the shipped municipality profiles or the one the command was started with."""
    from sim.config import SCENARIOS_DIR

    raw = os.environ.get(SETTINGS_ENV, "")
    given = json.loads(raw) if raw else {}
    profiles = sorted(p.stem for p in (SCENARIOS_DIR / "municipality").glob("*.yaml"))
    if given.get("municipality") and given["municipality"] not in profiles:
        profiles.append(str(given["municipality"]))
    return {
        "max_population": int(given.get("max_population") or MAX_POPULATION),
        "municipalities": profiles,
    }


class ExplorerModel(mesa.Model):
    """A municipality's social domain for the live page (see the module docstring).

    Keyword arguments are the page's controls (`overrides_for`); a bad combination raises
    `sim.ConfigError` at once, before any thread starts.
    """

    def __init__(
        self, seed: int = 1, background: bool = True, municipality_file: str = "", **kwargs: Any
    ) -> None:
        # `kwargs`, by that name: Mesa's SolaraViz accepts unlisted controls only then
        super().__init__(rng=int(seed))
        # a municipality file typed into the page wins over the list; one that cannot be used
        # leaves the list's choice, and the page says why (`notice`)
        self.notice: str | None = None
        config = None
        if municipality_file.strip():
            try:
                own = {**kwargs, "municipality": file_spec(municipality_file)}
                config = compose(overrides_for(seed=seed, **own))
            except ConfigError as exc:
                self.notice = f"municipality file not used: {exc}"
        self.from_file = config is not None
        self.config = config or compose(overrides_for(seed=seed, **kwargs))
        self.n = int(self.config.population or self.config.municipality.inhabitants)
        limits = explorer_limits()
        if self.n > limits["max_population"]:
            raise ConfigError(
                f"population={self.n:,}: above the explorer's cap of "
                f"{limits['max_population']:,} persons; allowed: at most that (start "
                "`ketensim explore max_population=N` to raise it)"
            )
        municipality = str(kwargs.get("municipality", "small_town"))  # overrides_for's default
        if not self.from_file and municipality not in limits["municipalities"]:
            raise ConfigError(
                f"municipality={municipality}: allowed: {', '.join(limits['municipalities'])}"
            )
        self.burn_in_weeks = 52 * self.config.burn_in_years
        self.horizon_weeks = 52 * self.config.years
        self.sim: Any = None  # the SocialDomainModel once built
        self.error: str | None = None
        self.shared_burn_in = False  # True when the build started from a kept burn-in
        self.build_seconds: float | None = None
        self._burn_in_done = 0
        self._cancel = threading.Event()
        self._ready = threading.Event()
        self._escalations = np.zeros(len(ESCALATIONS))
        self._waits: deque[tuple[float, float]] = deque(maxlen=WAIT_WINDOW)
        self.datacollector = mesa.DataCollector(model_reporters=self._reporters())
        self.running = True
        if background:
            self._thread: threading.Thread | None = threading.Thread(
                target=self._build, name="ketensim-explore-build", daemon=True
            )
            self._thread.start()
        else:
            self._thread = None
            self._build()

    # ----------------------------------------------------------------- building
    def _build(self) -> None:
        start = time.perf_counter()
        try:
            self.sim = self._from_shared_burn_in()
            self.build_seconds = time.perf_counter() - start
        except BuildCancelledError:
            self.error = "cancelled"
        except Exception as exc:  # shown on the page, not swallowed
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self._ready.set()

    def _from_shared_burn_in(self) -> Any:
        """The simulation at week 0: a copy of the burn-in shared by every design, lever and
        setting with the same burn-in (seed, municipality, population, behaviour), from the
        process's `BurnInStore`; so a Reset that changes only the design or a lever starts
        at once."""

        def build(config: Any) -> Any:
            burnt = _ProgressModel(config, explorer=self)
            burnt._explorer = None  # no back reference into the page's model (deep copies)
            return burnt

        fork = _BURNT_IN.model(self.config, build=build)
        if _BURNT_IN.last_was_shared:
            self._burn_in_done = self.burn_in_weeks
            self.shared_burn_in = True
        return fork

    def burn_in_week_done(self, sim: Any) -> None:
        """Called by the simulation after each burn-in week: progress, and a way to stop."""
        self._burn_in_done += 1
        if self._cancel.is_set():
            sim.remove_from_mesa_registry()  # the half-built model must not stay alive
            raise BuildCancelledError

    def cancel(self) -> None:
        """Abandon a build that is still running."""
        self._cancel.set()

    def wait_until_ready(self, timeout: float | None = None) -> bool:
        """Block until the simulation is built (or failed); True when ready."""
        self._ready.wait(timeout)
        return self.ready

    @property
    def ready(self) -> bool:
        return self.sim is not None

    @property
    def progress(self) -> float:
        """Share of the burn-in done, 0..1 (1 once built)."""
        if self.ready:
            return 1.0
        return min(self._burn_in_done / max(self.burn_in_weeks, 1), 0.999)

    @property
    def week(self) -> int:
        """Weeks simulated under the chosen design (0 while building)."""
        return int(self.sim.week) if self.ready else 0

    # ----------------------------------------------------------------- the week
    def step(self) -> None:
        """One week of the simulation and one row of every live plot; no-op until built."""
        sim = self.sim
        if sim is None:
            return
        if not sim.running:
            self.running = False
            return
        sim.step()
        rec = sim.recorder
        for k, kind in enumerate(ESCALATIONS):
            self._escalations[k] += rec.last(f"escalations__{kind}")
        self._waits.append((rec.last("waiting_weeks_sum"), rec.last("admissions")))
        self.datacollector.collect(self)
        self.running = bool(sim.running)

    def citizen(self, i: int) -> Any:
        """The simulation's readable view of the person in slot i."""
        if self.sim is None:
            raise RuntimeError("the model is still being built")
        return self.sim.citizen(i)

    def people_in_care_or_waiting(self) -> np.ndarray:
        """Slots of the people receiving care or on a waiting list now (to pick a story).
        Reads the population's arrays where the model has them (`in_care`, `waiting_since`);
        an empty array otherwise."""
        pop = getattr(self.sim, "pop", None)
        try:
            from sim.population import NONE

            engaged = pop.in_care.any(axis=0) | (pop.waiting_since != NONE).any(axis=0)
            return np.flatnonzero(engaged)
        except (AttributeError, ImportError):
            return np.zeros(0, dtype=np.int64)

    def _reporters(self) -> dict[str, Any]:
        def last(key: str):
            return lambda m: m.sim.recorder.last(key)

        def cost(index: int):
            return lambda m: float(m.sim.ledger.week_by_financier[index]) / 1000.0

        def escalations(index: int):
            return lambda m: float(m._escalations[index])

        def wait_weeks(m: ExplorerModel) -> float:
            waited = sum(w for w, _ in m._waits)
            admitted = sum(a for _, a in m._waits)
            return waited / admitted if admitted else 0.0

        reporters: dict[str, Any] = {"week": "week", UNMET: last("unmet_need_persons")}
        reporters.update({name: last(key) for name, key in QUEUES.items()})
        reporters[WAIT_WEEKS] = wait_weeks
        reporters.update({name: last(key) for name, key in INFORMAL.items()})
        reporters.update({cost_column(f): cost(i) for i, f in enumerate(FINANCIERS)})
        reporters.update({escalation_column(e): escalations(i) for i, e in enumerate(ESCALATIONS)})
        return reporters

    def status(self) -> str:
        """One line on where the model is."""
        where = f"{self.config.municipality.name}, {self.n:,} people, {self.config.design.name}"
        if self.notice:
            where = f"{self.notice}. {where}"
        if self.error:
            return f"{where}: build failed: {self.error}"
        if not self.ready:
            return (
                f"{where}: burn-in under today's practice, week {self._burn_in_done} of "
                f"{self.burn_in_weeks}"
            )
        return f"{where}: week {self.week} of {self.horizon_weeks}"


_BURNT_IN = BurnInStore(keep=2)  # burnt-in towns kept in this process, by burn-in key


class _ProgressModel(SocialDomainModel):
    """SocialDomainModel that tells the explorer each time its week advances during the
    burn-in (through the public `week` attribute), so the page can show progress and stop an
    abandoned build. If a later SocialDomainModel makes `week` a property of its own, the hook
    is left out (the page then shows no burn-in progress, and results stay the same)."""

    def __init__(self, config: Any, explorer: ExplorerModel) -> None:
        self._explorer = explorer
        super().__init__(config)


def _get_week(self: _ProgressModel) -> int:
    return self._week_value


def _set_week(self: _ProgressModel, value: int) -> None:
    explorer = self.__dict__.get("_explorer")
    if explorer is not None and value <= 0 and "_week_value" in self.__dict__:
        explorer.burn_in_week_done(self)
    self._week_value = int(value)


if not hasattr(SocialDomainModel, "week"):  # `week` is a plain instance attribute
    _ProgressModel.week = property(_get_week, _set_week)  # type: ignore[attr-defined]


__all__ = [
    "KEEP",
    "BuildCancelledError",
    "ConfigError",
    "ExplorerModel",
    "cost_column",
    "design_controls",
    "escalation_column",
    "file_spec",
    "overrides_for",
]
