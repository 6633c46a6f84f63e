"""`file:line` of a focus node: the first line where the node starts a line as a subject."""

from __future__ import annotations

from lupuskg.validation.locate import LineIndex

LKGD = "https://w3id.org/lupuskg/id/"

CANONICAL = """PREFIX lkg: <https://w3id.org/lupuskg/vocab/>
PREFIX lkgd: <https://w3id.org/lupuskg/id/>

lkgd:doc.claim-01
    a lkg:EfficacyClaim ;
    lkg:hasQuote lkgd:doc.quote-01 ;
    lkg:sourceDocument lkgd:doc ;
.

lkgd:doc.claim-010
    a lkg:EfficacyClaim ;
.

lkgd:doc
    a lkg:NewsReport ;
.

<https://w3id.org/lupuskg/source/doc.txt>
    a lkg:SourceText ;
.
"""


def test_subject_lines_in_canonical_turtle() -> None:
    index = LineIndex(CANONICAL)
    assert index.line_of(LKGD + "doc.claim-01") == 4
    assert index.line_of(LKGD + "doc.claim-010") == 10  # not confused with claim-01
    assert index.line_of(LKGD + "doc") == 14  # the subject line, not the earlier object use
    assert index.line_of("https://w3id.org/lupuskg/source/doc.txt") == 18


def test_object_only_node_falls_back_to_first_mention() -> None:
    index = LineIndex(CANONICAL)
    assert index.line_of(LKGD + "doc.quote-01") == 6
    assert index.line_of(LKGD + "not-there") is None


def test_other_prefix_labels_and_at_prefix_syntax() -> None:
    text = (
        "@prefix d: <https://w3id.org/lupuskg/id/> .\n"
        "@prefix : <https://w3id.org/lupuskg/vocab/> .\n"
        "# a comment mentioning d:x\n"
        "d:x a :Study ; :reportedIn d:y .\n"
        "d:y a :NewsReport .\n"
    )
    index = LineIndex(text)
    assert index.line_of(LKGD + "x") == 4  # the one-line statement ending in '.'
    assert index.line_of(LKGD + "y") == 5


def test_indented_subject_is_found_by_mention() -> None:
    text = "PREFIX lkgd: <https://w3id.org/lupuskg/id/>\n\n   lkgd:a\n      a <x:T> .\n"
    assert LineIndex(text).line_of(LKGD + "a") == 3


def test_escaped_local_name() -> None:
    text = "PREFIX lkgd: <https://w3id.org/lupuskg/id/>\nlkgd:a\\/b a <x:T> .\n"
    assert LineIndex(text).line_of(LKGD + "a/b") == 2
