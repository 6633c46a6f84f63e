"""`lupuskg new`, `draft`, `validate` and `draft --accept` end to end, in a copy of the project."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import RDF, Graph, Namespace

from lupuskg.cli import main
from lupuskg.config import Settings
from lupuskg.validate import validate

LKG = Namespace("https://w3id.org/lupuskg/vocab/")
LKGD = Namespace("https://w3id.org/lupuskg/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
SLUG = "roe-2026"
TEXT = (
    "Umbilical cord mesenchymal stem cell transplantation for refractory lupus nephritis.\n"
    "Twelve patients with refractory lupus nephritis received umbilical cord mesenchymal stem "
    "cell transplantation.\n"
    "Complete remission was reached by 5 of 12 (41.7%) patients at 12 months.\n"
    "No patients experienced infections, but one patient had a headache.\n"
    "Larger randomised studies are needed to confirm safety.\n"
)


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def drafted(temp_project: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(temp_project.root)  # the CLI reads relative paths from the project
    source = tmp_path / "abstract.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert _run("new", SLUG, "--source", str(source)).exit_code == 0
    result = _run("draft", SLUG)
    assert result.exit_code == 0, result.output
    assert f"wrote graph/drafts/{SLUG}.ttl" in result.output
    return temp_project


def _draft(project: Settings) -> Graph:
    return Graph().parse(project.root / "graph" / "drafts" / f"{SLUG}.ttl")


def test_new_draft_validate(drafted: Settings) -> None:
    draft = _draft(drafted)
    claims = set(draft.subjects(LKG.curationStatus, LKG.Draft))
    assert len(claims) >= 4
    report = validate(drafted, [drafted.root / "graph" / "drafts" / f"{SLUG}.ttl"])
    violations = [r for r in report.results if r.severity == "Violation"]
    assert not violations, [r.message for r in violations]
    # the safety sentence gives one claim seen and one not seen
    directions = {
        (
            str(draft.value(c, LKG.outcome)).rsplit("/", 1)[1],
            str(draft.value(c, LKG.direction)).rsplit("/", 1)[1],
        )
        for c in claims
        if draft.value(c, LKG.outcome) is not None
    }
    assert ("Infection", "NotObserved") in directions
    assert ("Headache", "Observed") in directions
    assert any(draft.value(c, LKG.population) == LKG.RefractoryLupusNephritis for c in claims)


def test_cli_validate_accepts_a_draft_file(drafted: Settings) -> None:
    result = _run("validate", f"graph/drafts/{SLUG}.ttl")
    assert result.exit_code == 0, result.output
    assert "0 violations" in result.output


def test_draft_is_not_built(drafted: Settings) -> None:
    from lupuskg.build import build

    build(drafted, validate=False)
    import pyoxigraph as ox

    store = ox.Store.read_only(str(drafted.store_dir))
    status = ox.NamedNode(str(LKG.curationStatus))
    assert not list(store.quads_for_pattern(None, status, None, None))


def test_accept_moves_claims_into_the_document(drafted: Settings) -> None:
    draft = _draft(drafted)
    before = len(set(draft.subjects(LKG.curationStatus, LKG.Draft)))
    result = _run("draft", SLUG, "--accept", "claim-01,claim-02")
    assert result.exit_code == 0, result.output
    assert f"accepted draft claim-01 as {SLUG}.claim-01" in result.output
    document = Graph().parse(drafted.documents_dir / f"{SLUG}.ttl")
    accepted = [LKGD[f"{SLUG}.claim-01"], LKGD[f"{SLUG}.claim-02"]]
    for claim in accepted:
        assert (claim, RDF.type, None) in document
        assert (claim, LKG.curationStatus, None) not in document
        for quote in document.objects(claim, LKG.hasQuote):
            assert str(quote).startswith(str(LKGD[f"{SLUG}.quote-"]))
            start, end = int(document.value(quote, OA.start)), int(document.value(quote, OA.end))  # type: ignore[arg-type]
            assert TEXT[start:end] == str(document.value(quote, OA.exact))
    left = _draft(drafted)
    assert len(set(left.subjects(LKG.curationStatus, LKG.Draft))) == before - 2
    assert (LKGD[f"{SLUG}.draft-claim-01"], None, None) not in left
    # both files stay canonical and valid
    assert _run("fmt", "--check").exit_code == 0
    report = validate(
        drafted,
        [drafted.documents_dir / f"{SLUG}.ttl", drafted.root / "graph" / "drafts" / f"{SLUG}.ttl"],
    )
    assert not [r for r in report.results if r.severity == "Violation"], report.summary()


def test_accept_unknown_claim_is_a_clean_error(drafted: Settings) -> None:
    result = _run("draft", SLUG, "--accept", "claim-99")
    assert result.exit_code == 1
    assert "claim-99 not in graph/drafts/" in result.output
    assert "draft claims left: claim-01" in result.output


def test_draft_without_source_is_a_clean_error(temp_project: Settings) -> None:
    result = _run("draft", "nobody-2026")
    assert result.exit_code == 1
    assert "no source text graph/sources/nobody-2026.txt" in result.output


def test_redraft_skips_accepted_sentences(drafted: Settings) -> None:
    first = _draft(drafted)
    quote = first.value(LKGD[f"{SLUG}.draft-claim-01"], LKG.hasQuote)
    exact = str(first.value(quote, OA.exact))
    assert _run("draft", SLUG, "--accept", "claim-01").exit_code == 0
    assert _run("draft", SLUG).exit_code == 0
    again = _draft(drafted)
    assert exact not in {str(o) for o in again.objects(None, OA.exact)}


def test_queries_see_drafts_only_when_asked(drafted: Settings) -> None:
    from lupuskg.build import build

    build(drafted, validate=False)
    plain = _run("query", "Q06", "-f", "tsv")
    with_drafts = _run("query", "Q06", "-f", "tsv", "--include-drafts")
    assert plain.exit_code == 0 and with_drafts.exit_code == 0, with_drafts.output
    assert SLUG not in plain.output
    assert SLUG in with_drafts.output


@pytest.mark.slow
def test_drafts_of_every_project_document_validate(temp_project: Settings) -> None:
    """Each hand-encoded document's source, drafted, gives a draft without violations."""
    from lupuskg.draft import draft_document

    drafts = [
        draft_document(temp_project, path.stem).path for path in temp_project.document_files()
    ]
    report = validate(temp_project, drafts)
    violations = [
        f"{r.file} {r.focus} {r.message}" for r in report.results if r.severity == "Violation"
    ]
    assert not violations, "\n".join(violations)
