"""pyshacl-turbo against pyshacl: the same reports on the seeds and the whole bad-input corpus.

pyshacl-turbo is the default engine (lupuskg.validation.engines) because these agree;
pyshacl stays selectable, and is the default where pyshacl-turbo is not installed.
Each test validates the same files twice, once per engine, and requires the same
results: severity, file, line, focus, path, constraint, value, message and hint.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from validate_paths import INVALID, patch_base, write_invalid

from lupuskg.config import Settings
from lupuskg.exceptions import ValidationEngineError
from lupuskg.validate import ValidationResult, validate
from lupuskg.validation import engines
from lupuskg.validation.engines import ENGINE_VARIABLE, engine_name

pytest.importorskip("pyshacl_turbo")


def _report(
    settings: Settings, files: list[Path] | None, engine: str, monkeypatch: pytest.MonkeyPatch
) -> list[ValidationResult]:
    monkeypatch.setenv(ENGINE_VARIABLE, engine)
    # no cache: each engine must validate the files itself
    return sorted(validate(settings, files, cache=False).results, key=repr)


def test_unknown_engine_is_a_typed_error() -> None:
    with pytest.raises(ValidationEngineError, match="unknown SHACL engine"):
        engine_name("jena")


def test_default_engine_is_turbo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENGINE_VARIABLE, raising=False)
    assert engine_name() == "turbo"
    assert engine_name("pyshacl") == "pyshacl"  # the fallback stays selectable
    monkeypatch.setenv(ENGINE_VARIABLE, "pyshacl")
    assert engine_name() == "pyshacl"


def test_default_falls_back_to_pyshacl_without_turbo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENGINE_VARIABLE, raising=False)
    real = engines.importlib.util.find_spec
    monkeypatch.setattr(
        engines.importlib.util,
        "find_spec",
        lambda name, *args: None if name == "pyshacl_turbo" else real(name, *args),
    )
    assert engine_name() == "pyshacl"
    assert engine_name("turbo") == "turbo"  # asked for by name: run_engine reports it missing


def test_engines_agree_on_the_seeds(
    built_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = _report(built_settings, None, "pyshacl", monkeypatch)
    assert _report(built_settings, None, "turbo", monkeypatch) == reference


#: (id, [(invalid document, target file name)]): each patch replaces its base fixture
#: document; the duplicate-IRI pair goes in whole under its own names
_CASES = [
    (patch.stem, [(f"{patch.stem}.ttl", patch_base(patch).name)])
    for patch in sorted(INVALID.glob("*.patch"))
    if patch.stem != "malformed-turtle"  # a parse error: no engine runs
] + [
    (
        "duplicate-iri",
        [
            (f"duplicate-iri/{patch.stem}.ttl", f"{patch.stem}.ttl")
            for patch in sorted((INVALID / "duplicate-iri").glob("*.patch"))
        ],
    )
]


def test_every_bad_input_is_a_case() -> None:
    """The cases come from the patches: none may silently drop out (e.g. by a renamed suffix)."""
    assert len(_CASES) >= 15 and all(files for _, files in _CASES)


@pytest.mark.parametrize("files", [files for _, files in _CASES], ids=[i for i, _ in _CASES])
def test_engines_agree_on_every_bad_input(
    validation_project: Settings, files: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = [
        write_invalid(name, validation_project.documents_dir / target) for name, target in files
    ]
    reference = _report(validation_project, targets, "pyshacl", monkeypatch)
    assert reference, f"{files[0][0]} is a mistake: the reference engine must report it"
    assert _report(validation_project, targets, "turbo", monkeypatch) == reference


def test_the_engine_keys_the_validation_cache(built_settings: Settings) -> None:
    """Results cached under one engine are never served for the other."""
    from lupuskg.validate import open_cache

    assert (
        open_cache(built_settings, "pyshacl").context != open_cache(built_settings, "turbo").context
    )
