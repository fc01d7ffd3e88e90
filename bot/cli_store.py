"""Operator commands on the data directory: ``luoshi check [--repair]``, ``luoshi backup DIR``,
``luoshi restore DIR [--force]`` (these two for a SQLite catalog only: a PostgreSQL one has pg_dump),
``luoshi migrate --to-database URL --to-chroma URL`` (an embedded store into the servers).
Their output is English, for operators; exit 1 when the store
disagrees with itself or the command was refused, 2 for bad settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.cli_audit import cli_actor, cli_trail
from bot.cli_settings import settings_or_exit
from bot.settings import Settings
from ingest.maintenance import repair_store
from vectorstore.backup import BackupError
from vectorstore.backup import backup as backup_store
from vectorstore.backup import restore as restore_store
from vectorstore.database import shown_url
from vectorstore.embeddings import load_embedding_model
from vectorstore.health import NoStoreError, inspect
from vectorstore.store import ModelMismatchError, Store
from vectorstore.transfer import MigrateError, migrate_to_servers
from vectorstore.vectors import VectorsUnavailableError

commands = typer.Typer()
console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)


def _sqlite_only(settings: Settings, command: str) -> None:
    """Refuse ``command`` when the catalog is in PostgreSQL: it copies a data directory's files."""
    if settings.database_url:
        errors.print(
            f"[red]luoshi {command} refused: it works on a data directory whose catalog is a SQLite file, and "
            "this catalog is in PostgreSQL (LUOSHI_DATABASE_URL). Back the database up with pg_dump (restore "
            "with pg_restore), and Chroma's data directory beside it; see docs/deployment.md.[/red]"
        )
        raise typer.Exit(1)


def _record(settings: Settings, operation: str, outcome: str, **fields: object) -> None:
    """Put a repair, backup or restore in the audit trail (留痕)."""
    cli_trail(settings).store_operation(cli_actor(), operation, outcome, **fields)


@commands.command()
def check(
    repair: Annotated[bool, typer.Option("--repair", help="Repair what disagrees, from the catalog.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Check that the catalog, the vectors and the BM25 index agree (exit 1 if they do not)."""
    settings = settings_or_exit()
    data_dir = settings.data_dir
    try:
        health = inspect(data_dir, settings.chroma_url, settings.database_url, settings.lexical_index)
    except NoStoreError as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    done: list[str] = []
    if repair and health.repairable:
        try:
            store = Store(
                data_dir,
                load_embedding_model(settings.embedding_model),
                settings.chroma_url,
                database_url=settings.database_url,
                lexical=settings.lexical_index,
            )
        except (ModelMismatchError, VectorsUnavailableError) as error:
            errors.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from error
        try:
            done = repair_store(store, health)
        finally:
            store.close()
        _record(settings, "repair", "done", repaired=done)
        health = inspect(data_dir, settings.chroma_url, settings.database_url, settings.lexical_index)
    if as_json:
        print(json.dumps(health.to_json() | {"repaired": done}, ensure_ascii=False))
    else:
        for line in done:
            console.print(f"repaired: {line}", markup=False)
        for line in health.report():
            console.print(line, markup=False)
        if not health.ok and not repair:
            console.print("Run `luoshi check --repair` to repair them from the catalog.", markup=False)
    if not health.ok:
        raise typer.Exit(1)


@commands.command()
def backup(target: Annotated[Path, typer.Argument(help="New (or empty) folder for the copy.")]) -> None:
    """Copy the data directory consistently, also while the bot runs (ingests wait for the copy)."""
    settings = settings_or_exit()
    _sqlite_only(settings, "backup")
    try:
        copied = backup_store(settings.data_dir, target, settings.chroma_url)
    except (BackupError, NoStoreError) as error:
        _record(settings, "backup", "refused", target=str(target.absolute()), detail=str(error))
        errors.print(f"[red]backup refused: {error}[/red]")
        raise typer.Exit(1) from error
    health = copied.health
    _record(settings, "backup", "done", target=str(copied.path.absolute()), documents=health.documents)
    console.print(
        f"backed up {health.documents} documents ({health.chunks} chunks, generation {health.generation}) "
        f"to {copied.path}; the copy was checked.",
        markup=False,
    )


@commands.command()
def restore(
    source: Annotated[Path, typer.Argument(help="A folder made by `luoshi backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Replace a data directory that holds a store.")] = False,
) -> None:
    """Make the data directory a copy of a backup (stop the bot first; it is restarted on the copy)."""
    settings = settings_or_exit()
    _sqlite_only(settings, "restore")
    try:
        copied = restore_store(source, settings.data_dir, force=force, chroma_url=settings.chroma_url)
    except (BackupError, NoStoreError) as error:
        _record(settings, "restore", "refused", source=str(source.absolute()), detail=str(error))
        errors.print(f"[red]restore refused: {error}[/red]")
        raise typer.Exit(1) from error
    health = copied.health
    _record(settings, "restore", "done", source=str(source.absolute()), documents=health.documents)
    console.print(
        f"restored {health.documents} documents ({health.chunks} chunks, generation {health.generation}) "
        f"from {source} into {copied.path}.",
        markup=False,
    )


@commands.command()
def migrate(
    to_database: Annotated[
        str, typer.Option("--to-database", help="The PostgreSQL database: postgresql://user:password@host/db.")
    ],
    to_chroma: Annotated[str, typer.Option("--to-chroma", help="The Chroma server: http://host:port.")],
    to_lexical: Annotated[
        str, typer.Option("--to-lexical", help="The lexical index to build for the servers: bm25s or tantivy.")
    ] = "tantivy",
) -> None:
    """Copy the embedded store of the data directory into PostgreSQL and a Chroma server (nothing is
    embedded again); the data directory is left as it was. Stop the bot first."""
    settings = settings_or_exit()
    if settings.database_url or settings.chroma_url:
        errors.print(
            "[red]luoshi migrate refused: it copies an embedded store, and LUOSHI_DATABASE_URL or LUOSHI_CHROMA_URL "
            "is set, so this data directory's store is on servers already. Run it without them; add them "
            "after the migrate.[/red]"
        )
        raise typer.Exit(1)
    try:
        target = Settings(
            data_dir=settings.data_dir, database_url=to_database, chroma_url=to_chroma, lexical_index=to_lexical
        )
    except ValidationError as error:
        errors.print(f"[red]luoshi migrate: {'; '.join(e['msg'] for e in error.errors())}[/red]")
        raise typer.Exit(2) from error
    assert target.database_url is not None and target.chroma_url is not None
    where = {"database": shown_url(target.database_url), "chroma": target.chroma_url, "lexical": to_lexical}
    columns = (TextColumn("copying vectors"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=errors, transient=True) as shown:
            task = shown.add_task("vectors", total=None)
            migrated = migrate_to_servers(
                settings.data_dir,
                target.database_url,
                target.chroma_url,
                target.lexical_index,
                source_lexical=settings.lexical_index,
                progress=lambda done, total: shown.update(task, completed=done, total=total),
            )
    except (MigrateError, NoStoreError) as error:
        _record(settings, "migrate", "refused", **where, detail=str(error))
        errors.print(f"migrate refused: {error}", style="red", markup=False)
        raise typer.Exit(1) from error
    _record(settings, "migrate", "done", **where, documents=migrated.documents, chunks=migrated.chunks)
    redone = " (an interrupted migrate was cleared and done again)" if migrated.redone else ""
    console.print(
        f"migrated {migrated.documents} documents, {migrated.chunks} chunks and {migrated.vectors} vectors "
        f"from {settings.data_dir} to {where['database']} and {target.chroma_url} ({to_lexical}) in "
        f"{migrated.seconds:.1f} s{redone}; the copy was checked.\n"
        "Now set LUOSHI_DATABASE_URL, LUOSHI_CHROMA_URL and LUOSHI_LEXICAL_INDEX as above, run `luoshi check`, "
        "and start the workers.",
        markup=False,
    )
