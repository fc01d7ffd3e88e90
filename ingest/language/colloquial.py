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

    >>> equivalents("规上"), equivalents("建完")
    (('规上', '规模以上'), ('建完', '完成'))
    """
    if term in EQUIVALENTS:
        return (term, *EQUIVALENTS[term])
    if len(term) == 2 and term.endswith("完"):
        return (term, "完成")
    return (term,)
