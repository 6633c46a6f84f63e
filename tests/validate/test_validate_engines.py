"""pyshacl-turbo against pyshacl: the same reports on the seeds and the whole bad-input corpus.

pyshacl is the default engine (lupuskg.validation.engines); pyshacl-turbo is an option.
Each test validates the same files twice, once per engine, and requires the same
results: severity, file, line, focus, path, constraint, value, message and hint.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from validate_paths import INVALID

from lupuskg.config import Settings
from lupuskg.exceptions import ValidationEngineError
from lupuskg.validate import ValidationResult, validate
from lupuskg.validation.engines import ENGINE_VARIABLE, engine_name

pytest.importorskip("pyshacl_turbo")

#: which fixture document each bad file replaces (as tests/data/invalid/README says)
_SLUGS = ("cem-ucmsc-news", "frontiers-2021-msc-review")


def _report(
    settings: Settings, files: list[Path] | None, engine: str, monkeypatch: pytest.MonkeyPatch
) -> list[ValidationResult]:
    monkeypatch.setenv(ENGINE_VARIABLE, engine)
    # no cache: each engine must validate the files itself
    return sorted(validate(settings, files, cache=False).results, key=repr)


def test_unknown_engine_is_a_typed_error() -> None:
    with pytest.raises(ValidationEngineError, match="unknown SHACL engine"):
        engine_name("jena")


def test_default_engine_is_pyshacl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENGINE_VARIABLE, raising=False)
    assert engine_name() == "pyshacl"


def test_engines_agree_on_the_seeds(
    built_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = _report(built_settings, None, "pyshacl", monkeypatch)
    assert _report(built_settings, None, "turbo", monkeypatch) == reference


def _slug_of(bad: Path) -> str:
    text = bad.read_text(encoding="utf-8")
    for slug in _SLUGS:
        if f"lkgd:{slug}" in text or f"/id/{slug}" in text:
            return slug
    raise AssertionError(f"{bad.name}: which fixture document does it replace?")


#: (id, bad files): each single file replaces its fixture; the duplicate-IRI pair goes in whole
_CASES = [
    (path.name, [path])
    for path in sorted(INVALID.glob("*.ttl"))
    if path.name != "malformed-turtle.ttl"  # a parse error: no engine runs
] + [("duplicate-iri", sorted((INVALID / "duplicate-iri").glob("*.ttl")))]


@pytest.mark.parametrize("files", [files for _, files in _CASES], ids=[i for i, _ in _CASES])
def test_engines_agree_on_every_bad_input(
    validation_project: Settings, files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = []
    for bad in files:
        name = bad.name if bad.parent != INVALID else f"{_slug_of(bad)}.ttl"
        targets.append(validation_project.documents_dir / name)
        shutil.copy2(bad, targets[-1])
    reference = _report(validation_project, targets, "pyshacl", monkeypatch)
    assert reference, f"{files[0].name} is a mistake: the reference engine must report it"
    assert _report(validation_project, targets, "turbo", monkeypatch) == reference


def test_the_engine_keys_the_validation_cache(built_settings: Settings) -> None:
    """Results cached under one engine are never served for the other."""
    from lupuskg.validate import open_cache

    assert (
        open_cache(built_settings, "pyshacl").context != open_cache(built_settings, "turbo").context
    )
