"""The VoID + DCAT description of a release, conformant to the HCLS dataset profile.

Hubs read this file to decide whether and how to ingest us: licence, version, dates,
size (triples and entities per document graph), vocabularies used, links into each
reused OBO ontology, and every distributed file with its media type, byte size and
SHA-256 checksum. It has the three levels of the W3C HCLS dataset-description note
(summary, version, distribution; see :func:`describe`): ``ontology/hcls-shapes.ttl``
holds the note's MUST and MUST NOT rows as SHACL (and, as warnings, the SHOULD rows stated
here: ``dcterms:accrualPeriodicity``, ``dcterms:language``, ``pav:createdWith``),
``ontology/void-shapes.ttl`` what the project asks beyond them, and the description meets
both with 0 violations.

Dates never come from the wall clock (two releases of the same data must be
byte-identical): ``SOURCE_DATE_EPOCH`` if set, else the ontology's ``dcterms:modified``
(then ``dcterms:issued``), else the newest document ``dcterms:issued``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import cast

import rdflib
from rdflib import RDF, RDFS, XSD, Literal, URIRef

from .config import Settings
from .dataset import load_graphs
from .exceptions import BuildError
from .formats import RDF_FORMATS
from .namespaces import (
    BASE,
    CC_BY,
    DCMITYPE,
    GRAPH,
    IANA_MEDIA_TYPES,
    OBO,
    ONTOLOGY_GRAPH,
    ONTOLOGY_IRI,
    PAV,
    PREFIXES,
    SD,
    SPDX,
)
from .rdfio import parse_graph
from .serialization import merge

__all__ = [
    "CC_BY",
    "FREQ_IRREGULAR",
    "LANGUAGE",
    "VOID_PREFIXES",
    "DistributionFile",
    "dataset_iri",
    "describe",
    "describe_current",
    "media_type",
    "obo_links",
    "release_date",
    "software_iri",
]

IANA = IANA_MEDIA_TYPES
#: dcterms:language of the version level: every literal is English (lexvo ISO 639-3, as
#: the HCLS note's examples write it)
LANGUAGE = "http://lexvo.org/id/iso639-3/eng"
#: dcterms:accrualPeriodicity of the summary level (DCMI Collection Description Frequency
#: vocabulary): a release is cut when documents are added, not on a schedule
FREQ_IRREGULAR = "http://purl.org/cld/freq/irregular"
#: prefixes the description needs beyond lupuskg.namespaces.PREFIXES
VOID_PREFIXES = {"pav": PAV, "spdx": SPDX, "sd": SD}

#: media types of the bundle's files: RDF ones from the format registry, then the rest
_MEDIA_TYPES = {
    **{suffix: fmt.media_type for fmt in RDF_FORMATS for suffix in fmt.suffixes},
    ".rq": "application/sparql-query",
    ".html": "text/html",
    ".md": "text/markdown",
    ".css": "text/css",
    ".js": "text/javascript",
    ".xml": "application/xml",
    ".txt": "text/plain",
}
_OBO_ID = re.compile(r"^([A-Za-z][A-Za-z0-9]*)_[0-9A-Za-z]+$")


@dataclass(frozen=True)
class DistributionFile:
    """One file of the bundle: path relative to the bundle root, size and checksum."""

    path: str
    bytes: int
    sha256: str

    @property
    def media_type(self) -> str:
        return media_type(self.path)


def media_type(path: str) -> str:
    """The IANA media type of a bundle file, from its extension."""
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    return _MEDIA_TYPES.get(
        suffix, "text/plain" if path.endswith("SHA256SUMS") else "application/octet-stream"
    )


def dataset_iri(version: str, base: str = BASE) -> str:
    """The IRI of one release of the dataset, under the configured ``base-iri``."""
    return f"{base}dataset/{version}"


def release_date(settings: Settings, graphs: Mapping[str, rdflib.Graph] | None = None) -> date:
    """The date the release carries; reproducible, never today's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    ontology = (graphs or {}).get(ONTOLOGY_GRAPH)
    if ontology is None and settings.ontology_file.is_file():
        ontology = parse_graph(settings.ontology_file)
    found = _ontology_date(ontology) if ontology is not None else None
    if found is None:
        found = _newest_document_date(graphs or {})
    if found is None:
        raise BuildError(
            "no release date: the ontology has no dcterms:modified",
            hint="add dcterms:modified to the ontology header or set SOURCE_DATE_EPOCH",
        )
    return found


def _ontology_date(graph: rdflib.Graph) -> date | None:
    dcterms = rdflib.Namespace(PREFIXES["dcterms"])
    for predicate in (dcterms.modified, dcterms.issued):
        found = [_as_date(v) for v in graph.objects(rdflib.URIRef(ONTOLOGY_IRI), predicate)]
        values = [v for v in found if v is not None]
        if values:
            return max(values)
    return None


def _newest_document_date(graphs: Mapping[str, rdflib.Graph]) -> date | None:
    issued = rdflib.URIRef(PREFIXES["dcterms"] + "issued")
    found = [
        _as_date(value)
        for iri, graph in graphs.items()
        if iri != ONTOLOGY_GRAPH
        for value in graph.objects(None, issued)
    ]
    values = [v for v in found if v is not None]
    return max(values) if values else None


def _as_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def obo_links(merged: rdflib.Graph) -> Counter[str]:
    """Links into OBO ontologies: triples whose subject is ours and object an obo: IRI, by prefix."""
    counts: Counter[str] = Counter()
    for subject, _, obj in merged:
        if (
            isinstance(obj, rdflib.URIRef)
            and str(obj).startswith(OBO)
            and str(subject).startswith(BASE)
        ):
            match = _OBO_ID.match(str(obj)[len(OBO) :])
            if match:
                counts[match.group(1).upper()] += 1
    return counts


def _entities(graph: rdflib.Graph) -> int:
    """Entities in VoID's sense: distinct resources in our uriSpace that the graph describes."""
    return len({s for s in graph.subjects() if str(s).startswith(BASE)})


def _example(graph: rdflib.Graph, iri: str) -> str:
    """A representative resource: the first claim, else the first of our subjects."""
    source_document = rdflib.URIRef(PREFIXES["lkg"] + "sourceDocument")
    claims = sorted(str(s) for s in graph.subjects(source_document, None))
    if claims:
        return claims[0]
    if iri == ONTOLOGY_GRAPH and (rdflib.URIRef(ONTOLOGY_IRI), None, None) in graph:
        return ONTOLOGY_IRI
    ours = sorted({str(s) for s in graph.subjects() if str(s).startswith(BASE)})
    return ours[0] if ours else sorted(str(s) for s in graph.subjects())[0]


def _vocabularies(merged: rdflib.Graph) -> list[str]:
    """Namespaces (from PREFIXES) whose terms appear as predicates or classes."""
    used = {str(p) for p in merged.predicates()} | {
        str(o) for o in merged.objects(None, rdflib.RDF.type)
    }
    skip = {PREFIXES["lkgd"]}
    return sorted(
        iri
        for name, iri in PREFIXES.items()
        if iri not in skip and any(term.startswith(iri) for term in used) and name != "obo"
    )


def _statistics(merged: rdflib.Graph) -> dict[str, int]:
    """VoID's dataset statistics of the whole dataset (every graph merged)."""
    return {
        "triples": len(merged),
        "entities": _entities(merged),
        "distinctSubjects": len(set(merged.subjects())),
        "distinctObjects": len(set(merged.objects())),
        "properties": len(set(merged.predicates())),
        "classes": len(set(merged.objects(None, RDF.type))),
    }


def _class_slug(iri: str) -> str:
    """A path segment for a class partition: ``prefix-local`` from PREFIXES, else a hash."""
    for name, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and re.fullmatch(r"[A-Za-z0-9_.-]+", local):
            return f"{name}-{local}"
    return "iri-" + hashlib.sha256(iri.encode()).hexdigest()[:16]


def describe(
    settings: Settings,
    graphs: Mapping[str, rdflib.Graph],
    files: Sequence[DistributionFile],
    *,
    released: date,
    endpoint_url: str | None = None,
) -> rdflib.Graph:
    """The VoID + DCAT graph of one release, at the three HCLS levels.

    - summary (``<base>dataset``): what the dataset is, who publishes it, its current
      version and, when ``endpoint_url`` is given, ``void:sparqlEndpoint``;
    - version (``<base>dataset/<version>``): title, creators, dates, ``pav:version``, its
      named graphs as ``dct:hasPart`` and every bundle file as a distribution; no VoID
      statistics, which the note keeps off this level;
    - distributions (one per bundle file): format, media type, size, checksum; the files
      that hold the whole dataset (TriG, Turtle, N-Triples, JSON-LD) are also
      ``void:Dataset``s with ``void:dataDump`` and the statistics (triples, entities,
      subjects, objects, properties, classes, class partitions, vocabularies), and the
      TriG file, which keeps one graph per document, lists the named graphs and the
      linksets into OBO as its ``void:subset``s.
    """
    void = rdflib.Namespace(PREFIXES["void"])
    dcat = rdflib.Namespace(PREFIXES["dcat"])
    dct = rdflib.Namespace(PREFIXES["dcterms"])
    pav = rdflib.Namespace(PAV)
    owl = rdflib.Namespace(PREFIXES["owl"])
    dctypes = rdflib.Namespace(DCMITYPE)
    version, base = settings.version, settings.base_iri
    merged = merge(graphs.values())
    g = rdflib.Graph(bind_namespaces="none")
    summary, ds = URIRef(base + "dataset"), URIRef(dataset_iri(version, base))
    day = Literal(released.isoformat(), datatype=XSD.date)
    title = "lupuskg: evidence on stem-cell therapy for lupus"
    description = (
        "A knowledge graph of the published evidence on stem-cell therapy for systemic "
        "lupus erythematosus and lupus nephritis: documents, studies and PICO-shaped claims "
        "with verbatim quotes, one named graph per document."
    )
    for node in (summary, ds):  # HCLS summary and version levels: never void:Dataset
        g.add((node, RDF.type, dcat.Dataset))
        g.add((node, RDF.type, dctypes.Dataset))
        g.add((node, dct.title, Literal(title, lang="en")))
        g.add((node, dct.description, Literal(description, lang="en")))
        g.add((node, dct.license, URIRef(CC_BY)))
        g.add((node, dct.publisher, URIRef(base)))
    g.add((summary, dct.hasVersion, ds))
    g.add((summary, pav.hasCurrentVersion, ds))
    if endpoint_url:  # HCLS: SHOULD on the summary level, SHOULD NOT below it
        g.add((summary, void.sparqlEndpoint, URIRef(endpoint_url)))
    # HCLS SHOULD (summary): releases are cut when documents are added, on no schedule
    g.add((summary, dct.accrualPeriodicity, URIRef(FREQ_IRREGULAR)))
    g.add((ds, dct.isVersionOf, summary))
    # HCLS SHOULD (version): the literals' language, and the software that made the release
    g.add((ds, dct.language, URIRef(LANGUAGE)))
    g.add((ds, pav.createdWith, _software(g, base, version)))
    g.add((ds, pav.version, Literal(version)))
    g.add((ds, owl.versionInfo, Literal(version)))
    g.add((ds, dct.issued, day))
    g.add((ds, dct.modified, day))
    g.add((ds, dct.creator, URIRef(base)))
    subsets = _subsets(g, ds, graphs)
    for subset in subsets:
        g.add((ds, dct.hasPart, subset))
    release_iri = f"{base}release/{version}/"
    dumps = _distributions(g, ds, files, release_iri, base)
    if dumps:
        partitions = _class_partitions(g, ds, merged)
        stats = _statistics(merged)
        vocabularies = _vocabularies(merged)
        example = URIRef(_example(merged, ""))
        for dump in dumps:
            g.add((dump, RDF.type, void.Dataset))
            g.add((dump, void.dataDump, dump))
            g.add((dump, pav.version, Literal(version)))
            for name, count in stats.items():
                g.add((dump, void[name], Literal(count, datatype=XSD.integer)))
            g.add((dump, void.uriSpace, Literal(BASE)))
            for vocabulary in vocabularies:
                g.add((dump, void.vocabulary, URIRef(vocabulary)))
            g.add((dump, void.exampleResource, example))
            for partition in partitions:
                g.add((dump, void.classPartition, partition))
        primary = dumps[0]  # the TriG file when the bundle has one (_WHOLE_DATASET order)
        for subset in subsets:
            g.add((primary, void.subset, subset))
        for linkset in _linksets(g, ds, primary, merged):
            g.add((primary, void.subset, linkset))
    return g


def software_iri(version: str, base: str = BASE) -> str:
    """The IRI of the lupuskg release that writes the dataset (``pav:createdWith``)."""
    return f"{base}software/lupuskg/{version}"


def _software(g: rdflib.Graph, base: str, version: str) -> URIRef:
    """Describe the software in the VoID itself, so its IRI dereferences like the rest.

    The dataset's version and the package's version are one number (``Settings.version``),
    so the software IRI is versioned the same way.
    """
    schema = rdflib.Namespace(PREFIXES["schema"])
    software = URIRef(software_iri(version, base))
    g.add((software, RDF.type, schema.SoftwareApplication))
    g.add((software, RDFS.label, Literal(f"lupuskg {version}", lang="en")))
    g.add((software, schema.name, Literal("lupuskg")))
    g.add((software, schema.softwareVersion, Literal(version)))
    return software


def _class_partitions(g: rdflib.Graph, ds: rdflib.URIRef, merged: rdflib.Graph) -> list[URIRef]:
    """One ``void:classPartition`` per class with instances: the class and how many."""
    void = rdflib.Namespace(PREFIXES["void"])
    instances: dict[str, set[object]] = {}
    for subject, class_iri in merged.subject_objects(RDF.type):
        if isinstance(class_iri, URIRef):
            instances.setdefault(str(class_iri), set()).add(subject)
    partitions = []
    for name, members in sorted(instances.items()):
        partition = URIRef(f"{ds}/class/{_class_slug(name)}")
        g.add((partition, void["class"], URIRef(name)))
        g.add((partition, void.entities, Literal(len(members), datatype=XSD.integer)))
        partitions.append(partition)
    return partitions


def _subsets(
    g: rdflib.Graph, ds: rdflib.URIRef, graphs: Mapping[str, rdflib.Graph]
) -> list[URIRef]:
    """One void:Dataset per named graph, with its size; the caller links them."""
    void = rdflib.Namespace(PREFIXES["void"])
    dct = rdflib.Namespace(PREFIXES["dcterms"])
    sd = rdflib.Namespace(SD)
    lkg = rdflib.Namespace(PREFIXES["lkg"])
    subsets = []
    for iri, graph in sorted(graphs.items()):
        slug = iri.removeprefix(GRAPH)
        subset = URIRef(f"{ds}/{slug}")
        subsets.append(subset)
        g.add((subset, RDF.type, void.Dataset))
        g.add((subset, dct.title, Literal(f"lupuskg named graph {slug}", lang="en")))
        g.add((subset, sd.name, URIRef(iri)))
        g.add((subset, void.triples, Literal(len(graph), datatype=XSD.integer)))
        g.add((subset, void.entities, Literal(_entities(graph), datatype=XSD.integer)))
        g.add((subset, void.exampleResource, URIRef(_example(graph, iri))))
        for document in sorted(cast("set[URIRef]", set(graph.subjects(lkg.sourceText, None)))):
            g.add((subset, dct.source, document))
    return subsets


def _linksets(
    g: rdflib.Graph, ds: rdflib.URIRef, dump: rdflib.URIRef, merged: rdflib.Graph
) -> list[URIRef]:
    """Links from ``dump`` (a whole-dataset distribution) into each reused OBO ontology."""
    void = rdflib.Namespace(PREFIXES["void"])
    dct = rdflib.Namespace(PREFIXES["dcterms"])
    linksets = []
    for prefix, count in sorted(obo_links(merged).items()):
        linkset = URIRef(f"{ds}/links/{prefix}")
        target = URIRef(f"{OBO}{prefix.lower()}.owl")
        linksets.append(linkset)
        g.add((linkset, RDF.type, void.Linkset))
        g.add((linkset, dct.title, Literal(f"links from lupuskg to {prefix}", lang="en")))
        g.add((linkset, void.subjectsTarget, dump))
        g.add((linkset, void.objectsTarget, target))
        g.add((linkset, void.triples, Literal(count, datatype=XSD.integer)))
        g.add((target, RDF.type, void.Dataset))
        g.add((target, dct.title, Literal(prefix)))
        g.add((target, void.uriSpace, Literal(f"{OBO}{prefix}_")))
    return linksets


#: files that hold the whole dataset (every graph): the RDF distributions of the HCLS note,
#: which carry the statistics; the first present is the one that lists subsets and linksets
_WHOLE_DATASET = ("data/lupuskg.trig", "data/lupuskg.ttl", "data/lupuskg.nt", "data/lupuskg.jsonld")


def _distributions(
    g: rdflib.Graph,
    ds: rdflib.URIRef,
    files: Sequence[DistributionFile],
    release_iri: str,
    base: str,
) -> list[URIRef]:
    """Every bundle file as a dcat:Distribution; returns the whole-dataset dumps among them."""
    dcat = rdflib.Namespace(PREFIXES["dcat"])
    dct = rdflib.Namespace(PREFIXES["dcterms"])
    spdx = rdflib.Namespace(SPDX)
    version = release_iri.rstrip("/").rsplit("/", 1)[-1]
    dumps: dict[str, URIRef] = {}
    for file in sorted(files, key=lambda f: f.path):
        dist = URIRef(release_iri + file.path)
        checksum = URIRef(f"{dist}#sha256")
        g.add((ds, dcat.distribution, dist))
        g.add((ds, dct.hasDistribution, dist))
        g.add((dist, RDF.type, dcat.Distribution))
        g.add((dist, dct.title, Literal(file.path, lang="en")))  # HCLS: rdf:langString
        g.add(
            (dist, dct.description, Literal(f"{file.path} of lupuskg release {version}", lang="en"))
        )
        g.add((dist, dct.creator, URIRef(base)))
        g.add((dist, dct.publisher, URIRef(base)))
        g.add((dist, dct.license, URIRef(CC_BY)))
        g.add((dist, dct["format"], URIRef(IANA + file.media_type)))
        g.add((dist, dcat.downloadURL, dist))
        g.add((dist, dcat.mediaType, URIRef(IANA + file.media_type)))
        g.add((dist, dcat.byteSize, Literal(file.bytes, datatype=XSD.nonNegativeInteger)))
        g.add((dist, spdx.checksum, checksum))
        g.add((checksum, RDF.type, spdx.Checksum))
        g.add((checksum, spdx.algorithm, spdx.checksumAlgorithm_sha256))
        g.add((checksum, spdx.checksumValue, Literal(file.sha256, datatype=XSD.hexBinary)))
        if file.path in _WHOLE_DATASET:
            dumps[file.path] = dist
    return [dumps[path] for path in _WHOLE_DATASET if path in dumps]


def describe_current(
    settings: Settings,
    endpoint_url: str | None = None,
    graphs: Mapping[str, rdflib.Graph] | None = None,
) -> rdflib.Graph:
    """The description ``lupuskg release`` writes, for what is built now (the one VoID
    generator; the server's ``/.well-known/void`` serves this).

    The distributions are the files of ``<release-dir>/lupuskg-<version>/`` when that
    bundle exists (without ``void.ttl`` and ``SHA256SUMS``, which the release writes after
    describing), so for the same endpoint URL the two descriptions are the same graph.
    ``void:sparqlEndpoint`` is stated only when ``endpoint_url`` is given. ``graphs``
    (from :func:`lupuskg.dataset.load_graphs`) saves reading the dataset a second time.
    """

    graphs = graphs if graphs is not None else load_graphs(settings)
    bundle = settings.release_dir / f"lupuskg-{settings.version}"
    files = []
    if bundle.is_dir():
        for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
            relative = path.relative_to(bundle).as_posix()
            if relative in ("void.ttl", "SHA256SUMS"):
                continue
            data = path.read_bytes()
            files.append(DistributionFile(relative, len(data), hashlib.sha256(data).hexdigest()))
    return describe(
        settings,
        graphs,
        files,
        released=release_date(settings, graphs),
        endpoint_url=endpoint_url,
    )
