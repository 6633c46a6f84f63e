"""The Starlette application: SPARQL endpoint, query page, REST API and linked-data pages.

Routes
  /sparql                 SPARQL 1.1 Protocol (GET, form POST, direct POST); a bare GET
                          returns the Service Description
  /                       query page (YASGUI, served from this package, no CDN)
  /.well-known/void       VoID description of the dataset
  /api/queries            the canned queries (grlc style), /api/queries/{id}?param=value
  /api/openapi.json       OpenAPI 3.1 description of the REST API
  /vocab/..., /id/..., /ontology, /graph/..., /np/..., /query/..., /source/...,
  /release/..., /dataset/..., /shapes/...
                          every IRI under the base dereferences here (HTML or RDF by
                          content negotiation; files as themselves), see documents.py
  /health                 readiness probe
  /map, /meta/{therapy}/{outcome}[?timepoint=P12M]   evidence gap map; forest plot SVG

User queries run in killable worker processes (see worker.py), each holding the store in
memory when it is small enough; their successful answers are cached by (normalised
query, store version, options) and carry an ETag, so a client's If-None-Match gets a 304
(see cache.py); a request repeated byte for byte is answered from those bytes before any
route runs (fastpath.py). The server's own page queries run against a read-only store in this
process.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anyio.to_thread
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..config import Settings
from ..exceptions import (
    BuildError,
    QueryError,
    SynthesisError,
    UnknownParameterError,
    UnknownQueryError,
)
from ..namespaces import BASE, PREFIXES
from ..queries import ALL_ROWS, CannedQuery, get_query, page, page_of, self_contained
from ..store import open_store
from ..synthesis.web import forest_svg, map_page
from . import catalog as canned
from .cache import (
    CACHE_CONTROL,
    CachedAnswer,
    ResultCache,
    entity_tag,
    if_none_match,
    store_version,
)
from .describe import (
    DESCRIPTION_PREFIXES,
    StoreFacts,
    service_description,
    store_facts,
)
from .documents import (
    Documents,
    FileDocument,
    TooLarge,
    graph_triples,
    hash_children,
    nanopub_quads,
)
from .fastpath import REQUEST_KEY, FastPath
from .limits import ServerLimits
from .negotiation import (
    BOOLEAN_FORMATS,
    DATASET_PAGE_FORMATS,
    GRAPH_FORMATS,
    HTML,
    ONTOLOGY_FORMATS,
    PAGE_FORMATS,
    QUERY_PAGE_FORMATS,
    RESULT_FORMATS,
    Format,
    choose,
)
from .openapi import openapi_document
from .pages import (
    Resource,
    describe_resource,
    not_found_page,
    render_graph_page,
    render_nanopub_page,
    render_page,
    render_query_page,
    render_results_page,
    resource_triples,
)
from .problems import Problem
from .protocol import body_limit, read_protocol_request
from .serialize import serialize_graph
from .worker import QueryJob, WorkerPool

__all__ = ["create_app"]

STATIC = Path(__file__).with_name("static")


class ServerState:
    """What the routes share: limits, the worker pool, a read-only store and cached facts."""

    def __init__(self, settings: Settings, limits: ServerLimits) -> None:
        self.settings = settings
        self.limits = limits
        # absolute but not resolved: respawned workers re-open whatever build/current is then
        self.store_path = Path(settings.store_dir).absolute()
        self.pool = WorkerPool(self.store_path, limits)
        self.cache = ResultCache(limits.cache_entries, limits.cache_mb * 1024 * 1024)
        self.store: ox.Store | None = None
        self._facts: StoreFacts | None = None
        self.documents = Documents(settings)

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        self.store = open_store(self.settings)
        await self.pool.start()
        try:
            yield
        finally:
            self.pool.close()

    async def facts(self) -> StoreFacts:
        if self._facts is None:
            assert self.store is not None
            self._facts = await anyio.to_thread.run_sync(store_facts, self.store)
        return self._facts

    def catalog(self) -> list[CannedQuery]:
        try:
            return canned.entries(self.settings)
        except QueryError as error:
            raise Problem(503, f"the canned queries cannot be read: {error}") from None

    async def in_thread(self, function: Callable[..., Any], *args: Any) -> Any:
        return await anyio.to_thread.run_sync(function, *args)

    async def extras(self, request: Request) -> ox.Store:
        """VoID, query metadata, shapes and nanopublications (built once, in a thread)."""
        endpoint = str(request.url_for("sparql"))
        try:
            store: ox.Store = await self.in_thread(self.documents.extras, endpoint)
        except BuildError as error:
            raise Problem(503, f"the descriptions cannot be built: {error}") from None
        return store


def _rdf_response(triples: list[ox.Triple], fmt: Format) -> Response:
    body = serialize_graph(triples, fmt.key, DESCRIPTION_PREFIXES)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


def _file_response(document: FileDocument) -> Response:
    """A file as itself, shown inline by browsers, under its own name when saved."""
    return FileResponse(
        document.path,
        media_type=document.content_type,
        headers={"Content-Disposition": f'inline; filename="{document.path.name}"'},
    )


#: suffix of the file name a saved canned-query answer gets, by format key
_SUFFIXES = {
    "json": "srj",
    "xml": "srx",
    "csv": "csv",
    "tsv": "tsv",
    "turtle": "ttl",
    "ntriples": "nt",
    "jsonld": "jsonld",
    "rdfxml": "rdf",
}
#: what the worker writes when the client asked for an HTML table of a canned query
_HTML_RUN = (("SELECT", "json"), ("ASK", "json"), ("CONSTRUCT", "turtle"), ("DESCRIBE", "turtle"))
_SD_NAME = ox.NamedNode(PREFIXES["sd"] + "name")
#: our namespace IRIs (``lkg:``, ``lkgd:``): when nothing describes one, it is "see the
#: dataset", whose VoID gives the URI space and the vocabularies
_NAMESPACES = frozenset(iri for iri in PREFIXES.values() if iri.startswith(BASE))


def _wants_html(request: Request, requested: str | None) -> bool:
    """True when a browser asks (Accept prefers text/html over the result formats)."""
    if requested is not None:
        return requested.strip().lower() == "html"
    try:
        return choose((*RESULT_FORMATS, HTML), _accept(request)) is HTML
    except Problem:
        return False


def _paging(request: Request, name: str, allow_all: bool = False) -> Any:
    """?limit= / ?offset= of a canned query: a non-negative integer (or ``all`` rows), or a 400."""
    text = request.query_params.get(name)
    if text is None:
        return None
    if allow_all and text.strip().lower() == ALL_ROWS:
        return ALL_ROWS
    if not text.isdigit():
        wanted = "a non-negative integer or 'all'" if allow_all else "a non-negative integer"
        raise Problem(400, f"{name} must be {wanted}, not {text!r}")
    return int(text)


def _request_key(job: QueryJob) -> str:
    """What besides the query and the store decides an answer: formats, dataset, caps."""
    return repr(
        (
            job.formats,
            job.default_graphs,
            job.named_graphs,
            job.limits.max_rows,
            job.limits.max_bytes,
            job.labels,
        )
    )


def _labels_wanted(request: Request) -> bool:
    """``labels=false`` (or 0, no) gives a canned query's own columns; by default each IRI
    column has its ``…Label`` column, as ``lupuskg query`` and ``lupuskg.query`` give."""
    value = request.query_params.get("labels", "true").strip().lower()
    if value in ("true", "1", "yes", ""):
        return True
    if value in ("false", "0", "no"):
        return False
    raise Problem(400, f"labels must be true or false, not {value!r}")


def _accept(request: Request) -> str | None:
    return request.headers.get("accept")


def _offered(form: str) -> tuple[Format, ...]:
    return {"SELECT": RESULT_FORMATS, "ASK": BOOLEAN_FORMATS}.get(form, GRAPH_FORMATS)


def _formats(request: Request, requested: str | None) -> tuple[tuple[str, str], ...]:
    """The format each query form would get; the worker learns the form when it parses."""
    chosen: list[tuple[str, str]] = []
    for form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        try:
            chosen.append((form, choose(_offered(form), _accept(request), requested).key))
        except Problem:
            chosen.append((form, ""))
    return tuple(chosen)


def create_app(settings: Settings, limits: ServerLimits | None = None) -> Starlette:
    """Build the application for one built project."""
    state = ServerState(settings, limits or ServerLimits())

    async def sparql(request: Request) -> Response:
        protocol = await read_protocol_request(request, state.limits)
        if protocol.query is None:
            if request.method != "GET":
                raise Problem(400, "missing 'query' parameter")
            return await _service_description(request, protocol.format)
        job = QueryJob(
            text=protocol.query,
            formats=_formats(request, protocol.format),
            limits=state.limits,
            default_graphs=protocol.default_graphs,
            named_graphs=protocol.named_graphs,
        )
        return await _run(job, request, protocol.format)

    async def _run(
        job: QueryJob, request: Request, requested: str | None, name: str | None = None
    ) -> Response:
        version = store_version(state.store_path)
        options = _request_key(job)
        answer = state.cache.lookup(job.text, version, options)
        if answer is None:
            answer = await _answer(job, request, requested, version, options)
        fmt = choose(_offered(answer.form), _accept(request), requested)
        headers = {"Vary": "Accept"}
        if name:
            suffix = _SUFFIXES.get(fmt.key, fmt.key)
            headers["Content-Disposition"] = f'inline; filename="{name}.{suffix}"'
        if not answer.etag:
            return Response(answer.body, media_type=fmt.content_type, headers=headers)
        headers |= {"ETag": answer.etag, "Cache-Control": CACHE_CONTROL}
        full = Response(answer.body, media_type=fmt.content_type, headers=headers)
        not_modified = Response(status_code=304, headers=headers)
        raw_request = request.scope.get(REQUEST_KEY)
        if raw_request is not None:  # next time, the same bytes are answered by fastpath.py
            state.cache.remember_request(
                raw_request,
                job.text,
                version,
                options,
                full.raw_headers,
                not_modified.raw_headers,
            )
        if if_none_match(request.headers.get("if-none-match"), answer.etag):
            return not_modified
        return full

    async def _answer(
        job: QueryJob, request: Request, requested: str | None, version: str, options: str
    ) -> CachedAnswer:
        """Run a job on a worker; keep a successful answer if it is of the current build."""
        outcome = await state.pool.run(job)
        if outcome.status == 406 and outcome.form:
            choose(_offered(outcome.form), _accept(request), requested)  # the exact 406
        if outcome.status != 200:
            retry = {"Retry-After": str(outcome.retry_after)} if outcome.retry_after else None
            raise Problem(outcome.status, outcome.message, retry)
        etag = (
            entity_tag(outcome.normalized, outcome.version, options) if outcome.normalized else ""
        )
        answer = CachedAnswer(outcome.body, outcome.kind, outcome.form, etag)
        if etag and outcome.version == version:
            state.cache.store(job.text, outcome.normalized, version, options, answer)
        return answer

    async def _service_description(request: Request, requested: str | None) -> Response:
        fmt = choose((*GRAPH_FORMATS, PAGE_FORMATS[0]), _accept(request), requested)
        if fmt.key == "html":
            return RedirectResponse("/", status_code=303)
        endpoint = str(request.url_for("sparql"))
        triples = service_description(endpoint, await state.facts(), state.limits)
        return _rdf_response(triples, fmt)

    async def void(request: Request) -> Response:
        fmt = choose(GRAPH_FORMATS, _accept(request), request.query_params.get("format"))
        endpoint = str(request.url_for("sparql"))
        try:  # computed once per build and release bundle (Documents.void), not per request
            triples = await state.in_thread(state.documents.void, endpoint)
        except BuildError as error:
            raise Problem(503, f"the VoID cannot be built: {error}") from None
        return _rdf_response(triples, fmt)

    async def query_page(request: Request) -> Response:
        """The query page; an RDF client dereferencing the base IRI is sent to the dataset."""
        try:
            wanted = choose(PAGE_FORMATS, _accept(request), request.query_params.get("format"))
        except Problem:
            wanted = HTML
        if wanted is not HTML:
            return RedirectResponse("/dataset", status_code=303)
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))

    async def list_queries(request: Request) -> Response:
        queries = state.catalog()
        examples = await state.in_thread(canned.examples, state.settings, state.store, queries)
        items = [
            canned.summary(
                entry, str(request.url_for("canned_query", query_id=entry.id)), examples[entry.id]
            )
            for entry in queries
        ]
        return JSONResponse(items)

    async def canned_query(request: Request) -> Response:
        query_id = request.path_params["query_id"]
        given = [
            (key, value)
            for key, value in request.query_params.multi_items()
            if key not in ("format", "limit", "offset", "labels")
        ]
        params = dict(given)
        if len(params) != len(given):
            raise Problem(400, "each parameter may be given once")
        assert state.store is not None
        try:
            text = await state.in_thread(
                canned.bound_query, state.settings, state.store, query_id, params
            )
        except UnknownQueryError as error:
            raise Problem(404, str(error)) from None
        except (UnknownParameterError, QueryError) as error:
            raise Problem(400, str(error)) from None
        entry = get_query(query_id, state.settings)  # known: bound_query found it
        limit = _paging(request, "limit", allow_all=True)
        text = page(text, *page_of(entry, limit, _paging(request, "offset")))
        requested = request.query_params.get("format")
        labels = _labels_wanted(request)
        limits = state.limits.with_overrides(max_query_length=max(len(text), 1))
        if _wants_html(request, requested):
            return await _results_page(query_id, text, limits, labels)
        job = QueryJob(
            text=text, formats=_formats(request, requested), limits=limits, labels=labels
        )
        return await _run(job, request, requested, name=query_id)

    async def _results_page(
        query_id: str, text: str, limits: ServerLimits, labels: bool
    ) -> Response:
        """A canned query's answer as an HTML table, for a browser following a link."""
        job = QueryJob(text=text, formats=_HTML_RUN, limits=limits, labels=labels)
        outcome = await state.pool.run(job)
        if outcome.status != 200:
            retry = {"Retry-After": str(outcome.retry_after)} if outcome.retry_after else None
            raise Problem(outcome.status, outcome.message, retry)
        entry = next((q for q in state.catalog() if q.id == query_id), None)
        title = f"{query_id}: {entry.title}" if entry else query_id
        link = f'answer of <a href="/query/{query_id}">{query_id}</a>' if entry else ""
        if outcome.form == "SELECT":
            document = json.loads(outcome.body)
            body = render_results_page(
                title, document["head"]["vars"], document["results"]["bindings"], link
            )
        elif outcome.form == "ASK":
            answer = "true" if json.loads(outcome.body).get("boolean") else "false"
            body = render_results_page(title, ["answer"], [{"answer": {"value": answer}}], link)
        else:
            text_body = outcome.body.decode("utf-8", errors="replace")
            body = render_results_page(title, ["turtle"], [{"turtle": {"value": text_body}}], link)
        return HTMLResponse(body, headers={"Vary": "Accept"})

    async def openapi(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        return JSONResponse(openapi_document(state.catalog(), base, state.settings.version))

    async def linked_data(request: Request) -> Response:
        """Any IRI under the base, dereferenced: see the module docstring and documents.py."""
        rest = request.path_params.get("rest", "")
        iri = BASE + rest
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise Problem(404, "not an IRI of this dataset") from None
        kind = rest.split("/", 1)[0]
        documents = state.documents
        if kind == "source":
            found = documents.source_file(rest)
            if found is None:
                raise Problem(404, f"no source text <{iri}>")
            return _file_response(found)
        if kind == "release":
            found = documents.release_file(rest)
            if found is None:
                raise Problem(
                    404,
                    f"no release file <{iri}>; `lupuskg release` writes the bundle into "
                    "the release-dir this server reads",
                )
            return _file_response(found)
        try:
            ontology_files = await state.in_thread(documents.ontology_files)
        except (BuildError, SyntaxError) as error:
            raise Problem(503, f"the ontology cannot be read: {error}") from None
        if iri in ontology_files:
            return await _ontology_document(request, iri)
        if kind == "query":
            return await _query_document(request, iri)
        if kind == "graph":
            return await _graph_document(request, iri)
        if kind == "np":
            return await _nanopub_document(request, iri)
        return await _described(request, iri)

    async def _described(request: Request, iri: str) -> Response:
        """A resource the store, or else the descriptions (VoID, shapes), says something about."""
        fmt = choose(PAGE_FORMATS, _accept(request), request.query_params.get("format"))
        assert state.store is not None
        if fmt.key != "html":
            triples = await state.in_thread(resource_triples, state.store, iri)
            if not triples:
                extras = await state.extras(request)
                triples = await state.in_thread(resource_triples, extras, iri)
                triples += await state.in_thread(hash_children, extras, iri)
            if triples:
                return _rdf_response(triples, fmt)
            if iri in _NAMESPACES:
                return RedirectResponse("/dataset", status_code=303)
            raise Problem(404, f"the graph says nothing about <{iri}>")
        resource = await state.in_thread(describe_resource, state.store, iri)
        if resource is None:
            extras = await state.extras(request)
            resource = await state.in_thread(describe_resource, extras, iri)
        if resource is not None:
            return HTMLResponse(render_page(resource), headers={"Vary": "Accept"})
        if iri in _NAMESPACES:
            return RedirectResponse("/dataset", status_code=303)
        return HTMLResponse(not_found_page(iri), status_code=404)

    async def _ontology_document(request: Request, iri: str) -> Response:
        """The ontology, a version of it or an import module: the whole file, or a page."""
        fmt = choose(ONTOLOGY_FORMATS, _accept(request), request.query_params.get("format"))
        if fmt.key == "html":
            assert state.store is not None
            resource = await state.in_thread(describe_resource, state.store, iri)
            if resource is None:
                resource = Resource(iri, iri.rsplit("/", 1)[-1], [], [], [], [], [])
            return HTMLResponse(render_page(resource), headers={"Vary": "Accept"})
        merge = request.query_params.get("imports", "") == "merge"
        try:
            triples = await state.in_thread(state.documents.ontology_document, iri, merge)
        except TooLarge as error:
            raise Problem(413, str(error)) from None
        except (BuildError, SyntaxError) as error:
            raise Problem(503, f"the ontology cannot be read: {error}") from None
        return _rdf_response(triples or [], fmt)

    async def _query_document(request: Request, iri: str) -> Response:
        """A canned query: its page, its self-contained SPARQL text, or its metadata."""
        entry = next((q for q in state.catalog() if q.iri == iri), None)
        if entry is None:
            return await _described(request, iri)
        fmt = choose(QUERY_PAGE_FORMATS, _accept(request), request.query_params.get("format"))
        if fmt.key == "sparql":
            return Response(
                self_contained(entry),
                media_type=fmt.content_type,
                headers={
                    "Vary": "Accept",
                    "Content-Disposition": f'inline; filename="{entry.id}.rq"',
                },
            )
        if fmt.key == "html":
            assert state.store is not None
            examples = await state.in_thread(canned.examples, state.settings, state.store, [entry])
            parameters = [
                (p.name, p.value_type, p.default or "", p.comment) for p in entry.parameters
            ]
            body = render_query_page(
                entry.id, entry.iri, entry.title, entry.question, parameters, examples[entry.id]
            )
            return HTMLResponse(body, headers={"Vary": "Accept"})
        extras = await state.extras(request)
        triples = await state.in_thread(resource_triples, extras, iri)
        triples += await state.in_thread(hash_children, extras, iri)
        return _rdf_response(triples, fmt)

    async def _graph_document(request: Request, iri: str) -> Response:
        """A named graph: every triple in it (RDF), or a summary page."""
        fmt = choose(PAGE_FORMATS, _accept(request), request.query_params.get("format"))
        assert state.store is not None
        try:
            triples = await state.in_thread(graph_triples, state.store, iri)
        except TooLarge as error:
            raise Problem(413, str(error)) from None
        if not triples:
            return await _described(request, iri)
        if fmt.key != "html":
            return _rdf_response(triples, fmt)
        extras = await state.extras(request)
        subsets = [
            q.subject.value
            for q in extras.quads_for_pattern(None, _SD_NAME, ox.NamedNode(iri))
            if isinstance(q.subject, ox.NamedNode)
        ]
        body = render_graph_page(iri, triples, subsets[0] if subsets else None)
        return HTMLResponse(body, headers={"Vary": "Accept"})

    async def _nanopub_document(request: Request, iri: str) -> Response:
        """A claim's nanopublication: its four graphs (TriG, N-Quads, JSON-LD) or a page."""
        fmt = choose(DATASET_PAGE_FORMATS, _accept(request), request.query_params.get("format"))
        extras = await state.extras(request)
        quads = await state.in_thread(nanopub_quads, extras, iri)
        if not quads:
            return await _described(request, iri)
        if fmt.key == "html":
            return HTMLResponse(render_nanopub_page(iri, quads), headers={"Vary": "Accept"})
        return Response(
            serialize_graph(quads, fmt.key, DESCRIPTION_PREFIXES),
            media_type=fmt.content_type,
            headers={"Vary": "Accept"},
        )

    async def evidence_map(_request: Request) -> Response:
        assert state.store is not None
        return HTMLResponse(await state.in_thread(map_page, state.store))

    async def forest_plot(request: Request) -> Response:
        assert state.store is not None
        therapy, outcome = request.path_params["therapy"], request.path_params["outcome"]
        time_point = request.query_params.get("timepoint")
        try:
            svg = await state.in_thread(
                forest_svg, state.store, therapy, outcome, time_point, state.settings
            )
        except (SynthesisError, UnknownParameterError) as error:
            raise Problem(400, str(error)) from None
        return Response(svg, media_type="image/svg+xml")

    async def health(_request: Request) -> Response:
        if state.pool.serving() == 0:
            return PlainTextResponse("no query worker is running\n", status_code=503)
        return PlainTextResponse("ok\n")

    routes = [
        Route("/", query_page, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
        Route("/.well-known/void", void, methods=["GET"]),
        Route("/api/queries", list_queries, methods=["GET"]),
        Route("/api/queries/{query_id}", canned_query, methods=["GET"], name="canned_query"),
        Route("/api/openapi.json", openapi, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/map", evidence_map, methods=["GET"]),  # lupuskg.synthesis
        Route("/meta/{therapy}/{outcome}", forest_plot, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
        # last: every other path is an IRI under the base (vocab, id, ontology, graph, ...)
        Route("/{rest:path}", linked_data, methods=["GET"]),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=list(state.limits.allowed_hosts))]
    if state.limits.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(state.limits.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["*"],
            )
        )
    # innermost, so the Host check and CORS apply to its answers as to every other
    middleware.append(
        Middleware(
            FastPath,
            cache=state.cache,
            store_path=str(state.store_path),
            body_limit=body_limit(state.limits),
        )
    )
    return Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=state.lifespan,
        exception_handlers={Problem: _problem, HTTPException: _http_error, Exception: _unexpected},
    )


async def _problem(_request: Request, error: Exception) -> Response:
    assert isinstance(error, Problem)
    return PlainTextResponse(error.message + "\n", status_code=error.status, headers=error.headers)


async def _http_error(_request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return PlainTextResponse(
        f"{error.detail}\n", status_code=error.status_code, headers=error.headers
    )


async def _unexpected(_request: Request, _error: Exception) -> Response:
    return PlainTextResponse("internal error; the server log has the details\n", status_code=500)
