"""The README's synthesis examples, run as written on the real corpus (issue 14).

The Python block runs unchanged; its comment's numbers must be the ones it computes, so
the README cannot drift from the corpus. The remission refusal it describes is checked
with its exact text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from lupuskg.cli import main
from lupuskg.config import Settings
from lupuskg.synthesis import gapmap, profile

README = Path(__file__).resolve().parents[2] / "README.md"
WANG_2014 = "https://w3id.org/lupuskg/id/wang-2014"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Synthesis:", 1)[1].split("\n## ", 1)[0]


def test_readme_python_example_runs_and_its_numbers_are_the_computed_ones(
    built_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = re.findall(r"```python\n(.*?)```", _section(), re.S)
    assert len(blocks) == 1, "the Synthesis section has one Python example"
    code = blocks[0]
    for call in ("lupuskg.meta(", "lupuskg.profile(", "lupuskg.evidence_map("):
        assert call in code
    monkeypatch.chdir(tmp_path)  # out_dir="build/map" is relative
    namespace: dict[str, object] = {}
    exec(compile(code, str(README), "exec"), namespace)

    summary = namespace["analysis"].summary()  # type: ignore[attr-defined]
    claimed = re.search(
        r"pooled (\d\.\d{3}) \((\d\.\d{3})–(\d\.\d{3})\), (\d+) studies, (\d+) patients", code
    )
    assert claimed, "the meta line's comment states the pooled estimate"
    computed = (
        f"{summary['estimate']:.3f}",
        f"{summary['ci_lower']:.3f}",
        f"{summary['ci_upper']:.3f}",
        str(summary["studies"]),
        str(summary["patients"]),
    )
    assert claimed.groups() == computed
    assert namespace["forest"].axes[0].get_yticklabels()  # type: ignore[attr-defined]

    frame = namespace["analysis"].to_dataframe()  # type: ignore[attr-defined]
    assert frame["result"].tolist() == [
        "https://w3id.org/lupuskg/id/wang-2013.result-05",
        WANG_2014 + ".result-10",
    ]
    certainty = namespace["certainty"].to_dataframe()  # type: ignore[attr-defined]
    assert tuple(certainty.columns) == profile.COLUMNS and len(certainty) > 0
    assert set(certainty["certainty"]) <= set(profile.LEVELS)
    cells = namespace["gaps"].to_dataframe()  # type: ignore[attr-defined]
    assert tuple(cells.columns) == gapmap.COLUMNS
    assert 0 < (cells["claims"] > 0).sum() < len(cells)  # evidence and gaps both
    written = sorted(p.name for p in (tmp_path / "build" / "map").iterdir())
    assert written == ["index.html", "map.json", "map.png", "map.svg"]


def test_readme_bash_meta_example_pools(built_settings: Settings, tmp_path: Path) -> None:
    block = re.findall(r"```bash\n(.*?)```", _section(), re.S)[0]
    line = next(line for line in block.splitlines() if line.startswith("lupuskg meta "))
    arguments = [part.strip('"') for part in re.findall(r'"[^"]*"|\S+', line)][1:]
    arguments[arguments.index("-o") + 1] = str(tmp_path)
    result = CliRunner().invoke(main, [*arguments, "--json"])
    assert result.exit_code == 0, result.output
    assert '"studies": 2' in result.stdout and '"patients": 123' in result.stdout


def test_readme_bash_instrument_any_example_pools_across_definitions(
    built_settings: Settings, tmp_path: Path
) -> None:
    block = re.findall(r"```bash\n(.*?)```", _section(), re.S)[0]
    line = next(line for line in block.splitlines() if "--instrument any" in line)
    arguments = line.split("#", 1)[0].split()[1:]
    result = CliRunner().invoke(main, [*arguments, "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "pooled across 2 definitions of remission: lkg:SLEDAI, not defined" in result.stdout


def test_clinical_response_refusal_on_wang_2014_names_the_sub_outcomes(
    built_settings: Settings, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        main,
        [
            "meta",
            "--outcome",
            "clinical response",
            "--therapy",
            "MSC",
            "--timepoint",
            "P12M",
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: arm {WANG_2014}.arm-ucmsc has results for 2 narrower outcomes at P1Y: "
        f"lkg:MajorClinicalResponse 13/40 ({WANG_2014}.result-06), "
        f"lkg:PartialClinicalResponse 11/40 ({WANG_2014}.result-07); "
        "they are not added up into one proportion: the document records no total over them, "
        "and the categories may overlap",
        "hint: pool one outcome at a time: "
        "--outcome lkg:MajorClinicalResponse or --outcome lkg:PartialClinicalResponse",
    ]
    assert list(tmp_path.iterdir()) == []  # nothing written for a refusal
