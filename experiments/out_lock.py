"""One command at a time per output folder: an advisory lock (`fcntl.flock`) on
`<out>/.ketensim.lock`, which the operating system releases when its holder dies, so a
killed compare never blocks the next one. A second command into the same `out=` stops at
once with one line (it does not wait: the first may run for hours)."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from sim.config import ConfigError

LOCK_NAME = ".ketensim.lock"


@contextlib.contextmanager
def out_dir_lock(out: Path, command: str) -> Iterator[None]:
    """Hold the lock of `out` while the block runs; ConfigError if another process holds it."""
    path = Path(out) / LOCK_NAME
    try:  # O_NOFOLLOW: a lock file planted as a symlink must not make us write elsewhere
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise ConfigError(
            f"out={out}: cannot open its lock file {path} ({exc.strerror}); allowed: a folder "
            "whose .ketensim.lock is a plain file of yours"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            raise ConfigError(
                f"out={out}: another ketensim {command} (process {holder}) is writing there; "
                "allowed: wait for it to finish, or another out="
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def remove_if_unused(out: Path) -> None:
    """Remove `out` if it holds no file but the lock (a command stopped before any result:
    no empty results folder is left behind)."""
    out = Path(out)
    if not out.is_dir():
        return
    files = [p for p in out.rglob("*") if not p.is_dir() and p.name != LOCK_NAME]
    if files:
        return
    for path in sorted(out.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            path.unlink() if not path.is_dir() else path.rmdir()
    with contextlib.suppress(OSError):
        out.rmdir()


__all__ = ["LOCK_NAME", "out_dir_lock", "remove_if_unused"]
