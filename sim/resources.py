"""Memory a model needs, estimated before it is built, against what the machine has: a
population or a worker count that would exhaust memory stops with one line instead of
swapping until the operating system kills the process."""

from __future__ import annotations

import os

from sim.config import ConfigError

# Measured (issue 28): a model of 10 million persons took about 6 GB; persons dominate.
BYTES_PER_PERSON = 600
BASE_BYTES = 150_000_000  # bytes: the Python process with numpy, pandas and Mesa loaded


def available_memory_bytes() -> int | None:
    """Memory available to new processes (Linux MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def model_bytes(population: int) -> int:
    """Estimated bytes of one model of `population` persons."""
    return BYTES_PER_PERSON * int(population)


def check_memory(population: int, models: int, processes: int, what: str) -> None:
    """Refuse (ConfigError) when `models` models of `population` persons in `processes`
    processes would not fit in the memory available now; `what` names the settings."""
    available = available_memory_bytes()
    if available is None:
        return
    need = models * model_bytes(population) + processes * BASE_BYTES
    if need > available:
        raise ConfigError(
            f"{what}: needs about {need / 1e9:.1f} GB of memory ({models} model(s) of "
            f"{population:,} persons at about {BYTES_PER_PERSON} bytes each), "
            f"{available / 1e9:.1f} GB available; allowed: a smaller population= or fewer workers="
        )


__all__ = ["BYTES_PER_PERSON", "available_memory_bytes", "check_memory", "model_bytes"]
