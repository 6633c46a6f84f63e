"""The `lupuskg` command line.

Subcommands live in their own modules and are imported only when invoked, so that
`lupuskg query` starts without paying for rdflib, pyshacl or owlready2.
Library code raises typed errors; this is the one place that turns them into
red messages and exit codes.
"""

from __future__ import annotations

import errno
import importlib
import sys
from typing import Any

import click

from ..exceptions import InputError, LupusKGError
from ..files import output_error

__all__ = ["main"]

#: command name -> ("module:attribute", one-line help shown by `lupuskg --help`)
COMMANDS: dict[str, tuple[str, str]] = {
    "all": (
        "lupuskg.cli.main_job:all_command",
        "Run the main job: build, validate, query, export.",
    ),
    "build": (
        "lupuskg.cli.build:build_command",
        "Build the embedded store from ontology and documents.",
    ),
    "fmt": (
        "lupuskg.cli.build:fmt_command",
        "Rewrite Turtle files in canonical form (or --check).",
    ),
    "docs": (
        "lupuskg.cli.curate:docs_command",
        "Regenerate the document table of graph/README.md (or --check).",
    ),
    "ontology": (
        "lupuskg.cli.ontology:ontology_group",
        "Check the ontology: HermiT and QC report.",
    ),
    "validate": (
        "lupuskg.cli.validate:validate_command",
        "Validate documents with SHACL and quotes.",
    ),
    "new": (
        "lupuskg.cli.curate:new_command",
        "Start a document: copy its source text, scaffold its Turtle.",
    ),
    "draft": (
        "lupuskg.cli.draft:draft_command",
        "Draft claims for a source text (graph/drafts/), or --accept reviewed ones.",
    ),
    "ingest": (
        "lupuskg.cli.curate:ingest_command",
        "Draft a document from a PubMed, PMC JATS or ClinicalTrials.gov record.",
    ),
    "quote": (
        "lupuskg.cli.curate:quote_command",
        "Print a quote node with offsets for an exact text of a source.",
    ),
    "queries": ("lupuskg.cli.query:queries_command", "List the canned evidence queries."),
    "query": ("lupuskg.cli.query:query_command", "Run a canned query by id."),
    "sparql": (
        "lupuskg.cli.query:sparql_command",
        "Run an ad-hoc SPARQL query from a file or stdin.",
    ),
    "serve": ("lupuskg.cli.serve:serve_command", "Serve the store as a SPARQL 1.1 endpoint."),
    "publish": (
        "lupuskg.cli.publish:publish_command",
        "Load the dataset into a remote SPARQL store.",
    ),
    "export": (
        "lupuskg.cli.export:export_command",
        "Export the dataset (Turtle, TriG, JSON-LD, ...).",
    ),
    "release": ("lupuskg.cli.export:release_command", "Write a versioned release bundle for hubs."),
    "meta": (
        "lupuskg.cli.synthesis:meta_command",
        "Pool per-arm proportions: estimate, CI, τ², I², forest plot.",
    ),
    "profile": (
        "lupuskg.cli.synthesis:profile_command",
        "Certainty profile of a therapy, one GRADE-style row per outcome.",
    ),
    "map": (
        "lupuskg.cli.synthesis:map_command",
        "Evidence gap map (self-contained HTML, SVG, JSON).",
    ),
}


def _load(target: str) -> click.Command:
    module_name, attribute = target.split(":")
    command = getattr(importlib.import_module(module_name), attribute)
    assert isinstance(command, click.Command), target
    return command


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that subcommand runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        if ctx.resilient_parsing or "--help" in sys.argv[1:2]:
            return click.Command(
                cmd_name, help=COMMANDS[cmd_name][1], short_help=COMMANDS[cmd_name][1]
            )
        return _load(COMMANDS[cmd_name][0])

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, help_text) in sorted(COMMANDS.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LupusKGError as error:
            report_error(error)
            ctx.exit(error.exit_code)
        except OSError as error:  # last resort: a write the library did not wrap itself
            typed = _from_os_error(error)
            report_error(typed)
            ctx.exit(typed.exit_code)


#: errno values that mean "this cannot be written here", whatever the command was
_WRITE_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM}
)


def _from_os_error(error: OSError) -> LupusKGError:
    if error.errno in _WRITE_ERRNOS:
        return output_error(error)
    where = f"{error.filename}: " if error.filename else ""
    return InputError(f"{where}{error.strerror or error}", hint="check the path and try again")


def report_error(error: LupusKGError) -> None:
    """Print a typed error as a red message with its hint, on stderr."""
    click.secho(f"error: {error}", fg="red", err=True)
    if error.hint:
        click.secho(f"hint: {error.hint}", fg="yellow", err=True)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lupuskg")
def main() -> None:
    """lupuskg: evidence on stem-cell therapy for lupus, as a knowledge graph."""
