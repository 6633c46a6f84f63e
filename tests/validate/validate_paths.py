"""Where the validation fixtures live; a plain module so tests never import `conftest`."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURE_DOCUMENTS = HERE / "fixtures" / "documents"
INVALID = HERE.parent / "data" / "invalid"
