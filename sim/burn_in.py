"""Shared burn-in: run the burn-in once per (seed, burn-in config) and start every design or
variant from a copy of the burnt-in model; run the spin-up before it once per burn-in config
(whatever the seed) and start every seed's burn-in from a copy of it.

The burn-in runs under today's practice whatever design follows (`sim.model.burn_in_config`),
so with common random numbers replication k's burn-in is the same for every design. A store
keeps burnt-in models by `burn_in_key`: a few in memory (within a worker process) and,
given a folder, as pickles on disk that other worker processes read; a lock file makes one
process compute a burn-in while the others wait for it. A fork is bit-identical to a run
that does its own burn-in (tested). A pickle on disk is named by the key and by the model
code that wrote it (`code_fingerprint`), so a store left by other code (say, a resumed
ensemble after an update) is never read: pickled state of other code may lack fields or
mean something else.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import os
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sim.params import KetensimConfig

if TYPE_CHECKING:
    from sim.model import SocialDomainModel


@functools.cache
def code_fingerprint() -> str:
    """A short hash of the model's source (every `.py` file of the `sim` package): what a
    pickled model depends on besides its config."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class BurnInStore:
    """Burnt-in models by burn-in key, to fork from.

    `folder`: where pickles are shared between processes (None: memory only); `keep`: how
    many burnt-in models one process keeps in memory; `wait_s`: how long a process waits
    for another one's burn-in before it computes its own."""

    def __init__(self, folder: str | Path | None = None, keep: int = 3, wait_s: float = 900.0):
        self.folder = Path(folder) if folder is not None else None
        self.keep = keep
        self.wait_s = wait_s
        self._memory: OrderedDict[str, SocialDomainModel] = OrderedDict()
        self._lock = threading.Lock()  # the explorer forks from a background thread
        self.hits = 0
        self.burn_ins = 0
        self.spin_ups = 0
        self.last_was_shared = False  # whether the last `model` started from a kept burn-in

    def model(
        self,
        config: KetensimConfig,
        build: Callable[[KetensimConfig], SocialDomainModel] | None = None,
    ) -> SocialDomainModel:
        """A model of `config` at week 0: a copy of the shared burn-in, its design started.
        `build(burn_in_config)` burns a new one in (default: `SocialDomainModel`; the
        explorer passes one that reports progress)."""
        from sim.model import burn_in_key

        key = burn_in_key(config)
        burnt = self._recall(key)
        if burnt is not None:
            self.hits += 1
        self.last_was_shared = burnt is not None
        if burnt is None:
            burnt = self._from_disk_or_compute(key, lambda: self._run(config, build))
            self._keep(key, burnt)
        fork = copy.deepcopy(burnt)
        fork.start_design(config)
        return fork

    def _from_disk_or_compute(
        self, key: str, compute: Callable[[], SocialDomainModel]
    ) -> SocialDomainModel:
        if self.folder is None:
            return compute()
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{key}-{code_fingerprint()}"
        path = self.folder / f"{name}.pkl"
        lock = self.folder / f"{name}.lock"
        deadline = time.monotonic() + self.wait_s
        while True:
            if path.exists():
                self.hits += 1
                with path.open("rb") as fh:
                    return pickle.load(fh)
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                if time.monotonic() > deadline:  # the other process is gone or stuck
                    return compute()
                time.sleep(0.2)
                continue
            os.close(fd)
            try:
                burnt = compute()
                tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
                with tmp.open("wb") as fh:
                    pickle.dump(burnt, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
                return burnt
            finally:
                lock.unlink(missing_ok=True)

    def _run(
        self,
        config: KetensimConfig,
        build: Callable[[KetensimConfig], SocialDomainModel] | None = None,
    ) -> SocialDomainModel:
        """Burn in a model under `config`'s burn-in config (stopped at week 0): a copy of the
        shared spin-up (kept like a burn-in) continued with the run's seed."""
        from sim.model import SocialDomainModel, burn_in_config

        self.burn_ins += 1
        if build is None and config.spin_up_years:
            model = copy.deepcopy(self._spun_up(config))
            model.continue_burn_in(burn_in_config(config))
        else:
            model = (build or SocialDomainModel)(burn_in_config(config))
        model.remove_from_mesa_registry()
        return model

    def _spun_up(self, config: KetensimConfig) -> SocialDomainModel:
        """The spin-up of `config` (shared by every seed), from memory, disk or computed."""
        from sim.model import SocialDomainModel, burn_in_config, spin_up_key

        key = spin_up_key(config)
        spun = self._recall(key)
        if spun is not None:
            return spun

        def compute() -> SocialDomainModel:
            self.spin_ups += 1
            model = SocialDomainModel(burn_in_config(config), spin_up_only=True)
            model.remove_from_mesa_registry()
            return model

        spun = self._from_disk_or_compute(key, compute)
        self._keep(key, spun)
        return spun

    def _recall(self, key: str) -> SocialDomainModel | None:
        """A kept model by key (most recently used last), or None."""
        with self._lock:
            model = self._memory.get(key)
            if model is not None:
                self._memory.move_to_end(key)
            return model

    def _keep(self, key: str, model: SocialDomainModel) -> None:
        """Keep `model` in memory, dropping the least recently used beyond `keep`."""
        with self._lock:
            self._memory[key] = model
            while len(self._memory) > self.keep:
                self._memory.popitem(last=False)


_SHARED: dict[str, BurnInStore] = {}


def shared_store(folder: str | Path) -> BurnInStore:
    """This process's store for `folder` (one per worker process, reused by all its runs)."""
    key = str(folder)
    store = _SHARED.get(key)
    if store is None:
        store = _SHARED[key] = BurnInStore(folder)
    return store


__all__ = ["BurnInStore", "code_fingerprint", "shared_store"]
