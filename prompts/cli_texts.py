"""The Chinese texts of the ``luoshi`` command's listings. Plain text: the CLI prints them without markup."""

from __future__ import annotations

DOCS_EMPTY = "还没有收录任何文件。"
DOCS_HEADER = "已收录 {count} 篇文件（最新在前）"
DOCS_SECTIONS = "{count} 个章节"
DOCS_CHUNKS = "{count} 个片段"
DOCS_INGESTED = "收录于 {when}"
DOCS_SOURCE = "来源 {source}"
DOCS_MARKING = "⚠ 内部文件：标注「{marking}」"
DOCS_CLASSIFIED = "⛔ 涉密文件：标有密级「{marking}」；文件库中有它时，机器人不提供服务（luoshi remove {doc_id}）"
