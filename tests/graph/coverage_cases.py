"""Coverage cases: one SPARQL ASK per item of design §3 (what the four seeds say).

Each case is ``(case id, ASK query)``. Every query must return true over the union of the
document graphs (no GRAPH clause, no ontology or reasoning needed: the patterns use only
asserted triples). A case checks that the item is encoded as a claim (or study) of the
right document, with its intervention/outcome/mechanism/figures, and that it cites a quote.

Case ids start with the document slug: ``carl`` (seed 000), ``rajoe`` (001),
``cem`` (002), ``frontiers`` (003).
"""

from __future__ import annotations

__all__ = ["COVERAGE_CASES", "PREFIXES"]

PREFIXES = """\
PREFIX lkg: <https://w3id.org/lupuskg/vocab/>
PREFIX lkgd: <https://w3id.org/lupuskg/id/>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def _ask(body: str) -> str:
    return f"{PREFIXES}ASK {{\n{body.strip()}\n}}"


def _claim(doc: str, pattern: str, var: str = "?c") -> str:
    """A claim of document ``doc`` matching ``pattern`` and citing a quote that exists."""
    q = "?q" + var[1:]
    return (
        f"  {var} lkg:sourceDocument lkgd:{doc} ; lkg:hasQuote {q} .\n"
        f"  {q} a lkg:Quote ; oa:exact ?exact{var[1:]} ; oa:start ?s{var[1:]} ; oa:end ?e{var[1:]} .\n"
        f"  {pattern.strip()}\n"
    )


_CASES: list[tuple[str, str]] = [
    # ------------------------------------------------------------------ 000 Carl 2024
    (
        "carl-document-metadata",
        """
  lkgd:carl-2024 a lkg:PerspectiveArticle ;
      bibo:doi "10.35248/2684-1630.24.9.307" ; bibo:volume "9" ; bibo:issue "4" ;
      dcterms:issued "2024-09-02"^^xsd:date ;
      dcterms:license <http://creativecommons.org/licenses/by/4.0/> ;
      lkg:sourceText ?src .
  ?src lkg:sha256 ?sha ; lkg:filePath "graph/sources/carl-2024.txt" .
""",
    ),
    (
        "carl-conventional-limited-benefit",
        _claim(
            "carl-2024",
            """
  ?c a lkg:LimitationClaim ; lkg:intervention obo:MAXO_0000640 , lkg:AntimalarialTherapy , obo:MAXO_0000297 ;
     lkg:outcome lkg:LimitedBenefit ; lkg:population lkg:SevereSLE ; lkg:direction lkg:Observed .
""",
        ),
    ),
    (
        "carl-conventional-side-effects",
        _claim(
            "carl-2024",
            """
  ?c a lkg:LimitationClaim ; lkg:intervention obo:MAXO_0000640 , lkg:AntimalarialTherapy , obo:MAXO_0000297 ;
     lkg:outcome lkg:SideEffects ; lkg:direction lkg:Observed .
""",
        ),
    ),
    (
        "carl-hsct-procedure-sources-and-conditioning",
        _claim(
            "carl-2024",
            """
  ?c a lkg:ProcedureClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:cellSource obo:UBERON_0002371 ;
     lkg:donorType lkg:Autologous , lkg:Allogeneic ;
     lkg:conditioning lkg:HighDoseImmunosuppressiveConditioning .
""",
        ),
    ),
    (
        "carl-hsct-immune-reset",
        _claim(
            "carl-2024",
            """
  ?c a lkg:MechanismClaim ; lkg:intervention obo:MAXO_0000747 ;
     lkg:mechanism lkg:ImmuneReset , lkg:EliminationOfAutoreactiveCells .
""",
        ),
    ),
    (
        "carl-msc-sources-bm-adipose-uc",
        _claim(
            "carl-2024",
            "?a a lkg:ProcedureClaim ; lkg:intervention lkg:BMMSCTherapy ; lkg:cellSource obo:UBERON_0002371 .",
            "?a",
        )
        + _claim(
            "carl-2024",
            "?b a lkg:ProcedureClaim ; lkg:intervention lkg:ADMSCTherapy ; lkg:cellSource obo:UBERON_0001013 .",
            "?b",
        )
        + _claim(
            "carl-2024",
            "?d a lkg:ProcedureClaim ; lkg:intervention lkg:UCMSCTherapy ; lkg:cellSource obo:UBERON_0002331 .",
            "?d",
        ),
    ),
    (
        "carl-msc-immunomodulation",
        _claim(
            "carl-2024",
            """
  ?c a lkg:MechanismClaim ; lkg:intervention lkg:MSCTherapy ; lkg:mechanism lkg:Immunomodulation ; lkg:direction lkg:Promotes .
""",
        ),
    ),
    (
        "carl-msc-anti-inflammation",
        _claim(
            "carl-2024",
            """
  ?c a lkg:MechanismClaim ; lkg:intervention lkg:MSCTherapy ; lkg:mechanism lkg:AntiInflammatoryEffect .
""",
        ),
    ),
    (
        "carl-msc-tissue-repair",
        _claim(
            "carl-2024",
            """
  ?c a lkg:MechanismClaim ; lkg:intervention lkg:MSCTherapy ; lkg:mechanism lkg:TissueRepair .
""",
        ),
    ),
    (
        "carl-msc-prevents-immune-mediated-damage",
        _claim(
            "carl-2024",
            """
  ?c a lkg:MechanismClaim ; lkg:intervention lkg:MSCTherapy ; lkg:mechanism lkg:PreventionOfImmuneMediatedDamage .
""",
        ),
    ),
    (
        "carl-hsct-first-reports-late-1990s",
        _claim(
            "carl-2024",
            """
  ?c a lkg:HistoricalClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:certainty lkg:Suggested ; lkg:aboutStudy ?s .
  ?s a lkg:Study ; lkg:periodLabel "late 1990s" ; lkg:reportedIn lkgd:carl-2024 .
  FILTER NOT EXISTS { ?s lkg:startYear ?invented }
""",
        ),
    ),
    (
        "carl-hsct-disease-activity",
        _claim(
            "carl-2024",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:outcome lkg:DiseaseActivity ;
     lkg:direction lkg:Improves ; lkg:aboutStudy ?s .
""",
        ),
    ),
    (
        "carl-hsct-less-immunosuppressants",
        _claim(
            "carl-2024",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:outcome lkg:NeedForImmunosuppressants ;
     lkg:direction lkg:Improves .
""",
        ),
    ),
    (
        "carl-hsct-treatment-related-mortality",
        _claim(
            "carl-2024",
            """
  ?c a lkg:SafetyClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:outcome lkg:TreatmentRelatedMortality ;
     lkg:direction lkg:Observed .
""",
        ),
    ),
    (
        "carl-hsct-infection",
        _claim(
            "carl-2024",
            """
  ?c a lkg:SafetyClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:outcome lkg:Infection ; lkg:direction lkg:Observed .
""",
        ),
    ),
    (
        "carl-hsct-patient-selection",
        _claim(
            "carl-2024",
            """
  ?c a lkg:BarrierClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:outcome lkg:PatientSelectionRequirement .
""",
        ),
    ),
    (
        "carl-astis-study",
        """
  ?s a lkg:Study ; lkg:acronym "ASTIS" ;
     rdfs:label "Autologous Stem Cell Transplantation International Scleroderma trial" ;
     lkg:population obo:MONDO_0005100 , obo:MONDO_0007915 ; lkg:reportedIn lkgd:carl-2024 .
""",
    ),
    (
        "carl-astis-sustained-remission",
        _claim(
            "carl-2024",
            """
  ?c a lkg:EfficacyClaim ; lkg:outcome lkg:SustainedRemission ; lkg:direction lkg:Improves ; lkg:aboutStudy ?s .
  ?s lkg:acronym "ASTIS" .
""",
        ),
    ),
    (
        "carl-astis-significant-risks",
        _claim(
            "carl-2024",
            """
  ?c a lkg:SafetyClaim ; lkg:outcome lkg:ProcedureRisk ; lkg:direction lkg:Observed ; lkg:aboutStudy ?s .
  ?s lkg:acronym "ASTIS" .
""",
        ),
    ),
    (
        "carl-msc-first-trials-china",
        _claim(
            "carl-2024",
            """
  ?c a lkg:HistoricalClaim ; lkg:intervention lkg:MSCTherapy ; lkg:aboutStudy ?s .
  ?s lkg:country "China" .
""",
        ),
    ),
    (
        "carl-msc-trials-lupus-nephritis",
        _claim(
            "carl-2024",
            """
  ?c lkg:intervention lkg:MSCTherapy ; lkg:population obo:MONDO_0005556 .
""",
        ),
    ),
    (
        "carl-2015-comparative-study",
        """
  ?s a lkg:Study ; lkg:reportedIn lkgd:carl-2024 ; lkg:startYear "2015"^^xsd:gYear ;
     lkg:followUp "P2Y"^^xsd:duration ; lkg:studyDesign lkg:ComparativeStudyDesign ;
     lkg:intervention lkg:MSCTherapy ; lkg:comparator lkg:StandardImmunosuppressiveRegimen .
""",
    ),
    (
        "carl-2015-better-response-rate",
        _claim(
            "carl-2024",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention lkg:MSCTherapy ; lkg:comparator lkg:StandardImmunosuppressiveRegimen ;
     lkg:outcome lkg:ResponseRate ; lkg:direction lkg:Improves ; lkg:aboutStudy ?s .
  ?s lkg:followUp "P2Y"^^xsd:duration .
""",
        ),
    ),
    (
        "carl-2015-fewer-relapses",
        _claim(
            "carl-2024",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention lkg:MSCTherapy ; lkg:comparator lkg:StandardImmunosuppressiveRegimen ;
     lkg:outcome lkg:Relapse ; lkg:direction lkg:Improves ; lkg:aboutStudy ?s .
  ?s lkg:startYear "2015"^^xsd:gYear .
""",
        ),
    ),
    (
        "carl-2015-need-for-immunosuppressants-not-eliminated",
        _claim(
            "carl-2024",
            """
  ?c lkg:intervention lkg:MSCTherapy ; lkg:outcome lkg:NeedForImmunosuppressants ; lkg:direction lkg:Mixed .
""",
        ),
    ),
    (
        "carl-combination-therapy-suggested",
        _claim(
            "carl-2024",
            """
  ?c lkg:intervention lkg:CombinationTherapy ; lkg:certainty lkg:Suggested .
""",
        ),
    ),
    (
        "carl-cost-barrier",
        _claim(
            "carl-2024",
            """
  ?c a lkg:BarrierClaim ; lkg:outcome lkg:CostBarrier .
""",
        ),
    ),
    (
        "carl-availability-barrier",
        _claim(
            "carl-2024",
            """
  ?c a lkg:BarrierClaim ; lkg:outcome lkg:AvailabilityBarrier .
""",
        ),
    ),
    (
        "carl-less-intensive-alternative",
        _claim(
            "carl-2024",
            """
  ?c lkg:intervention lkg:MSCTherapy ; lkg:comparator obo:MAXO_0000747 ; lkg:mechanism lkg:Immunomodulation .
""",
        ),
    ),
    (
        "carl-conclusion-remission",
        _claim(
            "carl-2024",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention obo:MAXO_0000747 , lkg:MSCTherapy ; lkg:outcome lkg:Remission ;
     lkg:direction lkg:Improves ; lkg:evidenceType obo:ECO_0000204 .
""",
        ),
    ),
    (
        "carl-conclusion-disease-activity",
        _claim(
            "carl-2024",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention obo:MAXO_0000747 , lkg:MSCTherapy ; lkg:outcome lkg:DiseaseActivity ;
     lkg:direction lkg:Improves ; lkg:evidenceType obo:ECO_0000204 .
""",
        ),
    ),
    (
        "carl-variable-response",
        _claim(
            "carl-2024",
            """
  ?c a lkg:BarrierClaim ; lkg:outcome lkg:VariableResponse .
""",
        ),
    ),
    (
        "carl-ongoing-research",
        _claim(
            "carl-2024",
            """
  ?c a lkg:ResearchGapClaim .
""",
        ),
    ),
    # ------------------------------------------------------------------ 001 Rajoe 2023
    (
        "rajoe-document-titles-disagree",
        """
  lkgd:rajoe-2023 a lkg:PerspectiveArticle ;
      dcterms:title "Stem Cell Therapy: A Path to Personalized Medicine" ;
      lkg:citationTitle "Hematopoietic Stem Cell Transplantation for Lupus Nephritis" ;
      bibo:doi "10.21767/IPISC-9.3.25" ; bibo:volume "9" ; bibo:issue "3" ;
      dcterms:issued "2023-09-27"^^xsd:date ; lkg:curationNote ?note .
  FILTER(CONTAINS(?note, "Title and citation disagree"))
""",
    ),
    (
        "rajoe-missing-word-notes",
        """
  { SELECT (COUNT(DISTINCT ?q) AS ?n) WHERE {
      ?q a lkg:Quote ; lkg:inSourceText <https://w3id.org/lupuskg/source/rajoe-2023.txt> ;
         lkg:curationNote ?note .
      FILTER(CONTAINS(?note, "issing")) } }
  FILTER(?n >= 4)
""",
    ),
    (
        "rajoe-ln-six-biopsy-classes",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:BackgroundClaim ; lkg:population obo:MONDO_0005556 .
  FILTER(CONTAINS(?exactc, "six categories"))
""",
        ),
    ),
    (
        "rajoe-ln-progression-esrd-dialysis-transplant",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:BackgroundClaim ; lkg:population obo:MONDO_0005556 ;
     lkg:outcome obo:MONDO_0004375 , obo:MAXO_0000601 , obo:MAXO_0010043 .
""",
        ),
    ),
    (
        "rajoe-conventional-remission-in-some",
        _claim(
            "rajoe-2023",
            """
  ?c lkg:intervention obo:MAXO_0000640 , lkg:CyclophosphamideTherapy , lkg:MycophenolateMofetilTherapy ,
         lkg:AzathioprineTherapy ;
     lkg:outcome lkg:Remission ; lkg:qualifier "in some patients" .
""",
        ),
    ),
    (
        "rajoe-conventional-side-effects",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:LimitationClaim ; lkg:intervention lkg:CyclophosphamideTherapy ; lkg:outcome lkg:SideEffects .
""",
        ),
    ),
    (
        "rajoe-conventional-relapse",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:LimitationClaim ; lkg:intervention lkg:MycophenolateMofetilTherapy ; lkg:outcome lkg:Relapse .
""",
        ),
    ),
    (
        "rajoe-conventional-intolerance",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:LimitationClaim ; lkg:intervention lkg:AzathioprineTherapy ; lkg:outcome lkg:DrugIntolerance .
""",
        ),
    ),
    (
        "rajoe-conventional-refractory-and-long-term",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:LimitationClaim ; lkg:intervention obo:MAXO_0000640 ; lkg:outcome lkg:LongTermTreatmentRequirement .
""",
        )
        + _claim(
            "rajoe-2023",
            """
  ?d a lkg:LimitationClaim ; lkg:intervention obo:MAXO_0000640 ; lkg:population lkg:RefractoryLupusNephritis .
""",
            "?d",
        ),
    ),
    (
        "rajoe-hsct-decades-in-oncology",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:HistoricalClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:population lkg:HematologicMalignancy .
""",
        ),
    ),
    (
        "rajoe-hsct-collection-bm-or-peripheral-blood",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:ProcedureClaim ; lkg:cellSource obo:UBERON_0002371 , obo:UBERON_0000178 ; lkg:donorType lkg:Autologous .
""",
        ),
    ),
    (
        "rajoe-hsct-ablation-chemo-and-tbi",
        _claim(
            "rajoe-2023",
            "?c a lkg:ProcedureClaim ; lkg:conditioning lkg:HighDoseChemotherapyConditioning ; lkg:mechanism lkg:ImmuneAblation .",
        )
        + _claim(
            "rajoe-2023",
            '?d a lkg:ProcedureClaim ; lkg:conditioning lkg:TotalBodyIrradiationConditioning ; lkg:qualifier "in some cases" .',
            "?d",
        ),
    ),
    (
        "rajoe-hsct-autologous-reinfusion",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:ProcedureClaim ; lkg:intervention lkg:AutologousHSCT ; lkg:donorType lkg:Autologous .
  FILTER(CONTAINS(?exactc, "infused back"))
""",
        ),
    ),
    (
        "rajoe-hsct-immune-reconstitution",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:MechanismClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:mechanism lkg:ImmuneReconstitution .
""",
        )
        + _claim(
            "rajoe-2023",
            """
  ?d a lkg:MechanismClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:mechanism lkg:ImmuneReset .
""",
            "?d",
        ),
    ),
    (
        "rajoe-refractory-ln-response-rates",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:outcome lkg:ResponseRate ;
     lkg:population lkg:RefractoryLupusNephritis ; lkg:direction lkg:Improves ; lkg:aboutStudy ?s .
""",
        ),
    ),
    (
        "rajoe-complete-remission-in-some",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:outcome lkg:CompleteRemission ;
     lkg:qualifier "in some patients" .
""",
        ),
    ),
    (
        "rajoe-response-varies-selection-severity",
        _claim(
            "rajoe-2023",
            """
  ?c lkg:intervention obo:MAXO_0000747 ; lkg:outcome lkg:VariableResponse .
""",
        ),
    ),
    (
        "rajoe-survival-improved-over-time",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:outcome lkg:Survival ; lkg:direction lkg:Improves .
""",
        ),
    ),
    (
        "rajoe-high-risk-procedure",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:SafetyClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:outcome lkg:ProcedureRisk ; lkg:direction lkg:Observed .
""",
        ),
    ),
    (
        "rajoe-renal-function",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:outcome lkg:RenalFunction ; lkg:direction lkg:Improves .
""",
        ),
    ),
    (
        "rajoe-proteinuria",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:outcome lkg:Proteinuria ; lkg:direction lkg:Improves .
""",
        ),
    ),
    (
        "rajoe-less-need-for-immunosuppressants",
        _claim(
            "rajoe-2023",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention obo:MAXO_0000747 ; lkg:outcome lkg:NeedForImmunosuppressants ;
     lkg:direction lkg:Improves .
""",
        ),
    ),
    # ------------------------------------------------------------------ 002 news report (CEM)
    (
        "cem-no-doi-note",
        """
  lkgd:cem-ucmsc-news a lkg:NewsReport ; lkg:curationNote ?note ; lkg:sourceText ?src .
  FILTER NOT EXISTS { lkgd:cem-ucmsc-news bibo:doi ?doi }
  FILTER(CONTAINS(?note, "No DOI"))
""",
    ),
    (
        "cem-ucmsc-study-9-patients-6-years",
        """
  ?s a lkg:Study ; lkg:reportedIn lkgd:cem-ucmsc-news ;
     lkg:sampleSize "9"^^xsd:nonNegativeInteger ; lkg:followUp "P6Y"^^xsd:duration ;
     lkg:intervention lkg:UCMSCTherapy ; lkg:population lkg:RefractorySLE ; lkg:curationNote ?note .
  FILTER(CONTAINS(?note, "6 years earlier"))
""",
    ),
    (
        "cem-ucmsc-transplantation-quoted",
        _claim(
            "cem-ucmsc-news",
            """
  ?c a lkg:ProcedureClaim ; lkg:intervention lkg:UCMSCTherapy ; lkg:cellSource obo:UBERON_0002331 ;
     lkg:aboutStudy ?s ; lkg:curationNote ?note .
  ?s lkg:sampleSize "9"^^xsd:nonNegativeInteger .
  FILTER(CONTAINS(?exactc, "6 years earlier"))
""",
        ),
    ),
    (
        "cem-safety-panel",
        _claim(
            "cem-ucmsc-news",
            """
  ?c lkg:aboutStudy ?s .
  FILTER(CONTAINS(?exactc, "electrocardiograms"))
  ?s lkg:safetyAssessment lkg:BloodTest , lkg:UrinalysisTest , lkg:LiverFunctionTest , lkg:Electrocardiography ,
         lkg:ChestRadiography , lkg:WhiteBloodCellCount , lkg:PlateletCount , lkg:TumourMarkerTest .
""",
        ),
    ),
    (
        "cem-no-adverse-effects",
        _claim(
            "cem-ucmsc-news",
            """
  ?c a lkg:SafetyClaim ; lkg:intervention lkg:UCMSCTherapy ; lkg:outcome lkg:AdverseEvent ;
     lkg:direction lkg:NotObserved ; lkg:certainty lkg:Established ; lkg:aboutStudy ?s .
  ?s lkg:followUp "P6Y"^^xsd:duration .
""",
        ),
    ),
    (
        "cem-no-cancer-markers",
        _claim(
            "cem-ucmsc-news",
            """
  ?c a lkg:SafetyClaim ; lkg:outcome lkg:Malignancy ; lkg:direction lkg:NotObserved .
""",
        ),
    ),
    (
        "cem-warm-sensation-with-dizziness",
        _claim(
            "cem-ucmsc-news",
            """
  ?c a lkg:SafetyClaim ; lkg:intervention lkg:UCMSCTherapy ; lkg:outcome lkg:WarmSensationWithDizziness ;
     lkg:direction lkg:Observed ; lkg:qualifier "1 of 9 patients" .
""",
        ),
    ),
    (
        "cem-no-headache-nausea-vomiting",
        _claim(
            "cem-ucmsc-news", "?a lkg:outcome lkg:Headache ; lkg:direction lkg:NotObserved .", "?a"
        )
        + _claim(
            "cem-ucmsc-news", "?b lkg:outcome lkg:Nausea ; lkg:direction lkg:NotObserved .", "?b"
        )
        + _claim(
            "cem-ucmsc-news", "?d lkg:outcome lkg:Vomiting ; lkg:direction lkg:NotObserved .", "?d"
        ),
    ),
    (
        "cem-may-be-safe-suggested",
        _claim(
            "cem-ucmsc-news",
            """
  ?c a lkg:SafetyClaim ; lkg:intervention lkg:MSCTherapy ; lkg:outcome lkg:AdverseEvent ;
     lkg:direction lkg:NotObserved ; lkg:certainty lkg:Suggested .
  FILTER(CONTAINS(?exactc, "may"))
""",
        ),
    ),
    (
        "cem-previous-studies-safe",
        _claim(
            "cem-ucmsc-news",
            """
  ?c a lkg:SafetyClaim ; lkg:qualifier "few if any adverse side effects" ; lkg:aboutStudy ?s .
""",
        ),
    ),
    (
        "cem-longer-term-studies-needed",
        _claim(
            "cem-ucmsc-news",
            """
  ?c a lkg:ResearchGapClaim ; lkg:intervention lkg:MSCTherapy .
  FILTER(CONTAINS(?exactc, "longer-term"))
""",
        ),
    ),
    # ------------------------------------------------------------------ 003 Frontiers 2021 review
    (
        "frontiers-document-metadata",
        """
  lkgd:frontiers-2021-msc-review a lkg:ReviewArticle ; bibo:doi "10.3389/fimmu.2021.728190" ;
      bibo:volume "12" ; lkg:publicationYear "2021"^^xsd:gYear .
""",
    ),
    (
        "frontiers-review-study",
        """
  ?s a lkg:Study ; lkg:studyDesign lkg:NarrativeReviewDesign ; lkg:reportedIn lkgd:frontiers-2021-msc-review .
""",
    ),
    (
        "frontiers-unclear-pathogenesis",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c a lkg:BackgroundClaim ; lkg:population obo:MONDO_0007915 .
  FILTER(CONTAINS(?exactc, "unclear"))
""",
        ),
    ),
    (
        "frontiers-immune-cell-imbalance",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c a lkg:BackgroundClaim ; lkg:targetCell obo:CL_0000236 , obo:CL_0000084 , obo:CL_0000451 .
""",
        ),
    ),
    (
        "frontiers-lack-of-effective-low-side-effect-therapies",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c a lkg:LimitationClaim ; lkg:outcome lkg:SideEffects .
""",
        ),
    ),
    (
        "frontiers-msc-promotes-th2-proliferation",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c a lkg:MechanismClaim ; lkg:intervention lkg:MSCTherapy ; lkg:mechanism lkg:CellProliferation ;
     lkg:direction lkg:Promotes ; lkg:targetCell obo:CL_0000546 .
""",
        ),
    ),
    (
        "frontiers-msc-promotes-treg-proliferation",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c a lkg:MechanismClaim ; lkg:intervention lkg:MSCTherapy ; lkg:mechanism lkg:CellProliferation ;
     lkg:direction lkg:Promotes ; lkg:targetCell obo:CL_0000815 .
""",
        ),
    ),
    (
        "frontiers-msc-inhibits-th1",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c a lkg:MechanismClaim ; lkg:intervention lkg:MSCTherapy ; lkg:mechanism lkg:CellActivity ;
     lkg:direction lkg:Inhibits ; lkg:targetCell obo:CL_0000545 .
""",
        ),
    ),
    (
        "frontiers-msc-inhibits-th17",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c a lkg:MechanismClaim ; lkg:intervention lkg:MSCTherapy ; lkg:mechanism lkg:CellActivity ;
     lkg:direction lkg:Inhibits ; lkg:targetCell obo:CL_0000899 .
""",
        ),
    ),
    (
        "frontiers-msc-inhibits-b-cells",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c a lkg:MechanismClaim ; lkg:intervention lkg:MSCTherapy ; lkg:mechanism lkg:CellActivity ;
     lkg:direction lkg:Inhibits ; lkg:targetCell obo:CL_0000236 .
""",
        ),
    ),
    (
        "frontiers-improves-refractory-sle",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention lkg:MSCTherapy ; lkg:outcome lkg:SignsAndSymptoms ;
     lkg:population lkg:RefractorySLE ; lkg:direction lkg:Improves .
""",
        ),
    ),
    (
        "frontiers-ineffective-in-some",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c a lkg:EfficacyClaim ; lkg:intervention lkg:MSCTherapy ; lkg:outcome lkg:TherapeuticBenefit ;
     lkg:direction lkg:Mixed .
""",
        ),
    ),
    (
        "frontiers-conflict-effective-vs-ineffective-in-some",
        _claim(
            "frontiers-2021-msc-review",
            "?a lkg:intervention lkg:MSCTherapy ; lkg:outcome lkg:TherapeuticBenefit ; lkg:direction lkg:Improves .",
            "?a",
        )
        + _claim(
            "frontiers-2021-msc-review",
            "?b lkg:intervention lkg:MSCTherapy ; lkg:outcome lkg:TherapeuticBenefit ; lkg:direction lkg:Mixed .",
            "?b",
        ),
    ),
    (
        "frontiers-msc-or-patient-derived-factors",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c lkg:intervention lkg:MSCTherapy ; lkg:outcome lkg:VariableResponse ; lkg:certainty lkg:Suggested .
  FILTER(CONTAINS(?exactc, "patient-derived"))
""",
        ),
    ),
    (
        "frontiers-effects-to-be-confirmed",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c a lkg:ResearchGapClaim ; lkg:intervention lkg:MSCTherapy .
""",
        ),
    ),
    (
        "frontiers-msc-modification-proposed",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c lkg:intervention lkg:ModifiedMSCTherapy ; lkg:certainty ?cert .
  FILTER(?cert IN (lkg:Speculative, lkg:Suggested))
""",
        ),
    ),
    (
        "frontiers-modified-msc-safety-to-confirm",
        _claim(
            "frontiers-2021-msc-review",
            """
  ?c a lkg:ResearchGapClaim ; lkg:intervention lkg:ModifiedMSCTherapy .
  FILTER(CONTAINS(?exactc, "safety"))
""",
        ),
    ),
]

#: (case id, complete ASK query with PREFIX block)
COVERAGE_CASES: list[tuple[str, str]] = [(case_id, _ask(body)) for case_id, body in _CASES]
