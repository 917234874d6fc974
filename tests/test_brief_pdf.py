"""The brief's PDF: printed beside the HTML when a browser is there, a reason when not."""

from __future__ import annotations

from pathlib import Path

import pytest

from experiments.report.pdf import find_browser, write_pdf


def test_no_browser_gives_a_reason_and_no_file(tmp_path):
    page = tmp_path / "brief.html"
    page.write_text("<html><body>x</body></html>", encoding="utf-8")
    pdf, reason = write_pdf(page, browser=str(tmp_path / "no-such-browser"))
    assert pdf is None and "failed" in reason
    assert not (tmp_path / "brief.pdf").exists()


@pytest.mark.skipif(find_browser() is None, reason="no Chromium-family browser installed")
def test_pdf_beside_the_html(tmp_path):
    page = tmp_path / "brief.html"
    page.write_text("<html><body><h1>Notitie</h1></body></html>", encoding="utf-8")
    pdf, reason = write_pdf(page)
    assert reason == "ok" and pdf == tmp_path / "brief.pdf"
    assert pdf.read_bytes()[:4] == b"%PDF"


def test_the_pdf_path_printed_is_where_the_file_ends_up(tmp_path, monkeypatch):
    """A compare writes into a hidden staging folder and moves the files into out=; the
    path it prints for the PDF is the moved one, also when out= is relative (the README's
    main job printed the staging folder's path, which no longer exists)."""
    from experiments.compare_outputs import placed_path

    monkeypatch.chdir(tmp_path)
    out = Path("results") / "cmp"  # relative, as by default
    staging = out / ".outputs-abc"
    staging.mkdir(parents=True)
    absolute = str((staging / "brief.pdf").resolve())
    assert placed_path(absolute, staging, out) == str(out / "brief.pdf")
    assert placed_path(str(staging / "brief_en.pdf"), staging, out) == str(out / "brief_en.pdf")
    reason = "no Chromium-family browser found"
    assert placed_path(reason, staging, out) == reason
