"""Shared burn-in: run the burn-in once per (seed, burn-in config) and start every design or
variant from a copy of the burnt-in model; run the spin-up before it once per burn-in config
(whatever the seed) and start every seed's burn-in from a copy of it.

The burn-in runs under today's practice whatever design follows (`sim.model.burn_in_config`),
so with common random numbers replication k's burn-in is the same for every design. A store
keeps burnt-in models by `burn_in_key`: a few in memory (within a worker process) and,
given a folder, as signed pickles on disk that other worker processes read. A fork is
bit-identical to a run that does its own burn-in (tested). A pickle on disk is named by the
key and by the model code that wrote it (`code_fingerprint`), so a store left by other code
(say, a resumed ensemble after an update) is never read: pickled state of other code may lack
fields or mean something else.

Safety on disk. A burnt-in model is a whole Mesa model (agents, numpy generators, sets), so
it is kept as a pickle, and unpickling runs code; every file therefore carries an HMAC-SHA256
of its name and contents under a key only this user can read (`signing_key`, in the user's
cache folder, mode 0600, never under `out=`). A file whose signature does not check (planted,
truncated, changed, or another burn-in's file copied over it) is never unpickled: the burn-in
is computed again and a line on stderr says so. The folder is created private (0700).

Locking: one process computes a burn-in while the others wait on an advisory file lock
(`fcntl.flock`), which the operating system releases when its holder dies (kill -9, OOM), so
a dead worker never stalls a resume.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import functools
import hashlib
import hmac
import os
import pickle
import sys
import tempfile
import threading
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


MAGIC = b"ketensim-burn-in-v1\n"
_KEY_BYTES = 32


def _cache_dir() -> Path:
    """The user's cache folder for ketensim (`$XDG_CACHE_HOME/ketensim`, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ketensim"


def signing_key() -> bytes:
    """This user's secret key for signing burn-in files: created once (0600, in a 0700
    folder of the user's cache), outside any `out=` folder so a file planted there cannot
    carry a valid signature."""
    folder = _cache_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / "burn_in.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(_KEY_BYTES))
            fh.flush()
            os.fsync(fh.fileno())
    for _ in range(50):  # another process may be writing it this instant
        key = path.read_bytes()
        if len(key) == _KEY_BYTES:
            return key
        threading.Event().wait(0.05)
    raise OSError(f"the burn-in signing key {path} is damaged; delete it to make a new one")


def _signature(key: bytes, name: str, payload: bytes) -> bytes:
    return hmac.new(key, name.encode() + b"\0" + payload, hashlib.sha256).digest()


def write_signed(path: Path, obj: object) -> None:
    """Pickle `obj` to `path` (temp name, fsync, rename; 0600) with its signature."""
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sig = _signature(signing_key(), path.name, payload)
    # mkstemp: a new file (O_EXCL, 0600) of an unpredictable name, so a planted symlink
    # cannot redirect the write
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + sig + payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def read_signed(path: Path) -> object | None:
    """The object pickled in `path` if its signature checks, else None (never unpickled)."""
    data = path.read_bytes()
    head = len(MAGIC) + hashlib.sha256().digest_size
    if len(data) <= head or not data.startswith(MAGIC):
        return None
    sig, payload = data[len(MAGIC) : head], data[head:]
    if not hmac.compare_digest(sig, _signature(signing_key(), path.name, payload)):
        return None
    return pickle.loads(payload)


@contextlib.contextmanager
def _file_lock(path: Path):
    """An exclusive advisory lock on `path` (blocking); released by the OS if we die."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class BurnInStore:
    """Burnt-in models by burn-in key, to fork from.

    `folder`: where signed pickles are shared between processes (None: memory only);
    `keep`: how many burnt-in models one process keeps in memory."""

    def __init__(self, folder: str | Path | None = None, keep: int = 3):
        self.folder = Path(folder) if folder is not None else None
        self.keep = keep
        self._memory: OrderedDict[str, SocialDomainModel] = OrderedDict()
        self._lock = threading.Lock()  # the explorer forks from a background thread
        self.hits = 0
        self.burn_ins = 0
        self.spin_ups = 0
        self.rejected = 0  # files on disk whose signature did not check (computed again)
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
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = f"{key}-{code_fingerprint()}"
        path = self.folder / f"{name}.pkl"
        with _file_lock(self.folder / f"{name}.lock"):
            if path.exists():
                burnt = read_signed(path)
                if burnt is not None:
                    self.hits += 1
                    return burnt  # type: ignore[return-value]
                self.rejected += 1
                print(
                    f"ketensim: burn-in file {path} failed its signature check (truncated, "
                    "changed or not written by this user); not loaded, burning in again",
                    file=sys.stderr,
                    flush=True,
                )
            burnt = compute()
            write_signed(path, burnt)
            return burnt

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


__all__ = [
    "BurnInStore",
    "code_fingerprint",
    "read_signed",
    "shared_store",
    "signing_key",
    "write_signed",
]
