"""How documents say who gave them, where and when: the lines under a title and over a signature.

A speech opens 「在全县经济工作会议上的讲话」「青山县县长 王建国」「（2024年12月26日）」, a report to a
congress 「——2026年1月20日在××省第十四届人民代表大会第三次会议上」, a compilation heads each part
「王明同志的讲话摘要」; a notice ends 「××市人民政府办公室」「2024年5月6日」 or 「中共××县委办公室
2024年5月8日印发」. The patterns read one line with its whitespace removed (「王 建 国」 is 王建国).

>>> MEETING.search("——2025年1月10日在青山县第十八届人民代表大会第三次会议上")["meeting"]
'青山县第十八届人民代表大会第三次会议'
>>> POST_AND_NAME.fullmatch("青山县县长王建国").group("post", "name")
('青山县县长', '王建国')
>>> [m.group() for m in SURNAME_AND_POST.finditer("会上王县长和副县长、县委书记、李副县长讲的")]
['王县长', '李副县长']
"""

from __future__ import annotations

import re

from ingest.language.parties import PERSON_TITLES, PLACE_LEVELS
from ingest.language.times import WRITTEN_DATE

_HAN = r"[\u4e00-\u9fff]"
_TITLES = "|".join(sorted(PERSON_TITLES, key=len, reverse=True))
# Titles a signature or a cadre puts after a name; 同志 is a form of address, not a post.
_POSTS = "|".join(sorted((title for title in PERSON_TITLES if title != "同志"), key=len, reverse=True))
_NAME = rf"{_HAN}{{2,3}}"

# 「在全县经济工作会议上」「在开学典礼上」「在揭牌仪式上」: the occasion a text was given at.
MEETING = re.compile(r"在(?P<meeting>[^在，。；：！？“”《》]{2,40}?(?:会议?|典礼|仪式|论坛|式))上")
# What is given at a meeting: 「…上的讲话」「…上的工作报告」「讲话提纲」「讲话摘要」.
SPEECH = re.compile(r"(?:讲话|报告|致辞|发言|演讲)(?:提纲|摘要|稿)?")
# 「青山县县长 王建国」「省长 张三」「××市人民政府市长 李四」: a post, then the name of who holds it.
POST_AND_NAME = re.compile(rf"(?P<post>[\u4e00-\u9fff（）]{{0,20}}?(?:{_POSTS}))(?P<name>{_NAME})")
# 「王建国县长在…上的讲话」「李四局长《在…上的讲话》」「王明同志的讲话摘要」: a name, its post, the speech.
NAME_AND_POST = re.compile(rf"(?P<name>{_NAME}?)(?P<post>{_TITLES})(?=《|在|的{SPEECH.pattern})")
# 「县长在县政府全体会议上的讲话」: the post alone opens the title.
POST_ONLY = re.compile(rf"(?P<post>[\u4e00-\u9fff]{{0,6}}?(?:{_POSTS}))(?=在[^。]*上的{SPEECH.pattern})")
# A line that is only a name, under a speech's title: 「王建国」「王 建 国」.
BARE_NAME = re.compile(_NAME)
# A line that is only a date: 「2024年12月26日」「（2024年12月26日）」.
DATE_LINE = re.compile(rf"[（(]?(?:{WRITTEN_DATE.pattern})[)）]?")
# A signature and its date on one line, as a 版记 prints it: 「中共××县委办公室 2024年5月8日印发」.
SIGNED_LINE = re.compile(
    rf"(?P<issuer>[\u4e00-\u9fff（）]{{2,30}}?)(?P<date>{WRITTEN_DATE.pattern})(?:印发|发布|印|制发)?"
)
# A signature line: a unit's name, short, nothing but characters and brackets.
SIGNATURE = re.compile(r"[\u4e00-\u9fff（）]{2,20}")
# The line that opens the body: 「同志们：」「各位代表：」「各乡镇人民政府，县政府各部门：」.
SALUTATION = re.compile(r"[^。！？]{2,60}：")
# Words a short line may be that are not a name: 「通知」「附件」「目录」.
NOT_A_NAME = frozenset("通知 意见 附件 目录 前言 报告 讲话 方案 决定 办法 摘要 提纲 按语 说明 纪要".split())
# What documents are called, by their genre: 「那份报告」「综保区那个意见」「讲话里」.
DOCUMENT_WORDS: tuple[str, ...] = tuple("讲话 报告 通知 意见 文件 方案 要点 决定 办法 发言 致辞 讲稿 纪要".split())
# Characters before a post that are not a surname: 副县长, 县委书记, 总书记, 市长 in 省市长.
_NOT_SURNAME = "".join(PLACE_LEVELS) + "副总正代原前党团委部局厅处科组室院所长记任老小大的是在和与及向给让听务"
# A question names a person the way cadres speak: 「王县长」「李副县长」 (a surname and a post).
SURNAME_AND_POST = re.compile(rf"(?P<surname>(?![{_NOT_SURNAME}]){_HAN})(?P<post>(?:常务)?副?(?:{_POSTS}))")


def refers_to(surname: str, post: str, name: str, name_post: str) -> bool:
    """Whether 「{surname}{post}」 as a cadre says it (王县长) can be ``name`` holding ``name_post``:
    the surname opens the name, and the posts agree where the document gives one.

    >>> refers_to("王", "县长", "王建国", "青山县县长"), refers_to("王", "县长", "王建国", "")
    (True, True)
    >>> refers_to("王", "书记", "王建国", "县长"), refers_to("李", "县长", "王建国", "县长")
    (False, False)
    """
    return bool(name) and name.startswith(surname) and (not name_post or name_post.endswith(post))
