"""The QC rules are files: ontology/qc/<rule>-violation.rq, run by one generic runner."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from lupuskg.config import Settings
from lupuskg.exceptions import InputError
from lupuskg.ontology import Level, load_qc_rules, qc_report, qc_rules_dir

FIXTURES = Path(__file__).resolve().parent / "fixtures"

_EVERY_CLASS = """# Every class is reported (a rule made up for this test).
# level: WARN
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?subject ?message WHERE {
  ?subject a owl:Class
  BIND(CONCAT("class <", STR(?subject), "> reported") AS ?message)
}
"""


def test_each_rule_file_says_what_it_checks(real_settings: Settings) -> None:
    rules = load_qc_rules(qc_rules_dir(real_settings))
    assert len(rules) >= 10
    for rule in rules.values():
        assert rule.path.name == f"{rule.id}-violation.rq"
        assert rule.description and "\n" not in rule.description, rule.path
        assert "?subject" in rule.sparql and "?message" in rule.sparql, rule.path


def test_adding_a_rule_is_adding_a_file(temp_project: Settings) -> None:
    (qc_rules_dir(temp_project) / "every_class-violation.rq").write_text(_EVERY_CLASS)
    graph = rdflib.Graph().parse(FIXTURES / "clean.ttl")
    findings = [f for f in qc_report(graph, temp_project) if f.rule == "every_class"]
    assert findings, "the new rule did not run"
    assert {f.level for f in findings} == {Level.WARN}
    # an <IRI> in a rule's message is shown as a CURIE
    lkg = [f for f in findings if f.subject.startswith("https://w3id.org/lupuskg/vocab/")]
    assert lkg and all(f.message.startswith("class lkg:") for f in lkg), lkg


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?subject ?message WHERE { }\n",  # no comment, no level
        "# A rule with no level.\nSELECT ?subject ?message WHERE { }\n",
        "# A rule with a level ROBOT does not have.\n# level: FATAL\nSELECT * WHERE { }\n",
    ],
)
def test_a_rule_without_comment_or_level_is_refused(tmp_path: Path, text: str) -> None:
    (tmp_path / "broken-violation.rq").write_text(text)
    with pytest.raises(InputError, match=r"broken-violation\.rq"):
        load_qc_rules(tmp_path)


def test_malformed_sparql_names_the_rule_file(temp_project: Settings) -> None:
    path = qc_rules_dir(temp_project) / "broken-violation.rq"
    path.write_text("# A rule whose query does not parse.\n# level: ERROR\nSELECT WHERE {\n")
    with pytest.raises(InputError, match=r"broken-violation\.rq: malformed SPARQL"):
        qc_report(rdflib.Graph().parse(FIXTURES / "clean.ttl"), temp_project)
