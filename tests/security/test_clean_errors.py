"""Finding 11: every one of these ends in a clean message and a non-zero exit, never a traceback.

- a literal over 16 MB (pyoxigraph's token buffer), in validate, fmt and build;
- 100,000 nested collections, in validate, fmt and build;
- a nearly full disk: the project on a small tmpfs filled up to the last few KB; build keeps
  the last good store, fmt keeps the old file, export and new leave nothing half-written;
- a read-only project (a read-only bind mount): build, fmt, new, export and release;
- concurrent builds: see test_builds.py (a second build refuses with a message).

The disk and read-only probes need `mount` (root, as in CI); elsewhere they skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_helpers import lupuskg_command

from lupuskg.config import Settings

DOC = "graph/documents/{slug}.ttl"
PREFIXES = "@prefix lkg: <https://w3id.org/lupuskg/vocab/> .\n"


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        lupuskg_command(*args),
        cwd=root,
        env={**os.environ, "LUPUSKG_HOME": str(root)},
        capture_output=True,
        text=True,
        timeout=600,
    )


def _clean_failure(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode != 0, output[-2000:]
    assert "Traceback" not in output, output[-3000:]
    for needle in needles:
        assert needle in output, output[-2000:]


def _add_document(settings: Settings, slug: str, body: str) -> str:
    relative = DOC.format(slug=slug)
    (settings.root / relative).write_text(PREFIXES + body, encoding="utf-8")
    return relative


def test_a_literal_over_16_mb_is_a_clean_error(temp_project: Settings) -> None:
    big = "x" * (17 * 1024 * 1024)
    relative = _add_document(
        temp_project,
        "big-2020",
        f'<https://w3id.org/lupuskg/id/big-2020> lkg:curationNote "{big}" .\n',
    )
    where = f"{relative}:2"
    for command in (("validate", relative), ("fmt", "--check", relative), ("build",)):
        _clean_failure(_run(temp_project.root, *command), where, "longer than 16 MiB")


def test_100000_nested_collections_are_a_clean_error(temp_project: Settings) -> None:
    depth = 100_000
    relative = _add_document(
        temp_project,
        "deep-2020",
        "<https://w3id.org/lupuskg/id/deep-2020> lkg:curationNote "
        + "(" * depth
        + "1"
        + ")" * depth
        + " .\n",
    )
    for command in (("validate", relative), ("fmt", "--check", relative), ("build",)):
        _clean_failure(_run(temp_project.root, *command), relative, "nested too deeply")


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        if os.environ.get("CI", "").lower() == "true" and os.geteuid() == 0:
            pytest.fail(f"mount {' '.join(args)} failed: {done.stderr}")
        pytest.skip(f"cannot mount here ({done.stderr.strip() or 'not root'})")


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture
def full_disk_project(temp_project: Settings, tmp_path: Path) -> Iterator[Path]:
    """A built copy of the project on a 64 MiB tmpfs, then filled to its last ~16 KiB."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    _mount("-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point))
    try:
        root = mount_point / "project"
        shutil.copytree(temp_project.root, root)
        built = _run(root, "build", "--no-validate")
        assert built.returncode == 0, built.stderr
        free = shutil.disk_usage(mount_point).free
        with (mount_point / "filler").open("wb") as filler:
            filler.write(b"\0" * max(0, free - 16 * 1024))
        yield root
    finally:
        _umount(mount_point)


def test_a_nearly_full_disk_is_a_clean_error(full_disk_project: Path, tmp_path: Path) -> None:
    root = full_disk_project
    current = os.readlink(root / "build" / "current")
    _clean_failure(_run(root, "build", "--no-validate"), "No space left on device")
    assert os.readlink(root / "build" / "current") == current  # the last good build is kept
    assert _run(root, "query", "Q01").returncode == 0

    target = root / "graph" / "out.trig"
    _clean_failure(
        _run(root, "export", "--format", "trig", "--output", str(target)),
        "cannot write",
        "disk is full",
    )
    assert not target.exists() and not list(target.parent.glob(".out.trig.*"))

    document = root / DOC.format(slug="carl-2024")
    original = document.read_text(encoding="utf-8")
    unformatted = original.replace("\n\n", "\n\n\n", 50)  # canonical form differs
    document.write_text(unformatted, encoding="utf-8")
    _clean_failure(_run(root, "fmt", str(document)), "cannot write", "disk is full")
    assert document.read_text(encoding="utf-8") == unformatted  # never half-written

    source = tmp_path / "long-source.txt"  # larger than the space left
    source.write_text("A source text line that repeats.\n" * 4000, encoding="utf-8")
    _clean_failure(_run(root, "new", "full-2020", "--source", str(source)), "cannot write")
    assert not (root / "graph" / "sources" / "full-2020.txt").exists()
    assert not (root / DOC.format(slug="full-2020")).exists()


@pytest.fixture
def read_only_project(temp_project: Settings, tmp_path: Path) -> Iterator[Path]:
    """A built project seen through a read-only bind mount."""
    built = _run(temp_project.root, "build", "--no-validate")
    assert built.returncode == 0, built.stderr
    scratch = temp_project.root / "graph" / "scratch.ttl"  # not a build input; fmt would rewrite it
    scratch.write_text(PREFIXES + "lkg:b lkg:c lkg:d . lkg:a lkg:c lkg:d .\n", encoding="utf-8")
    view = tmp_path / "read-only"
    view.mkdir()
    _mount("--bind", str(temp_project.root), str(view))
    try:
        _mount("-o", "remount,bind,ro", str(view))
        yield view
    finally:
        _umount(view)


def test_a_read_only_project_is_a_clean_error(read_only_project: Path) -> None:
    root = read_only_project
    hint = "read-only"
    _clean_failure(_run(root, "build", "--no-validate"), "Read-only file system")
    _clean_failure(_run(root, "fmt", str(root / "graph" / "scratch.ttl")), "cannot write", hint)
    source = root / "graph" / "sources" / "carl-2024.txt"
    _clean_failure(_run(root, "new", "ro-2020", "--source", str(source)), "cannot write", hint)
    _clean_failure(
        _run(root, "export", "--format", "ttl", "--output", str(root / "out.ttl")),
        "cannot write",
        hint,
    )
    _clean_failure(_run(root, "release"), "Read-only file system")
    # reading still works
    assert _run(root, "query", "Q01").returncode == 0
