"""One small hierarchy of typed errors; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .namespaces import GRAPH

if TYPE_CHECKING:
    from .validation.results import ValidationReport

__all__ = [
    "BuildError",
    "CurationError",
    "EndpointSetupError",
    "IncompatibleMeasuresError",
    "IngestError",
    "InputError",
    "LupusKGError",
    "MalformedRecordError",
    "OntologyError",
    "OutputError",
    "ParseError",
    "PublishError",
    "PublishIncompleteError",
    "QueryError",
    "QuoteNotFoundError",
    "SourceEncodingError",
    "StoreCredentialsError",
    "StoreUnreachableError",
    "SynthesisError",
    "TooFewStudiesError",
    "UnknownParameterError",
    "UnknownQueryError",
    "UnsafeXMLError",
    "UnsupportedFormatError",
    "ValidationEngineError",
    "ValidationFailed",
]


class LupusKGError(Exception):
    """Base class of every error lupuskg raises on purpose."""

    #: exit code the CLI uses for this kind of error
    exit_code: int = 1
    #: what the user can do about it
    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint


class InputError(LupusKGError):
    """Input could not be read at all (missing file, unreadable bytes)."""

    exit_code = 2


@dataclass(frozen=True)
class SourceLocation:
    """Where in a file a problem sits; line and column are 1-based."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class ParseError(InputError):
    """Malformed RDF; carries the file, line and column so a curator can jump there.

    When :func:`lupuskg.validate.validate` stops on parse errors it raises the first one,
    with ``errors`` holding all of them and ``report`` the results of the files that parsed.
    """

    def __init__(self, location: SourceLocation, detail: str) -> None:
        self.location = location
        self.detail = detail
        self.errors: list[ParseError] = [self]
        self.report: ValidationReport | None = None
        super().__init__(
            f"{location}: malformed RDF: {detail}",
            hint="fix the syntax at that position, then re-run `lupuskg fmt` to re-canonicalise",
        )


class OutputError(LupusKGError):
    """A file could not be written (full disk, read-only project, no permission)."""


class ValidationFailed(LupusKGError):
    """SHACL or quote checks found violations; the store was not replaced."""

    exit_code = 1

    def __init__(
        self, message: str, *, hint: str = "", report: ValidationReport | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        #: the report with every violation, for a caller that wants more than the message
        self.report = report


class ValidationEngineError(LupusKGError):
    """The SHACL engine asked for is unknown or not installed."""

    exit_code = 2


class BuildError(LupusKGError):
    """The build could not finish; the last good store is kept."""


class OntologyError(LupusKGError):
    """The ontology is inconsistent, has unsatisfiable classes, or failed QC."""


class QueryError(LupusKGError):
    """A SPARQL query could not be parsed or run."""


class EndpointSetupError(QueryError):
    """A remote store is set up so that the canned queries would answer wrongly (e.g. 0 rows)."""


class UnknownQueryError(QueryError):
    """A canned query id that does not exist."""


class UnknownParameterError(QueryError):
    """A query parameter name or value that cannot be resolved."""


class SynthesisError(LupusKGError):
    """Evidence could not be pooled, profiled or mapped as asked."""


class TooFewStudiesError(SynthesisError):
    """Pooling needs at least two studies; one study is its own estimate."""


class IncompatibleMeasuresError(SynthesisError):
    """The matching results measure different things (statistic, instrument, time point)."""


class CurationError(LupusKGError):
    """A curation command (`lupuskg new`, `lupuskg quote`) cannot do what was asked."""


class SourceEncodingError(InputError):
    """A source text is not valid UTF-8; the message names the first bad byte offset."""


class QuoteNotFoundError(CurationError):
    """The text is not in the source exactly once; the message lists the nearest matches."""


class PublishError(LupusKGError):
    """`publish` could not (completely) load the dataset into the remote store."""


class StoreUnreachableError(PublishError):
    """The graph store could not be reached before anything was sent; nothing changed there."""


class StoreCredentialsError(PublishError):
    """The graph store refused the credentials before anything was sent; nothing changed there."""


class PublishIncompleteError(PublishError):
    """Publishing stopped part-way: some graphs on the remote store are new, the rest are old.

    ``replaced`` are current on the store (sent now or, with resume, earlier), ``remaining``
    are still old or missing there, the first of them being the one that failed.
    """

    def __init__(
        self, reason: str, *, replaced: list[str], remaining: list[str], hint: str = ""
    ) -> None:
        self.reason = reason
        self.replaced = list(replaced)
        self.remaining = list(remaining)
        total = len(self.replaced) + len(self.remaining)
        super().__init__(
            f"{reason}. {len(self.replaced)} of {total} graphs replaced: "
            f"{_names(self.replaced)}; still old (or not confirmed) on the store: "
            f"{_names(self.remaining)}",
            hint=hint,
        )


def _names(graphs: list[str], shown: int = 30) -> str:
    """Graph names without the common graph namespace, the first ``shown`` of them."""
    names = [graph.removeprefix(GRAPH) for graph in graphs]
    if not names:
        return "none"
    if len(names) > shown:
        return ", ".join(names[:shown]) + f" and {len(names) - shown} more"
    return ", ".join(names)


class IngestError(InputError):
    """`lupuskg ingest` cannot turn a file into a draft document; the message names where."""


class UnsupportedFormatError(IngestError):
    """The file is none of the formats ingest reads (PubMed XML, PMC JATS, CT.gov API v2 JSON)."""


class MalformedRecordError(IngestError):
    """A record of a known format lacks, or garbles, what a draft needs.

    ``where`` is the element path (``PubmedArticle/MedlineCitation/Article``) or the JSON
    path (``$.protocolSection.identificationModule.nctId``) of the problem.
    """

    def __init__(self, message: str, *, where: str, hint: str = "") -> None:
        self.where = where
        super().__init__(f"{where}: {message}", hint=hint)


class UnsafeXMLError(IngestError):
    """XML with an internal DTD subset, entity declarations or external references; never expanded."""
