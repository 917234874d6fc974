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
