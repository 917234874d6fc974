"""Tests for experiments.ensemble: backends agree, resume after SIGKILL, failures, memory."""

from __future__ import annotations

import functools
import gc
import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
import weakref
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
for _p in (str(ROOT), str(TESTS)):  # spawn/dask workers inherit sys.path from here
    if _p not in sys.path:
        sys.path.insert(0, _p)

import _toy_runs  # noqa: E402

from experiments import ensemble  # noqa: E402
from experiments.ensemble import RunSpec, load_ensemble, run_ensemble  # noqa: E402


def make_specs(n: int = 12, **config) -> list[RunSpec]:
    specs = []
    for design in ("gatekeeping", "early_signalling"):
        for r in range(n // 2):
            cfg = {"mu": 0.1 if design == "gatekeeping" else -0.1, "n": 30, **config}
            specs.append(
                RunSpec(
                    run_id=f"{design}-r{r:03d}",
                    config=cfg,
                    seed=1000 + r,  # common random numbers across designs
                    labels={"design": design, "replication": r},
                )
            )
    return specs


def comparable(res: ensemble.EnsembleResult) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    return res.summary.drop(columns="wall_time_s"), res.tables


def assert_same(a: ensemble.EnsembleResult, b: ensemble.EnsembleResult) -> None:
    sa, ta = comparable(a)
    sb, tb = comparable(b)
    pd.testing.assert_frame_equal(sa, sb)
    assert sorted(ta) == sorted(tb)
    for name in ta:
        pd.testing.assert_frame_equal(ta[name], tb[name])


def no_tmp_files(out_dir: Path) -> bool:
    return not [p for p in out_dir.rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> ensemble.EnsembleResult:
    out = tmp_path_factory.mktemp("reference")
    return run_ensemble(make_specs(), _toy_runs.toy_run, out, backend="sequential", progress=False)


def test_reference_shape(reference, tmp_path):
    res = reference
    assert res.n_done == 12 and res.n_failed == 0 and res.n_skipped_resumed == 0
    assert list(res.summary.columns) == [
        "run_id",
        "seed",
        "design",
        "replication",
        "wall_time_s",
        "mean",
        "last",
        "n",
    ]
    assert list(res.summary["run_id"]) == sorted(s.run_id for s in make_specs())
    assert set(res.tables) == {"weekly", "cost"}
    assert len(res.tables["weekly"]) == 12 * 30
    assert res.tables["weekly"].columns[0] == "run_id"
    # Loading from disk gives the same thing.
    assert_same(load_ensemble(res.out_dir), res)
    assert no_tmp_files(res.out_dir)


def test_chunking_does_not_change_results(reference, tmp_path):
    big = run_ensemble(
        make_specs(),
        _toy_runs.toy_run,
        tmp_path / "big",
        backend="sequential",
        chunk_seconds=100.0,
        progress=False,
    )
    assert_same(big, reference)
    n_chunks = len(list((tmp_path / "big" / "chunks").glob("*.summary.parquet")))
    assert 1 < n_chunks < 12  # first run alone, then larger chunks


def test_local_processes_identical(reference, tmp_path):
    res = run_ensemble(
        make_specs(),
        _toy_runs.toy_run,
        tmp_path / "local",
        backend="local",
        workers=2,
        chunk_seconds=0.001,
        progress=False,
    )
    assert res.n_done == 12
    assert_same(res, reference)
    assert no_tmp_files(tmp_path / "local")


def test_dask_local_cluster_identical(reference, tmp_path):
    pytest.importorskip("distributed")
    res = run_ensemble(
        make_specs(),
        _toy_runs.toy_run,
        tmp_path / "dask",
        backend="dask",
        workers=2,
        chunk_seconds=0.001,
        progress=False,
    )
    assert res.n_done == 12
    assert_same(res, reference)


def test_dask_missing_gives_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match=r"pip install -e \.\[dask\]"):
        run_ensemble(make_specs(2), _toy_runs.toy_run, tmp_path, backend="dask", progress=False)


def test_rerun_skips_everything(reference, tmp_path):
    out = tmp_path / "again"
    run_ensemble(make_specs(), _toy_runs.toy_run, out, backend="sequential", progress=False)
    again = run_ensemble(make_specs(), _toy_runs.toy_run, out, backend="sequential", progress=False)
    assert again.n_done == 0 and again.n_skipped_resumed == 12
    assert_same(again, reference)


def test_invalid_specs_rejected(tmp_path):
    spec = make_specs(2)[0]
    with pytest.raises(ValueError, match="duplicate"):
        run_ensemble([spec, spec], _toy_runs.toy_run, tmp_path, backend="sequential")
    with pytest.raises(ValueError, match="run_id"):
        bad = RunSpec(run_id="../evil", config={}, seed=1, labels={})
        run_ensemble([bad], _toy_runs.toy_run, tmp_path, backend="sequential")
    with pytest.raises(ValueError, match="backend"):
        run_ensemble([spec], _toy_runs.toy_run, tmp_path, backend="mpi")


KILLED_SWEEP = """
import sys
sys.path[:0] = [{root!r}, {tests!r}]
from pathlib import Path
import _toy_runs
from experiments.ensemble import RunSpec, run_ensemble
specs = [RunSpec(**s) for s in {specs!r}]
run_ensemble(specs, _toy_runs.sleepy_run, Path({out!r}), backend="local", workers=2,
             chunk_seconds=0.3, progress=False)
"""


def test_resume_after_sigkill(reference, tmp_path):
    out = tmp_path / "killed"
    log1, log2 = tmp_path / "log1", tmp_path / "log2"
    specs = make_specs(sleep=0.25, log=str(log1))
    script = KILLED_SWEEP.format(
        root=str(ROOT),
        tests=str(TESTS),
        out=str(out),
        specs=[s.__dict__ for s in specs],
    )
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            if len(list(out.glob("chunks/*.manifest.json"))) >= 3 or proc.poll() is not None:
                break
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the runner and its spawn workers
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the sweep finished before it could be killed"

    done_before = load_ensemble(out)
    ids_before = set(done_before.summary["run_id"])
    assert 3 <= len(ids_before) < 12

    # Resume (in process, no sleeping, logging to a fresh file).
    specs2 = make_specs(sleep=0.0, log=str(log2))
    res = run_ensemble(specs2, _toy_runs.sleepy_run, out, backend="sequential", progress=False)
    assert res.n_skipped_resumed == len(ids_before)
    assert res.n_done == 12 - len(ids_before)
    seed_of = {s.run_id: s.seed for s in specs}
    rerun_seeds = [int(x) for x in log2.read_text().split()]
    # Replications share seeds across designs, so compare (seed, count) multisets.
    expected = sorted(seed_of[r] for r in seed_of if r not in ids_before)
    assert sorted(rerun_seeds) == expected
    assert_same(res, reference)
    assert no_tmp_files(out)


def test_failures_recorded_and_retried(reference, tmp_path):
    out = tmp_path / "fail"
    specs = make_specs(fail_seeds=[1002, 1004])  # 2 seeds x 2 designs = 4 failing runs
    res = run_ensemble(specs, _toy_runs.failing_run, out, backend="sequential", progress=False)
    assert res.n_done == 8 and res.n_failed == 4
    assert len(res.summary) == 8 and len(res.failures) == 4
    files = sorted((out / "failures").glob("*.json"))
    assert [f.stem for f in files] == sorted(s.run_id for s in specs if s.seed in (1002, 1004))
    rec = json.loads(files[0].read_text())
    assert rec["run_id"] == "early_signalling-r002"
    assert rec["seed"] == 1002
    assert rec["labels"] == {"design": "early_signalling", "replication": 2}
    assert rec["config"]["fail_seeds"] == [1002, 1004]
    assert rec["error_type"] == "ValueError"
    assert "toy failure for seed 1002" in rec["error_message"]
    assert "Traceback" in rec["traceback"] and "failing_run" in rec["traceback"]
    assert res.failures[0] == rec

    # Fixed model: failed runs are retried, the others are not, failure files are cleared.
    fixed = run_ensemble(
        make_specs(fail_seeds=[]),
        _toy_runs.failing_run,
        out,
        backend="sequential",
        progress=False,
    )
    assert fixed.n_done == 4 and fixed.n_failed == 0 and fixed.n_skipped_resumed == 8
    assert fixed.failures == [] and not list((out / "failures").glob("*.json"))
    assert_same(fixed, reference)


def test_failures_on_worker_processes(tmp_path):
    specs = make_specs(fail_seeds=[1001])
    res = run_ensemble(
        specs, _toy_runs.failing_run, tmp_path, backend="local", workers=2, progress=False
    )
    assert (res.n_done, res.n_failed) == (10, 2)
    assert {f["run_id"] for f in res.failures} == {"gatekeeping-r001", "early_signalling-r001"}


def test_chunk_write_is_atomic(reference, tmp_path, monkeypatch):
    """A crash while writing a chunk leaves no partial file; the rerun completes the sweep."""
    out = tmp_path / "atomic"
    real = pd.DataFrame.to_parquet
    calls = {"n": 0}

    def flaky(self, path, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:  # in the middle of the second chunk's files
            Path(path).write_bytes(b"PAR1 half a file")
            raise OSError("disk full (simulated)")
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", flaky)
    with pytest.raises(OSError, match="simulated"):
        run_ensemble(make_specs(), _toy_runs.toy_run, out, backend="sequential", progress=False)
    assert no_tmp_files(out)
    for path in out.glob("chunks/*.parquet"):
        pd.read_parquet(path)  # every file that exists is complete
    monkeypatch.setattr(pd.DataFrame, "to_parquet", real)

    res = run_ensemble(make_specs(), _toy_runs.toy_run, out, backend="sequential", progress=False)
    assert res.n_skipped_resumed >= 1
    assert_same(res, reference)
    # No table files of uncommitted chunks are left behind.
    keys = {p.name.split(".")[0] for p in out.glob("chunks/*.summary.parquet")}
    assert {p.name.split(".")[0] for p in out.glob("chunks/*.table.*.parquet")} <= keys


# ---------------------------------------------------------------------------------------------
# Memory: Mesa 3.3.1 keeps every model alive in mesa.Agent._ids
# ---------------------------------------------------------------------------------------------


def _needs_mesa_registry(mesa) -> None:
    if not hasattr(mesa.Agent, "_ids"):  # Python 3.12+ runs Mesa 3.4 or later
        pytest.skip(f"Mesa {mesa.__version__} keeps no model registry (Agent._ids): no leak")


def test_mesa_leak_without_cleanup():
    """Documents the Mesa 3.3.1 leak: without cleanup each model stays in Agent._ids."""
    import mesa

    _needs_mesa_registry(mesa)

    n0 = len(mesa.Agent._ids)
    model_cls = _toy_runs.tiny_model_class()
    refs = []
    for seed in range(20):
        model = model_cls(n_agents=5, rng=seed)
        model.step()
        refs.append(weakref.ref(model))
        del model
    gc.collect()
    try:
        assert len(mesa.Agent._ids) == n0 + 20
        assert all(r() is not None for r in refs)  # still alive: a leak
    finally:
        for r in refs:
            if r() is not None:
                mesa.Agent._ids.pop(r(), None)
    gc.collect()
    assert len(mesa.Agent._ids) == n0
    assert all(r() is None for r in refs)  # cleanup frees them


def test_memory_flat_over_many_mesa_runs():
    """200 Mesa runs through the worker function in one process: memory stays flat."""
    import mesa

    _needs_mesa_registry(mesa)

    n0 = len(mesa.Agent._ids)
    cfg = {"n_agents": 20, "steps": 3}
    specs = [RunSpec(run_id=f"m{i:04d}", config=cfg, seed=i, labels={}) for i in range(200)]

    def run_chunks(chunk_specs):
        for i in range(0, len(chunk_specs), 20):
            recs = ensemble._run_chunk(_toy_runs.run_tiny_mesa, chunk_specs[i : i + 20])
            assert all(r["ok"] for r in recs)

    run_chunks(specs[:20])  # warm up caches (imports, numpy, mesa internals)
    tracemalloc.start()
    try:
        run_chunks(specs[20:40])
        after_20, _ = tracemalloc.get_traced_memory()
        run_chunks(specs[40:200])
        after_200, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(mesa.Agent._ids) == n0
    # A leaked model of 20 agents costs ~25 kB here; 160 leaked models would be ~4 MB.
    assert after_200 - after_20 < 256 * 1024, (after_20, after_200)

    # And the same loop without cleanup does grow, so the check above has teeth.
    leaky = functools.partial(_toy_runs.run_tiny_mesa, cleanup=False)
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        ensemble._run_chunk(leaky, specs[:100])
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        for model in [m for m in mesa.Agent._ids if m.__class__.__name__ == "TinyModel"]:
            mesa.Agent._ids.pop(model, None)
        gc.collect()
    assert after - before > 1024 * 1024, (before, after)
