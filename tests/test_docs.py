"""The documentation stays true to the code: docs/parameters.md is generated from the schema
and the YAML files and must be up to date; every schema field carries a unit and a source."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from pathlib import Path

import pytest

from sim import params

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "docs" / "make_parameters.py"
PARAMETERS_MD = ROOT / "docs" / "parameters.md"


def _generator():  # the docs folder is not a package
    spec = importlib.util.spec_from_file_location("make_parameters", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _schema_fields() -> list[tuple[str, dataclasses.Field]]:
    """(Class.field, field) for every parameter field of every dataclass in sim.params
    (fields that hold a nested section, such as `KetensimConfig.design`, are containers)."""
    classes = [
        obj
        for obj in vars(params).values()
        if isinstance(obj, type)
        and dataclasses.is_dataclass(obj)
        and obj.__module__.startswith("sim.")
    ]
    assert classes, "no dataclasses found in sim.params"
    return [
        (f"{cls.__name__}.{f.name}", f)
        for cls in classes
        for f in dataclasses.fields(cls)
        if not (isinstance(f.default_factory, type) and dataclasses.is_dataclass(f.default_factory))
    ]


FIELDS = _schema_fields()


@pytest.fixture(scope="module")
def generated() -> str:
    return _generator().render()


def test_parameters_md_is_up_to_date(generated: str) -> None:
    on_disk = PARAMETERS_MD.read_text(encoding="utf-8") if PARAMETERS_MD.exists() else ""
    assert on_disk == generated, (
        "docs/parameters.md is out of date with scenarios/, sim/params.py or sim/data/; "
        "run: python docs/make_parameters.py"
    )


def test_check_mode_detects_a_stale_file(tmp_path: Path, generated: str) -> None:
    gen = _generator()
    stale = tmp_path / "parameters.md"
    stale.write_text(generated.replace("## 2. Designs", "## 2. Designz"), encoding="utf-8")
    assert gen.main(["--check", "--out", str(stale)]) == 1
    fresh = tmp_path / "fresh.md"
    assert gen.main(["--out", str(fresh)]) == 0
    assert gen.main(["--check", "--out", str(fresh)]) == 0


@pytest.mark.parametrize(("name", "f"), FIELDS, ids=[name for name, _ in FIELDS])
def test_every_field_has_unit_and_source(name: str, f: dataclasses.Field) -> None:
    unit = f.metadata.get("unit")
    source = f.metadata.get("source")
    assert isinstance(unit, str) and unit.strip(), f"{name}: no unit in its field metadata"
    assert isinstance(source, str) and source.strip(), f"{name}: no source in its metadata"
    lo, hi = f.metadata.get("min"), f.metadata.get("max")
    if lo is not None and hi is not None:
        assert lo <= hi, f"{name}: min {lo} > max {hi}"


def test_every_field_appears_in_parameters_md(generated: str) -> None:
    """The generator skips nothing: each field name of the schema is in the document."""
    names = {
        word
        for token in re.findall(r"`([^`]+)`", generated)
        for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", token)
    }
    missing = [name for name, f in _schema_fields() if f.name not in names]
    assert not missing, f"fields missing from docs/parameters.md: {missing}"


# --------------------------------------------------------------------- the documentation site
README = ROOT / "README.md"
DOCS = ROOT / "docs"
SEEDS_MD = DOCS / "domain" / "seeds.md"


def _markdown_links(text: str) -> list[str]:
    """The targets of the Markdown links and images in a text (no web addresses)."""
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    return [t for t in targets if not re.match(r"[a-z]+:", t)]


def test_readme_is_a_short_front_door() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; at most 200"
    head = "\n".join(lines[:40])
    assert "pip install -e . && .venv/bin/ketensim compare" in head
    assert '.venv/bin/pip install -e ".[dev]" && .venv/bin/python -m pytest -q' in head


def test_every_docs_page_is_reachable_from_the_readme_and_every_link_resolves() -> None:
    """Every Markdown page of the site is linked from the README (by relative path, so the
    links work on GitHub too), and every relative link of the README points at a file."""
    links = _markdown_links(README.read_text(encoding="utf-8"))
    missing = [t for t in links if not (ROOT / t.split("#")[0]).exists()]
    assert not missing, f"README.md links to files that do not exist: {missing}"
    linked = {(ROOT / t.split("#")[0]).resolve() for t in links}
    pages = {p.resolve() for p in DOCS.rglob("*.md")}
    unlinked = sorted(str(p.relative_to(ROOT)) for p in pages - linked)
    assert not unlinked, f"docs pages not linked from README.md: {unlinked}"


def test_every_cited_founding_text_has_its_section() -> None:
    """A source that cites "seed 00x" links to docs/domain/seeds.md#seed-00x, and that anchor
    exists; the seeds are never cited outside 000-004."""
    anchors = set(re.findall(r'<a id="(seed-\d{3})"></a>', SEEDS_MD.read_text(encoding="utf-8")))
    assert anchors == {f"seed-{i:03d}" for i in range(5)}
    cited = set(re.findall(r"domain/seeds\.md#(seed-\d{3})", PARAMETERS_MD.read_text("utf-8")))
    assert cited, "docs/parameters.md links no founding text"
    assert cited <= anchors, f"cited without a section: {sorted(cited - anchors)}"
    assert "](domain/index.md)" in PARAMETERS_MD.read_text(encoding="utf-8")


def test_link_sources_links_each_cited_number(generated: str) -> None:
    link = _generator().link_sources
    assert link("seeds 002-004: one budget") == (
        "seeds [002](domain/seeds.md#seed-002)-[004](domain/seeds.md#seed-004): one budget"
    )
    assert link("assumption (seeds 001, 003)").count("](domain/seeds.md#seed-") == 2
    assert link("run setting: seed 1") == "run setting: seed 1"  # a root seed, not a text


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    """`mkdocs build --strict`: no broken link, anchor or missing page. Skipped only where
    mkdocs-material is not installed, and never under CI."""
    import os
    import subprocess
    import sys

    if importlib.util.find_spec("material") is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail('mkdocs-material is missing under CI: pip install -e ".[docs]"')
        pytest.skip('mkdocs-material is not installed (pip install -e ".[docs]")')
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "domain" / "seeds.html").exists()
