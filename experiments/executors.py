"""How an ensemble's runs are executed: in this process, in local worker processes (which
die with their parent) or on a Dask cluster (no HTTP pages unless asked), with SIGTERM
turned into `Interrupted` and a progress bar or log line. Used by `experiments.ensemble`."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from tqdm import tqdm

BACKENDS = ("sequential", "local", "dask")

# --------------------------------------------------------------------------------------------
# Executors
# --------------------------------------------------------------------------------------------


class SequentialExecutor(cf.Executor):
    """Runs each task in the calling thread at submit time."""

    def submit(self, fn, /, *args, **kwargs):
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the process that started it dies (a kill -9
    of the main process would otherwise leave the workers running)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def terminate_workers(ex: cf.ProcessPoolExecutor) -> None:
    """Terminate the pool's worker processes (the stdlib has no public call for it before
    Python 3.14's ``terminate_workers``); a chunk they were running is simply not committed."""
    procs = list((getattr(ex, "_processes", None) or {}).values())
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.terminate()
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.join(timeout=5)


class Interrupted(KeyboardInterrupt):
    """The ensemble was stopped by SIGTERM (Ctrl-C raises KeyboardInterrupt itself)."""


@contextlib.contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """While running, SIGTERM to this process raises `Interrupted` (so workers are stopped
    and committed chunks kept), like Ctrl-C; only in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise Interrupted(f"stopped by signal {signum}")

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Progress:
    """A tqdm bar on a terminal; elsewhere a log line every `step` of the runs (done,
    failed, time left), so a log file or CI shows how far a sweep is."""

    def __init__(
        self, total: int, initial: int, label: str, enabled: bool, step: float = 0.05
    ) -> None:
        self.total, self.done, self.failed, self.label = total, initial, 0, label
        self.initial = initial
        self.tty = enabled and sys.stderr.isatty()
        self.log = enabled and not self.tty
        self.step = max(1, math.ceil(step * total))
        self.next_log = initial + self.step
        self.start = time.perf_counter()
        self.bar = tqdm(
            total=total,
            initial=initial,
            unit="run",
            desc=label,
            disable=not self.tty,
            dynamic_ncols=True,
        )
        self.bar.set_postfix(failed=0)
        if self.log and total:
            print(f"{label}: {initial} of {total} done at the start", file=sys.stderr, flush=True)

    def update(self, n: int, failed: int) -> None:
        self.done += n
        self.failed += failed
        self.bar.update(n)
        self.bar.set_postfix(failed=self.failed)
        if self.log and (self.done >= self.next_log or self.done >= self.total):
            while self.next_log <= self.done:
                self.next_log += self.step
            ran = self.done - self.initial
            elapsed = time.perf_counter() - self.start
            left = elapsed / ran * (self.total - self.done) if ran else float("nan")
            print(
                f"{self.label}: {self.done} of {self.total} done "
                f"({100 * self.done / max(self.total, 1):.0f}%), {self.failed} failed, "
                f"about {duration(left)} left",
                file=sys.stderr,
                flush=True,
            )

    def close(self) -> None:
        self.bar.close()


def duration(seconds: float) -> str:
    if seconds != seconds:
        return "? s"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@contextlib.contextmanager
def make_executor(
    backend: str = "local",
    workers: int | None = None,
    address: str | None = None,
    dashboard_address: str | None = None,
) -> Iterator[tuple[cf.Executor, Callable[[], int]]]:
    """Context manager yielding ``(executor, n_workers)`` for a backend name.

    ``n_workers()`` is a callable: a dask cluster may grow or shrink while it runs. A local
    Dask cluster serves no dashboard (nor any HTTP route) unless ``dashboard_address`` asks
    for one, e.g. ``"127.0.0.1:8787"``.
    """
    if backend == "sequential":
        yield SequentialExecutor(), lambda: 1
    elif backend == "local":
        n = workers or os.cpu_count() or 1
        ctx = multiprocessing.get_context("spawn")
        ex = cf.ProcessPoolExecutor(
            max_workers=n, mp_context=ctx, initializer=die_with_parent, initargs=(os.getpid(),)
        )
        try:
            yield ex, lambda: n
        except BaseException:  # Ctrl-C, SIGTERM or an error: stop the workers now
            terminate_workers(ex)
            raise
        finally:  # do not run the chunks still queued
            ex.shutdown(wait=True, cancel_futures=True)
    elif backend == "dask":
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "backend=dask needs the optional extra: pip install -e .[dask]"
            ) from exc
        import dask

        with contextlib.ExitStack() as stack:
            if address is not None:
                client = stack.enter_context(connect(Client, address))
            else:
                # No dashboard: dashboard_address=None alone still serves the scheduler's
                # HTTP routes (info pages, JSON, Prometheus) on port 8787; bind to loopback.
                if dashboard_address is None:
                    stack.enter_context(
                        dask.config.set(
                            {
                                "distributed.scheduler.http.routes": [],
                                "distributed.worker.http.routes": [],
                            }
                        )
                    )
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=workers or os.cpu_count() or 1,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=dashboard_address,
                    )
                )
                client = stack.enter_context(Client(cluster))

            def n_workers() -> int:
                info = client.scheduler_info()["workers"].values()
                return max(1, sum(w.get("nthreads", 1) for w in info) or workers or 1)

            yield client.get_executor(pure=False), n_workers
    else:
        raise ValueError(f"unknown backend {backend!r}; choose one of {BACKENDS}")


def connect(client_cls: Any, address: str, timeout_s: float = 10.0) -> Any:
    """A Dask client of the scheduler at `address`, or a one-line error if none answers."""
    try:
        return client_cls(address, timeout=timeout_s)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ConnectionError(
            f"address={address}: no Dask scheduler answered within {timeout_s:.0f} s "
            f"({type(exc).__name__}); allowed: the address of a running scheduler, "
            "e.g. tcp://host:8786"
        ) from None
