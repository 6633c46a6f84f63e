"""Which format a file is, from its content (never its name)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from ..exceptions import MalformedRecordError, UnsupportedFormatError
from .xmlsafe import local_name, parse_xml

__all__ = ["FORMATS", "Detected", "detect"]

FORMATS = ("pubmed", "jats", "ctgov")


@dataclass
class Detected:
    """The format name and the parsed content (XML root element or JSON value)."""

    format: str
    content: Any


def detect(data: bytes, where: str) -> Detected:
    """PubMed efetch XML, PMC JATS XML or ClinicalTrials.gov API v2 JSON."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return _json(data, where)
    if head.startswith(b"<"):
        return _xml(parse_xml(data, where))
    raise UnsupportedFormatError(
        f"{where}: neither XML nor JSON (it starts with {head[:20]!r})",
        hint="ingest reads PubMed efetch XML, PMC JATS XML or ClinicalTrials.gov API v2 JSON",
    )


def _json(data: bytes, where: str) -> Detected:
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise MalformedRecordError(
            f"not UTF-8 (byte offset {error.start})", where="$", hint="save the file as UTF-8"
        ) from None
    except json.JSONDecodeError as error:
        raise MalformedRecordError(
            f"not valid JSON: {error.msg}",
            where=f"$ (line {error.lineno}, column {error.colno})",
            hint="check that the download is complete",
        ) from None
    if isinstance(value, dict) and "protocolSection" in value:
        return Detected("ctgov", value)
    if isinstance(value, dict) and isinstance(value.get("studies"), list):
        studies = value["studies"]
        if len(studies) == 1:
            return Detected("ctgov", studies[0])
        raise MalformedRecordError(
            f"holds {len(studies)} studies; ingest needs exactly one",
            where="$.studies",
            hint="fetch one study: https://clinicaltrials.gov/api/v2/studies/NCT...",
        )
    keys = ", ".join(sorted(value)[:5]) if isinstance(value, dict) else type(value).__name__
    raise UnsupportedFormatError(
        f"{where}: JSON without $.protocolSection (found: {keys}); "
        "not a ClinicalTrials.gov API v2 study",
        hint="download the study as JSON from https://clinicaltrials.gov/api/v2/studies/NCT...",
    )


def _xml(root: ET.Element) -> Detected:
    name = local_name(root.tag)
    if name in ("PubmedArticleSet", "PubmedArticle"):
        return Detected("pubmed", root)
    if name in ("article", "pmc-articleset"):
        return Detected("jats", root)
    raise UnsupportedFormatError(
        f"XML root element <{name}> is neither <PubmedArticleSet> (PubMed) nor <article> (JATS)",
        hint="ingest reads PubMed efetch XML, PMC JATS XML or ClinicalTrials.gov API v2 JSON",
    )
