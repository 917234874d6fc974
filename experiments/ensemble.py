"""Ensemble runner: one seam for running many model runs, anywhere.

The runner is model-agnostic. It takes a list of :class:`RunSpec` and a top-level (picklable)
``run_fn(config, seed) -> {"summary": {name: float}, "tables": {name: DataFrame}}`` and executes
the runs through the standard :class:`concurrent.futures.Executor` interface:

* ``backend="sequential"``: in this process (debugging, tiny ensembles);
* ``backend="local"``: a :class:`~concurrent.futures.ProcessPoolExecutor` with the *spawn* start
  method (``workers`` defaults to ``os.cpu_count()``);
* ``backend="dask"``: a ``dask.distributed`` cluster through ``client.get_executor()``. With
  ``address`` it connects to a running scheduler, otherwise it starts a ``LocalCluster``.
  Dask is optional: ``pip install -e .[dask]``.

  On a SLURM cluster use dask-jobqueue: start the cluster yourself and pass its scheduler
  address::

      from dask_jobqueue import SLURMCluster
      cluster = SLURMCluster(cores=1, processes=1, memory="4GB", walltime="02:00:00")
      cluster.scale(jobs=32)               # or cluster.adapt(maximum_jobs=64)
      run_ensemble(specs, run, out, backend="dask", address=cluster.scheduler_address)

  Workers must be able to import ``run_fn`` (install the project on the cluster's Python).

Runs are grouped into chunks of about ``chunk_seconds`` of work each (the size adapts to the
measured time per run; the first chunks hold one run each). Every finished chunk is written
atomically to Parquet under ``out_dir/chunks/``; its manifest (the run_ids and the SHA-256
and size of each of its files) is written last and is the chunk's commit marker. Calling
:func:`run_ensemble` again with the same ``out_dir`` resumes: runs whose ``run_id`` is in a
committed chunk whose files match its manifest are skipped; a chunk with a missing,
truncated or changed file (or another chunk's files copied over it) is deleted and its runs
run again, with a line on stderr saying so; failed runs are retried. Results are sorted by
``run_id`` and do not depend on backend, worker count or completion order (except the
``wall_time_s`` column, which is measured).

Worker processes of the local backend die with the process that started them (Linux:
``PR_SET_PDEATHSIG``; elsewhere a thread watching the parent), so a kill -9 of the main
process leaves no workers behind.

A ``run_id`` is the run's identity: a run whose ``run_id`` is already committed is not rerun even
if its config changed, so put a hash of the config into the run_id (as `compare` does) or use a
new ``out_dir``. Run one sweep per ``out_dir`` at a time.

Results travel back to the calling process, which writes all files (so a remote dask cluster
needs no shared file system). Files written::

    out_dir/chunks/<key>.summary.parquet      one row per run: run_id, seed, labels...,
                                              wall_time_s, summary values...
    out_dir/chunks/<key>.table.<name>.parquet the run's table <name>, with a run_id column first
    out_dir/chunks/<key>.manifest.json        run_ids and checksums of the chunk's files
    out_dir/failures/<run_id>.json            a failed run: config, seed, error, traceback
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import gc
import hashlib
import json
import math
import re
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.atomic_files import checksum, write_json, write_parquet
from experiments.executors import (
    BACKENDS,
    Interrupted,
    Progress,
    make_executor,
    sigterm_interrupts,
)

__all__ = [
    "BACKENDS",
    "EnsembleResult",
    "Interrupted",
    "RunFn",
    "RunSpec",
    "load_ensemble",
    "make_executor",
    "run_ensemble",
]

RunFn = Callable[[dict, int], dict]
"""``run_fn(config, seed) -> {"summary": {name: float}, "tables": {name: DataFrame}}``."""


_RUN_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._=+,-]*$")
_TABLE_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_RESERVED = ("run_id", "seed", "wall_time_s")
_SUMMARY_SUFFIX = ".summary.parquet"
_MANIFEST_SUFFIX = ".manifest.json"
_SAY_AT_MOST = 5  # damaged chunks named one by one on resume; beyond that, a count


@dataclass(frozen=True)
class RunSpec:
    """One model run: a unique, stable ``run_id``, the resolved config, the seed, labels."""

    run_id: str
    config: dict
    seed: int
    labels: dict = field(default_factory=dict)


@dataclass
class EnsembleResult:
    """Completed runs (sorted by ``run_id``), their tables, and the runs that failed."""

    summary: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    failures: list[dict]
    n_done: int
    n_failed: int
    n_skipped_resumed: int
    out_dir: Path | None = None


# --------------------------------------------------------------------------------------------
# Worker side
# --------------------------------------------------------------------------------------------


def _execute_one(run_fn: RunFn, spec: RunSpec) -> dict:
    """Run one spec; never raises. Returns a record with either results or an error."""
    t0 = time.perf_counter()
    try:
        out = run_fn(spec.config, spec.seed)
        summary, tables = _validate_output(out, spec)
        return {
            "run_id": spec.run_id,
            "ok": True,
            "wall_time_s": time.perf_counter() - t0,
            "summary": summary,
            "tables": tables,
        }
    except Exception as exc:
        return {
            "run_id": spec.run_id,
            "ok": False,
            "wall_time_s": time.perf_counter() - t0,
            "error_type": type(exc).__name__,
            "error_message": str(exc),
            "traceback": traceback.format_exc(),
        }


def _validate_output(out: Any, spec: RunSpec) -> tuple[dict, dict]:
    if not isinstance(out, dict) or "summary" not in out:
        raise TypeError(
            f"run_fn must return a dict with 'summary' (and optional 'tables'), "
            f"got {type(out).__name__}"
        )
    summary = dict(out["summary"])
    tables = dict(out.get("tables") or {})
    clash = set(summary) & (set(_RESERVED) | set(spec.labels))
    if clash:
        raise ValueError(f"summary keys clash with run_id/seed/wall_time_s/labels: {sorted(clash)}")
    for name, table in tables.items():
        if not isinstance(name, str) or not _TABLE_RE.match(name):
            raise ValueError(f"table name {name!r} must match {_TABLE_RE.pattern}")
        if not isinstance(table, pd.DataFrame):
            raise TypeError(f"table {name!r} must be a pandas DataFrame, got {type(table)}")
        if "run_id" in table.columns:
            raise ValueError(f"table {name!r} must not have a 'run_id' column")
    return summary, tables


def _run_chunk(run_fn: RunFn, specs: list[RunSpec]) -> list[dict]:
    """Task executed on a worker: run every spec of one chunk, then collect garbage.

    Models that stay reachable (e.g. through ``mesa.Agent._ids``) are the run function's job
    to release; the ``gc.collect()`` here frees reference cycles between chunks.
    """
    try:
        return [_execute_one(run_fn, spec) for spec in specs]
    finally:
        gc.collect()


# --------------------------------------------------------------------------------------------
# Storage
# --------------------------------------------------------------------------------------------


def _chunk_key(run_ids: Sequence[str]) -> str:
    digest = hashlib.sha1("\n".join(sorted(run_ids)).encode()).hexdigest()
    return f"c-{digest[:16]}"


def _summary_frame(records: list[dict], specs: dict[str, RunSpec]) -> pd.DataFrame:
    """run_id, seed, labels..., wall_time_s, summary... (label/summary keys by first use)."""
    label_keys: dict[str, None] = {}
    summary_keys: dict[str, None] = {}
    for rec in records:
        label_keys.update(dict.fromkeys(specs[rec["run_id"]].labels))
        summary_keys.update(dict.fromkeys(rec["summary"]))
    rows = []
    for rec in records:
        spec = specs[rec["run_id"]]
        rows.append(
            {
                "run_id": spec.run_id,
                "seed": spec.seed,
                **spec.labels,
                "wall_time_s": rec["wall_time_s"],
                **rec["summary"],
            }
        )
    columns = ["run_id", "seed", *label_keys, "wall_time_s", *summary_keys]
    return pd.DataFrame(rows, columns=columns)


def _write_chunk(chunks_dir: Path, records: list[dict], specs: dict[str, RunSpec]) -> None:
    """Write the successful runs of one chunk: tables first, the summary (commit marker) last."""
    records = sorted(records, key=lambda r: r["run_id"])
    key = _chunk_key([r["run_id"] for r in records])
    names = sorted({name for rec in records for name in rec["tables"]})
    for name in names:
        parts = []
        for rec in records:
            if name in rec["tables"]:
                table = rec["tables"][name].reset_index(drop=True)
                parts.append(table.assign(run_id=rec["run_id"])[["run_id", *table.columns]])
        write_parquet(
            pd.concat(parts, ignore_index=True), chunks_dir / f"{key}.table.{name}.parquet"
        )
    write_parquet(_summary_frame(records, specs), chunks_dir / f"{key}{_SUMMARY_SUFFIX}")
    files = [f"{key}{_SUMMARY_SUFFIX}", *(f"{key}.table.{name}.parquet" for name in names)]
    manifest = {
        "run_ids": [r["run_id"] for r in records],
        "files": {f: checksum(chunks_dir / f) for f in files},
    }
    write_json(manifest, chunks_dir / f"{key}{_MANIFEST_SUFFIX}")


def _chunk_problem(chunks_dir: Path, key: str) -> str | None:
    """Why the stored chunk `key` cannot be used (None: its files match its manifest)."""
    manifest_path = chunks_dir / f"{key}{_MANIFEST_SUFFIX}"
    if not manifest_path.is_file():
        return "has no manifest (an interrupted write or an older version)"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        run_ids, files = list(manifest["run_ids"]), dict(manifest["files"])
    except (ValueError, KeyError, TypeError, OSError):
        return "has an unreadable manifest"
    if _chunk_key(run_ids) != key or f"{key}{_SUMMARY_SUFFIX}" not in files:
        return "has a manifest of another chunk"
    for name, expected in files.items():
        path = chunks_dir / name
        if not path.is_file():
            return f"misses {name}"
        if path.stat().st_size != expected.get("bytes") or checksum(path) != expected:
            return f"has a truncated or changed {name}"
    return None


def _committed_chunks(out_dir: Path) -> list[Path]:
    """Summary files of the committed chunks whose files match their manifest."""
    chunks_dir = out_dir / "chunks"
    if not chunks_dir.is_dir():
        return []
    return [
        path
        for path in sorted(chunks_dir.glob(f"*{_SUMMARY_SUFFIX}"))
        if _chunk_problem(chunks_dir, path.name[: -len(_SUMMARY_SUFFIX)]) is None
    ]


def _drop_damaged_chunks(out_dir: Path) -> None:
    """Delete the files of every stored chunk that fails its check, saying so: its runs are
    then not done and run again."""
    chunks_dir = out_dir / "chunks"
    if not chunks_dir.is_dir():
        return
    keys = {
        p.name.split(".", 1)[0]
        for pattern in (f"*{_SUMMARY_SUFFIX}", f"*{_MANIFEST_SUFFIX}")
        for p in chunks_dir.glob(pattern)
    }
    damaged = 0
    for key in sorted(keys):
        if not (chunks_dir / f"{key}{_SUMMARY_SUFFIX}").exists():
            problem = f"misses {key}{_SUMMARY_SUFFIX}"
        else:
            problem = _chunk_problem(chunks_dir, key)
        if problem is None:
            continue
        damaged += 1
        if damaged <= _SAY_AT_MOST:  # a store of an older version: a few lines, then a count
            print(
                f"ketensim: stored chunk {chunks_dir / key} {problem}: deleted, its runs are "
                "run again",
                file=sys.stderr,
                flush=True,
            )
        for path in chunks_dir.glob(f"{key}.*"):
            with contextlib.suppress(OSError):
                path.unlink()
    if damaged > _SAY_AT_MOST:
        print(
            f"ketensim: {damaged} stored chunks in {chunks_dir} failed their check in all: "
            "deleted, their runs are run again",
            file=sys.stderr,
            flush=True,
        )


def _completed_run_ids(out_dir: Path) -> set[str]:
    done: set[str] = set()
    for path in _committed_chunks(out_dir):
        done.update(pd.read_parquet(path, columns=["run_id"])["run_id"].astype(str))
    return done


def _cleanup_partial(out_dir: Path) -> None:
    """Remove temp files and table files of chunks whose summary was never committed."""
    chunks_dir = out_dir / "chunks"
    for d in (chunks_dir, out_dir / "failures"):
        if d.is_dir():
            for tmp in d.glob(".*.tmp"):
                with contextlib.suppress(OSError):
                    tmp.unlink()
    if chunks_dir.is_dir():
        committed = {p.name[: -len(_SUMMARY_SUFFIX)] for p in _committed_chunks(out_dir)}
        for table in chunks_dir.glob("*.table.*.parquet"):
            if table.name.split(".table.", 1)[0] not in committed:
                with contextlib.suppress(OSError):
                    table.unlink()
        for manifest in chunks_dir.glob(f"*{_MANIFEST_SUFFIX}"):
            if manifest.name[: -len(_MANIFEST_SUFFIX)] not in committed:
                with contextlib.suppress(OSError):
                    manifest.unlink()


def _ordered_union(groups: list[list[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for g in groups:
        seen.update(dict.fromkeys(g))
    return list(seen)


def load_ensemble(out_dir: Path | str, run_ids: set[str] | None = None) -> EnsembleResult:
    """Load every committed run (or only ``run_ids``) and the recorded failures from out_dir."""
    out_dir = Path(out_dir)
    frames: list[tuple[str, pd.DataFrame]] = []
    for path in _committed_chunks(out_dir):
        df = pd.read_parquet(path)
        if run_ids is not None:
            df = df[df["run_id"].isin(run_ids)]
        if len(df):
            frames.append((path.name[: -len(_SUMMARY_SUFFIX)], df))
    # Column order: run_id, seed, labels, wall_time_s, summary; within the label and the
    # summary groups, first use over chunks ordered by their first run_id.
    frames.sort(key=lambda kf: kf[1]["run_id"].min())
    label_groups, summary_groups = [], []
    for _, df in frames:
        cols = list(df.columns)
        i = cols.index("wall_time_s")
        label_groups.append(cols[2:i])
        summary_groups.append(cols[i + 1 :])
    columns = [
        "run_id",
        "seed",
        *_ordered_union(label_groups),
        "wall_time_s",
        *_ordered_union(summary_groups),
    ]
    if frames:
        summary = pd.concat([df for _, df in frames], ignore_index=True)
        summary = summary.sort_values("run_id", kind="stable", ignore_index=True)[columns]
        dup = summary["run_id"].duplicated()
        if dup.any():  # only if the same run_id was committed twice (e.g. concurrent sweeps)
            summary = summary[~dup].reset_index(drop=True)
    else:
        summary = pd.DataFrame(columns=columns)

    tables: dict[str, pd.DataFrame] = {}
    table_parts: dict[str, list[pd.DataFrame]] = {}
    for key, _ in frames:
        for path in sorted((out_dir / "chunks").glob(f"{key}.table.*.parquet")):
            name = path.name[len(key) + len(".table.") : -len(".parquet")]
            df = pd.read_parquet(path)
            if run_ids is not None:
                df = df[df["run_id"].isin(run_ids)]
            table_parts.setdefault(name, []).append(df)
    for name in sorted(table_parts):
        parts = sorted(table_parts[name], key=lambda d: d["run_id"].min() if len(d) else "")
        cols = _ordered_union([list(p.columns) for p in parts])
        df = pd.concat(parts, ignore_index=True)
        tables[name] = df.sort_values("run_id", kind="stable", ignore_index=True)[cols]

    done = set(summary["run_id"])
    failures = []
    fail_dir = out_dir / "failures"
    if fail_dir.is_dir():
        for path in sorted(fail_dir.glob("*.json")):
            try:
                rec = json.loads(path.read_text(encoding="utf-8"))
                run_id = rec["run_id"]
            except (ValueError, KeyError, TypeError):  # damaged: the run is retried anyway
                continue
            if run_id not in done and (run_ids is None or run_id in run_ids):
                failures.append(rec)
    failures.sort(key=lambda r: r["run_id"])
    return EnsembleResult(
        summary=summary,
        tables=tables,
        failures=failures,
        n_done=len(summary),
        n_failed=len(failures),
        n_skipped_resumed=0,
        out_dir=out_dir,
    )


# --------------------------------------------------------------------------------------------
# Scheduling
# --------------------------------------------------------------------------------------------


def _validate_specs(specs: Sequence[RunSpec]) -> None:
    seen: set[str] = set()
    for spec in specs:
        if not isinstance(spec, RunSpec):
            raise TypeError(f"expected RunSpec, got {type(spec).__name__}")
        if not _RUN_ID_RE.match(spec.run_id):
            raise ValueError(f"run_id {spec.run_id!r} must match {_RUN_ID_RE.pattern}")
        if spec.run_id in seen:
            raise ValueError(f"duplicate run_id {spec.run_id!r}")
        seen.add(spec.run_id)
        bad = set(spec.labels) & set(_RESERVED)
        if bad:
            raise ValueError(f"labels of {spec.run_id!r} use reserved names {sorted(bad)}")


class _ChunkSizer:
    """Chunk size from the mean measured time per run; 1 until a run has been timed."""

    def __init__(self, chunk_seconds: float) -> None:
        self.chunk_seconds = chunk_seconds
        self.total_time = 0.0
        self.n_timed = 0

    def observe(self, records: list[dict]) -> None:
        for rec in records:
            self.total_time += rec["wall_time_s"]
            self.n_timed += 1

    def next_size(self, n_pending: int, n_workers: int) -> int:
        if self.n_timed == 0:
            return 1
        per_run = max(self.total_time / self.n_timed, 1e-6)
        size = max(1, int(self.chunk_seconds / per_run))
        # Keep every worker busy at the end: at most an even share of what is left.
        return max(1, min(size, math.ceil(n_pending / n_workers)))


def _failure_record(spec: RunSpec, error: dict) -> dict:
    return {
        "run_id": spec.run_id,
        "labels": spec.labels,
        "seed": spec.seed,
        "config": spec.config,
        "error_type": error["error_type"],
        "error_message": error["error_message"],
        "traceback": error["traceback"],
        "wall_time_s": error.get("wall_time_s"),
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def run_ensemble(
    specs: Sequence[RunSpec],
    run_fn: RunFn,
    out_dir: Path,
    *,
    backend: str = "local",
    workers: int | None = None,
    address: str | None = None,
    chunk_seconds: float = 5.0,
    progress: bool = True,
    label: str = "runs",
) -> EnsembleResult:
    """Run every spec with ``run_fn`` on ``backend``, writing results to ``out_dir``; resumable.

    Runs already committed in ``out_dir`` are skipped; failures are written to
    ``out_dir/failures`` and retried by the next call. Returns the completed runs among
    ``specs`` (sorted by ``run_id``) and the runs that failed in this call.

    Progress: with ``progress``, a tqdm bar labelled ``label`` on a terminal, otherwise a
    log line on stderr every 5% of the runs. SIGTERM (like Ctrl-C) stops the workers and
    raises :class:`KeyboardInterrupt`; committed chunks stay and the next call resumes.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {BACKENDS}")
    if chunk_seconds <= 0:
        raise ValueError("chunk_seconds must be > 0")
    _validate_specs(specs)
    out_dir = Path(out_dir)
    chunks_dir = out_dir / "chunks"
    fail_dir = out_dir / "failures"
    chunks_dir.mkdir(parents=True, exist_ok=True)
    fail_dir.mkdir(parents=True, exist_ok=True)
    _drop_damaged_chunks(out_dir)
    _cleanup_partial(out_dir)

    by_id = {s.run_id: s for s in specs}
    done_before = _completed_run_ids(out_dir) & set(by_id)
    pending = [by_id[r] for r in sorted(by_id) if r not in done_before]
    pending.reverse()  # pop() from the end takes the smallest run_id first
    n_done = n_failed = 0

    bar = Progress(len(specs), len(done_before), label, progress)

    def handle(chunk: list[RunSpec], records: list[dict]) -> None:
        nonlocal n_done, n_failed
        ok = [r for r in records if r["ok"]]
        if ok:
            _write_chunk(chunks_dir, ok, by_id)
            for rec in ok:
                with contextlib.suppress(FileNotFoundError):
                    (fail_dir / f"{rec['run_id']}.json").unlink()
        for rec in records:
            if not rec["ok"]:
                write_json(
                    _failure_record(by_id[rec["run_id"]], rec), fail_dir / f"{rec['run_id']}.json"
                )
        n_done += len(ok)
        n_failed += len(records) - len(ok)
        bar.update(len(records), len(records) - len(ok))

    signals = contextlib.ExitStack()
    signals.enter_context(sigterm_interrupts())
    try:
        if pending:
            with make_executor(backend, workers, address) as (executor, n_workers):
                sizer = _ChunkSizer(chunk_seconds)
                in_flight: dict[cf.Future, list[RunSpec]] = {}

                def submit_more() -> None:
                    # Until a run has been timed, put only one single-run chunk per worker
                    # in flight; afterwards keep two chunks per worker queued.
                    n = n_workers()
                    limit = n if sizer.n_timed == 0 else 2 * n
                    while pending and len(in_flight) < limit:
                        size = sizer.next_size(len(pending), n)
                        chunk = [pending.pop() for _ in range(min(size, len(pending)))]
                        in_flight[executor.submit(_run_chunk, run_fn, chunk)] = chunk

                submit_more()
                while in_flight:
                    finished, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
                    for fut in sorted(finished, key=lambda f: in_flight[f][0].run_id):
                        chunk = in_flight.pop(fut)
                        try:
                            records = fut.result()
                        except Exception as exc:  # the task itself failed (worker died, ...)
                            err = {
                                "ok": False,
                                "wall_time_s": None,
                                "error_type": type(exc).__name__,
                                "error_message": f"chunk task failed: {exc}",
                                "traceback": "".join(traceback.format_exception(exc)),
                            }
                            records = [{**err, "run_id": s.run_id} for s in chunk]
                        else:
                            sizer.observe(records)
                        handle(chunk, records)
                    submit_more()
    finally:
        bar.close()
        signals.close()

    result = load_ensemble(out_dir, run_ids=set(by_id))
    result.n_done = n_done
    result.n_failed = n_failed
    result.n_skipped_resumed = len(done_before)
    return result
