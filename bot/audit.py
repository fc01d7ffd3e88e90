"""The audit trail (留痕): who asked what, when, through which channel, and what they were told — the
documents cited, or that Luoshi found nothing — and what admins did: ingests (accepted, or refused and
why), removals, lookups of documents, tasks, slogans and sources, and the users and chats refused at the
door.

One JSON object per line, appended to ``<data dir>/audit/audit.jsonl`` (``LUOSHI_AUDIT_PATH``) by a
logger of its own, rotated by size like any log (``audit.jsonl.1`` is the newest rotated file) and
pruned by age: questions are stored as asked, so how long they are kept is a setting
(``LUOSHI_AUDIT_RETENTION_DAYS``). The bot and every ``luoshi`` command may write at once: each write
takes a lock beside the file, and a writer whose file was rotated or pruned by another process reopens
it before writing. ``luoshi audit`` reads it::

    trail = AuditTrail.from_settings(settings)
    trail.question(Actor(Channel.CLI, "alice"), answer)
    for entry in read_entries(trail.path, user="alice", since=parse_when("2025-01-01")):
        print(entry["time"], entry["question"])
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.answers import Answer
    from bot.settings import Settings
    from ingest.pipeline import IngestReport

logger = logging.getLogger(__name__)

PRUNE_INTERVAL = 3600.0  # seconds between two prunes by a long-running writer (the bot)


class Channel(StrEnum):
    """Where a request came from."""

    TELEGRAM = "telegram"
    CLI = "cli"
    HTTP = "http"  # the HTTP API and the web console
    WECOM = "wecom"
    DINGTALK = "dingtalk"


class Event(StrEnum):
    """What an entry records."""

    QUESTION = "question"  # outcome: answered, refused (nothing found), too_long, rate_limited, withheld
    INGEST = "ingest"  # outcome: accepted, refused (with a reason)
    REMOVE = "remove"  # outcome: removed, not_found
    ACCESS = "access"  # turned away: user_not_allowed, chat_not_allowed, not_admin, bad_key or withheld (classified)
    STORE = "store"  # an operator's repair, backup, restore or migrate of the store: outcome done or refused
    LOOKUP = "lookup"  # a reading of the store other than a question: documents, tasks, slogans, a source; shown


@dataclass(frozen=True)
class Actor:
    """Who did it: a Telegram user id (and, in a chat, the chat id), an API key's name, a WeCom user id or
    an operating-system user name."""

    channel: Channel
    user: str
    name: str | None = None  # for people: the Telegram name at the time
    chat: int | None = None


def now() -> datetime:
    """The current local time, with its UTC offset (as entries are stamped)."""
    return datetime.now().astimezone()


def parse_when(text: str) -> datetime:
    """A date or date-time as operators write it; without an offset it is local time.

    >>> parse_when("2025-03-01T08:30+08:00").isoformat()
    '2025-03-01T08:30:00+08:00'
    """
    moment = datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo is not None else moment.astimezone()


class AuditTrail:
    """The writer: one method per kind of entry. Writing never raises: if the file cannot be written the
    failure is logged as an error and the request goes on."""

    def __init__(
        self,
        path: Path,
        *,
        max_bytes: int,
        backup_count: int,
        retention_days: float,
        enabled: bool = True,
        clock: Callable[[], datetime] = now,
    ) -> None:
        self.path = path
        self.enabled = enabled
        self.retention = timedelta(days=retention_days)
        self._max_bytes, self._backup_count = max_bytes, backup_count
        self._clock = clock
        self._logger = logging.Logger("luoshi.audit")  # not in logging's tree: entries reach this file only
        self._handler: SharedRotatingFileHandler | None = None
        self._next_prune = 0.0
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> AuditTrail:
        return cls(
            settings.audit_file,
            max_bytes=max(1, int(settings.audit_max_mb * 1024 * 1024)),
            backup_count=settings.audit_backup_count,
            retention_days=settings.audit_retention_days,
            enabled=settings.audit_enabled,
        )

    # -- entries --------------------------------------------------------------------------------------

    def question(self, actor: Actor, answer: Answer, *, follow_up: bool = False) -> None:
        """A question the engine answered: what it said and which documents it cited, or that it found
        nothing (``refused``); ``follow_up`` if the previous answer was its context."""
        cited = [{"doc_id": c.doc_id, "title": c.title, "section": c.section} for c in answer.citations]
        fields = {"question": answer.question, "answer": answer.answer, "kind": answer.kind, "cited": cited}
        outcome = "answered" if answer.found else "refused"
        self.record(actor, Event.QUESTION, outcome, follow_up=follow_up or None, **fields)

    def question_not_asked(self, actor: Actor, question: str, outcome: str) -> None:
        """A question turned away before the engine saw it (``too_long``, ``rate_limited``)."""
        self.record(actor, Event.QUESTION, outcome, question=question)

    def ingest(
        self,
        actor: Actor,
        file: str,
        *,
        report: IngestReport | None = None,
        reason: str | None = None,
        detail: str | None = None,
    ) -> None:
        """A file given to be ingested: accepted (with what became of it) or refused, with the ``reason``
        the user was told (Chinese) and the operator's ``detail`` (English)."""
        if report is not None:
            fields = {"status": report.status, "doc_id": report.doc_id, "title": report.title}
            self.record(actor, Event.INGEST, "accepted", file=file, **fields)
        else:
            self.record(actor, Event.INGEST, "refused", file=file, reason=reason, detail=detail)

    def remove(self, actor: Actor, doc_id: str, removed: bool) -> None:
        self.record(actor, Event.REMOVE, "removed" if removed else "not_found", doc_id=doc_id)

    def access_refused(self, actor: Actor, outcome: str, action: str, text: str | None = None) -> None:
        """Someone turned away: a stranger (``user_not_allowed``, ``chat_not_allowed``) or a non-admin
        (``not_admin``); ``action`` is what they tried, ``text`` what they sent."""
        self.record(actor, Event.ACCESS, outcome, action=action, text=text)

    def lookup(self, actor: Actor, what: str, shown: int | None = None, **filters: Any) -> None:
        """A reading other than a question: ``what`` (documents, tasks, tasks_export, slogans, source), how many
        entries were ``shown`` and the ``filters`` given (a unit, a term, a document id)."""
        self.record(actor, Event.LOOKUP, "shown", what=what, shown=shown, **filters)

    def store_operation(self, actor: Actor, operation: str, outcome: str, **fields: Any) -> None:
        """An operator's ``repair``, ``backup``, ``restore`` or ``migrate`` of the store, ``done`` or
        ``refused``; ``fields`` say from or to where, and what it held."""
        self.record(actor, Event.STORE, outcome, operation=operation, **fields)

    def record(self, actor: Actor, event: Event, outcome: str, **fields: Any) -> None:
        """Append one entry (fields that are None are left out)."""
        if not self.enabled:
            return
        entry: dict[str, Any] = {
            "time": self._clock().isoformat(timespec="seconds"),
            "channel": str(actor.channel),
            "user": actor.user,
            "name": actor.name,
            "chat": actor.chat,
            "event": str(event),
            "outcome": outcome,
            **fields,
        }
        line = json.dumps({key: value for key, value in entry.items() if value is not None}, ensure_ascii=False)
        try:
            self._prepare()
        except OSError as error:
            logger.error("Audit trail %s cannot be written: %s", self.path, error)
            return
        # handle(), not info(): logging.disable() or a level set elsewhere must not silence the trail
        self._logger.handle(logging.LogRecord(self._logger.name, logging.INFO, __file__, 0, line, None, None))

    def _prepare(self) -> None:
        """Open the file on the first entry; prune on it and then hourly."""
        with self._lock:
            if self._handler is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._handler = SharedRotatingFileHandler(self.path, self._max_bytes, self._backup_count)
                self._logger.addHandler(self._handler)
            if time.monotonic() >= self._next_prune:
                self._next_prune = time.monotonic() + PRUNE_INTERVAL
                try:
                    self._handler.prune(self._clock() - self.retention)
                except OSError as error:  # the entry is still written
                    logger.error("Audit trail %s not pruned: %s", self.path, error)

    def close(self) -> None:
        with self._lock:
            if self._handler is not None:
                self._logger.removeHandler(self._handler)
                self._handler.close()
                self._handler = None


class SharedRotatingFileHandler(RotatingFileHandler):
    """A :class:`RotatingFileHandler` several processes can share: every write (and rollover) happens
    under an exclusive lock on ``<file>.lock``, after reopening the file if another process has rotated
    or pruned it away."""

    def __init__(self, path: Path, max_bytes: int, backup_count: int) -> None:
        # backslashreplace: a lone surrogate (undecodable input) becomes a JSON escape, not a lost entry
        super().__init__(
            path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", errors="backslashreplace", delay=True
        )
        self.setFormatter(logging.Formatter("%(message)s"))
        self.lock_path = lock_path(path)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            with file_lock(self.lock_path):
                self._reopen_if_moved()
                super().emit(record)
        except OSError:
            self.handleError(record)

    def _reopen_if_moved(self) -> None:
        if self.stream is None:
            return
        opened = os.fstat(self.stream.fileno())
        try:
            current = os.stat(self.baseFilename)
        except FileNotFoundError:
            current = None
        if current is None or (current.st_dev, current.st_ino) != (opened.st_dev, opened.st_ino):
            self.stream.close()
            self.stream = None  # type: ignore[assignment]  # reopened by emit (delay=True)

    def handleError(self, record: logging.LogRecord) -> None:
        logger.error("Audit entry not written to %s", self.baseFilename, exc_info=True)

    def prune(self, cutoff: datetime) -> None:
        """Delete files whose last entry is older than ``cutoff``, and the older entries of the others."""
        with file_lock(self.lock_path):
            for file in log_files(Path(self.baseFilename)):
                if datetime.fromtimestamp(file.stat().st_mtime).astimezone() < cutoff:
                    file.unlink()
                    logger.info("Audit file %s pruned: older than the retention", file)
                elif _older(_first_line(file), cutoff):
                    _drop_older_lines(file, cutoff)


# -- files and reading --------------------------------------------------------------------------------------


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def file_lock(path: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold an flock on ``path`` (created if missing)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def log_files(path: Path) -> list[Path]:
    """The audit file and its rotated copies, oldest first (``audit.jsonl.3``, ``.2``, ``.1``, ``audit.jsonl``)."""
    numbered = []
    for file in path.parent.glob(path.name + ".*"):
        suffix = file.name[len(path.name) + 1 :]
        if suffix.isdigit():
            numbered.append((int(suffix), file))
    files = [file for _, file in sorted(numbered, reverse=True)]
    return [*files, path] if path.exists() else files


def read_entries(
    path: Path,
    *,
    user: str | None = None,
    since: datetime | None = None,
    on_bad_line: Callable[[Path, int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """The entries of ``path`` and its rotated files, oldest first; only ``user``'s and those at or after
    ``since``, if given. A line that is not an entry is passed to ``on_bad_line`` (file, line number).

    The files are opened together under the lock, so a rotation meanwhile neither skips nor repeats one.
    """
    if not path.parent.is_dir():
        return
    handles: list[tuple[Path, IO[str]]] = []
    with contextlib.ExitStack() as stack:
        try:
            lock = file_lock(lock_path(path), shared=True)
            stack.enter_context(lock)
        except OSError:  # a read-only audit folder: read without the lock
            pass
        for file in log_files(path):
            with contextlib.suppress(FileNotFoundError):
                handles.append((file, open(file, encoding="utf-8", errors="replace")))  # noqa: SIM115
    for file, handle in handles:
        with handle:
            for number, line in enumerate(handle, start=1):
                entry = _parse(line)
                if entry is None:
                    if line.strip() and on_bad_line is not None:
                        on_bad_line(file, number)
                    continue
                if user is not None and entry.get("user") != user:
                    continue
                if since is not None and _time_of(entry) < since:
                    continue
                yield entry


def _parse(line: str) -> dict[str, Any] | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    if not isinstance(entry, dict):
        return None
    try:
        _time_of(entry)
    except (TypeError, ValueError):
        return None
    return entry


def _time_of(entry: dict[str, Any]) -> datetime:
    return parse_when(entry["time"])


def _first_line(file: Path) -> str:
    with file.open(encoding="utf-8", errors="replace") as handle:
        return handle.readline()


def _older(line: str, cutoff: datetime) -> bool:
    entry = _parse(line)
    return entry is not None and _time_of(entry) < cutoff


def _drop_older_lines(file: Path, cutoff: datetime) -> None:
    """Rewrite ``file`` without its entries older than ``cutoff`` (lines that are not entries are kept)."""
    temporary = file.with_name(file.name + ".pruning")
    with file.open(encoding="utf-8", errors="replace") as source, temporary.open("w", encoding="utf-8") as target:
        kept = [line for line in source if not _older(line, cutoff)]
        target.writelines(kept)
    os.replace(temporary, file)
