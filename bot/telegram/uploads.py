"""Admins ingest documents by sending them to the bot in a private chat.

Documents shared in groups are ignored on purpose: work groups pass files around all day, and only a
deliberate upload to the bot should change what it answers from.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
import time
from pathlib import Path

from telegram import Document, Update
from telegram.error import NetworkError, TimedOut
from telegram.ext import ContextTypes

from bot.telegram import rendering
from bot.telegram.captions import CaptionError, parse_caption
from bot.telegram.downloads import DownloadFailed, DownloadTooLarge, download_capped
from bot.telegram.guards import require_admin
from bot.telegram.replies import chat_action, edit_or_send
from bot.telegram.services import Services
from bot.telegram.trail import actor_of
from bot.upload_names import human_size, safe_filename
from ingest.errors import IngestError
from ingest.readers import SUPPORTED_SUFFIXES
from prompts import telegram_texts as texts

logger = logging.getLogger(__name__)

TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile limit of Telegram's own Bot API server
DOWNLOAD_TIMEOUT = 300.0  # seconds; large PDFs through a self-hosted Bot API server
DOWNLOAD_RETRY_DELAY = 1.0


class UploadHandler:
    """Download, ingest, report — with progress edits on one message."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def _refusal_before_download(self, document: Document, name: str) -> str | None:
        """Why this upload cannot be taken, judged from its metadata alone (no download)."""
        settings = self.services.settings
        suffix = Path(name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            return texts.UPLOAD_UNSUPPORTED.format(name=name, suffixes=" ".join(sorted(SUPPORTED_SUFFIXES)))
        size = document.file_size or 0
        if size > settings.max_file_bytes:
            return texts.UPLOAD_TOO_LARGE.format(
                name=name, size=human_size(size), limit=human_size(settings.max_file_bytes)
            )
        if settings.telegram_base_url is None and size > TELEGRAM_DOWNLOAD_LIMIT:
            return texts.UPLOAD_TOO_LARGE_TELEGRAM.format(name=name)
        return None

    async def _download(self, document: Document, path: Path) -> DownloadTooLarge | DownloadFailed | None:
        """Fetch the file, stopping at the size limit (one retry after a network error); what went wrong, if
        anything."""
        problem: DownloadFailed | None = None
        for attempt in (1, 2):
            try:
                telegram_file = await document.get_file()
                limit = self.services.settings.max_file_bytes
                await download_capped(telegram_file, path, limit=limit, timeout=DOWNLOAD_TIMEOUT)
                return None
            except DownloadTooLarge as error:
                return error
            except DownloadFailed as error:
                problem = error
            except (NetworkError, OSError) as error:
                retry = type(error) in (NetworkError, TimedOut)
                problem = DownloadFailed(f"{type(error).__name__}: {error}", retry=retry)
            logger.warning("Download of %r failed (attempt %d): %s", path.name, attempt, problem)
            if not problem.retry:
                break
            if attempt == 1:
                await asyncio.sleep(DOWNLOAD_RETRY_DELAY)
        return problem

    async def on_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user = update.effective_message, update.effective_user
        if message is None or message.document is None or not await require_admin(self.services, update, "upload"):
            return
        document = message.document
        name = safe_filename(document.file_name, document.mime_type)
        actor = actor_of(update)
        refusal = self._refusal_before_download(document, name)
        if refusal is not None:
            logger.info("Refused upload %r from admin %s: %s", name, user.id if user else None, refusal)
            self.services.audit.ingest(actor, name, reason=refusal)
            await message.reply_text(refusal, parse_mode=None)
            return
        try:
            meta = parse_caption(message.caption)
        except CaptionError as error:
            refusal = texts.UPLOAD_BAD_CAPTION.format(reason=error.message_zh)
            self.services.audit.ingest(actor, name, reason=refusal)
            await message.reply_text(refusal, parse_mode=None)
            return

        progress = await message.reply_text(
            texts.UPLOAD_RECEIVED.format(name=name, size=human_size(document.file_size or 0)), parse_mode=None
        )
        workdir = Path(tempfile.mkdtemp(prefix="luoshi-upload-"))
        handed_over = False  # once the ingest has the file, its worker thread deletes workdir
        try:
            path = workdir / name
            problem = await self._download(document, path)
            if problem is not None:
                if isinstance(problem, DownloadTooLarge):
                    text = texts.UPLOAD_TOO_LARGE_DOWNLOAD.format(name=name, limit=human_size(problem.limit))
                else:
                    text = texts.UPLOAD_DOWNLOAD_FAILED.format(name=name)
                logger.info("Upload %r not ingested: %s", name, problem)
                self.services.audit.ingest(actor, name, reason=text, detail=f"download: {problem}")
                await edit_or_send(progress, rendering.plain(text))
                return
            await edit_or_send(progress, rendering.plain(texts.UPLOAD_PROCESSING.format(name=name)))
            started = time.monotonic()
            async with chat_action(context.bot, message.chat_id):
                handed_over = True
                report = await self.services.engine.ingest_upload(path, workdir, meta, name)
        except IngestError as error:
            logger.info("Upload %r not ingested: %s", name, error.message_en)
            self.services.audit.ingest(actor, name, reason=error.message_zh, detail=error.message_en)
            await edit_or_send(progress, rendering.plain(error.message_zh))
            return
        except Exception:
            logger.exception("Ingest of %r failed", name)
            failed = texts.UPLOAD_FAILED.format(name=name)
            self.services.audit.ingest(actor, name, reason=failed, detail="internal error: see the log")
            await edit_or_send(progress, rendering.plain(failed))
            return
        finally:
            if not handed_over:
                shutil.rmtree(workdir, ignore_errors=True)
        logger.info(
            "Admin %s uploaded %r: %s as %s (%d sections, %d chunks, %d directives) in %.1f s",
            user.id if user else None,
            name,
            report.status,
            report.doc_id,
            report.section_count,
            report.chunk_count,
            report.directive_count,
            time.monotonic() - started,
        )
        self.services.audit.ingest(actor, name, report=report)
        await edit_or_send(progress, rendering.render_ingest_report(report))
