"""`build` validates through the per-document cache and still swaps generations atomically."""

from __future__ import annotations

import pytest

import lupuskg.validate as validate_module
from lupuskg.build import build
from lupuskg.config import Settings
from lupuskg.exceptions import ValidationFailed


@pytest.mark.slow
def test_second_build_validates_nothing_again_and_swaps(
    temp_project: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = build(temp_project)
    entries = sorted((temp_project.build_dir / "validation-cache").glob("*/*.json"))
    assert len(entries) == len(temp_project.document_files())

    def no_validation(*_args: object, **_kwargs: object) -> list[object]:
        raise AssertionError("a document was validated again although nothing changed")

    monkeypatch.setattr(validate_module, "_run_all", no_validation)
    second = build(temp_project)
    assert second.generation != first.generation
    assert (temp_project.build_dir / "current").resolve().name == second.generation
    assert second.warnings == first.warnings


@pytest.mark.slow
def test_a_cached_build_still_refuses_an_edited_invalid_document(temp_project: Settings) -> None:
    first = build(temp_project)
    path = temp_project.documents_dir / "cem-ucmsc-news.ttl"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"P6Y"^^xsd:duration', '"six years"'),
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed):
        build(temp_project)
    assert (temp_project.build_dir / "current").resolve().name == first.generation
