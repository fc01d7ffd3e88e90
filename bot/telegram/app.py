"""Build the Telegram :class:`Application` over an engine, and run it (polling or webhook)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import re
from typing import TYPE_CHECKING, Any

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)

from bot.classified_store import refuse_classified_store
from bot.settings import Settings
from bot.telegram.classified import CLASSIFIED_GROUP, ClassifiedGate
from bot.telegram.error_handler import on_error
from bot.telegram.guards import GATE_GROUP, AccessGate
from bot.telegram.handlers import AddressedToBot, ChatHandlers
from bot.telegram.network import ResilientRateLimiter
from bot.telegram.redaction import install_token_redaction, quiet_http_loggers
from bot.telegram.rendering import SOURCE_DATA_PATTERN, TASKS_EXPORT_PATTERN
from bot.telegram.services import Services
from bot.telegram.task_commands import TaskCommands
from bot.telegram.uploads import UploadHandler
from prompts import telegram_texts as texts

if TYPE_CHECKING:
    from bot.engine import Engine

logger = logging.getLogger(__name__)

ALLOWED_UPDATES: list[str] = [Update.MESSAGE, Update.CALLBACK_QUERY]
SERVICES_KEY = "luoshi.services"
OWNS_ENGINE_KEY = "luoshi.owns_engine"
CONCURRENT_UPDATES = 32  # a long ingest or a slow answer must not hold up other chats
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def _token(settings: Settings) -> str:
    if settings.telegram_token is None or not settings.telegram_token.get_secret_value().strip():
        raise ValueError("LUOSHI_TELEGRAM_TOKEN is not set: create a bot with @BotFather and set it")
    return settings.telegram_token.get_secret_value().strip()


def api_url(base_url: str) -> str:
    """A self-hosted Bot API server URL in PTB's form (``…/bot``, the token is appended)."""
    url = base_url.strip().rstrip("/")
    return url if url.endswith("/bot") or "{token}" in url else url + "/bot"


def file_url_for(base_url: str) -> str:
    """The file download URL of a Bot API server: ``…/bot`` → ``…/file/bot``."""
    root, found, rest = base_url.rstrip("/").rpartition("/bot")
    return f"{root}/file/bot{rest}" if found else base_url.rstrip("/") + "/file/bot"


def services_of(application: Application) -> Services:
    return application.bot_data[SERVICES_KEY]


def build_application(settings: Settings, engine: Engine, *, owns_engine: bool = False) -> Application:
    """The bot over ``engine``. With ``owns_engine`` the engine is closed when the application shuts down
    (as :func:`run` does); otherwise the caller keeps it. Raises ``ValueError`` when the store holds
    classified documents: the bot does not serve such a store."""
    token = _token(settings)
    refuse_classified_store(engine.store.catalog, settings.data_dir)
    quiet_http_loggers()
    install_token_redaction(token)
    builder = (
        ApplicationBuilder()
        .token(token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                allow_sending_without_reply=True,
            )
        )
        .rate_limiter(ResilientRateLimiter())
        .concurrent_updates(CONCURRENT_UPDATES)
        .connection_pool_size(CONCURRENT_UPDATES)
        .connect_timeout(10.0)
        .read_timeout(20.0)
        .write_timeout(30.0)
        .pool_timeout(10.0)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_base_url:
        base_url = api_url(settings.telegram_base_url)
        builder = builder.base_url(base_url)
        builder = builder.base_file_url(settings.telegram_base_file_url or file_url_for(base_url))
    elif settings.telegram_base_file_url:
        builder = builder.base_file_url(settings.telegram_base_file_url)
    application = builder.build()
    services = Services.create(settings, engine)
    application.bot_data[SERVICES_KEY] = services
    application.bot_data[OWNS_ENGINE_KEY] = owns_engine
    register_handlers(application, services)
    return application


def register_handlers(application: Application, services: Services) -> None:
    """The map of the bot: the classified-store gate (bot/telegram/classified.py) and the access gate
    first, then every command, message and button it answers.

    The gate alone decides whether a user or chat may use the bot at all; the handlers behind it check
    nothing of the kind (the admin-only ones check for an admin). In group 0 the first handler that
    matches an update takes it, so the catch-all for unknown commands comes last.
    """
    chat = ChatHandlers(services)
    tasks = TaskCommands(services)
    uploads = UploadHandler(services)
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    application.add_handler(ClassifiedGate(services).handler(), group=CLASSIFIED_GROUP)
    application.add_handler(AccessGate(services).handler(), group=GATE_GROUP)
    application.add_handlers(
        [
            CommandHandler("start", chat.start),
            CommandHandler("help", chat.help),
            CommandHandler("ask", chat.ask),
            CommandHandler("docs", chat.docs),
            CommandHandler("source", chat.source),
            CommandHandler("tasks", tasks.tasks),
            CommandHandler("slogans", tasks.slogans),
            CommandHandler("stats", chat.stats),  # admins only
            CommandHandler("remove", chat.remove),  # admins only
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, chat.private_text),
            MessageHandler(groups & filters.TEXT & ~filters.COMMAND & AddressedToBot(), chat.group_text),
            MessageHandler(private & filters.Document.ALL, uploads.on_document),  # admins only
            CallbackQueryHandler(chat.source_button, pattern=SOURCE_DATA_PATTERN),
            CallbackQueryHandler(tasks.export_button, pattern=TASKS_EXPORT_PATTERN),
            MessageHandler(private & filters.COMMAND, chat.unknown_command),
        ]
    )
    application.add_error_handler(on_error)


async def _post_init(application: Application) -> None:
    """Register the command menus: everyone's, and the admins' (with admin commands) per admin chat."""
    bot = application.bot
    users = [BotCommand(name, description) for name, description in texts.USER_COMMANDS]
    admins = users + [BotCommand(name, description) for name, description in texts.ADMIN_COMMANDS]
    try:
        await bot.set_my_commands(users, scope=BotCommandScopeDefault())
    except TelegramError as error:  # the bot works without a menu; try again at the next start
        logger.warning("Command menu not set: %s", error)
    for admin_id in sorted(services_of(application).policy.admin_ids):
        try:
            await bot.set_my_commands(admins, scope=BotCommandScopeChat(admin_id))
        except TelegramError as error:  # e.g. the admin has not opened a chat with the bot yet
            logger.info("Admin command menu not set for %s: %s", admin_id, error)
    try:  # documents stored by an older version get their directives and slogans now
        refreshed = await services_of(application).engine.refresh_ledger()
        if refreshed:
            logger.info("Extracted directives and slogans again from %d documents", refreshed)
    except Exception:
        logger.exception("Could not refresh the ledger; /tasks and /slogans may be incomplete")
    logger.info("Telegram bot @%s (id %s) is up", bot.username, bot.id)


async def _post_stop(application: Application) -> None:
    """Updates are no longer fetched and handlers are done: let an ingest in flight finish."""
    await services_of(application).engine.drain()


async def _post_shutdown(application: Application) -> None:
    services = services_of(application)
    await services.engine.close()
    services.audit.close()
    services.state.dispose()
    if application.bot_data.get(OWNS_ENGINE_KEY):
        await asyncio.to_thread(services.engine.engine.close)
        logger.info("Engine closed")


async def stop_application(application: Application) -> None:
    """Stop a running application the way ``run_polling`` does on SIGTERM (for embedding and tests)."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
        await _post_stop(application)
    await application.shutdown()
    await _post_shutdown(application)


def webhook_parameters(settings: Settings) -> dict[str, Any]:
    """Arguments for ``run_webhook`` / ``Updater.start_webhook`` from settings.

    ``LUOSHI_WEBHOOK_URL`` is the public base URL; the path (``LUOSHI_WEBHOOK_PATH``) is appended
    unless the URL already ends with it. Every worker calls setWebhook at start with the same URL and
    secret, which is idempotent, so N workers behind one reverse proxy need no leader. The secret is
    ``LUOSHI_WEBHOOK_SECRET_TOKEN``, else one derived from the bot token (:func:`derived_secret`): the
    same in every worker, unknown to anyone without the token. Requests without it get 403.
    """
    if not settings.webhook_url:
        raise ValueError("LUOSHI_WEBHOOK_URL is not set")
    path = settings.webhook_path.strip("/")
    url = settings.webhook_url.rstrip("/")
    if path and not url.endswith("/" + path):
        url = f"{url}/{path}"
    if settings.webhook_secret_token is not None:
        secret = settings.webhook_secret_token.get_secret_value()
        if not _SECRET_TOKEN.match(secret):
            raise ValueError("LUOSHI_WEBHOOK_SECRET_TOKEN must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    else:
        secret = derived_secret(_token(settings))
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": path,
        "webhook_url": url,
        "secret_token": secret,
    }


def derived_secret(token: str) -> str:
    """The default webhook secret: an HMAC of the bot token, so every worker derives the same one.

    >>> derived_secret("123:abc") == derived_secret("123:abc") != derived_secret("123:abd")
    True
    >>> bool(_SECRET_TOKEN.match(derived_secret("123:abc")))
    True
    """
    digest = hmac.new(token.encode(), b"luoshi webhook secret", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def configure_logging(token: str, level: int = logging.INFO) -> None:
    """Log to stderr (journald picks it up) unless logging is already set up; never the token."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_http_loggers()
    install_token_redaction(token)


def run(settings: Settings) -> None:
    """``luoshi serve``: open the engine and run the bot until SIGINT/SIGTERM.

    Polling by default; webhook mode when ``LUOSHI_WEBHOOK_URL`` is set. On SIGTERM the bot stops
    fetching updates, finishes the updates it has (an ingest in flight included), then closes the
    engine.
    """
    token = _token(settings)
    configure_logging(token)
    from bot.engine import Engine  # heavy (model, store): only when actually serving

    logger.info("Opening the engine (data dir %s)", settings.data_dir)
    engine = Engine.open(settings)
    try:
        application = build_application(settings, engine, owns_engine=True)
    except BaseException:
        engine.close()
        raise
    if settings.webhook_url:
        parameters = webhook_parameters(settings)
        logger.info(
            "Webhook mode: listening on %s:%s/%s",
            parameters["listen"],
            parameters["port"],
            parameters["url_path"],
        )
        application.run_webhook(
            **parameters, allowed_updates=ALLOWED_UPDATES, bootstrap_retries=-1, drop_pending_updates=False
        )
    else:
        logger.info("Polling mode")
        application.run_polling(allowed_updates=ALLOWED_UPDATES, bootstrap_retries=-1, drop_pending_updates=False)
