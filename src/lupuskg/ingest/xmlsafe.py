"""Parsing XML that may be hostile: no entity declarations, no internal DTD subset, no fetching.

PubMed and PMC files start with a ``<!DOCTYPE ... PUBLIC "..." "https://...dtd">`` line
that names their DTD. That line is accepted, and the DTD is never read (expat does not
fetch external subsets, and external references are refused). What is refused before
anything is expanded: an internal subset (``<!DOCTYPE x [ ... ]>``, where the billion
laughs and external entities live), any ``<!ENTITY>`` declaration and any external
entity reference. The refusal happens at the declaration, so its cost does not grow
with what the entities would have expanded to.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import (
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)
from defusedxml.ElementTree import DefusedXMLParser

from ..exceptions import MalformedRecordError, UnsafeXMLError

__all__ = ["local_name", "parse_xml"]


def _refuse_internal_subset(
    name: str, sysid: str | None, pubid: str | None, has_internal_subset: int
) -> None:
    if has_internal_subset:
        raise DTDForbidden(name, sysid, pubid)


def parse_xml(data: bytes, where: str) -> ET.Element:
    """The root element of ``data``; UnsafeXMLError or MalformedRecordError otherwise."""
    parser = DefusedXMLParser(forbid_dtd=False, forbid_entities=True, forbid_external=True)
    parser.parser.StartDoctypeDeclHandler = _refuse_internal_subset
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
        return root
    except DTDForbidden as error:
        raise UnsafeXMLError(
            f"{where}: refused an internal DTD subset in <!DOCTYPE {error.name} [...]>; "
            "nothing was expanded",
            hint="ingest the file as PubMed or PMC serve it; internal DTD subsets are never read",
        ) from None
    except EntitiesForbidden as error:
        raise UnsafeXMLError(
            f"{where}: refused the entity declaration <!ENTITY {error.name} ...>; "
            "nothing was expanded",
            hint="XML entities can expand without bound or read local files; they are refused",
        ) from None
    except ExternalReferenceForbidden as error:
        raise UnsafeXMLError(
            f"{where}: refused a reference to the external resource {error.sysid or error.pubid}",
            hint="external entities are never fetched",
        ) from None
    except ET.ParseError as error:
        line, column = error.position
        raise MalformedRecordError(
            f"not well-formed XML: {error.msg if hasattr(error, 'msg') else error}",
            where=f"{where}:{line}:{column + 1}",
            hint="check that the download is complete and was saved as XML",
        ) from None


def local_name(tag: str) -> str:
    """``{namespace}name`` or ``prefix:name`` without the namespace."""
    return tag.rsplit("}", 1)[-1]
