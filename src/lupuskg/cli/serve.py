"""`lupuskg serve` (SPARQL endpoint, query page, linked-data pages) and `lupuskg publish`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

__all__ = ["publish_command", "serve_command"]

F = TypeVar("F", bound=Callable[..., Any])


#: the server limits `serve` overrides: (flag, type, help). Each flag names the ServerLimits
#: field it sets (``--max-rows`` -> ``max_rows``); unset, it keeps [tool.lupuskg.server]'s value.
_LIMIT_OPTIONS: tuple[tuple[str, click.IntRange | click.FloatRange, str], ...] = (
    ("--timeout", click.FloatRange(min=0.001), "Seconds a query may run (503 beyond)."),
    ("--max-query-length", click.IntRange(min=1), "Characters of query text (413 beyond)."),
    ("--max-rows", click.IntRange(min=1), "Rows a result may have (503 beyond)."),
    ("--max-bytes", click.IntRange(min=1), "Bytes a response may have (503 beyond)."),
    ("--workers", click.IntRange(min=1), "Query worker processes."),
    (
        "--header-timeout",
        click.FloatRange(min=0.001),
        "Seconds a connection has to send a complete request head (then it is closed).",
    ),
    (
        "--max-connections",
        click.IntRange(min=2),
        "Open connections at most; beyond, the longest-idle ones are closed.",
    ),
    (
        "--max-waiting",
        click.IntRange(min=0),
        "Queries that may wait for a busy worker (503 with Retry-After beyond).",
    ),
    (
        "--cache-entries",
        click.IntRange(min=0),
        "Answers the result cache keeps (ETag / 304); 0 turns it off.",
    ),
    (
        "--memory-store-quads",
        click.IntRange(min=0),
        "Workers copy a store of at most this many quads into memory; 0 reads it on disk.",
    ),
)


def _limit_options(command: F) -> F:
    """Add one ``--<limit>`` option per row of :data:`_LIMIT_OPTIONS`, in table order."""
    for flag, kind, text in reversed(_LIMIT_OPTIONS):
        command = click.option(flag, type=kind, help=text)(command)
    return command


@click.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default)."
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port."
)
@_limit_options
@click.option(
    "--allow-service",
    multiple=True,
    metavar="IRI",
    help="A SERVICE endpoint queries may federate with (repeatable; none by default).",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="An origin browsers may query from (repeatable, or '*'; CORS is off by default).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="A Host header value to accept besides loopback names and --host (repeatable).",
)
def serve_command(
    host: str,
    port: int,
    allow_service: tuple[str, ...],
    cors_origins: tuple[str, ...],
    allow_hosts: tuple[str, ...],
    **limit_overrides: float | None,
) -> None:
    """Serve the built store as a read-only SPARQL 1.1 endpoint with a query page.

    Defaults for the limits come from [tool.lupuskg.server] in pyproject.toml.
    """
    import uvicorn

    from ..config import settings
    from ..server.app import create_app
    from ..server.connections import connection_cap, guarded_protocol, raise_open_files_limit
    from ..server.limits import load_limits
    from ..store import open_store

    project = settings()
    open_store(project)  # fail now, with a hint, if nothing was built
    limits = load_limits(project.root).with_overrides(
        **limit_overrides,
        service_allow=allow_service or None,
        cors_origins=cors_origins or None,
    )
    extra_hosts = [name for name in (host, *allow_hosts) if name not in limits.allowed_hosts]
    limits = limits.with_overrides(allowed_hosts=(*limits.allowed_hosts, *extra_hosts))
    app = create_app(project, limits)
    click.echo(
        f"lupuskg: SPARQL endpoint at http://{host}:{port}/sparql, query page at http://{host}:{port}/",
        err=True,
    )
    cap = connection_cap(limits.max_connections, raise_open_files_limit())
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        http=guarded_protocol(limits.header_timeout, cap),
        timeout_keep_alive=max(1, round(limits.keep_alive_timeout)),
    )


@click.command("publish")
@click.option(
    "--store", "store_url", required=True, metavar="URL", help="Graph Store HTTP Protocol endpoint."
)
@click.option("--user", help="User name for the store.")
@click.option("--password", help="Password for the store.")
@click.option(
    "--auth",
    type=click.Choice(["digest", "basic"]),
    default="digest",
    show_default=True,
    help="HTTP auth scheme.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Skip graphs that build/publish-state.json says this store already holds unchanged "
    "(after a failed publish).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=120.0,
    show_default=True,
    help="Seconds to wait for the store on each request.",
)
def publish_command(
    store_url: str,
    user: str | None,
    password: str | None,
    auth: str,
    resume: bool,
    timeout: float,
) -> None:
    """Load the graphs `lupuskg export` writes into a remote store, the ontology first.

    Reachability and credentials are checked before the first PUT; each PUT replaces one
    graph, so reruns are harmless. If publishing stops part-way, the message lists which
    graphs were replaced and which are still old, and the exit code is 1.
    """
    from ..config import settings
    from ..publish import publish

    def report(graph: str, count: int, skipped: bool) -> None:
        verb = "already current" if skipped else "stored"
        click.echo(f"{verb} <{graph}>: {count} triples")

    result = publish(
        settings(),
        store_url,
        user=user,
        password=password,
        auth=auth,
        timeout=timeout,
        resume=resume,
        progress=report,
    )
    skipped = len(result.graphs) - len(result.sent)
    tail = f" ({skipped} already current, skipped)" if skipped else ""
    click.secho(
        f"published {len(result.graphs)} graphs, {result.triples} triples, to {store_url}{tail}",
        fg="green",
    )
    if not result.state_saved:
        click.secho(
            "warning: build/publish-state.json could not be written, so --resume will resend "
            "every graph",
            fg="yellow",
            err=True,
        )
