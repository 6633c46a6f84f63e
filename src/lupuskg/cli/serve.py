"""`lupuskg serve`: SPARQL endpoint, query page, linked-data pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..config import settings
from ..server.limits import limit_options, load_limits

__all__ = ["serve_command"]

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
