"""`lupuskg draft SLUG [--accept claim-03,claim-07]`: propose claims, or accept reviewed ones."""

from __future__ import annotations

import click

from ..config import settings as project_settings

__all__ = ["draft_command"]


@click.command("draft")
@click.argument("slug")
@click.option(
    "--accept",
    "accept",
    metavar="IDS",
    help="Move these reviewed draft claims (e.g. claim-03,claim-07) into graph/documents/SLUG.ttl.",
)
def draft_command(slug: str, accept: str | None) -> None:
    """Draft claims for graph/sources/SLUG.txt into graph/drafts/SLUG.ttl (lkg:Draft).

    Drafts are not loaded by `lupuskg build`, so canned queries never see them until
    a curator accepts them. Check a draft with `lupuskg validate graph/drafts/SLUG.ttl`.
    """
    settings = project_settings()
    if accept is not None:
        from ..draft.accept import accept_claims, parse_claim_ids

        outcome = accept_claims(settings, slug, parse_claim_ids(accept))
        for old, new in outcome.renamed.items():
            click.echo(f"accepted draft {old} as {slug}.{new}")
        click.echo(
            f"wrote {outcome.document.relative_to(settings.root)}; "
            f"{outcome.remaining} draft claim(s) left in {outcome.draft.relative_to(settings.root)}"
        )
        return
    from ..draft import draft_document

    made = draft_document(settings, slug)
    click.echo(
        f"wrote {made.path.relative_to(settings.root)}: {made.claims} draft claims, "
        f"{made.results} results, {made.quotes} quotes"
    )
    click.echo(f"next: lupuskg validate {made.path.relative_to(settings.root)}")
