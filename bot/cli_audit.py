"""``luoshi audit``: read the audit trail (留痕); and how the other ``luoshi`` commands write to it.

The commands record with channel ``cli`` and the operating-system user as the user::

    cli_trail(engine.settings).question(cli_actor(), answer)

and ``luoshi audit --user 1002 --since 2025-03-01`` lists what Telegram user 1002 asked and did since
then (``--json``: the entries as stored, one per line).
"""

from __future__ import annotations

import getpass
import json
import os
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from bot.audit import Actor, AuditTrail, Channel, parse_when, read_entries
from bot.cli_settings import settings_or_exit
from bot.settings import Settings

console = Console()
errors = Console(stderr=True)
_trails: dict[Path, AuditTrail] = {}


@cache
def cli_actor() -> Actor:
    """The operating-system user running ``luoshi``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (e.g. in a bare container)
        user = str(os.getuid())
    return Actor(Channel.CLI, user)


def cli_trail(settings: Settings) -> AuditTrail:
    """The audit trail of ``settings``, opened once per process."""
    if settings.audit_file not in _trails:
        _trails[settings.audit_file] = AuditTrail.from_settings(settings)
    return _trails[settings.audit_file]


def audit_command(
    user: Annotated[
        str | None, typer.Option("--user", help="Only this user: a Telegram user id, or an OS user name for cli.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only entries from this date or time on: 2025-03-01, 2025-03-01T08:00."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the entries as stored, one JSON object a line.")
    ] = False,
) -> None:
    """The audit trail: who asked what, when, through which channel, what was cited; ingests, removals,
    refusals; repairs, backups and restores."""
    try:
        start = parse_when(since) if since else None
    except ValueError as error:
        message = f"--since: {since!r} is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM)"
        errors.print(message, style="red", markup=False, highlight=False)
        raise typer.Exit(2) from error
    settings = settings_or_exit()
    bad: list[str] = []
    entries = read_entries(
        settings.audit_file, user=user, since=start, on_bad_line=lambda file, number: bad.append(f"{file}:{number}")
    )
    count = 0
    for entry in entries:
        count += 1
        if as_json:
            print(json.dumps(entry, ensure_ascii=False), flush=True)
        else:
            _print(entry)
    if not as_json:
        summary = f"共 {count} 条。" if count else f"没有符合条件的记录（{settings.audit_file}）。"
        console.print(summary, markup=False, highlight=False, soft_wrap=True)
    if bad:
        skipped = f"{len(bad)} lines are not audit entries and were skipped: {', '.join(bad[:5])}"
        errors.print(skipped, style="yellow", markup=False, highlight=False)


# The keys every lookup entry has; the others are the filters it was given.
_LOOKUP_FIXED = frozenset({"time", "channel", "user", "name", "chat", "event", "outcome", "what", "shown"})


def _print(entry: dict[str, Any]) -> None:
    """One entry for people: a heading line (when, channel, who, what, outcome), then the details."""
    who = " ".join(str(part) for part in (entry.get("user"), entry.get("name")) if part)
    heading = (
        f"{entry['time']}  {entry.get('channel', '')}  {who}  {entry.get('event', '')}: {entry.get('outcome', '')}"
    )
    console.print(heading, style="bold", markup=False, highlight=False, soft_wrap=True)
    for label, value in _details(entry):
        console.print(f"    {label}：{value}", markup=False, highlight=False, soft_wrap=True)


def _details(entry: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) lines of an entry: the question and its sources, the file and what became of it, …"""
    event = entry.get("event")
    if event == "question":
        cited = [f"《{c.get('title', '')}》{c.get('section', '')}" for c in entry.get("cited", [])]
        return [("问", str(entry.get("question", ""))), *(("引", source) for source in cited)]
    if event == "ingest":
        lines = [("文件", str(entry.get("file", "")))]
        if entry.get("outcome") == "accepted":
            lines.append(("收录", f"{entry.get('status')} {entry.get('doc_id')}《{entry.get('title')}》"))
        else:
            lines.append(("原因", str(entry.get("reason", ""))))
        return lines
    if event == "remove":
        return [("编号", str(entry.get("doc_id", "")))]
    if event == "store":
        where = entry.get("source") or entry.get("target") or ""
        lines = [("操作", f"{entry.get('operation', '')} {where}".strip())]
        return lines + ([("原因", str(entry["detail"]))] if entry.get("detail") else [])
    if event == "lookup":
        filters = " ".join(f"{key}={value}" for key, value in entry.items() if key not in _LOOKUP_FIXED)
        shown = f"（{entry['shown']} 项）" if entry.get("shown") is not None else ""
        return [("查看", f"{entry.get('what', '')} {filters}".strip() + shown)]
    if event == "access":
        text = entry.get("text")
        return [("尝试", str(entry.get("action", "")) + (f" {text}" if text else ""))]
    return []
