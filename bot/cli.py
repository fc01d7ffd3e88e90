"""The ``luoshi`` command: ingest, list, remove, ask, chat, eval, serve, api."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from bot import lookup
from bot.answers import Answer
from bot.cli_audit import audit_command, cli_actor, cli_trail
from bot.cli_settings import settings_or_exit
from bot.cli_store import commands as store_commands
from bot.doclist import list_documents
from bot.engine import Engine
from bot.excerpts import clip
from bot.question_input import clean, questions, tolerate_bad_bytes, too_long
from bot.reporting.qa_eval import evaluate, load_items
from bot.reporting.task_export import SUFFIXES, ledger_rows
from bot.reporting.task_export import export as export_ledger
from ingest.errors import IngestError
from ingest.maintenance import EXTRACTION_VERSION, VERSION_KEY, refresh_ledger
from ingest.pipeline import collect_files, normalize_date
from vectorstore.catalog import Catalog, catalog_exists, catalog_location
from vectorstore.ledger import Ledger
from vectorstore.store import ModelMismatchError
from vectorstore.vectors import VectorsUnavailableError

app = typer.Typer(help="落实 Luoshi：讲话与政策文件的工作部署问答（带出处）。", no_args_is_help=True)
app.add_typer(store_commands)  # check, backup, restore (bot/cli_store.py)
console = Console()
errors = Console(stderr=True)
# How much of a task the tasks table shows.
_TASK_CHARS = 60


def _engine() -> Engine:
    try:
        return Engine.open(settings_or_exit())
    except (ModelMismatchError, VectorsUnavailableError) as error:
        errors.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details.")] = False) -> None:
    """Set up logging once for every command."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "bm25s", "chromadb", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    title: Annotated[str | None, typer.Option(help="Title (one file only).")] = None,
    speaker: Annotated[str | None, typer.Option(help="Speaker, e.g. 县长.")] = None,
    date: Annotated[str | None, typer.Option(help="Date of the speech, YYYY-MM-DD.")] = None,
    meeting: Annotated[str | None, typer.Option(help="Meeting, e.g. 县政府全体会议.")] = None,
) -> None:
    """Ingest files (.txt .md .docx .pdf .html) or every supported file in folders."""
    files = list(collect_files(paths))
    if title and len(files) > 1:
        errors.print("[red]--title applies to one file; give one file or leave --title out.[/red]")
        raise typer.Exit(2)
    if date:
        try:
            normalize_date(date)
        except ValueError as error:
            errors.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from error
    if not files:
        errors.print("[red]No supported files found.[/red]")
        raise typer.Exit(1)
    engine = _engine()
    trail = cli_trail(engine.settings)
    failures = 0
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with (
        Progress(*columns, console=errors, transient=True, disable=len(files) < 2) as progress,
        engine.store.batch(),
    ):
        task = progress.add_task("收录中", total=len(files))
        for path in files:
            progress.update(task, description=f"收录 {path.name}")
            try:
                report = engine.ingest_file(path, title=title, speaker=speaker, date=date, meeting=meeting)
            except IngestError as error:
                failures += 1
                trail.ingest(cli_actor(), str(path.absolute()), reason=error.message_zh, detail=str(error))
                errors.print(f"[red]✗ {path}: {error.message_en}[/red]")
            else:
                trail.ingest(cli_actor(), str(path.absolute()), report=report)
                console.print(
                    f"✓ {path.name}: {report.status} · id {report.doc_id} · 《{report.title}》 · "
                    f"{report.section_count} sections · {report.chunk_count} chunks"
                )
            progress.advance(task)
    engine.close()
    if failures:
        errors.print(f"[red]{failures} of {len(files)} files failed.[/red]")
        raise typer.Exit(1)


@app.command()
def docs(as_json: Annotated[bool, typer.Option("--json", help="Print the documents as a JSON array.")] = False) -> None:
    """List ingested documents, newest first, with their 内部 or 密级 marks."""
    list_documents(settings_or_exit(), as_json=as_json)


@app.command()
def remove(doc_id: Annotated[str, typer.Argument(help="Document id from `luoshi docs`.")]) -> None:
    """Remove a document and everything derived from it."""
    engine = _engine()
    removed = engine.remove(doc_id)
    cli_trail(engine.settings).remove(cli_actor(), doc_id, removed)
    engine.close()
    if not removed:
        errors.print(f"[red]No document with id {doc_id}.[/red]")
        raise typer.Exit(1)
    console.print(f"removed {doc_id}")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, or - to read one question per line from stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer object as JSON.")] = False,
) -> None:
    """Answer one question (or many from stdin with -). With --json, every question, even a blank
    line, gets exactly one JSON line."""
    engine = _engine()
    trail = cli_trail(engine.settings)
    for text in questions(question, sys.stdin):
        result = _answer(engine, text)
        trail.question(cli_actor(), result)
        if as_json:
            print(json.dumps(result.to_json_dict(), ensure_ascii=False), flush=True)
            continue
        if question == "-":
            console.print(Text(f"\n问：{text}", style="bold"))
        print_answer(result)
    engine.close()


@app.command()
def chat() -> None:
    """Ask questions in the terminal; follow-ups keep the last answer as context. Ctrl-D quits."""
    engine = _engine()
    tolerate_bad_bytes(sys.stdin)
    console.print("落实 Luoshi —— 输入问题，回车提问；Ctrl-D 退出。")
    previous: Answer | None = None
    while True:
        try:
            text = clean(console.input("[bold]问：[/bold]"))
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        refusal = too_long(text)
        if refusal is not None:
            console.print(refusal, markup=False, highlight=False)
        elif text:
            previous = engine.answer(text, previous)
            cli_trail(engine.settings).question(cli_actor(), previous)
            print_answer(previous)
    engine.close()


def _answer(engine: Engine, question: str) -> Answer:
    """The engine's answer, or the bot's refusal of a question over the length limit."""
    refusal = too_long(question)
    if refusal is not None:
        return Answer(question, refusal, False, "other")
    return engine.answer(question)


@app.command("eval")
def eval_command(
    qa_file: Annotated[Path, typer.Argument(help="QA JSONL file (format of seed-qa.jsonl).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    show_failures: Annotated[bool, typer.Option("--failures", help="List the questions answered wrongly.")] = False,
) -> None:
    """Answer accuracy, citation accuracy, refusals and latency per question type."""
    items = load_items(qa_file)
    engine = _engine()
    report = evaluate(items, engine.answer)
    engine.close()
    rows = report.rows()
    if as_json:
        print(json.dumps({"rows": rows}, ensure_ascii=False, indent=2))
        return
    table = Table("type", "n", "answer acc", "citation acc", "refusal acc", "false refusals", "p50 ms", "p95 ms")
    for row in rows:
        table.add_row(
            row["type"],
            str(row["questions"]),
            *(_percent(row[key]) for key in ("answer_accuracy", "citation_accuracy", "refusal_accuracy")),
            _percent(row["false_refusal_rate"]),
            str(row["latency_p50_ms"]),
            str(row["latency_p95_ms"]),
        )
    console.print(table)
    if show_failures:
        for outcome in report.failures():
            console.print(f"✗ {outcome.item.id} {outcome.item.question} → {outcome.answer.answer[:100]}")


@app.command()
def tasks(
    lead: Annotated[str | None, typer.Option("--lead", help="Only tasks this unit or person leads (牵头).")] = None,
    party: Annotated[
        str | None, typer.Option("--party", help="Only tasks naming this unit or person in any role.")
    ] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="Only tasks of this document id.")] = None,
    export: Annotated[
        Path | None, typer.Option("--export", help="Write the ledger to FILE.xlsx, FILE.csv or FILE.md.")
    ] = None,
) -> None:
    """The supervision ledger (督办台账): one row per task with lead, responsible, deadline, source."""
    if export is not None and export.suffix.lower() not in SUFFIXES:
        errors.print(f"[red]--export: use a file ending in {', '.join(SUFFIXES)}[/red]")
        raise typer.Exit(2)
    ledger = _ledger()
    if lead is not None:
        records = lookup.tasks(ledger, lead, doc_id=doc, role="lead")
    else:
        records = lookup.tasks(ledger, party, doc_id=doc)
    ledger.catalog.close()
    if export is not None:
        export_ledger(records, export)
        console.print(f"已导出 {len(records)} 项任务 → {export}", highlight=False)
        return
    if not records:
        console.print("没有找到符合条件的任务。")
        return
    table = Table("序号", "任务", "牵头", "负责", "配合", "时限", "出处", show_lines=True)
    for row in ledger_rows(records):
        number, task, leads, responsible, cooperating, deadline, document, section, _quote = row
        table.add_row(
            number, clip(task, _TASK_CHARS), leads, responsible, cooperating, deadline, f"{document}\n{section}"
        )
    console.print(table)
    console.print(f"共 {len(records)} 项任务。导出：luoshi tasks --export 台账.xlsx", highlight=False)


@app.command()
def slogans(
    term: Annotated[str | None, typer.Option("--term", help="Only this slogan.")] = None,
) -> None:
    """The glossary of slogans and formulas (提法): term, definition, occurrences."""
    ledger = _ledger()
    entries = lookup.glossary(ledger, term)
    ledger.catalog.close()
    if not entries:
        console.print("没有找到提法。")
        return
    table = Table("提法", "含义（原文）", "出现", "出处", show_lines=True)
    for entry in entries:
        definition = entry.definition.definition if entry.definition and entry.definition.definition else ""
        sources = "\n".join(dict.fromkeys(f"《{o.title}》{o.section_label}".strip() for o in entry.occurrences))
        table.add_row(f"“{entry.term}”", definition, f"{len(entry.occurrences)} 次", sources)
    console.print(table)
    console.print(f"共 {len(entries)} 个提法。", highlight=False)


@app.command("extract")
def extract_command() -> None:
    """Extract directives and slogans again from every stored document (after an upgrade)."""
    engine = _engine()
    count = refresh_ledger(engine.store, force=True)
    counts = Ledger(engine.store.catalog).counts()
    engine.close()
    console.print(f"已重新提取 {count} 篇文件：任务 {counts['directives']} 项，提法 {counts['slogans']} 个。")


@app.command("eval-extraction")
def eval_extraction(
    expected: Annotated[
        Path,
        typer.Argument(help="Expected assignments and slogans (format of tests/data/example_assignments.json)."),
    ],
    show_failures: Annotated[bool, typer.Option("--failures", help="List wrong and missed records.")] = False,
) -> None:
    """Precision and recall of directive and slogan extraction against a hand-written list."""
    from bot.reporting.extraction_eval import extract_file, format_percent, load_expected, score

    wanted = load_expected(expected)
    document = expected.parent / wanted["document"]
    if not document.exists():
        document = Path(wanted["document"])
    text, extraction = extract_file(document)
    result = score(text, extraction, wanted)
    table = Table("", "TP", "FP", "FN", "precision", "recall", title=f"{document.name}")
    for label, tally in result.rows():
        counts = (tally.true_positive, tally.false_positive, tally.false_negative)
        table.add_row(label, *map(str, counts), format_percent(tally.precision), format_percent(tally.recall))
    console.print(table)
    if show_failures:
        for problem in result.problems:
            console.print(f"✗ {problem}", markup=False, highlight=False)


def _ledger() -> Ledger:
    """The ledger of the data directory, brought up to date with the current extraction first."""
    settings = settings_or_exit()
    path = catalog_location(settings.data_dir, settings.database_url)
    if not catalog_exists(path):
        errors.print("[red]还没有收录任何文件（luoshi ingest 文件或文件夹）。[/red]")
        raise typer.Exit(1)
    catalog = Catalog(path)
    if catalog.get_meta(VERSION_KEY) != EXTRACTION_VERSION and catalog.documents():
        catalog.close()
        engine = _engine()  # the store's write protocol needs it; rare (after an upgrade)
        refresh_ledger(engine.store)
        engine.close()
        catalog = Catalog(path)
    return Ledger(catalog)


@app.command()
def serve() -> None:
    """Run the Telegram bot (polling, or webhook when LUOSHI_WEBHOOK_URL is set)."""
    from bot.telegram import run

    try:
        run(settings_or_exit())
    except (ValueError, ModelMismatchError, VectorsUnavailableError) as error:  # missing token, bad secret, store
        errors.print(f"[red]luoshi serve: {error}[/red]")
        raise typer.Exit(2) from error


@app.command()
def api() -> None:
    """Run the HTTP API (and the channels served with it) on LUOSHI_API_HOST:LUOSHI_API_PORT; see docs/api.md."""
    from bot.api.app import serve as serve_api

    try:
        serve_api(settings_or_exit())
    except (ValueError, ModelMismatchError, VectorsUnavailableError) as error:  # no keys, classified store, store
        errors.print(f"[red]luoshi api: {error}[/red]")
        raise typer.Exit(2) from error


app.command("audit")(audit_command)


def print_answer(result: Answer) -> None:
    """An answer and its numbered sources, for the terminal."""
    console.print(result.answer, markup=False, highlight=False)
    for number, citation in enumerate(result.citations, start=1):
        console.print(f"  [{number}] 《{citation.title}》 {citation.section}", markup=False, highlight=False)
        console.print(f"      “{citation.quote}”", style="dim", markup=False, highlight=False)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"
