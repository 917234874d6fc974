"""HTML pages of the report from Jinja2 templates (`experiments/report/templates/`).

One environment for every page: templates are read from the installed package, every value
is escaped (autoescape) unless it is `Markup` (the catalogues' `_html` texts), the style
sheet is inlined and figures are embedded as base64 PNG, so a page is one self-contained
file that loads nothing from elsewhere.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from experiments.report.canvas import FigureFiles


@cache
def environment() -> Environment:
    """The report's Jinja2 environment (autoescape on, undefined names are errors)."""
    return Environment(
        loader=PackageLoader("experiments.report", "templates"),
        autoescape=select_autoescape(["html", "html.j2"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def page_css() -> str:
    """The brief's style sheet (templates/brief.css), to inline into a page."""
    return (
        resources.files("experiments.report")
        .joinpath("templates", "brief.css")
        .read_text(encoding="utf-8")
    )


def render(template: str, **context: Any) -> str:
    """Render one template of `templates/` with `context`."""
    return environment().get_template(template).render(**context)


def esc(s: object) -> str:
    """HTML-escape text (quotes too), for the few pages still written without a template."""
    return html.escape(str(s), quote=True)


def png_of(fig: FigureFiles | Path | str | Sequence[Path | str]) -> tuple[Path, str]:
    """PNG path and alt text of a figure given in any of the accepted forms."""
    if isinstance(fig, FigureFiles):
        return fig.png, f"{fig.title}. {fig.caption}"
    if isinstance(fig, str | Path):
        return Path(fig), Path(fig).stem
    for p in fig:
        if str(p).lower().endswith(".png"):
            return Path(p), Path(p).stem
    raise ValueError(f"no PNG among {fig!r}")


def embedded_figure(
    fig: FigureFiles | Path | str | Sequence[Path | str], number: int
) -> dict[str, Any]:
    """A figure for a template: its number, the PNG as a data URI and its alt text."""
    png, alt = png_of(fig)
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return {"number": number, "src": f"data:image/png;base64,{data}", "alt": alt}


def figure_html(
    fig: FigureFiles | Path | str | Sequence[Path | str], number: int, label: str
) -> str:
    """One figure as an HTML `<figure>` (embedded PNG, `label number` under it)."""
    return render("figure.html.j2", fig=embedded_figure(fig, number), label=label)


__all__ = ["embedded_figure", "environment", "esc", "figure_html", "page_css", "png_of", "render"]
