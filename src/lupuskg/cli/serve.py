"""`lupuskg serve` (SPARQL endpoint, query page, linked-data pages) and `lupuskg publish`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..server.limits import limit_options, load_limits

__all__ = ["publish_command", "serve_command"]

F = TypeVar("F", bound=Callable[..., Any])


def _limit_options(command: F) -> F:
    """Add one ``--<limit>`` option per limit ServerLimits lets the command line override,
    with the bound and help declared there; unset, a limit keeps [tool.lupuskg.server]'s value.
    """
    for name, kind, bound, text in reversed(limit_options()):
        value_type: click.FloatRange | click.IntRange = (
            click.FloatRange(min=bound.minimum, min_open=bound.open)
            if kind is float
            else click.IntRange(min=int(bound.minimum), min_open=bound.open)
        )
        flag = "--" + name.replace("_", "-")
        command = click.option(flag, name, type=value_type, help=text)(command)
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
