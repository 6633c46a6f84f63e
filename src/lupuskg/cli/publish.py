"""`lupuskg publish`: load the dataset into a remote store (Graph Store HTTP Protocol).

It imports its use case at module level (httpx, rdflib): this module is imported only
when `lupuskg publish` runs, and the option choices come from the use case.
"""

from __future__ import annotations

import click

from ..config import settings
from ..publish import AUTH_SCHEMES, publish

__all__ = ["publish_command"]


@click.command("publish")
@click.option(
    "--store", "store_url", required=True, metavar="URL", help="Graph Store HTTP Protocol endpoint."
)
@click.option("--user", help="User name for the store.")
@click.option("--password", help="Password for the store.")
@click.option(
    "--auth",
    type=click.Choice(AUTH_SCHEMES),
    default=AUTH_SCHEMES[0],
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
