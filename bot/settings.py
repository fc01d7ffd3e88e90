"""Settings, read once from the environment (prefix ``LUOSHI_``) or a ``.env`` file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.gate import MIN_COVERAGE
from vectorstore.database import postgres_url
from vectorstore.lexical_backends import BACKENDS, DEFAULT_LEXICAL_INDEX

DEFAULT_EMBEDDING_MODEL = "BAAI/bge-small-zh-v1.5"

IdList = Annotated[frozenset[int], NoDecode]
NameList = Annotated[frozenset[str], NoDecode]
ROLES = ("reader", "admin")  # what an API key may do: ask and read, or also upload and remove


@dataclass(frozen=True)
class ApiKey:
    """One key of the HTTP API: the secret, its role and the name the audit trail records.

    >>> parse_api_keys("s3cret-k3y-1:admin:office, s3cret-k3y-2:reader")
    (ApiKey(role='admin', name='office'), ApiKey(role='reader', name='key-2'))
    """

    secret: str = field(repr=False)
    role: str
    name: str


def parse_api_keys(text: str) -> tuple[ApiKey, ...]:
    """``key:role[:name]`` entries, separated by commas; a nameless key is called ``key-N``."""
    keys = []
    for number, entry in enumerate((part.strip() for part in text.replace("，", ",").split(",")), start=1):
        if not entry:
            continue
        secret, _, rest = entry.partition(":")
        role, _, name = rest.partition(":")
        if not secret or role not in ROLES:
            raise ValueError(f"LUOSHI_API_KEYS entry {number} must be key:reader or key:admin (optionally :name)")
        if len(secret) < 8:
            raise ValueError(f"LUOSHI_API_KEYS entry {number}: a key must be at least 8 characters")
        keys.append(ApiKey(secret, role, name.strip() or f"key-{number}"))
    if len({key.secret for key in keys}) != len(keys):
        raise ValueError("LUOSHI_API_KEYS: the same key is given twice")
    return tuple(keys)


class Settings(BaseSettings):
    """Every setting Luoshi reads. README lists them all."""

    model_config = SettingsConfigDict(env_prefix="LUOSHI_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("luoshi-data"), description="Where the index and documents live.")
    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL (postgresql://user:password@host:5432/luoshi) for the catalog, ledger and "
        "bot state, shared by every worker; default SQLite files in the data directory.",
    )
    embedding_model: str = Field(
        default=DEFAULT_EMBEDDING_MODEL,
        description="sentence-transformers model: a hub name or a local path.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="A Chroma server (`chroma run`) that holds the vectors, e.g. http://127.0.0.1:8000; default: "
        "embedded in the data directory. Several data directories may share one server.",
    )
    max_file_mb: float = Field(default=50.0, gt=0, description="Files larger than this are refused.")
    allow_classified: bool = Field(
        default=False,
        description="Store documents marked 绝密/机密/秘密 (or 工作秘密) from `luoshi ingest` instead of refusing "
        "them; the Telegram bot then refuses to serve the store. Uploads to the bot are always refused.",
    )
    top_k: int = Field(default=8, ge=1, le=50, description="Chunks retrieved per question.")
    lexical_weight: float = Field(default=1.0, ge=0, description="Weight of BM25 in rank fusion.")
    lexical_index: str = Field(
        default=DEFAULT_LEXICAL_INDEX,
        description="The BM25 index: `bm25s` rebuilds its whole matrix on each upload; `tantivy` adds and deletes "
        "by document, so an upload costs its own chunks, and every worker on the data directory shares it.",
    )
    bigram_share: float = Field(
        default=0.5, ge=0, le=1, description="The character-bigram BM25's share of the BM25 weight (the rest: words)."
    )
    dense_weight: float | None = Field(
        default=None,
        ge=0,
        description="Weight of dense vectors in rank fusion; default 1.0, or 0.25 for the packaged "
        "fallback model, which knows little Chinese.",
    )
    min_coverage: float = Field(
        default=MIN_COVERAGE,
        gt=0,
        le=1,
        description="The gate: the share of a question's weighted terms an answer must cover, else Luoshi "
        "refuses. Lower answers more and refuses fewer unanswerable questions; see benchmarks/gate_sweep.py.",
    )
    torch_threads: int | None = Field(
        default=None,
        ge=1,
        description="CPU threads torch uses to embed; default torch's choice. 1 keeps answers steady "
        "on a small, busy server (a query embeds one short question).",
    )

    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint that rewords answers, e.g. http://127.0.0.1:11434/v1",
    )
    llm_model: str | None = Field(default=None, description="Model name at that endpoint.")
    llm_api_key: SecretStr | None = Field(default=None, description="API key for that endpoint, if it needs one.")
    llm_timeout: float = Field(
        default=20.0, gt=0, description="Seconds to wait for the LLM before answering without it."
    )

    audit_enabled: bool = Field(
        default=True, description="Keep the audit trail (留痕) of questions, ingests, removals and refusals."
    )
    audit_path: Path | None = Field(
        default=None, description="The audit trail's JSON-lines file; default <data dir>/audit/audit.jsonl."
    )
    audit_max_mb: float = Field(default=10.0, gt=0, description="The audit file is rotated when it reaches this size.")
    audit_backup_count: int = Field(
        default=30, ge=1, description="Rotated audit files kept (audit.jsonl.1 is the newest); older ones are deleted."
    )
    audit_retention_days: float = Field(
        default=180,
        gt=0,
        description="Audit entries older than this are deleted (questions are stored as asked). 180 days: the "
        "six months China's Cybersecurity Law asks network logs to be kept.",
    )

    telegram_token: SecretStr | None = Field(default=None, description="Bot token from BotFather.")
    telegram_base_url: str | None = Field(
        default=None, description="Self-hosted Bot API server, e.g. http://127.0.0.1:8081/bot"
    )
    telegram_base_file_url: str | None = Field(default=None, description="File URL of that server.")
    admin_ids: IdList = Field(default=frozenset(), description="Telegram user ids allowed to ingest.")
    allowed_user_ids: IdList = Field(default=frozenset(), description="Users the bot answers.")
    allowed_chat_ids: IdList = Field(default=frozenset(), description="Group chats the bot answers.")
    open_to_everyone: bool = Field(default=False, description="Answer anyone (demos only).")
    rate_limit_per_minute: int = Field(default=20, ge=1, description="Questions per user per minute.")
    webhook_url: str | None = Field(default=None, description="Public URL; set to use webhook mode.")
    webhook_listen: str = Field(default="127.0.0.1", description="Address the webhook server binds.")
    webhook_port: int = Field(default=8443, description="Port the webhook server binds.")
    webhook_path: str = Field(default="telegram", description="Secret URL path of the webhook.")
    webhook_secret_token: SecretStr | None = Field(
        default=None,
        description="Checked against X-Telegram-Bot-Api-Secret-Token; default one derived from the bot token, "
        "the same in every worker.",
    )

    api_keys: Annotated[tuple[ApiKey, ...], NoDecode] = Field(
        default=(),
        description="Keys of the HTTP API and the web console, `key:role[:name]` separated by commas; role is "
        "`reader` (ask, read the ledger) or `admin` (also upload and remove). No key, no access.",
    )
    api_host: str = Field(default="127.0.0.1", description="Address `luoshi api` binds (put nginx in front).")
    api_port: int = Field(default=8000, description="Port `luoshi api` binds.")
    api_cors_origins: NameList = Field(
        default=frozenset(),
        description="Web origins (https://portal.example.gov.cn) whose pages may call the API from a browser; "
        "default none (CORS off).",
    )

    wecom_corp_id: str | None = Field(default=None, description="WeCom (企业微信) corp id; set to serve WeCom.")
    wecom_agent_id: int | None = Field(default=None, description="The self-built app's AgentId.")
    wecom_secret: SecretStr | None = Field(default=None, description="The app's Secret (for access tokens).")
    wecom_token: SecretStr | None = Field(default=None, description="The callback Token (signatures).")
    wecom_aes_key: SecretStr | None = Field(default=None, description="The callback EncodingAESKey (43 characters).")
    wecom_user_ids: NameList = Field(
        default=frozenset(), description="WeCom user ids (UserID) the app answers; others are refused once."
    )
    wecom_api_base_url: str = Field(
        default="https://qyapi.weixin.qq.com", description="WeCom's API server (a proxy in a closed network)."
    )

    dingtalk_app_secret: SecretStr | None = Field(
        default=None,
        description="DingTalk (钉钉) robot's AppSecret (signatures of its callbacks); set to serve DingTalk.",
    )
    dingtalk_user_ids: NameList = Field(
        default=frozenset(), description="DingTalk staff ids (userId) the robot answers; others are refused once."
    )
    dingtalk_webhook_hosts: NameList = Field(
        default=frozenset({"oapi.dingtalk.com", "api.dingtalk.com"}),
        description="Where a message's sessionWebhook may point: hosts reached over https, or a full base "
        "(`http://127.0.0.1:9000`) for a proxy or a test double. Replies to any other are not sent.",
    )

    @field_validator("api_keys", mode="before")
    @classmethod
    def _parse_api_keys(cls, value: object) -> object:
        return parse_api_keys(value) if isinstance(value, str) else value

    @field_validator("api_cors_origins", "wecom_user_ids", "dingtalk_user_ids", "dingtalk_webhook_hosts", mode="before")
    @classmethod
    def _parse_name_list(cls, value: object) -> object:
        """Accept ``"a, b,c"`` as well as a list."""
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.replace("，", ",").split(",") if part.strip())
        return value

    @field_validator("chroma_url")
    @classmethod
    def _check_chroma_url(cls, value: str | None) -> str | None:
        """``http://host:port`` (or https); an empty value means embedded."""
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"LUOSHI_CHROMA_URL must look like http://host:port, not {value!r}")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        """Only PostgreSQL is a server catalog; an empty value means the default (SQLite)."""
        if not value:
            return None
        postgres_url(value)  # raises DatabaseUrlError, a ValueError, for anything else
        return value

    @field_validator("admin_ids", "allowed_user_ids", "allowed_chat_ids", mode="before")
    @classmethod
    def _parse_id_list(cls, value: object) -> object:
        """Accept ``"1, 2,3"`` as well as a list."""
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace("，", ",").split(",") if part.strip())
        return value

    @field_validator("lexical_index")
    @classmethod
    def _known_lexical_index(cls, value: str) -> str:
        if value not in BACKENDS:
            raise ValueError(f"choose one of {', '.join(BACKENDS)}")
        return value

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def audit_file(self) -> Path:
        """Where the audit trail is written."""
        return self.audit_path or self.data_dir / "audit" / "audit.jsonl"
