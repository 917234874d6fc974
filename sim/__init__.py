"""ketensim: agent-based simulation of a Dutch municipality's social domain."""

from sim.config import ConfigError, compose, from_dict, to_dict
from sim.run import UNITS, Results, __version__, run


def load_config(overrides: list[str] | tuple[str, ...] = ()):
    """Compose and validate a run config from `key=value` overrides."""
    return compose(overrides)


def __getattr__(name: str):
    if name == "SocialDomainModel":  # imported lazily: mesa is heavy
        from sim.model import SocialDomainModel

        return SocialDomainModel
    raise AttributeError(name)


__all__ = [
    "UNITS",
    "ConfigError",
    "Results",
    "SocialDomainModel",
    "__version__",
    "compose",
    "from_dict",
    "load_config",
    "run",
    "to_dict",
]
