"""A PDF of the brief beside its HTML, printed by a headless Chromium when one is installed.

The brief is one self-contained HTML page with print styles (the annex starts on a new
page), so a browser's print engine gives the PDF; no second layout is kept. Without a
Chromium-family browser on the PATH, or when printing fails, no PDF is written and the
reason is returned: the HTML brief is never lost over it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

BROWSERS: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "chrome")
TIMEOUT_S = 120


def find_browser() -> str | None:
    """The first Chromium-family browser on the PATH, or None."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def write_pdf(html: Path | str, browser: str | None = None) -> tuple[Path | None, str]:
    """Print `html` to a PDF beside it (same name, `.pdf`); returns (path or None, reason)."""
    html = Path(html).resolve()
    browser = browser or find_browser()
    if browser is None:
        return None, "no Chromium-family browser on the PATH"
    pdf = html.with_suffix(".pdf")
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        html.as_uri(),
    ]
    try:
        subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=True)
    except (OSError, subprocess.SubprocessError) as err:
        return None, f"printing failed: {type(err).__name__}"
    if not pdf.exists() or pdf.read_bytes()[:4] != b"%PDF":
        return None, "the browser wrote no PDF"
    return pdf, "ok"


__all__ = ["find_browser", "write_pdf"]
