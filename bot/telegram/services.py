"""What the handlers share: the engine behind thread pools, the access policy and the state the workers share."""

from __future__ import annotations

import asyncio
import functools
import logging
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa

from bot import lookup
from bot.answers import Answer, Citation
from bot.audit import AuditTrail
from bot.reporting.task_export import xlsx_bytes
from bot.settings import Settings
from bot.shared.database import open_state_database
from bot.shared.limits import OnceGate, QuestionRateLimiter
from bot.shared.memory import AnswerArchive, ChatMemory
from bot.telegram.access import AccessPolicy
from ingest.maintenance import refresh_ledger
from ingest.pipeline import MetadataOverrides
from vectorstore.ledger import DirectiveRecord, GlossaryEntry, Ledger

if TYPE_CHECKING:
    from bot.engine import Engine

logger = logging.getLogger(__name__)

T = TypeVar("T")

ANSWER_WORKERS = 2  # the machine has 2 cores; inference in each call already uses several threads


class EngineRunner:
    """Runs the synchronous, CPU-bound engine off the event loop.

    Questions go to a small thread pool; ingestion and removal go to a single worker thread of their
    own, so a long ingest never delays answers and writes happen one at a time, in order. Ingests are
    tracked so that shutdown can wait for the one in flight.
    """

    def __init__(self, engine: Engine, answer_workers: int = ANSWER_WORKERS) -> None:
        self.engine = engine
        self._answers = ThreadPoolExecutor(answer_workers, thread_name_prefix="luoshi-answer")
        self._writes = ThreadPoolExecutor(1, thread_name_prefix="luoshi-ingest")
        self._pending_writes: set[asyncio.Future[Any]] = set()
        self._closed = False

    async def _run(self, pool: ThreadPoolExecutor, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(pool, functools.partial(function, *args, **kwargs))

    async def _write(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a store write; it completes even if the awaiting handler is cancelled."""
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._writes, functools.partial(function, *args, **kwargs))
        self._pending_writes.add(future)
        future.add_done_callback(self._pending_writes.discard)
        return await asyncio.shield(future)

    async def answer(self, question: str, previous: Answer | None) -> Answer:
        return await self._run(self._answers, self.engine.answer, question, previous)

    async def source_text(self, citation: Citation) -> str:
        return await self._run(self._answers, self.engine.source_text, citation)

    async def documents(self) -> list[Any]:
        return await self._run(self._answers, self.engine.documents)

    def classified_documents(self) -> list[Any]:
        """The classified documents in the store (none, unless an operator let some in): a quick query,
        run on the caller's thread so that the check in front of every update waits for no answer."""
        return self.engine.store.catalog.classified_documents()

    async def stats(self) -> dict[str, int]:
        def stats_with_ledger() -> dict[str, int]:
            return {**self.engine.stats(), **Ledger(self.engine.store.catalog).counts()}

        return await self._run(self._answers, stats_with_ledger)

    async def tasks(self, party: str | None) -> list[DirectiveRecord]:
        """The ledger's tasks, or those naming ``party``; newest documents first."""
        return await self._run(self._answers, lookup.tasks, Ledger(self.engine.store.catalog), party)

    async def tasks_xlsx(self, party: str | None) -> tuple[int, bytes]:
        """(number of tasks, the ledger as .xlsx) for ``party`` or everyone."""

        def build() -> tuple[int, bytes]:
            records = lookup.tasks(Ledger(self.engine.store.catalog), party)
            return len(records), xlsx_bytes(records)

        return await self._run(self._answers, build)

    async def glossary(self, term: str | None) -> list[GlossaryEntry]:
        return await self._run(self._answers, lookup.glossary, Ledger(self.engine.store.catalog), term)

    async def refresh_ledger(self) -> int:
        """Extract stored documents again if the extraction changed since they were ingested."""
        return await self._write(refresh_ledger, self.engine.store)

    async def ingest_upload(self, path: Path, workdir: Path, meta: MetadataOverrides, source_name: str) -> Any:
        """Ingest a downloaded file, then delete its temporary ``workdir`` — both in the worker thread,
        so the file outlives a cancelled handler for as long as the ingest needs it. A classified document
        is refused whatever the settings: the bot does not serve a store that holds one."""

        def ingest_then_clean_up() -> Any:
            try:
                return self.engine.ingest_file(path, meta, source_name=source_name, allow_classified=False)
            finally:
                shutil.rmtree(workdir, ignore_errors=True)

        return await self._write(ingest_then_clean_up)

    async def remove(self, doc_id: str) -> bool:
        return await self._write(self.engine.remove, doc_id)

    @property
    def writes_in_flight(self) -> int:
        return len(self._pending_writes)

    async def drain(self) -> None:
        """Wait until every ingest or removal already started has finished."""
        if self._pending_writes:
            logger.info("Waiting for %d ingest(s) in flight to finish", len(self._pending_writes))
            await asyncio.gather(*self._pending_writes, return_exceptions=True)

    async def close(self) -> None:
        """Finish pending work and stop the worker threads. Idempotent."""
        if self._closed:
            return
        self._closed = True
        await self.drain()
        await asyncio.to_thread(self._writes.shutdown, wait=True)
        await asyncio.to_thread(self._answers.shutdown, wait=True, cancel_futures=True)


@dataclass
class Services:
    """Everything the handlers need, built once per Application."""

    settings: Settings
    engine: EngineRunner
    policy: AccessPolicy
    audit: AuditTrail
    state: sa.Engine  # the state database the workers share (bot.shared.database)
    rate_limiter: QuestionRateLimiter
    memory: ChatMemory
    archive: AnswerArchive
    refused: OnceGate  # outsiders already told no, by any worker

    @classmethod
    def create(cls, settings: Settings, engine: Engine) -> Services:
        state = open_state_database(settings.data_dir, settings.database_url)
        return cls(
            settings=settings,
            engine=EngineRunner(engine),
            policy=AccessPolicy.from_settings(settings),
            audit=AuditTrail.from_settings(settings),
            state=state,
            rate_limiter=QuestionRateLimiter(settings.rate_limit_per_minute, state),
            memory=ChatMemory(state),
            archive=AnswerArchive(state),
            refused=OnceGate(state),
        )
