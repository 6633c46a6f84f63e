"""The projects the export tests build; a plain module so tests never import `conftest`."""

from __future__ import annotations

import shutil
from pathlib import Path

from lupuskg.config import Settings, settings

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixture_project"
ROOT = HERE.parents[1]


def build_copy(source: Path, target: Path) -> Settings:
    """Copy a project into ``target``, build it (without validation) and return its settings."""
    from lupuskg.build import build

    shutil.copytree(source, target, ignore=shutil.ignore_patterns("build", "dist"))
    project = settings(target.resolve())
    build(project, validate=False)
    return project


def real_project_ready() -> bool:
    return (ROOT / "ontology" / "lupuskg.ttl").is_file() and any(
        (ROOT / "graph" / "documents").glob("*.ttl")
    )
