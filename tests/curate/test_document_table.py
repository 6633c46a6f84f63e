"""The document table of graph/README.md is generated from graph/documents, never by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from lupuskg.cli import main
from lupuskg.config import Settings, settings
from lupuskg.doctable import BEGIN, END, guide_path, refresh_guide
from lupuskg.exceptions import CurationError, ParseError
from lupuskg.ingest import ingest

PUBMED = Path(__file__).resolve().parents[1] / "ingest" / "fixtures" / "pubmed-efetch.xml"


def test_the_guide_table_is_up_to_date(project_root: Path, golden: Any) -> None:
    """Fails while the table is stale; ``--update-expected`` regenerates it like `lupuskg docs`."""
    project = settings(project_root)
    if golden.update:
        done = refresh_guide(project, check=False)
        if done.changed:
            golden.rewritten.append(done.path)
        return
    done = refresh_guide(project, check=True)
    assert not done.changed, (
        "the document table of graph/README.md is stale: run `lupuskg docs` "
        "(or ./scripts/test.sh --update-expected) and commit graph/README.md"
    )
    assert done.documents == len(project.document_files())


def _table(project: Settings) -> str:
    text = guide_path(project).read_text(encoding="utf-8")
    return text[text.index(BEGIN) : text.index(END)]


def test_a_new_document_makes_the_table_stale_until_docs_runs(temp_project: Settings) -> None:
    refresh_guide(temp_project, check=False)
    assert not refresh_guide(temp_project, check=True).changed
    made = ingest(temp_project, PUBMED)
    assert refresh_guide(temp_project, check=True).changed
    assert f"`{made.slug}`" not in _table(temp_project)  # check mode writes nothing
    done = refresh_guide(temp_project, check=False)
    assert done.changed and done.documents == len(temp_project.document_files())
    row = next(line for line in _table(temp_project).splitlines() if f"`{made.slug}`" in line)
    assert row == (
        f"| `{made.slug}` | Okonkwo AN et al. (2024), *Journal of Fixture Rheumatology* "
        "12(3):201-209 | `lkg:ResearchArticle` | 0 |"
    )
    assert not refresh_guide(temp_project, check=True).changed


def test_text_outside_the_markers_is_kept(temp_project: Settings) -> None:
    path = guide_path(temp_project)
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    path.write_text(text[:start] + "\n| stale |\n" + text[end:], encoding="utf-8")
    refresh_guide(temp_project, check=False)
    fresh = path.read_text(encoding="utf-8")
    assert "| stale |" not in fresh
    assert fresh[: fresh.index(BEGIN)] == text[: text.index(BEGIN)]
    assert fresh[fresh.index(END) :] == text[text.index(END) :]


def test_missing_markers_are_a_curation_error_naming_the_file(temp_project: Settings) -> None:
    path = guide_path(temp_project)
    path.write_text(path.read_text(encoding="utf-8").replace(END, ""), encoding="utf-8")
    with pytest.raises(CurationError, match=r"graph/README.md: the document table markers"):
        refresh_guide(temp_project, check=True)


def test_a_broken_document_is_reported_with_its_line(temp_project: Settings) -> None:
    bad = temp_project.documents_dir / "broken-2020.ttl"
    bad.write_text(
        "@prefix lkg: <https://w3id.org/lupuskg/vocab/> .\n\nlkg:x lkg:y lkg:z .\nnot turtle\n"
    )
    with pytest.raises(ParseError) as caught:
        refresh_guide(temp_project, check=False)
    assert caught.value.location.path == "graph/documents/broken-2020.ttl"
    assert caught.value.location.line == 4


def test_cli_check_exits_1_when_stale_and_docs_fixes_it(temp_project: Settings) -> None:
    runner = CliRunner()
    refresh_guide(temp_project, check=False)
    ingest(temp_project, PUBMED)
    stale = runner.invoke(main, ["docs", "--check"])
    assert stale.exit_code == 1
    assert "document table is stale" in stale.output and "lupuskg docs" in stale.output
    fixed = runner.invoke(main, ["docs"])
    assert fixed.exit_code == 0, fixed.output
    assert "rewritten" in fixed.output
    assert runner.invoke(main, ["docs", "--check"]).exit_code == 0
