"""Toy run functions for the ensemble tests: top-level, so spawn and dask workers can pickle them.

Each follows the ``run_fn(config, seed) -> {"summary": {...}, "tables": {...}}`` contract.
Mesa is imported lazily so that workers running the numpy toys start fast.
"""

from __future__ import annotations

import functools
import os
import time

import numpy as np
import pandas as pd


def toy_run(config: dict, seed: int) -> dict:
    """Deterministic function of (config, seed): a noisy series, its summary and a table."""
    rng = np.random.default_rng(seed)
    n = int(config.get("n", 52))
    values = rng.normal(config.get("mu", 0.0), config.get("sigma", 1.0), size=n).cumsum()
    weekly = pd.DataFrame({"week": np.arange(n), "value": values})
    cost = pd.DataFrame({"item": ["care", "admin"], "euro": rng.uniform(0, 100, size=2)})
    return {
        "summary": {"mean": float(values.mean()), "last": float(values[-1]), "n": float(n)},
        "tables": {"weekly": weekly, "cost": cost},
    }


def failing_run(config: dict, seed: int) -> dict:
    """Like :func:`toy_run`, but raises for seeds listed in ``config["fail_seeds"]``."""
    if seed in config.get("fail_seeds", ()):
        raise ValueError(f"toy failure for seed {seed}")
    return toy_run(config, seed)


def sleepy_run(config: dict, seed: int) -> dict:
    """Sleeps ``config["sleep"]`` seconds, logs the seed to ``config["log"]``, then toy_run."""
    time.sleep(float(config.get("sleep", 0.05)))
    if config.get("log"):
        fd = os.open(config["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, f"{seed}\n".encode())
        finally:
            os.close(fd)
    return toy_run(config, seed)


@functools.cache
def tiny_model_class() -> type:
    """A tiny ``mesa.Model`` subclass with a few agents (built lazily, imports mesa)."""
    import mesa

    class Walker(mesa.Agent):
        def __init__(self, model: mesa.Model) -> None:
            super().__init__(model)
            self.x = 0.0
            self.history = np.zeros(64)  # some per-agent payload, so leaks would show

        def step(self) -> None:
            self.x += self.model.rng.normal()

    class TinyModel(mesa.Model):
        def __init__(self, n_agents: int = 10, rng: int | None = None) -> None:
            super().__init__(rng=rng)
            Walker.create_agents(self, n_agents)

        def step(self) -> None:
            self.agents.shuffle_do("step")

    return TinyModel


def run_tiny_mesa(config: dict, seed: int, cleanup: bool = True) -> dict:
    """Run the tiny Mesa model; with ``cleanup`` drop it from ``mesa.Agent._ids`` afterwards,
    as the real model's run function does (Mesa 3.3.1 keeps every model alive there)."""
    import mesa

    model = tiny_model_class()(n_agents=int(config.get("n_agents", 10)), rng=seed)
    for _ in range(int(config.get("steps", 5))):
        model.step()
    summary = {"mean_x": float(np.mean([a.x for a in model.agents]))}
    if cleanup:  # Mesa 3.4 and later have no such registry
        getattr(mesa.Agent, "_ids", {}).pop(model, None)
    return {"summary": summary, "tables": {}}
