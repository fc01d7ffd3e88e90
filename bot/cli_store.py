"""Operator commands on the data directory: ``luoshi check [--repair]``, ``luoshi backup DIR``,
``luoshi restore DIR [--force]`` (these two for a SQLite catalog only: a PostgreSQL one has pg_dump).
Their output is English, for operators; exit 1 when the store
disagrees with itself or the command was refused, 2 for bad settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.cli_audit import cli_actor, cli_trail
from bot.cli_settings import settings_or_exit
from bot.settings import Settings
from ingest.maintenance import repair_store
from vectorstore.backup import BackupError
from vectorstore.backup import backup as backup_store
from vectorstore.backup import restore as restore_store
from vectorstore.embeddings import load_embedding_model
from vectorstore.health import NoStoreError, inspect
from vectorstore.store import ModelMismatchError, Store
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
