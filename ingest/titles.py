"""A document's title: the admin's, the file's own (docx, PDF, HTML), else its first line that reads
like a title — never a line of the head's front matter (份号, 密级, 紧急程度, 发文机关标志, 发文字号,
签发人), so that users never see 《机密★1年》 or 《县政发〔2025〕12号》 in a citation.

>>> title_from_text("000123\\n内部资料 注意保存\\n县政发〔2025〕12号  签发人：张三\\n关于做好春耕工作的通知\\n各乡镇：")
'关于做好春耕工作的通知'
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.language.marks import FRONT_MATTER, MAX_MARK_CHARS, compact, line_runs
from ingest.models import ExtractedText

MAX_TITLE_CHARS = 60
# Front matter is read above the title: the first lines of the text only.
_HEAD_LINES = 8
_HEAD_CHARS = 2000
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、要是]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、])")


def choose_title(given: str | None, extracted: ExtractedText, source: str) -> str:
    """The title: ``given`` by the admin, else the reader's (unless it is front matter), else the first
    title-like line of the text, else the file name's stem.

    >>> choose_title(None, ExtractedText("秘密★5年\\n关于维稳工作的通知\\n正文。", title="秘密★5年"), "a/b.txt")
    '关于维稳工作的通知'
    """
    own = extracted.title if extracted.title and not is_front_matter(extracted.title) else None
    return (given or own or title_from_text(extracted.text) or Path(source).stem).strip()


def is_front_matter(line: str) -> bool:
    """Whether a line is the head's front matter rather than a title: 「机密★1年」「内部资料 注意保存」
    「特急」「000123」「青山县人民政府文件」「县政发〔2025〕12号」「签发人：张三」, or several of them.

    >>> is_front_matter("县政发〔2025〕12号"), is_front_matter("关于保守国家秘密的通知")
    (True, False)
    """
    part = compact(line)
    return bool(part) and len(part) <= MAX_MARK_CHARS and FRONT_MATTER.fullmatch(part) is not None


def title_from_text(text: str) -> str | None:
    """The first line after the front matter, when it reads like a title: short, not a sentence, not a
    numbered heading."""
    lines = [line.strip() for line in text[:_HEAD_CHARS].split("\n") if line.strip()][:_HEAD_LINES]
    front = {number for number, line in enumerate(lines) if is_front_matter(line)}
    for start, end, joined in line_runs([compact(line) for line in lines]):  # 「机\n密\n★1年」
        if len(joined) <= MAX_MARK_CHARS and FRONT_MATTER.fullmatch(joined):
            front.update(range(start, end))
    first = next((line for number, line in enumerate(lines) if number not in front), "")
    if not first or len(first) > MAX_TITLE_CHARS or re.search(r"[。！？；]", first[:-1]):
        return None
    if _NUMBERED.match(first):
        return None
    return first.rstrip("。")
