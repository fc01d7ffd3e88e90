"""The marks at the head of a government document (版头, GB/T 9704): 份号, 密级 and 保密期限, 紧急程度,
发文机关标志, 发文字号, 签发人; and the 「内部资料 注意保存」 kind of mark.

The patterns read one head line in its compact form (see :func:`compact`): NFKC, no whitespace, one
kind of star, so 「机 密 ★ 1 年」, 「机密＊１年」 and 「机密☆1年」 all read 「机密★1年」.

>>> MARK_LINE.fullmatch(compact("000123  机密★1年  特急"))["level"]
'机密'
>>> MARK_LINE.fullmatch(compact("秘密★满5年"))["term"]
'满5年'
>>> bool(MARK_LINE.fullmatch(compact("保守国家秘密")))
False
>>> MARK_FIELD.search(compact("密级：秘密★5年；紧急程度：特急。"))["level"]
'秘密'
>>> INTERNAL_LINE.fullmatch(compact("（内部资料，注意保存）")).group("kind", "keep")
('内部资料', '注意保存')
>>> [bool(FRONT_MATTER.fullmatch(compact(line))) for line in ("县政发〔2025〕12号  签发人：张三", "青山县人民政府文件")]
[True, True]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# The 密级 of state secrets, most secret first (保守国家秘密法 §13), in the traditional forms too; and 工作秘密,
# which is no state secret but may not be sent over public networks either.
CLASSIFIED_LEVELS: tuple[str, ...] = ("绝密", "机密", "秘密", "工作秘密")
_LEVEL_FORMS: dict[str, str] = {"絕密": "绝密", "機密": "机密", "祕密": "秘密", "工作祕密": "工作秘密"}
INTERNAL_LEVEL = "内部"
# Stars as documents, keyboards and PDF extraction write the ★ between a 密级 and its 保密期限.
_STARS = re.compile(r"[*☆✱✲✳✶✭✩⭐⋆★]+")
# What compact() drops: whitespace and invisible format characters (zero-width space, BOM, soft hyphen).
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060-\u2064\ufeff\u00ad]+")
# Brackets and markup a mark may stand in: 【机密】, （内部资料）, # 秘密, > 内部.
_WRAPPING = "【】[]（）()〔〕<>《》“”\"'#>|"

_LEVEL = r"(?P<level>绝密|机密|秘密|工作秘密|絕密|機密|祕密|工作祕密)"
# 保密期限: 「1年」「满5年」「6个月」「长期」「五年」, or the date it ends: 「2026年12月31日」.
_TERM = (
    r"(?P<term>满?\d{1,3}(?:年(?:\d{1,2}个月)?|个月)|长期|[一二三四五六七八九十]{1,3}年"
    r"|\d{4}年\d{1,2}月(?:\d{1,2}日)?前?|\d{4}[-./]\d{1,2}[-./]\d{1,2})"
)
URGENCY = r"(?:特急|加急|特提|平急|急件)"
_COPY_NUMBER = r"(?:份号[:：]?)?\d{1,8}"
# A line that is a 密级 mark, alone or with the 份号 and 紧急程度 printed beside it.
MARK_LINE = re.compile(rf"(?:{_COPY_NUMBER})?(?:{URGENCY})?{_LEVEL}(?:★?{_TERM}|★)?(?:{URGENCY})?")
# The 密级 field of a form or a 发文稿纸: 「密级：机密」「密级和保密期限：秘密★5年」.
MARK_FIELD = re.compile(rf"密级(?:和保密期限|及保密期限)?[:：]{_LEVEL}(?:★?{_TERM}|★)?")
# 「内部资料 注意保存」「内部」「仅供内部参考」: material not for the public, but no secret.
_INTERNAL_KIND = r"(?P<kind>(?:仅供|仅限|此件)?内部(?:资料|文件|材料|刊物|参阅|参考|使用|发行|传阅)?)"
_KEEP = r"(?P<keep>注意保存|注意保管|妥善保管|妥善保存|注意保密|不得外传|请勿外传|严禁外传|不得公开)"
INTERNAL_LINE = re.compile(rf"(?:{_COPY_NUMBER})?{_INTERNAL_KIND}[，,、。.·★]?(?:{_KEEP})?(?:{URGENCY})?")
INTERNAL_FIELD = re.compile(rf"密级[:：]{_INTERNAL_KIND}")
# 发文字号: 「县政发〔2025〕12号」「青政办发[2024]3号」「（2025）第5号」.
DOCUMENT_NUMBER = r"[\u4e00-\u9fff]{0,12}[〔\[［(（【]?(?:19|20)\d{2}[〕\]］)）】]第?\d{1,5}号"
SIGNER = r"签发人[:：][\u4e00-\u9fff·]{2,24}"
# 发文机关标志: 「青山县人民政府文件」「中共青山县委办公室文件」.
ISSUER_BANNER = r"[\u4e00-\u9fff（）()]{1,28}(?:政府|委员会|委|办公室|办公厅|局|厅|部|院|会|处|室|组|中心)文件"
_FRONT_PART = (
    rf"{DOCUMENT_NUMBER}|{SIGNER}|{URGENCY}|{_COPY_NUMBER}|{_LEVEL}(?:★?{_TERM}|★)?|{_INTERNAL_KIND}(?:{_KEEP})?"
    rf"|{ISSUER_BANNER}"
)
# A head line that is no title: marks, numbers, the banner and the signer, one or several of them.
FRONT_MATTER = re.compile(rf"(?:(?>{_FRONT_PART})[，,、；;。]?){{1,6}}")
# Longest compact line any of the patterns above reads in full.
MAX_MARK_CHARS = 60
# A mark split over short lines (「机\n密」「机密\n★1年」, letter-spaced PDF text) is read joined.
_RUN_LINES = 6
_RUN_PART_CHARS = 8


def compact(line: str) -> str:
    """A head line as the mark patterns read it: NFKC (full-width digits, Kangxi radicals), no whitespace
    or invisible characters, every star ★, without the brackets or markup around it.

    >>> compact(" 【机 密＊１年】 ")
    '机密★1年'
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", line))
    return _STARS.sub("★", text).strip(_WRAPPING)


def line_runs(lines: list[str]) -> Iterator[tuple[int, int, str]]:
    """Runs of compact head lines read as one: ``(first, end, joined)`` for lines ``first`` to ``end - 1``,
    two or more, every one after the first short.

    >>> [joined for _, _, joined in line_runs(["机", "密", "★1年", "关于做好春耕工作的通知"])]
    ['机密', '机密★1年', '密★1年']
    """
    for first in range(len(lines)):
        joined = lines[first]
        for end in range(first + 2, min(first + _RUN_LINES, len(lines)) + 1):
            if len(lines[end - 1]) > _RUN_PART_CHARS:
                break
            joined += lines[end - 1]
            yield first, end, joined


def level_of(written: str) -> str:
    """The simplified form of a written 密级: 「機密」 → 「机密」."""
    return _LEVEL_FORMS.get(written, written)
