"""Words cadres use for the words documents use: abbreviations and colloquial synonyms.

General government vocabulary, not any one document's: a question term also counts as found
when one of its document-side equivalents is.
"""

from __future__ import annotations

EQUIVALENTS: dict[str, tuple[str, ...]] = {
    "gdp": ("地区生产总值", "生产总值"),
    "环保": ("生态环境", "环境保护"),
    "高企": ("高新技术企业",),
    "规上": ("规模以上",),
    "大学生": ("高校毕业生",),
    "打疫苗": ("接种疫苗", "接种"),
    "疫苗": ("接种",),
    "一把手": ("主要负责人", "主要领导"),
    "老百姓": ("群众",),
    "钱": ("资金",),
    "报": ("报送", "上报", "报备"),
    "报备": ("备案",),
    "交": ("报送", "上报", "提交", "报"),
    "弄完": ("完成",),
    "完工": ("竣工", "完成"),
    "开会": ("会议",),
    "村里": ("村",),
    "镇里": ("乡镇",),
    "县里": ("县",),
    "市里": ("市",),
    "没": ("未", "不"),
    "没有": ("未", "没有"),
    "还没": ("尚未", "未"),
    "剩下": ("剩余", "还有"),
    "垫底": ("排名靠后", "末位", "倒数"),
    "挨批": ("通报批评", "批评"),
}


def equivalents(term: str) -> tuple[str, ...]:
    """The term itself and what documents say instead.

    >>> equivalents("规上"), equivalents("建完"), equivalents("发给")
    (('规上', '规模以上'), ('建完', '完成'), ('发给', '发'))
    """
    if term in EQUIVALENTS:
        return (term, *EQUIVALENTS[term])
    if len(term) == 2 and term.endswith("完"):
        return (term, "完成")
    if len(term) == 2 and term.endswith("给"):  # 「报给」「发给」: documents write the verb alone (报送, 发放)
        return (term, term[0])
    return (term,)


# An abbreviation keeps the first character of each word: 综保区 for 综合保税区, 职教 for 职业教育.
# Between two kept characters at most this many are left out.
_ABBREVIATION_GAP = 2


def abbreviated_in(short: str, text: str) -> str | None:
    """The words of ``text`` that ``short`` abbreviates (the span from its first to its last kept
    character), or None; a word ``text`` holds as it is is no abbreviation.

    >>> abbreviated_in("综保区", "关于促进综合保税区高水平开放的意见"), abbreviated_in("职教", "职业教育改革")
    ('综合保税区', '职业教')
    >>> abbreviated_in("农机", "农业机械化"), abbreviated_in("农业", "农业机械化"), abbreviated_in("机改", "农机装备")
    ('农业机', None, None)
    """
    if len(short) < 2 or short in text or not all("\u4e00" <= char <= "\u9fff" for char in short):
        return None
    start = text.find(short[0])
    while start >= 0:
        end = start + 1
        for char in short[1:]:
            found = text.find(char, end, end + _ABBREVIATION_GAP + 1)
            if found < 0:
                break
            end = found + 1
        else:
            return text[start:end]
        start = text.find(short[0], start + 1)
    return None
