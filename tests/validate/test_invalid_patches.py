"""The invalid documents are patches on known-good bases; the patches stay small and exact."""

from __future__ import annotations

import pytest
from validate_paths import FIXTURE_DOCUMENTS, INVALID, apply_patch, invalid_document, patch_base

PATCHES = sorted(INVALID.rglob("*.patch"))


@pytest.mark.parametrize("patch", PATCHES, ids=[p.relative_to(INVALID).as_posix() for p in PATCHES])
def test_patch_applies_to_its_base_and_stays_small(patch) -> None:  # type: ignore[no-untyped-def]
    base = patch_base(patch)
    assert base.is_file(), f"{patch.name}: base {base} is missing"
    assert base.parent in (FIXTURE_DOCUMENTS, INVALID.parent), base
    changed = [
        line
        for line in patch.read_text(encoding="utf-8").splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert len(changed) <= 25, f"{patch.name}: {len(changed)} changed lines; keep one mistake"
    document = invalid_document(patch.relative_to(INVALID).with_suffix(".ttl").as_posix())
    assert document != base.read_text(encoding="utf-8")


def test_every_case_has_its_expected_results_beside_it() -> None:
    cases = {p.stem for p in INVALID.glob("*.patch")} - {"malformed-turtle"}
    assert cases == {p.stem for p in INVALID.glob("*.expected")}


def test_a_patch_that_does_not_fit_its_base_is_refused() -> None:
    patch = "--- base\n+++ new\n@@ -2,2 +2,2 @@\n b\n-c\n+C\n"
    assert apply_patch("a\nb\nc\nd\n", patch) == "a\nb\nC\nd\n"
    with pytest.raises(ValueError, match="does not match base line 3"):
        apply_patch("a\nb\nX\nd\n", patch)
