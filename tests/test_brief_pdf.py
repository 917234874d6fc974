"""The brief's PDF: printed beside the HTML when a browser is there, a reason when not."""

from __future__ import annotations

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
