"""Faults a careful user (or an attacker) can cause, and that nothing is lost or run by them
(issue 28): a worker killed during a burn-in, truncated, swapped or planted files in the
burn-in store and the run store, two compares into one folder, a full disk."""

from __future__ import annotations

import contextlib
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


# ---------------------------------------------------------------------------------------------
# The run store of an ensemble
# ---------------------------------------------------------------------------------------------

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
for _p in (str(ROOT), str(TESTS)):  # spawn workers inherit sys.path from here
    if _p not in sys.path:
        sys.path.insert(0, _p)

import _toy_runs  # noqa: E402

from experiments.ensemble import RunSpec, run_ensemble  # noqa: E402


def _specs() -> list[RunSpec]:
    return [
        RunSpec(run_id=f"v{v}-r{r:03d}", config={"mu": v, "n": 20}, seed=100 + r)
        for v in (0, 1)
        for r in range(4)
    ]


def _run(out: Path, fn=_toy_runs.toy_run):
    # chunk_seconds tiny: one run per chunk, so there are chunks to damage
    return run_ensemble(_specs(), fn, out, backend="sequential", progress=False, chunk_seconds=1e-9)


def _frames(res) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    return res.summary.drop(columns="wall_time_s"), res.tables


def _assert_same(a, b) -> None:
    sa, ta = _frames(a)
    sb, tb = _frames(b)
    pd.testing.assert_frame_equal(sa, sb)
    assert sorted(ta) == sorted(tb)
    for name in ta:
        pd.testing.assert_frame_equal(ta[name], tb[name])


@pytest.mark.parametrize("damage", ["truncate", "copy_over", "delete_table", "manifest_garbage"])
def test_damaged_chunk_is_redone_on_resume(tmp_path, capsys, damage):
    """A truncated chunk, a valid chunk copied over another, a missing table or a garbled
    manifest: the resume says so, runs those runs again, and equals an undamaged sweep."""
    reference = _run(tmp_path / "reference")
    out = tmp_path / "damaged"
    _run(out)
    summaries = sorted((out / "chunks").glob("*.summary.parquet"))
    assert len(summaries) == 8
    victim, other = summaries[0], summaries[1]
    key = victim.name.split(".")[0]
    if damage == "truncate":
        victim.write_bytes(victim.read_bytes()[:100])
    elif damage == "copy_over":
        victim.write_bytes(other.read_bytes())
    elif damage == "delete_table":
        next((out / "chunks").glob(f"{key}.table.*.parquet")).unlink()
    else:
        (out / "chunks" / f"{key}.manifest.json").write_text("{not json")
    capsys.readouterr()
    resumed = _run(out)
    err = capsys.readouterr().err
    assert f"stored chunk {out / 'chunks' / key}" in err and "run again" in err
    assert resumed.n_done == 1 and resumed.n_skipped_resumed == 7
    _assert_same(resumed, reference)


def _enospc(*args, **kwargs):
    import errno

    raise OSError(errno.ENOSPC, "No space left on device")


def test_disk_full_while_storing_leaves_a_clean_resume(tmp_path, monkeypatch):
    """A full disk in the middle of a sweep raises ENOSPC, leaves no temp file, and the
    resume finishes to the same result."""
    import errno

    reference = _run(tmp_path / "reference")
    out = tmp_path / "full"
    real = pd.DataFrame.to_parquet
    calls = {"n": 0}

    def filling(self, path, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 7:
            Path(path).write_bytes(b"PAR1 half")
            _enospc()
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", filling)
    with pytest.raises(OSError) as info:
        _run(out)
    assert info.value.errno == errno.ENOSPC
    monkeypatch.setattr(pd.DataFrame, "to_parquet", real)
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    resumed = _run(out)
    assert resumed.n_skipped_resumed >= 1
    _assert_same(resumed, reference)


_MAIN = """
import sys
sys.path[:0] = [{root!r}, {tests!r}]
import _toy_runs
from experiments.ensemble import RunSpec, run_ensemble
specs = [RunSpec(run_id=f"r{{i:03d}}", config={{"sleep": 60}}, seed=i) for i in range(2)]
run_ensemble(specs, _toy_runs.sleepy_run, {out!r}, backend="local", workers=2, progress=False)
"""


def test_workers_die_with_a_killed_main_process(tmp_path):
    """kill -9 of the main process only (not its group): its worker processes end too."""
    script = _MAIN.format(root=str(ROOT), tests=str(TESTS), out=str(tmp_path / "out"))
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        children: list[int] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(children) < 2:
            time.sleep(0.2)
            children = _children(proc.pid)
        assert len(children) >= 2, "the workers never started"
        time.sleep(1.0)  # the workers run their initializer
        workers = _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def _children(pid: int) -> list[int]:
    """Direct child processes of `pid` (Linux /proc)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(x) for x in path.read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not reaped, counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


# ---------------------------------------------------------------------------------------------
# compare: one command per out=, a full disk while writing the outputs
# ---------------------------------------------------------------------------------------------

COMPARE = [
    "compare",
    "designs=gatekeeping,early_signalling",
    "replications=2",
    "backend=sequential",
    *SMALL,
]


def test_second_compare_into_the_same_out_stops_with_one_line(tmp_path, capsys):
    """While one compare holds out=, a second stops at once (exit 2, one line) and leaves
    the folder as it was; the lock dies with its holder (released when the holder ends)."""
    from experiments.cli import main
    from experiments.out_lock import out_dir_lock

    out = tmp_path / "out"
    out.mkdir()
    with out_dir_lock(out, "compare"):
        before = sorted(p.name for p in out.iterdir())
        assert main([*COMPARE, f"out={out}"]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("ketensim: error: out=") and "another ketensim compare" in err
        assert "\n" not in err
        assert sorted(p.name for p in out.iterdir()) == before


def test_disk_full_while_writing_outputs_gives_one_line_and_a_clean_resume(
    tmp_path, capsys, monkeypatch
):
    """ENOSPC while the figures are written: one line, exit 1, no half-written output in
    out=; the same command afterwards reuses every run and writes everything."""
    import errno

    from experiments.cli import main
    from experiments.report import figures

    out = tmp_path / "out"
    real = figures.make_all_figures

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(figures, "make_all_figures", full)
    assert main([*COMPARE, f"out={out}"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("ketensim: error: disk full while writing in")
    assert "resume" in err[-1]
    left = sorted(p.name for p in out.iterdir())
    assert left == [".ketensim.lock", "ensemble"]  # no table, figure or brief half-written
    monkeypatch.setattr(figures, "make_all_figures", real)
    assert main([*COMPARE, f"out={out}"]) == 0
    err = capsys.readouterr().err
    assert "4 of 4 runs already done and reused" in err
    assert (out / "brief.html").is_file() and (out / "compare.json").is_file()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp") or ".outputs-" in str(p)]


def test_local_dask_cluster_serves_no_http_pages():
    """dashboard_address=None alone still served the scheduler's info pages and JSON on a
    port; now no port of the local cluster answers an HTTP page."""
    pytest.importorskip("distributed")
    import http.client
    import urllib.error
    import urllib.request

    import psutil

    from experiments.ensemble import make_executor

    with make_executor("dask", workers=1) as (executor, _):
        assert executor.submit(sum, [1, 2]).result() == 3
        ports = {
            c.laddr.port
            for c in psutil.Process().net_connections(kind="tcp")
            if c.status == psutil.CONN_LISTEN
        }
        assert ports
        for c in psutil.Process().net_connections(kind="tcp"):
            if c.status == psutil.CONN_LISTEN:
                assert c.laddr.ip == "127.0.0.1"
        served = []
        for port in ports:
            for page in ("/info/main/workers.html", "/json/counts.json", "/metrics"):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=3):
                        served.append((port, page))
                except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException):
                    pass
        assert served == []


def test_a_store_without_manifests_is_redone_with_a_short_message(tmp_path, capsys):
    """Chunks without a manifest (left by an older version) are all run again; a few are
    named, then one line counts them."""
    reference = _run(tmp_path / "reference")
    out = tmp_path / "old"
    _run(out)
    for manifest in (out / "chunks").glob("*.manifest.json"):
        manifest.unlink()
    capsys.readouterr()
    resumed = _run(out)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 6 and "8 stored chunks" in err[-1]
    assert resumed.n_done == 8 and resumed.n_skipped_resumed == 0
    _assert_same(resumed, reference)


@pytest.mark.parametrize("failing", ["every", "baseline"])
def test_failed_runs_give_one_line_and_no_brief(tmp_path, capsys, monkeypatch, failing):
    """When every run, or every run of the baseline, fails: exit 1, one line naming the
    failures folder, no traceback and no table or brief built from what is left."""
    from experiments import compare
    from experiments.cli import main

    real = compare.run

    def broken(cfg, *args, **kwargs):
        if failing == "every" or cfg.design.name == "gatekeeping":
            raise RuntimeError("injected failure")
        return real(cfg, *args, **kwargs)

    monkeypatch.setattr(compare, "run", broken)
    out = tmp_path / "out"
    assert main([*COMPARE, f"out={out}"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    expected = "all 4 runs failed" if failing == "every" else "every run of the baseline"
    assert last.startswith("ketensim: error: ") and expected in last
    assert str(out / "ensemble" / "failures") in last
    assert not (out / "brief.html").exists() and not (out / "outcomes.csv").exists()
