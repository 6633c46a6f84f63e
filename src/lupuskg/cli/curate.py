"""`lupuskg new SLUG --source FILE` and `lupuskg quote SLUG TEXT`: start and quote a document."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import settings as project_settings

__all__ = ["new_command", "quote_command"]


@click.command("new")
@click.argument("slug")
@click.option(
    "--source",
    "source",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The text to copy byte-exact to graph/sources/SLUG.txt (UTF-8).",
)
def new_command(slug: str, source: Path) -> None:
    """Copy the source text and scaffold graph/documents/SLUG.ttl (document, source, study)."""
    from ..curate import new_document

    settings = project_settings()
    made = new_document(settings, slug, source)
    click.echo(f"wrote {made.source.relative_to(settings.root)} (sha256 {made.sha256})")
    click.echo(f"wrote {made.document.relative_to(settings.root)}: fill in every TODO")


@click.command("quote")
@click.argument("slug")
@click.argument("text")
def quote_command(slug: str, text: str) -> None:
    """Print a ready-to-paste lkg:Quote node for TEXT, which must occur once in SLUG's source."""
    from ..curate import quote_turtle

    click.echo(quote_turtle(project_settings(), slug, text), nl=False)
