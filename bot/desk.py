"""The desk every channel after Telegram serves from (the HTTP API, the web console, WeCom): the engine
with the rules the bot keeps, written once.

- a question is cleaned and refused over the length limit (:mod:`bot.question_input`), counted against
  the per-user rate limit the workers share, answered with the conversation's last answer as the
  context of a follow-up, remembered before the caller shows it, and audited;
- an upload is ingested atomically under a safe name, classified documents refused whatever the
  settings, and audited, accepted or refused;
- a removal is audited, and so is every lookup (the documents, the ledger, the 提法, a source);
- while the store holds a classified document, nothing is answered (:class:`StoreWithheld`); only the
  document list and removal go on, so that an admin can take it out.

Who may do what (roles, allow-lists) is the channel's to decide, before it calls the desk; refusals are
audited through :meth:`Desk.refuse`. The desk is synchronous and thread-safe: channels call it from
worker threads, and at most ``answer_workers`` questions are in the engine at once::

    desk = Desk.open(Settings())
    answer = desk.ask(Actor(Channel.HTTP, "office-portal"), "谁牵头社会治安工作？", conversation="c1")
    follow_up = desk.ask(Actor(Channel.HTTP, "office-portal"), "什么时候完成？", conversation="c1")
    desk.close()
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from bot import lookup
from bot.answers import Answer, Citation
from bot.audit import Actor, AuditTrail
from bot.engine import Engine, surrounding
from bot.question_input import clean, too_long
from bot.settings import Settings
from bot.shared.database import open_state_database
from bot.shared.limits import QuestionRateLimiter
from bot.shared.memory import ChatMemory
from bot.upload_names import safe_filename
from ingest.errors import IngestError
from ingest.pipeline import IngestReport, MetadataOverrides
from prompts import channel_texts as texts
from vectorstore.catalog import DocumentRecord
from vectorstore.ledger import DirectiveRecord, GlossaryEntry, Ledger

ANSWER_WORKERS = 2  # questions in the engine at once: the machine has 2 cores, and torch uses several threads


class RateLimited(Exception):
    """Too many questions from one user in the last minute; ``wait`` seconds until the next is allowed.
    ``first`` is True once per blocked period: a chat channel tells the user then, and stays quiet after."""

    def __init__(self, wait: float, first: bool = True) -> None:
        super().__init__(texts.RATE_LIMITED.format(seconds=max(1, round(wait))))
        self.wait = wait
        self.first = first
        self.message_zh = str(self)


class SpanOutside(ValueError):
    """A span that is not inside its document, whose ``length`` (characters) it gives."""

    def __init__(self, length: int) -> None:
        super().__init__(f"the span is not inside the document ({length} characters)")
        self.length = length


class StoreWithheld(Exception):
    """The store holds classified documents: nothing is answered until an admin removes them."""

    def __init__(self, documents: Sequence[DocumentRecord]) -> None:
        super().__init__(texts.SERVICE_WITHHELD)
        self.documents = list(documents)
        self.message_zh = str(self)


class Desk:
    """One engine, the audit trail and the state the workers share, for the channels after Telegram."""

    def __init__(self, engine: Engine, audit: AuditTrail, state: sa.Engine, answer_workers: int = ANSWER_WORKERS):
        self.engine = engine
        self.settings = engine.settings
        self.audit = audit
        self.state = state
        self.rate_limiter = QuestionRateLimiter(self.settings.rate_limit_per_minute, state)
        self.memory = ChatMemory(state)
        self._answering = threading.BoundedSemaphore(answer_workers)

    @classmethod
    def open(cls, settings: Settings, engine: Engine | None = None) -> Desk:
        """A desk over ``engine`` (opened from ``settings`` if not given), with its audit trail and state."""
        engine = engine or Engine.open(settings)
        return cls(
            engine, AuditTrail.from_settings(settings), open_state_database(settings.data_dir, settings.database_url)
        )

    # ---------------------------------------------------------------------------------- questions
    def ask(
        self, actor: Actor, question: str, conversation: str | None = None, *, remember_as: str | None = None
    ) -> Answer:
        """Answer ``question`` for ``actor``; within one ``conversation`` (any id the channel keeps per
        chat) the last answer is the context of a follow-up. The answer becomes the context of
        ``remember_as`` (default: ``conversation``), for a channel whose conversation id changes with each
        question. Raises :class:`RateLimited` or :class:`StoreWithheld`; a question over the length limit
        gets the refusal as its answer."""
        question = clean(question)
        refusal = too_long(question)
        if refusal is not None:
            self.audit.question_not_asked(actor, question, "too_long")
            return Answer(question, refusal, False, "other")
        user = f"{actor.channel}:{actor.user}"
        wait = self.rate_limiter.hit(user)
        if wait is not None:
            self.audit.question_not_asked(actor, question, "rate_limited")
            raise RateLimited(wait, self.rate_limiter.should_notify(user, wait))
        try:
            self.check_not_withheld()
        except StoreWithheld:
            self.audit.question_not_asked(actor, question, "withheld")
            raise
        previous = self.previous(actor, conversation)
        with self._answering:
            answer = self.engine.answer(question, previous)
        remember_as = remember_as or conversation
        if remember_as:  # remembered before the caller shows it: a follow-up may reach another worker at once
            self.memory.remember(_memory_key(actor, remember_as), answer)
        self.audit.question(actor, answer, follow_up=previous is not None)
        return answer

    def previous(self, actor: Actor, conversation: str | None) -> Answer | None:
        """The last answer that found something in ``actor``'s channel's ``conversation`` (for 「原文 N」)."""
        return self.memory.previous(_memory_key(actor, conversation)) if conversation else None

    def source_text(self, actor: Actor, citation: Citation) -> str:
        """The paragraph around ``citation``, as the document has it."""
        with self._lookup(actor, "source"):
            text = self.engine.source_text(citation)
        self.audit.lookup(actor, "source", doc_id=citation.doc_id, section=citation.section)
        return text

    def paragraph(self, actor: Actor, doc_id: str, start: int, end: int) -> tuple[DocumentRecord, str] | None:
        """A document and its paragraph around ``start:end`` (a citation's span), or None if there is no such
        document. Raises :class:`SpanOutside` for a span that is not inside the document."""
        with self._lookup(actor, "source"):
            record = self.engine.store.catalog.document(doc_id)
            if record is None:
                return None
            original = self.engine.store.document_text(doc_id).original
        if not 0 <= start < end <= len(original):
            raise SpanOutside(len(original))
        self.audit.lookup(actor, "source", doc_id=doc_id, start=start, end=end)
        return record, surrounding(original, start, end)

    def check_not_withheld(self) -> None:
        """Raise :class:`StoreWithheld` while the store holds a classified document."""
        documents = self.engine.store.catalog.classified_documents()
        if documents:
            raise StoreWithheld(documents)

    @contextmanager
    def _lookup(self, actor: Actor, what: str) -> Iterator[None]:
        """Run a lookup unless the store is withheld; then the refusal is audited and :class:`StoreWithheld` raised."""
        try:
            self.check_not_withheld()
        except StoreWithheld:
            self.audit.access_refused(actor, "withheld", what)
            raise
        yield

    # ---------------------------------------------------------------------------------- the ledger
    def tasks(
        self,
        actor: Actor,
        *,
        lead: str | None = None,
        party: str | None = None,
        doc_id: str | None = None,
        deadline: str | None = None,
        shown_as: str = "json",
    ) -> list[DirectiveRecord]:
        """The 督办台账: tasks ``lead`` leads (牵头), or naming ``party`` in any role, of ``doc_id``, whose deadline
        text contains ``deadline`` (「2025」, 「6月」). ``shown_as`` (json, or a file format) goes to the audit."""
        what = "tasks" if shown_as == "json" else "tasks_export"
        with self._lookup(actor, what):
            ledger = Ledger(self.engine.store.catalog)
            if lead:
                records = lookup.tasks(ledger, lead, doc_id=doc_id, role="lead")
            else:
                records = lookup.tasks(ledger, party or None, doc_id=doc_id)
        if deadline and deadline.strip():
            records = [record for record in records if record.deadline and deadline.strip() in record.deadline]
        filters = {"lead": lead, "party": party, "doc_id": doc_id, "deadline": deadline}
        self.audit.lookup(actor, what, len(records), format=shown_as, **filters)
        return records

    def glossary(self, actor: Actor, term: str | None = None) -> list[GlossaryEntry]:
        """The 提法 and what the documents say they mean."""
        with self._lookup(actor, "slogans"):
            entries = lookup.glossary(Ledger(self.engine.store.catalog), term or None)
        self.audit.lookup(actor, "slogans", len(entries), term=term)
        return entries

    # ---------------------------------------------------------------------------------- documents
    def documents(self, actor: Actor) -> list[DocumentRecord]:
        """The documents the store holds (also while it is withheld: admins must see what to remove)."""
        records = self.engine.documents()
        self.audit.lookup(actor, "documents", len(records))
        return records

    def upload(self, actor: Actor, filename: str, data: bytes, meta: MetadataOverrides | None = None) -> IngestReport:
        """Ingest an uploaded file atomically; raises :class:`IngestError` (``message_zh`` for the user)
        with the store unchanged. Classified documents are refused whatever the settings."""
        name = safe_filename(filename)
        try:
            self.check_not_withheld()
            report = self._ingest(name, data, meta or MetadataOverrides())
        except (IngestError, StoreWithheld) as error:
            detail = error.message_en if isinstance(error, IngestError) else "store withheld (classified)"
            self.audit.ingest(actor, name, reason=error.message_zh, detail=detail)
            raise
        self.audit.ingest(actor, name, report=report)
        return report

    def _ingest(self, name: str, data: bytes, meta: MetadataOverrides) -> IngestReport:
        workdir = Path(tempfile.mkdtemp(prefix="luoshi-upload-"))
        try:
            path = workdir / name
            path.write_bytes(data)
            return self.engine.ingest_file(path, meta, source_name=name, allow_classified=False)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def remove(self, actor: Actor, doc_id: str) -> bool:
        """Remove a document everywhere; False if there is none with that id. Audited either way."""
        removed = self.engine.remove(doc_id)
        self.audit.remove(actor, doc_id, removed)
        return removed

    # ---------------------------------------------------------------------------------- access
    def refuse(self, actor: Actor, outcome: str, action: str, text: str | None = None) -> None:
        """Audit someone turned away by the channel (``not_allowed``, ``not_admin``, ``bad_key``)."""
        self.audit.access_refused(actor, outcome, action, text)

    def close(self) -> None:
        """Close the engine, the audit trail and the state database."""
        self.engine.close()
        self.audit.close()
        self.state.dispose()


def _memory_key(actor: Actor, conversation: str) -> str:
    """Conversations of different channels never meet: an API's "7" is not a Telegram chat 7."""
    return f"{actor.channel}:{conversation}"
