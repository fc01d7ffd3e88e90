"""Deadlines and years: 「年底前」「10个工作日内」「事不过夜」, 「2024年」「明年」.

>>> DEADLINE.search("县财政局要在6月底前完成拨付").group()
'6月底前'
"""

from __future__ import annotations

import re

# A time requirement as documents state it: a date, a period, a limit or an urgency word.
DEADLINE = re.compile(
    r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末)?(?:前|以前|之前|起)?|\d{1,2}月(?:\d{1,2}日)?(?:底|末|中旬|上旬|下旬)?(?:前|以前|之前)"
    r"|(?:今年|明年|本年度|年度)?(?:年底|年内|年末|上半年|下半年|一季度|二季度|三季度|四季度|季度末)(?:前|以前|之前)?"
    r"|(?<![\d.])\d+(?:\.\d+)?个?(?:工作日|日|天|小时|个月|周)(?:内|以内)|每(?:年|季度|季|月|周|天|日)|限期(?:解决|整改|完成|办结)?|第一时间"
    r"|事不过夜|立行立办|即日起|立即|马上|当天|当日|定期|按时|按期"
)
# 「全年」「长期」「3月」: what a table's time column may hold besides a deadline.
TABLE_TIME = re.compile(r"全年|长期|持续|常态|每[年季月周]|\d{1,2}月")
# 「年底前」「30日内」: a time that limits a task even when it is said before the party.
LIMIT_END = re.compile(r"(?:前|以前|之前|内|以内)$")

# 「2024年」「2024—2026年」 (both ends count).
EXPLICIT_YEAR = re.compile(r"(?<!\d)(20\d{2})(?:\s*[—\-－～~至到]\s*(20\d{2}))?\s*年")
# A date as documents write it: 「2024年12月26日」「2024 年5 月8 日」「2025-02-18」「2025.1.10」.
WRITTEN_DATE = re.compile(r"(20\d{2}|19\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
# 「24年」 as cadres write a year: read as 2024年.
SHORT_YEAR = re.compile(r"(?<![\d.])(\d{2})年")
# Years relative to a document's own; 比上年/较上年 compare and say no year, so 上年 is left out.
RELATIVE_YEAR = re.compile(r"(?<!以)前年|去年|过去的?一年|上一年|今年|本年度|明年|来年|后年")
RELATIVE_YEAR_OFFSETS: dict[str, int] = {
    "前年": -2, "去年": -1, "过去一年": -1, "过去的一年": -1, "上一年": -1, "今年": 0, "本年度": 0,
    "明年": 1, "来年": 1, "后年": 2,
}  # fmt: skip


def full_years(text: str) -> str:
    """``text`` with two-digit years written out.

    >>> full_years("24年开年那次全体会")
    '2024年开年那次全体会'
    """
    return SHORT_YEAR.sub(r"20\1年", text)
