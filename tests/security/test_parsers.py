"""Probes of findings 6 and 11: entity expansion, remote JSON-LD contexts, deep nesting, fmt.

Before: a 976-byte "billion laughs" RDF/XML ran `lupuskg validate` for 74 s and 9 GB,
because pyoxigraph's syntax check ran before rdflib's protected XML parser.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from security_helpers import Listener
from serve_helpers import lupuskg_command

from lupuskg.config import Settings
from lupuskg.exceptions import ParseError
from lupuskg.rdfio import check_syntax, parse_graph

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "lol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="http://ex/a"><rdf:value>&i;</rdf:value></rdf:Description>
</rdf:RDF>
"""


def test_billion_laughs_is_refused_before_any_rdf_parser(tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        check_syntax(path, "laughs.rdf")
    assert caught.value.location.line == 3
    assert "declares the entity 'a'" in str(caught.value)


def test_plain_rdfxml_still_parses(tmp_path: Path) -> None:
    path = tmp_path / "plain.rdf"
    body = LAUGHS.split("]>\n", 1)[1].replace("&i;", "x")
    path.write_text('<?xml version="1.0"?>\n' + body, encoding="utf-8")
    assert check_syntax(path) == 1


def test_remote_jsonld_context_is_refused_and_never_fetched(
    tmp_path: Path, listener: Listener
) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(
        f'{{"@context": ["{listener.url}ctx", {{"v": "http://ex/v"}}], "@id": "http://ex/a", '
        '"v": "x"}',
        encoding="utf-8",
    )
    with pytest.raises(ParseError) as caught:
        parse_graph(path, "remote.jsonld")
    assert "remote JSON-LD context" in str(caught.value)
    assert listener.connections == []


def test_deep_nesting_is_a_clean_parse_error_or_a_graph(tmp_path: Path) -> None:
    path = tmp_path / "deep.ttl"
    depth = 100_000
    path.write_text(
        "<http://ex/a> <http://ex/b> " + "(" * depth + "1" + ")" * depth + " .\n",
        encoding="utf-8",
    )
    try:
        parse_graph(path, "deep.ttl")
    except ParseError as error:
        assert error.location.path == "deep.ttl"


def test_fmt_refuses_non_turtle_and_leaves_it_alone(temp_project: Settings) -> None:
    target = temp_project.root / "graph" / "extra.rdf"
    body = '<?xml version="1.0"?>\n' + LAUGHS.split("]>\n", 1)[1].replace("&i;", "x")
    target.write_text(body, encoding="utf-8")
    done = subprocess.run(
        lupuskg_command("fmt", str(target)),
        cwd=temp_project.root,
        capture_output=True,
        timeout=120,
        env={"LUPUSKG_HOME": str(temp_project.root), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode != 0
    assert b"is not Turtle" in done.stderr
    assert b"Traceback" not in done.stderr
    assert target.read_text(encoding="utf-8") == body
