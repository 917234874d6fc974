"""What the browser tests share: Debian's chromium for playwright, and a skip that is a
failure under CI (`CI` set), where .ci/run installs the browser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def missing(reason: str) -> None:
    """Skip with the reason; under CI fail instead (the browser tests must run there)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests; .ci/run installs chromium)")
    pytest.skip(reason)


def chromium() -> str:
    """The path of Debian's chromium (skip or fail when it is not there)."""
    path = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if path is None:
        missing("Debian's chromium is not installed (apt-get install chromium)")
    return str(path)
