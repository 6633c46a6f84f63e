"""The README's "OWL tools" section, run as written and offline: the `lupuskg.ontology.load()`
example, and the `onto_path` recipe for the release bundle (issue 15 part 6).

The bundle recipe runs in a fresh interpreter (it uses owlready2's default world and
``onto_path``) whose ``urllib`` refuses every fetch, so the import must come from the
bundle's ``ontology/imports/`` folder.
"""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import owlready2
import pytest

from lupuskg.config import Settings
from lupuskg.release import write_release

README = Path(__file__).resolve().parents[2] / "README.md"
IMPORT = "https://w3id.org/lupuskg/ontology/imports/obo-import.owl"
HSCT = "http://purl.obolibrary.org/obo/MAXO_0000747"

OFFLINE = """
import urllib.request
def _refuse(*args, **kwargs):
    raise SystemExit(f"owlready2 went online: {args[:1]}")
urllib.request.urlopen = _refuse
import owlready2
"""


def _section() -> str:
    return README.read_text(encoding="utf-8").split("## OWL tools", 1)[1].split("\n## ", 1)[0]


def test_readme_load_example_runs_offline(
    built_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", _section(), re.S)
    assert "load()" in code

    def no_network(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError(f"owlready2 went online: {args[:1]}")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    monkeypatch.setattr(owlready2, "onto_path", [])
    namespace: dict[str, object] = {}
    exec(compile(code, str(README), "exec"), namespace)  # LUPUSKG_HOME: the built copy
    printed = capsys.readouterr().out
    assert IMPORT in printed and "hematopoietic stem cell transplantation" in printed


def test_readme_onto_path_recipe_loads_the_release_offline(
    built_settings: Settings, tmp_path: Path
) -> None:
    statements = re.findall(r"`(owlready2\.[^`(]+\([^`]+)`", _section())
    assert [s.split("(", 1)[0] for s in statements] == [
        "owlready2.onto_path.append",
        "owlready2.get_ontology",
    ]
    bundle = write_release(built_settings, tmp_path).directory
    code = "\n".join(s.replace("dist/lupuskg-VERSION", str(bundle)) for s in statements[:1]) + (
        f"\nonto = {statements[1].replace('dist/lupuskg-VERSION', str(bundle))}"
        "\nprint([o.base_iri for o in onto.imported_ontologies])"
        f"\nprint(onto.world[{HSCT!r}].label)"
    )
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE + code],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert IMPORT in done.stdout and "hematopoietic stem cell transplantation" in done.stdout
