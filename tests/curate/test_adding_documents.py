"""Done-means of issue 12, reduced: new documents need no test edits, only --update-expected.

In a fresh copy of the project (inputs, tests and scripts), one generated document
(``benchmarks/generate.py``) and one hand-written document (ingested from the PubMed
fixture, then given a study, a claim, a quote and a coverage file, as in graph/README.md
§9) are added. ``pytest tests/queries --update-expected`` must rewrite golden answers,
and then the suites that read the documents (queries, graph coverage and quotes,
canonical Turtle, validation of the corpus) must pass with no other change.

It does not run the whole suite in the copy (about 8 minutes on an idle machine); the
suites left out do not read graph/documents.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from lupuskg.canonical import format_file
from lupuskg.config import settings
from lupuskg.curate import quote_turtle
from lupuskg.ingest import ingest

ROOT = Path(__file__).resolve().parents[2]
PUBMED = ROOT / "tests" / "ingest" / "fixtures" / "pubmed-efetch.xml"
SUITES = [
    "tests/queries",
    "tests/graph",
    "tests/build/test_canonical.py",
    "tests/validate/test_validate_seed.py",
]

CLAIM = """
@prefix lkg: <https://w3id.org/lupuskg/vocab/> .
@prefix lkgd: <https://w3id.org/lupuskg/id/> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

lkgd:okonkwo-2024.study-cohort a lkg:Study ;
    rdfs:label "UC-MSC add-on in 20 patients with refractory lupus nephritis" ;
    lkg:studyDesign obo:OBI_0002674 ;
    lkg:sampleSize "20"^^xsd:nonNegativeInteger ;
    lkg:followUp "P12M"^^xsd:duration ;
    lkg:intervention lkg:UCMSCTherapy ;
    lkg:population lkg:RefractoryLupusNephritis ;
    lkg:reportedIn lkgd:okonkwo-2024 .

lkgd:okonkwo-2024.claim-01 a lkg:EfficacyClaim ;
    lkg:statement "UC-MSC added to standard therapy gave a renal response at 12 months in 11 of 20 patients with refractory lupus nephritis." ;
    lkg:intervention lkg:UCMSCTherapy ;
    lkg:outcome lkg:ResponseRate ;
    lkg:population lkg:RefractoryLupusNephritis ;
    lkg:direction lkg:Mixed ;
    lkg:qualifier "11 of 20 patients" ;
    lkg:certainty lkg:Established ;
    lkg:evidenceType obo:ECO_0000180 ;
    lkg:aboutStudy lkgd:okonkwo-2024.study-cohort ;
    lkg:sourceDocument lkgd:okonkwo-2024 ;
    lkg:hasQuote lkgd:okonkwo-2024.quote-01 .
"""

COVERAGE = """# okonkwo-2024: 11 of 20 patients reached a renal response at 12 months
PREFIX lkg: <https://w3id.org/lupuskg/vocab/>
PREFIX lkgd: <https://w3id.org/lupuskg/id/>
PREFIX oa: <http://www.w3.org/ns/oa#>
ASK {
  ?c lkg:sourceDocument lkgd:okonkwo-2024 ; lkg:outcome lkg:ResponseRate ; lkg:hasQuote ?q .
  ?q oa:exact ?exact ; oa:start ?s ; oa:end ?e .
  FILTER(CONTAINS(?exact, "Eleven of the 20 patients"))
}
"""


def _pytest(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, LUPUSKG_HOME=str(root))
    env.pop("LUPUSKG_STORE", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_two_new_documents_need_only_update_expected(
    tmp_path: Path, project_copier: Callable[[Path], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project_copier(tmp_path / "fresh")
    for part in ("tests", "scripts", "benchmarks"):
        shutil.copytree(
            ROOT / part, root / part, ignore=shutil.ignore_patterns("__pycache__", "corpus")
        )
    shutil.copy2(ROOT / "README.md", root / "README.md")  # its examples are tests too
    monkeypatch.setenv("LUPUSKG_HOME", str(root))
    settings.cache_clear()
    project = settings(root)

    sys.path.insert(0, str(root / "benchmarks"))
    try:
        from generate import Vocabulary, generate_document
    finally:
        sys.path.remove(str(root / "benchmarks"))
    slug, turtle, source = generate_document(7, Vocabulary.from_ontology(root / "ontology"))
    (project.documents_dir / f"{slug}.ttl").write_text(turtle, encoding="utf-8")
    (project.sources_dir / f"{slug}.txt").write_text(source, encoding="utf-8")

    made = ingest(project, PUBMED)
    quote = quote_turtle(
        project, made.slug, "Eleven of the 20 patients reached a renal response at 12 months"
    )
    with made.document.open("a", encoding="utf-8") as stream:
        stream.write("\n" + quote + CLAIM)
    coverage = root / "graph" / "coverage" / made.slug
    coverage.mkdir()
    (coverage / "renal-response-11-of-20.rq").write_text(COVERAGE, encoding="utf-8")
    for path in (made.document, project.documents_dir / f"{slug}.ttl"):
        format_file(path, project, check=False)  # `lupuskg fmt`
    settings.cache_clear()

    before = {p.name: p.read_bytes() for p in (root / "tests" / "expected").rglob("*.tsv")}
    updated = _pytest(root, "tests/queries", "--update-expected")
    assert updated.returncode == 0, updated.stdout[-4000:] + updated.stderr[-2000:]
    after = {p.name: p.read_bytes() for p in (root / "tests" / "expected").rglob("*.tsv")}
    changed = sorted(name for name in after if before.get(name) != after[name])
    assert changed, "adding two documents changed no golden answer: the answers ignore them"
    assert "rewrote" in updated.stdout

    checked = _pytest(root, *SUITES)
    assert checked.returncode == 0, checked.stdout[-6000:] + checked.stderr[-2000:]
    assert " passed" in checked.stdout
