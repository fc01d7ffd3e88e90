"""Errors for files that cannot be ingested: one English text for operators, one Chinese for users."""

from __future__ import annotations

from pathlib import Path

from prompts.ingest_texts import CLASSIFIED_REFUSED

# reason code -> (English for operators, Chinese for users)
REASONS: dict[str, tuple[str, str]] = {
    "not_found": ("file does not exist", "文件不存在"),
    "unreadable": ("file cannot be read (permissions or I/O error)", "文件无法读取（无权限或读写出错）"),
    "unsupported_type": ("unsupported file type", "不支持的文件类型（支持 .txt .md .docx .pdf .html）"),
    "too_large": ("file is over the size limit", "文件超过大小上限"),
    "empty": ("file has no text", "文件没有文字内容"),
    "binary": ("file is binary data, not text", "文件是二进制数据，不是文本"),
    "undecodable": ("text encoding could not be detected", "无法识别文本编码"),
    "corrupted": ("file is corrupted or not of its declared type", "文件已损坏或格式与扩展名不符"),
    "zip_bomb": (
        "compressed content inflates past the limit (total size or compression ratio): a zip bomb",
        "文件解压后的大小或压缩比超过上限（疑似压缩炸弹），已拒绝",
    ),
    "too_deep": ("file is nested too deeply to read", "文件结构嵌套过深，无法读取"),
    "no_text_layer": (
        "PDF has no text layer (scanned image); OCR it first",
        "PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）",
    ),
    "encrypted": ("PDF is encrypted", "PDF 已加密，无法读取"),
    "classified": (
        "marked {detail}: classified documents (密级) are refused; "
        "LUOSHI_ALLOW_CLASSIFIED=true stores them, in a store the bot will then not serve",
        CLASSIFIED_REFUSED,
    ),
}


class IngestError(Exception):
    """A file that cannot be ingested, and why. Ingestion of other files goes on."""

    def __init__(self, path: Path | str, reason: str, detail: str = "") -> None:
        self.path = Path(path)
        self.reason = reason
        self.detail = detail
        english, _ = REASONS[reason]
        super().__init__(f"{self.path.name}: {_with_detail(english, detail)}")

    @property
    def message_en(self) -> str:
        """One line for operators' logs and the CLI."""
        return str(self)

    @property
    def message_zh(self) -> str:
        """One line for users in chat."""
        reason = REASONS[self.reason][1].replace("{detail}", self.detail)  # only the detail a slot asks for
        return f"《{self.path.name}》无法收录：{reason}"


def _with_detail(reason: str, detail: str) -> str:
    """A reason with its detail: in its ``{detail}`` slot, else after it in brackets (nothing if none)."""
    if "{detail}" in reason:
        return reason.replace("{detail}", detail)
    return reason + (f" ({detail})" if detail else "")
