"""The Starlette application: SPARQL endpoint, query page, REST API and linked-data pages.

Routes
  /sparql                 SPARQL 1.1 Protocol (GET, form POST, direct POST); a bare GET
                          returns the Service Description
  /                       query page (YASGUI, served from this package, no CDN)
  /.well-known/void       VoID description of the dataset
  /api/queries            the canned queries (grlc style), /api/queries/{id}?param=value
  /api/openapi.json       OpenAPI 3.1 description of the REST API
  /vocab/..., /id/..., /ontology   linked-data pages for our IRIs (HTML or RDF)
  /health                 readiness probe
  /map, /meta/{therapy}/{outcome}[?timepoint=P12M]   evidence gap map; forest plot SVG

User queries run in killable worker processes (see worker.py); the server's own
page queries run against a read-only store in this process.
"""

from __future__ import annotations

import contextlib
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
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..config import Settings
from ..exceptions import QueryError, SynthesisError, UnknownParameterError, UnknownQueryError
from ..namespaces import BASE, ONTOLOGY_IRI
from ..queries import CannedQuery, page
from ..store import open_store
from ..synthesis.web import forest_svg, map_page
from ..void import describe_current
from . import catalog as canned
from .describe import (
    DESCRIPTION_PREFIXES,
    StoreFacts,
    service_description,
    store_facts,
)
from .limits import ServerLimits
from .negotiation import (
    BOOLEAN_FORMATS,
    GRAPH_FORMATS,
    PAGE_FORMATS,
    RESULT_FORMATS,
    Format,
    choose,
)
from .openapi import openapi_document
from .pages import describe_resource, not_found_page, render_page, resource_triples
from .problems import Problem
from .protocol import read_protocol_request
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
        self.store: ox.Store | None = None
        self._facts: StoreFacts | None = None

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


def _void_triples(settings: Any, endpoint: str) -> list[ox.Triple]:
    """The release's VoID (lupuskg.void.describe_current), as pyoxigraph triples."""
    data = describe_current(settings, endpoint).serialize(format="nt", encoding="utf-8")
    return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))


def _rdf_response(triples: list[ox.Triple], fmt: Format) -> Response:
    body = serialize_graph(triples, fmt.key, DESCRIPTION_PREFIXES)
    return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})


def _paging(request: Request, name: str) -> int | None:
    """?limit= / ?offset= of a canned query: a non-negative integer, or a 400."""
    text = request.query_params.get(name)
    if text is None:
        return None
    if not text.isdigit():
        raise Problem(400, f"{name} must be a non-negative integer, not {text!r}")
    return int(text)


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

    async def _run(job: QueryJob, request: Request, requested: str | None) -> Response:
        outcome = await state.pool.run(job)
        if outcome.status == 406 and outcome.form:
            choose(_offered(outcome.form), _accept(request), requested)  # the exact 406
        if outcome.status != 200:
            retry = {"Retry-After": str(outcome.retry_after)} if outcome.retry_after else None
            raise Problem(outcome.status, outcome.message, retry)
        fmt = choose(_offered(outcome.form), _accept(request), requested)
        return Response(outcome.body, media_type=fmt.content_type, headers={"Vary": "Accept"})

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
        return _rdf_response(await state.in_thread(_void_triples, state.settings, endpoint), fmt)

    async def query_page(_request: Request) -> Response:
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
            if key not in ("format", "limit", "offset")
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
        text = page(text, _paging(request, "limit"), _paging(request, "offset"))
        requested = request.query_params.get("format")
        job = QueryJob(
            text=text,
            formats=_formats(request, requested),
            limits=state.limits.with_overrides(max_query_length=max(len(text), 1)),
        )
        return await _run(job, request, requested)

    async def openapi(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        return JSONResponse(openapi_document(state.catalog(), base, state.settings.version))

    async def linked_data(request: Request) -> Response:
        path = request.url.path.lstrip("/")
        iri = ONTOLOGY_IRI if path == "ontology" else BASE + path
        fmt = choose(PAGE_FORMATS, _accept(request), request.query_params.get("format"))
        assert state.store is not None
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise Problem(404, "not an IRI of this dataset") from None
        if fmt.key != "html":
            triples = await state.in_thread(resource_triples, state.store, iri)
            if not triples:
                raise Problem(404, f"the graph says nothing about <{iri}>")
            return _rdf_response(triples, fmt)
        resource = await state.in_thread(describe_resource, state.store, iri)
        if resource is None:
            return HTMLResponse(not_found_page(iri), status_code=404)
        return HTMLResponse(render_page(resource), headers={"Vary": "Accept"})

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
        Route("/vocab/{rest:path}", linked_data, methods=["GET"]),
        Route("/id/{rest:path}", linked_data, methods=["GET"]),
        Route("/ontology", linked_data, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/map", evidence_map, methods=["GET"]),  # lupuskg.synthesis
        Route("/meta/{therapy}/{outcome}", forest_plot, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
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
