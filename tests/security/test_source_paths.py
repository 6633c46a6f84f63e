"""Finding 7 and 8: lkg:filePath stays inside graph/sources/, and lkg:sha256 cannot be dropped.

A path with ``..``, an absolute path, a symlinked file or a symlinked sources folder that
leads out of the project is a violation that names the document file and the source node;
the file behind it is never read, so none of its content can reach a message.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lupuskg.config import Settings
from lupuskg.validate import validate

SLUG = "carl-2024"
SECRET = "TOPSECRET-line-that-must-never-be-printed\n" * 40


def _document(settings: Settings) -> Path:
    return settings.documents_dir / f"{SLUG}.ttl"


def _set_file_path(settings: Settings, value: str) -> None:
    path = _document(settings)
    text, count = re.subn(
        rf'lkg:filePath "graph/sources/{SLUG}\.txt"', f'lkg:filePath "{value}"', path.read_text()
    )
    assert count == 1
    path.write_text(text)


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET)
    return secret


def _escapes(settings: Settings) -> list[str]:
    report = validate(settings, [_document(settings)])
    for result in report.results:
        shown = " ".join(str(part) for part in (result.message, result.hint, result.value))
        assert "TOPSECRET" not in shown
    return [
        f"{result.file} {result.focus}"
        for result in report.results
        if result.constraint == "lkg:SourceTextOutsideProject"
    ]


def _cli_validate(settings: Settings) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from lupuskg.cli import main; sys.exit(main())",
            "validate",
            str(_document(settings)),
        ],
        env={**os.environ, "LUPUSKG_HOME": str(settings.root)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("style", ["dotdot", "absolute"])
def test_a_path_out_of_the_sources_is_a_violation_and_never_read(
    temp_project: Settings, tmp_path: Path, style: str
) -> None:
    secret = _secret(tmp_path)
    value = (
        os.path.relpath(secret, temp_project.root) if style == "dotdot" else str(secret.resolve())
    )
    _set_file_path(temp_project, value)
    escapes = _escapes(temp_project)
    assert len(escapes) == 1, escapes
    assert escapes[0].startswith(f"graph/documents/{SLUG}.ttl ")
    assert f"{SLUG}.txt" in escapes[0]


def test_a_symlinked_source_file_is_a_violation_and_never_read(
    temp_project: Settings, tmp_path: Path
) -> None:
    secret = _secret(tmp_path)
    link = temp_project.sources_dir / f"{SLUG}.txt"
    link.unlink()
    link.symlink_to(secret)
    assert len(_escapes(temp_project)) == 1
    result = _cli_validate(temp_project)
    assert result.returncode == 1
    assert "TOPSECRET" not in result.stdout + result.stderr
    assert "outside graph/sources/" in result.stdout + result.stderr
    assert f"graph/documents/{SLUG}.ttl" in result.stdout + result.stderr


def test_a_symlinked_sources_folder_is_a_violation(temp_project: Settings, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    temp_project.sources_dir.rename(outside)
    (outside / f"{SLUG}.txt").write_text(SECRET)
    temp_project.sources_dir.symlink_to(outside, target_is_directory=True)
    assert len(_escapes(temp_project)) == 1


def test_a_symlink_that_stays_inside_the_sources_is_accepted(temp_project: Settings) -> None:
    link = temp_project.sources_dir / f"{SLUG}.txt"
    real = temp_project.sources_dir / f"{SLUG}.copy.txt"
    link.rename(real)
    link.symlink_to(real.name)
    report = validate(temp_project, [_document(temp_project)])
    assert report.conforms, [result.message for result in report.results]


def test_sha256_is_required(temp_project: Settings) -> None:
    path = _document(temp_project)
    text, count = re.subn(r'\n\s*lkg:sha256 "[0-9a-f]{64}" ;', "", path.read_text())
    assert count == 1
    path.write_text(text)
    # a changed source text must not slip through once the checksum is gone
    source = temp_project.sources_dir / f"{SLUG}.txt"
    source.write_bytes(source.read_bytes() + b"\nappended after encoding\n")
    report = validate(temp_project, [path])
    missing = [
        result
        for result in report.results
        if result.path == "lkg:sha256" and "exactly one lkg:sha256" in result.message
    ]
    assert len(missing) == 1
    assert missing[0].file == f"graph/documents/{SLUG}.ttl"
    assert SLUG in missing[0].focus
    assert not report.conforms
