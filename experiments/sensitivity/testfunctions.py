"""Test functions with known Sobol indices, run through the same ensemble path as the model.

`function_run(config, seed)` is an ensemble run function like `compare.simulate`: the config
names the function and holds the point; an optional noise term, drawn from a stream seeded by
(seed, point), makes it a stochastic toy model.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1
G_A: tuple[float, ...] = (0.0, 1.0, 4.5, 9.0, 99.0, 99.0)


def ishigami(x: np.ndarray, a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> float:
    return float(math.sin(x[0]) + a * math.sin(x[1]) ** 2 + b * x[2] ** 4 * math.sin(x[0]))


def g_function(x: np.ndarray, a: tuple[float, ...] = G_A) -> float:
    a_arr = np.asarray(a[: len(x)], dtype=float)
    return float(np.prod((np.abs(4 * np.asarray(x) - 2) + a_arr) / (1 + a_arr)))


FUNCTIONS = {"ishigami": ishigami, "g_function": g_function}


def ishigami_indices(a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> dict[str, np.ndarray]:
    """Analytical first-order (S1) and total (ST) indices of the Ishigami function."""
    pi4 = math.pi**4
    v1 = 0.5 * (1 + b * pi4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return {"S1": np.array([v1, v2, 0.0]) / v, "ST": np.array([v1 + v13, v2, v13]) / v}


def g_function_indices(a: tuple[float, ...] = G_A) -> dict[str, np.ndarray]:
    """Analytical S1 and ST of the Sobol G function with coefficients `a`."""
    vi = 1.0 / (3.0 * (1.0 + np.asarray(a, dtype=float)) ** 2)
    v = float(np.prod(1 + vi) - 1)
    st = np.array([vi[i] * np.prod(np.delete(1 + vi, i)) for i in range(len(vi))]) / v
    return {"S1": vi / v, "ST": st}


def variance(name: str) -> float:
    """Variance of a test function's output over its input distribution."""
    if name == "ishigami":
        a, b = ISHIGAMI_A, ISHIGAMI_B
        return a**2 / 8 + b * math.pi**4 / 5 + b**2 * math.pi**8 / 18 + 0.5
    vi = 1.0 / (3.0 * (1.0 + np.asarray(G_A, dtype=float)) ** 2)
    return float(np.prod(1 + vi) - 1)


def function_run(config: dict[str, Any], seed: int) -> dict[str, Any]:
    """Ensemble run function: y = f(x) (+ noise_sd * N(0, 1) from a (seed, point) stream)."""
    x = np.asarray(config["x"], dtype=float)
    y = FUNCTIONS[config["function"]](x)
    sd = float(config.get("noise_sd", 0.0))
    if sd > 0:
        y += sd * float(np.random.default_rng([int(seed), int(config["point"])]).normal())
    return {"summary": {"y": y}}
