"""Provenance integrity of the encoded documents (graph/documents/*.ttl).

One rule per test, parametrised so that each failure names the quote or document concerned:

- every lkg:Quote's oa:exact is found verbatim at [oa:start, oa:end) of the source text it
  points to (0-based code-point offsets into the UTF-8 text, end exclusive, as Python slices);
- every lkg:SourceText's lkg:sha256 is the hex SHA-256 of the bytes of its lkg:filePath;
- every quote a claim cites exists in the same document file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ROOT / "graph" / "documents"
LKG = Namespace("https://w3id.org/lupuskg/vocab/")
OA = Namespace("http://www.w3.org/ns/oa#")

DOCUMENT_FILES = sorted(DOCUMENTS.glob("*.ttl"))


@dataclass(frozen=True)
class QuoteCase:
    iri: str
    document: Path
    source: Path | None
    start: int | None
    end: int | None
    exact: str | None

    @property
    def id(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


def _graph(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


def _quote_cases() -> list[QuoteCase]:
    cases = []
    for path in DOCUMENT_FILES:
        graph = _graph(path)
        for quote in sorted(graph.subjects(RDF.type, LKG.Quote)):
            source_node = graph.value(quote, LKG.inSourceText)
            file_path = graph.value(source_node, LKG.filePath) if source_node else None
            exact = graph.value(quote, OA.exact)
            cases.append(
                QuoteCase(
                    iri=str(quote),
                    document=path,
                    source=ROOT / str(file_path) if file_path is not None else None,
                    start=_int(graph.value(quote, OA.start)),
                    end=_int(graph.value(quote, OA.end)),
                    exact=None if exact is None else str(exact),
                )
            )
    return cases


QUOTES = _quote_cases()


def _where(case: QuoteCase) -> str:
    return f"quote <{case.iri}> in {case.document.relative_to(ROOT)}"


def test_documents_exist() -> None:
    assert DOCUMENT_FILES, f"no document files in {DOCUMENTS.relative_to(ROOT)}"
    assert QUOTES, "the document files hold no lkg:Quote nodes"


@pytest.mark.parametrize("case", QUOTES, ids=[case.id for case in QUOTES])
def test_quote_is_verbatim_at_its_offsets(case: QuoteCase) -> None:
    where = _where(case)
    assert case.source is not None, (
        f"{where} has no lkg:inSourceText with an lkg:filePath; "
        "point it at the document's SourceText node"
    )
    assert case.source.is_file(), f"{where}: source file {case.source.relative_to(ROOT)} is missing"
    assert case.exact is not None, f"{where} has no oa:exact"
    assert case.start is not None and case.end is not None, f"{where} lacks oa:start or oa:end"
    text = case.source.read_bytes().decode("utf-8")
    assert 0 <= case.start <= case.end <= len(text), (
        f"{where}: offsets [{case.start}, {case.end}) fall outside "
        f"{case.source.relative_to(ROOT)} ({len(text)} code points)"
    )
    found = text[case.start : case.end]
    hint = ""
    if found != case.exact:
        at = text.find(case.exact)
        hint = (
            f"\n  the exact text occurs at [{at}, {at + len(case.exact)}); fix oa:start/oa:end"
            if at >= 0
            else "\n  the exact text does not occur anywhere in the source: copy it verbatim "
            "(runs of ' \\u00a0 ', curly quotes and typos included)"
        )
    assert found == case.exact, (
        f"{where} does not match {case.source.relative_to(ROOT)}[{case.start}:{case.end}]\n"
        f"  oa:exact: {case.exact!r}\n  source  : {found!r}{hint}"
    )


@pytest.mark.parametrize("path", DOCUMENT_FILES, ids=[p.stem for p in DOCUMENT_FILES])
def test_source_text_checksum(path: Path) -> None:
    graph = _graph(path)
    sources = sorted(graph.subjects(RDF.type, LKG.SourceText))
    assert sources, f"{path.relative_to(ROOT)} declares no lkg:SourceText node"
    for source in sources:
        file_path = graph.value(source, LKG.filePath)
        assert file_path is not None, f"<{source}> in {path.relative_to(ROOT)} has no lkg:filePath"
        data = (ROOT / str(file_path)).read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        recorded = str(graph.value(source, LKG.sha256))
        assert recorded == actual, (
            f"<{source}> in {path.relative_to(ROOT)}: lkg:sha256 {recorded!r} does not match "
            f"{file_path} ({actual!r}); sources are byte-exact copies, so either restore the file "
            "or, if the new text is intended, re-check every quote and update the checksum"
        )


@pytest.mark.parametrize("path", DOCUMENT_FILES, ids=[p.stem for p in DOCUMENT_FILES])
def test_claims_cite_existing_quotes(path: Path) -> None:
    graph = _graph(path)
    problems = []
    for claim in sorted(set(graph.subjects(LKG.sourceDocument, None))):
        quotes = list(graph.objects(claim, LKG.hasQuote))
        if not quotes:
            problems.append(f"<{claim}> has no lkg:hasQuote")
        problems += [
            f"<{claim}> cites <{quote}>, which is not an lkg:Quote in this file"
            for quote in quotes
            if not isinstance(quote, URIRef) or (quote, RDF.type, LKG.Quote) not in graph
        ]
    assert not problems, f"{path.relative_to(ROOT)}:\n  " + "\n  ".join(problems)
