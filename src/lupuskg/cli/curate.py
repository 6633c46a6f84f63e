"""`lupuskg new`, `lupuskg ingest` and `lupuskg quote`: start a document and quote it."""

from __future__ import annotations

from pathlib import Path

import click

from ..config import settings as project_settings
from ..exceptions import LupusKGError

__all__ = ["docs_command", "ingest_command", "new_command", "quote_command"]


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


@click.command("ingest")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--slug", default=None, help="Slug of the new document (default: author-year or nct id)."
)
def ingest_command(file: Path, slug: str | None) -> None:
    """Turn a PubMed XML, PMC JATS XML or ClinicalTrials.gov JSON record into a draft document."""
    from ..ingest import ingest

    settings = project_settings()
    made = ingest(settings, file, slug)
    click.echo(f"read {file} as {made.format}")
    click.echo(f"wrote {made.source.relative_to(settings.root)}")
    click.echo(
        f"wrote {made.document.relative_to(settings.root)} ({made.authors} authors): "
        "add studies, claims and quotes (`lupuskg quote`)"
    )


@click.command("docs")
@click.option(
    "--check", is_flag=True, help="Only report whether the table is stale; exit 1 if it is."
)
def docs_command(check: bool) -> None:
    """Regenerate the document table at the top of graph/README.md from graph/documents."""
    from ..doctable import refresh_guide
    from ..rdfio import display_path

    settings = project_settings()
    done = refresh_guide(settings, check=check)
    shown = display_path(done.path, settings.root)
    if check and done.changed:
        raise LupusKGError(
            f"{shown}: the document table is stale", hint="run `lupuskg docs` to regenerate it"
        )
    state = "rewritten" if done.changed else "up to date"
    click.echo(f"{shown}: document table of {done.documents} document(s) {state}")
