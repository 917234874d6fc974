"""Faults a careful user (or an attacker) can cause, and that nothing is lost or run by them
(issue 28): a worker killed during a burn-in, truncated, swapped or planted files in the
burn-in store and the run store, two compares into one folder, a full disk."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from sim import compose, run
from sim.burn_in import BurnInStore, code_fingerprint
from sim.model import burn_in_key

SMALL = [
    "municipality=small_town",
    "population=1500",
    "years=1",
    "burn_in_years=1",
    "record_events=false",
]


@pytest.fixture(autouse=True)
def _own_key(tmp_path, monkeypatch):
    """A signing key of this test only (the user's cache folder stays untouched)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _same(a, b) -> None:
    assert a.summary == b.summary
    pd.testing.assert_frame_equal(a.ledger, b.ledger)


def _pickle_path(folder: Path, cfg) -> Path:
    return folder / f"{burn_in_key(cfg)}-{code_fingerprint()}.pkl"


class _Planted:
    """Unpickling this creates a marker file: what an attacker's pickle would do."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def test_planted_pickle_is_never_loaded(tmp_path):
    """A pickle planted under the predictable name is not unpickled: the marker it would
    create never appears, the burn-in is computed afresh, results are unchanged."""
    folder = tmp_path / "burn_in"
    folder.mkdir()
    cfg = compose([*SMALL, "design=gatekeeping"])
    marker = tmp_path / "pwned"
    _pickle_path(folder, cfg).write_bytes(pickle.dumps(_Planted(str(marker))))
    store = BurnInStore(folder)
    _same(run(cfg, burn_in=store), run(cfg))
    assert not marker.exists()
    assert store.rejected == 1 and store.burn_ins == 1
    assert oct(folder.stat().st_mode & 0o777) != "0o777"
    again = BurnInStore(folder)  # the store's own, signed file replaced it and is read
    again.model(cfg)
    assert again.hits == 1 and again.burn_ins == 0 and again.rejected == 0


def test_new_store_folder_and_files_are_private(tmp_path):
    folder = tmp_path / "burn_in"
    cfg = compose([*SMALL, "design=gatekeeping"])
    BurnInStore(folder).model(cfg)
    assert folder.stat().st_mode & 0o077 == 0
    assert _pickle_path(folder, cfg).stat().st_mode & 0o077 == 0


def test_truncated_and_swapped_burn_ins_are_computed_again(tmp_path):
    """A truncated file, and two valid files swapped, fail their check and are redone; the
    outcomes equal runs that did their own burn-in."""
    folder = tmp_path / "burn_in"
    cfg1 = compose([*SMALL, "design=gatekeeping", "seed=1"])
    cfg2 = compose([*SMALL, "design=gatekeeping", "seed=2"])
    first = BurnInStore(folder)
    first.model(cfg1)
    first.model(cfg2)
    p1, p2 = _pickle_path(folder, cfg1), _pickle_path(folder, cfg2)
    b1, b2 = p1.read_bytes(), p2.read_bytes()
    p1.write_bytes(b2)
    p2.write_bytes(b1)
    swapped = BurnInStore(folder)
    _same(run(cfg1, burn_in=swapped), run(cfg1))
    _same(run(cfg2, burn_in=swapped), run(cfg2))
    assert swapped.rejected == 2 and swapped.burn_ins == 2
    p1.write_bytes(p1.read_bytes()[: len(b1) // 2])
    truncated = BurnInStore(folder)
    _same(run(cfg1, burn_in=truncated), run(cfg1))
    assert truncated.rejected == 1 and truncated.burn_ins == 1


_HOLDER = """
import sys, time
from sim import compose
from sim.burn_in import BurnInStore

def slow_burn_in(config):
    time.sleep(600)  # killed long before

BurnInStore(sys.argv[1]).model(compose(sys.argv[2:]), build=slow_burn_in)
"""


def test_worker_killed_during_burn_in_does_not_stall_the_resume(tmp_path):
    """kill -9 of a process group while it computes a shared burn-in leaves its lock file
    behind; the OS released the lock, so the resume burns in at once (no 15-minute wait)
    with the same outcomes as an uninterrupted run."""
    folder = tmp_path / "burn_in"
    args = [*SMALL, "design=gatekeeping"]
    cfg = compose(args)
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(_HOLDER), str(folder), *args],
        start_new_session=True,
        env=os.environ.copy(),
    )
    lock = folder / f"{burn_in_key(cfg)}-{code_fingerprint()}.lock"
    deadline = time.monotonic() + 60
    while not lock.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert lock.exists(), "the killed process never took the lock"
    time.sleep(0.5)  # it holds the lock and is "burning in"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert lock.exists()  # the stale lock file is still there
    start = time.monotonic()
    store = BurnInStore(folder)
    _same(run(cfg, burn_in=store), run(cfg))
    assert store.burn_ins == 1
    assert time.monotonic() - start < 60
