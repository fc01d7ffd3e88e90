"""Units, posts and persons: what a party looks like in official writing, and how cadres name one.

``is_party`` decides whether a name can be assigned work (precision over recall: a party must
end like a unit or a post); ``is_person`` tells a person or a one-person post from a unit;
``party_matches`` decides whether a name a cadre types names a recorded party.
"""

from __future__ import annotations

import re

from ingest.language.roles import ROLES, alternation, words_for

# Place levels that open an office's name: 「县财政局」「各乡镇」「全市卫生健康系统」.
PLACE_LEVELS: tuple[str, ...] = ("省", "市", "县", "区", "镇", "乡", "街道", "州", "盟", "旗")

# Titles that make a name a person or a post one person holds: 李新同志, 张县长, 县委书记.
PERSON_TITLES: tuple[str, ...] = tuple(
    "同志 县长 市长 区长 镇长 乡长 省长 州长 总理 书记 主任 局长 厅长 部长 处长 科长 主席 组长 委员".split()
)

# Words that end the name of a unit, a body or a post: 县财政局, 各乡镇, 县应急指挥部, 一把手.
UNIT_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        """部门 单位 局 办公室 办 委员会 委 中心 政府 乡镇 街道 办事处 县长 市长 区长 镇长 乡长 乡镇长 局长 主任
        书记 同志 领导 班子 公司 集团 银行 法院 检察院 医院 学校 所 站 队 厅 处 科 部 院 组 小组 指挥部 联席会议
        联席办 协会 联合会 总队 支队 大队 分局 管委会 党委 党组 纪委 监委 人大 政协 一把手 负责人 机关 成员单位
        村 社区 工作专班 专班 办公厅 执法局 公安 供电公司 网格员 村委会 居委会 副职 工商联 妇联 残联 科协
        团县委 团市委 供销社 合作社 支行 分行 管理处 服务站 指挥部办公室 安委办 督查室 系统 处室 科室 总理 总署
        组长""".split(),
        key=len,
        reverse=True,
    )
)
MAX_PARTY_CHARS = 30  # the longest span tried as one party
# 「各位乡镇长…」「全县政府系统…」: how the name of those a statement addresses opens.
ADDRESS = re.compile(r"各|全县|全市|全区|全镇|全乡|全省")

_SUFFIX = "|".join(UNIT_SUFFIXES)
_QUALIFIER = r"(?:（[^（）“”，。]{1,12}）)?"
_PARTY_RE = re.compile(rf"^[\u4e00-\u9fffA-Za-z0-9“”]{{0,24}}?(?:{_SUFFIX}){_QUALIFIER}$")
_OFFICE_PREFIX = re.compile(f"^(?:各|全)?(?:{'|'.join(PLACE_LEVELS)})")
# A clause opening with a preposition names the object, not the actor: 「对县财政局要加强监督」.
PREPOSITION = re.compile(r"^(?:对于|对|向|与|给|把|让|被|将|跟|在|凡是|如果|若|关于|针对|通过)")
# A post in quotes after its unit: 各单位“一把手”.
_QUOTED_POST = re.compile(r"^(?P<unit>[^“”]+)“(?P<post>[^“”]{1,6})”$")
_LIST_SPLIT = re.compile(r"[、和及与]|以及")
# Words no name holds: 「由县发改局会同县财政局」 names two parties, neither of them 「县发改局会同县财政局」.
_NEVER_IN_NAMES = ("由", "会同")
_ENUMERATION_COMMA = re.compile(r"、")
# A province, county, city or district named as the actor (各省, 各县（市、区）, 各地, 青山县), but not
# 全县/本市.
_PLACE = re.compile(
    r"^(?:各(?:省|县|市|区|乡|镇|村|地)|(?!今年|明年|去年|全年|当年|每年)[^全本我该\W\d]{1,4}(?:县|市|区))"
    r"(?:（[^（）]{1,8}）)?$"
)
# A unit of every province, county, city and district: 各省（区、市）人民政府, 各县（市、区）党委.
_PLACE_QUALIFIED = re.compile(r"^(?P<place>各(?:省|县|市|区|乡|镇)（[^（）]{1,8}）)(?P<unit>.{2,})$")
# A bare personal name: 李新, 王建国同志.
_BARE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,3}(?:同志)?$")

# Words around a party's core that a question may leave out: 「公安部门」 for 「县公安部门」,
# 「李新」 for 「李新同志」.
_CORE_PREFIX = re.compile(r"^(?:各位|各级|各|全县|全市|全区|本级|本|[省市县区乡镇])")
_CORE_SUFFIX = re.compile(r"(?:同志|（[^（）]*）|\([^()]*\))$")
_UNIT_KIND = re.compile(r"(?:部门|单位|局|委员会|委|办公室|办|中心)$")
_LEVEL = re.compile(r"^([省市县区乡镇])")
_MEMBER_SPLIT = re.compile(r"[、，,]|以及|和|及|与")


def is_party(name: str) -> bool:
    """Whether ``name`` looks like a unit, a body or a post, or a list of them.

    和/及/与 also occur inside names (县粮食和物资储备中心), so a name is tried whole first, then as
    a list split at 、, then split at 和/及/与 too.

    >>> is_party("县发改局"), is_party("各乡镇（街道）、各单位"), is_party("信息系统"), is_party("交办")
    (True, True, False, False)
    >>> is_party("各省（区、市）人民政府"), is_party("各地各部门"), is_party("各省、自治区、直辖市人民政府")
    (True, True, True)
    """
    if _is_single_party(name):
        return True
    for splitter in (_ENUMERATION_COMMA, _LIST_SPLIT):
        pieces = [piece for piece in splitter.split(name) if piece]
        if len(pieces) > 1 and all(
            is_party(piece) if splitter is _ENUMERATION_COMMA else _is_single_party(piece) for piece in pieces
        ):
            return True
    return False


def _is_single_party(piece: str) -> bool:
    if len(piece) > 26 or any(word in piece for word in _NEVER_IN_NAMES) or PREPOSITION.match(piece):
        return False
    if "“" in piece or "”" in piece:
        quoted = _QUOTED_POST.match(piece)  # 各单位“一把手”
        return bool(quoted) and _is_single_party(quoted["unit"]) and _is_single_party(quoted["post"])
    if _PLACE.match(piece):
        return True
    qualified = _PLACE_QUALIFIED.match(piece)
    if qualified:
        return _is_single_party(qualified["unit"])
    if not _PARTY_RE.match(piece):
        return False
    # 系统 is a unit only as 全县政府系统, 全市卫生健康系统: not 信息系统, 防控体系.
    if piece.endswith("系统") and not _OFFICE_PREFIX.match(piece):
        return False
    # A bare 办 ends verbs too (交办, 督办, 马上办): only an office with a place prefix counts.
    return not re.search(r"办(?:（[^）]*）)?$", piece) or bool(_OFFICE_PREFIX.match(piece))


# A name where the text's shape already says a party stands (a table's 负责处室 column).
_NAMED_CELL = re.compile(r"[\u4e00-\u9fff（）、·]{2,30}")


def names_a_party(cell: str) -> bool:
    """Whether a table cell whose column holds parties names one: a short name, not a sentence.

    Lenient where :func:`is_party` is strict, since the column vouches for it.

    >>> names_a_party("教科室"), names_a_party("各处室各年段"), names_a_party("做好相关工作。"), names_a_party("无")
    (True, True, False, False)
    """
    return bool(_NAMED_CELL.fullmatch(cell)) and not PREPOSITION.match(cell)


def is_person(name: str) -> bool:
    """Whether ``name`` is a person or a post one person holds, not a unit.

    >>> is_person("李新同志"), is_person("张县长"), is_person("李新"), is_person("县长办公室"), is_person("县公安局")
    (True, True, True, False, False)
    """
    name = re.sub(r"（[^（）]*）$", "", name.strip())
    if name.endswith(PERSON_TITLES):
        return True
    return bool(_BARE_NAME.match(name)) and not is_party(name)


# Where names in an answer end: punctuation, 由, role words and labels.
_NAME_BREAK = re.compile(f"[，、；：。！？（）《》“”\\s]|由|{alternation(words_for(*ROLES))}|时限要求|此前")


def names_in(text: str) -> list[str]:
    """The units and post-holders a text names, for checking that an answer's quotes name them too.

    >>> names_in("由县发改局牵头，县财政局、县自然资源局配合，时限要求：6月底前。")
    ['县发改局', '县财政局', '县自然资源局']
    """
    pieces = (piece.strip() for piece in _NAME_BREAK.split(text))
    return list(dict.fromkeys(piece for piece in pieces if len(piece) >= 2 and _is_single_party(piece)))


def party_core(name: str) -> str:
    """A party name without what questions leave out.

    >>> party_core("县公安部门"), party_core("李新同志"), party_core("各乡镇（街道）")
    ('公安', '李新', '乡镇')
    """
    core = name.strip().strip('“”"')
    core = _CORE_SUFFIX.sub("", core)
    core = _CORE_PREFIX.sub("", core) if len(core) > 2 else core
    stripped = _UNIT_KIND.sub("", core)
    return stripped if len(stripped) >= 2 else core


def _level(name: str) -> str | None:
    """The administrative level a unit's name starts with (省/市/县/区/乡/镇), if any."""
    match = _LEVEL.match(name)
    return match.group(1) if match else None


def party_matches(query: str, name: str) -> bool:
    """Whether a unit or person as a cadre types it names the recorded party ``name``.

    A list (「各乡镇（办事处）、各单位」) matches when one of its members does. Cores of two
    characters or more must contain one another; a person's name must be the same; levels must
    agree (县应急管理局 is not 市应急管理局).

    >>> party_matches("公安部门", "县公安部门"), party_matches("李新", "李新同志"), party_matches("李新", "李新华同志")
    (True, True, False)
    >>> party_matches("各单位", "各乡镇（办事处）、各单位"), party_matches("县应急管理局", "市应急管理局")
    (True, False)
    """
    query = query.strip().strip('“”"「」')
    if not query:
        return False
    if query == name:
        return True
    members = [name, *(member for member in _MEMBER_SPLIT.split(name) if member and member != name)]
    wanted = party_core(query)
    level = _level(query)
    for member in members:
        if query == member:
            return True
        if level and _level(member) not in {None, level}:
            continue
        core = party_core(member)
        if member.endswith("同志") or query.endswith("同志"):  # a person: 「李新」 is not 「李新华同志」
            if wanted == core:
                return True
            continue
        if len(wanted) >= 2 and len(core) >= 2 and (wanted in core or core in wanted):
            return True
        if len(query) >= 2 and query in member:
            return True
    return False
