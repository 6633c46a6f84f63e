"""Where things live: the project root and the paths configured under [tool.lupuskg]."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .exceptions import InputError
from .namespaces import BASE

__all__ = ["SOURCES", "Settings", "package_version", "project_root", "settings", "source_file_path"]

#: where source texts live, relative to the project root (lkg:filePath values start with it)
SOURCES = "graph/sources"


def source_file_path(slug: str) -> str:
    """The lkg:filePath of a document's source text, relative to the project root."""
    return f"{SOURCES}/{slug}.txt"


_MARKER = Path("ontology") / "lupuskg.ttl"


def project_root() -> Path:
    """Find the project: $LUPUSKG_HOME, else the nearest parent of the cwd, else the source checkout."""
    env = os.environ.get("LUPUSKG_HOME")
    if env:
        return Path(env).resolve()
    for candidate in (Path.cwd(), *Path.cwd().parents):
        if (candidate / _MARKER).is_file() and (candidate / "pyproject.toml").is_file():
            return candidate
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / _MARKER).is_file():
        return checkout
    raise InputError(
        "cannot find the lupuskg project (no ontology/lupuskg.ttl here or above)",
        hint="run from the project folder or set LUPUSKG_HOME",
    )


@dataclass(frozen=True)
class Settings:
    """Resolved project paths and identifiers."""

    root: Path
    base_iri: str
    version: str
    build_dir: Path
    store_dir: Path
    release_dir: Path

    @property
    def ontology_file(self) -> Path:
        return self.root / "ontology" / "lupuskg.ttl"

    @property
    def imports_dir(self) -> Path:
        return self.root / "ontology" / "imports"

    @property
    def shapes_file(self) -> Path:
        return self.root / "ontology" / "shapes.ttl"

    @property
    def void_shapes_file(self) -> Path:
        return self.root / "ontology" / "void-shapes.ttl"

    @property
    def documents_dir(self) -> Path:
        return self.root / "graph" / "documents"

    @property
    def drafts_dir(self) -> Path:
        """Drafts of `lupuskg draft`, never built into the store."""
        return self.root / "graph" / "drafts"

    @property
    def sources_dir(self) -> Path:
        return self.root / SOURCES

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def document_files(self) -> list[Path]:
        return sorted(self.documents_dir.glob("*.ttl"))


class _SettingsReader:
    """``settings(root)``, with ``settings.cache_clear()`` for tests that rewrite a
    project's pyproject.toml and must drop what was parsed before."""

    def __call__(self, root: Path | None = None) -> Settings:
        """The project's settings; re-resolved from the environment on every call, parsed
        once per root."""
        resolved = (root or project_root()).resolve()
        return _read_settings(resolved, os.environ.get("LUPUSKG_STORE"))

    def cache_clear(self) -> None:
        _read_settings.cache_clear()


settings = _SettingsReader()


def package_version() -> str:
    """The installed package's version: ``[project] version`` is its one statement.

    importlib.metadata is imported here, not at module level: it costs a cold command
    more than any module of its own (about 40 ms), and only a few commands need it.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lupuskg")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


@cache
def _read_settings(root: Path, store_env: str | None) -> Settings:
    with (root / "pyproject.toml").open("rb") as fh:
        document = tomllib.load(fh)
    table = document.get("tool", {}).get("lupuskg", {})
    base_iri = table.get("base-iri", BASE)
    if not base_iri.endswith(("/", "#")):
        raise InputError(
            f"{root / 'pyproject.toml'}: [tool.lupuskg] base-iri {base_iri!r} must end with / or #",
            hint=f"for example {BASE!r}",
        )
    return Settings(
        root=root,
        base_iri=base_iri,
        version=document.get("project", {}).get("version") or package_version(),
        build_dir=root / table.get("build-dir", "build"),
        store_dir=Path(store_env).resolve()
        if store_env
        else root / table.get("store-dir", "build/current/store"),
        release_dir=root / table.get("release-dir", "dist"),
    )
