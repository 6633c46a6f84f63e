"""Run Jena SHACL (Debian `libapache-jena-java`) from Python: `shacl validate`.

Debian ships the jars but no `shacl` script, so the classpath is read from the Debian
Maven poms (jena-cmds and what it depends on). Debian's jena-core renames Jena's shaded
Xerces package to `xerces.` but leaves the regex message bundle under the old name, and
without it XSD datatypes fail to initialise ("internal error"); a copy under the new name
goes first on the classpath.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

REPO = Path("/usr/share/maven-repo")
_BUNDLES = "org/apache/jena/ext/xerces/"


def _jars(group: str, artifact: str, seen: set[tuple[str, str]], jars: list[str]) -> None:
    if (group, artifact) in seen:
        return
    seen.add((group, artifact))
    folder = REPO / group.replace(".", "/") / artifact / "debian"
    jar, pom = folder / f"{artifact}-debian.jar", folder / f"{artifact}-debian.pom"
    if jar.exists():
        jars.append(str(jar))
    if not pom.exists():
        return
    text = pom.read_text(encoding="utf-8").split("<dependencyManagement>")[0]
    block = re.search(r"<dependencies>(.*?)</dependencies>", text, re.S)
    for dependency in re.findall(
        r"<dependency>(.*?)</dependency>", block.group(1) if block else "", re.S
    ):
        scope = re.search(r"<scope>(.*?)</scope>", dependency)
        if (scope and scope.group(1) in ("test", "provided")) or "<optional>true" in dependency:
            continue
        found_group = re.search(r"<groupId>(.*?)</groupId>", dependency)
        found_artifact = re.search(r"<artifactId>(.*?)</artifactId>", dependency)
        if found_group and found_artifact:
            _jars(found_group.group(1), found_artifact.group(1), seen, jars)


def classpath(work: Path) -> str:
    java = shutil.which("java")
    core = REPO / "org/apache/jena/jena-core/debian/jena-core-debian.jar"
    if not java or not core.exists():
        message = "Jena SHACL is not installed (Debian libapache-jena-java; .ci/run installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    jars: list[str] = []
    _jars("org.apache.jena", "jena-cmds", set(), jars)
    bundles = work / "jena-bundles"
    with zipfile.ZipFile(core) as archive:
        for name in archive.namelist():
            if name.startswith(_BUNDLES) and name.endswith(".properties"):
                target = bundles / "xerces" / name[len(_BUNDLES) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    return os.pathsep.join([str(bundles), *jars])


def shacl_validate(work: Path, shapes: Path, data: Path) -> bytes:
    """Jena's validation report (Turtle) of ``data`` against ``shapes``."""
    result = subprocess.run(
        [
            "java",
            "-cp",
            classpath(work),
            "shacl.shacl",
            "validate",
            "--shapes",
            str(shapes),
            "--data",
            str(data),
        ],
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-3000:]
    return result.stdout
