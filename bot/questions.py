"""What a cadre's question asks: its kind, the role it wants, and its shape (cloze, list, term)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import jieba
import jieba.posseg

from bot.answers import QuestionKind
from ingest.language.boundaries import CLAUSE
from ingest.language.colloquial import equivalents
from ingest.language.numerals import cn_number
from ingest.language.parties import is_party, is_person
from ingest.language.roles import (
    CHARGE_TITLES,
    DEPUTY,
    LEADING_POSTS,
    PARTNER_WORDS,
    ROLES,
    Role,
    alternation,
    words_for,
)
from ingest.language.terms import NUMBERED_FORMULA, quoted_terms
from ingest.language.times import full_years
from ingest.language.tokens import tokenize
from ingest.normalize import canonical_chars

_LEAD = re.compile(alternation(words_for("lead")))
# 「指导部门是哪个」「这条谁指导」「归哪个部门指导」「分管领导是谁」: who guides or oversees, recorded as lead;
# the word beside the question word or before a unit noun, not inside a name (「…指导咨询委员会」) or a topic.
_GUIDE_WORD = alternation(words_for("guide"))
_GUIDE = re.compile(
    f"(?:谁|哪(?:个|些|家)?(?:部门|单位|领导)?)(?:来|在)?(?:{_GUIDE_WORD})|(?:{_GUIDE_WORD})(?:部门|单位|领导)"
)
# A role word only makes a "who" question with a question word: 「各牵头单位的方案什么时候交」 is not one.
_ASKS_WHO = re.compile(r"谁|哪|什么(?:部门|单位|人|领导)|啥(?:部门|单位)")
# 「召集人是谁」「组长由谁担任」「谁是第一责任人」: the posts a who-question may ask the holder of, when
# its who-clause asks who is (是谁, 由谁担任, 谁是), not who does (「哪个局负责…主任…」).
_POST = re.compile(alternation([*(DEPUTY + post for post in LEADING_POSTS), *LEADING_POSTS, *CHARGE_TITLES]))
_ASKS_HOLDER = re.compile(r"谁(?:是|来?担任|任|当)|(?:是|由|为)谁|是哪")
_COOPERATE = re.compile(alternation([*words_for("cooperate"), *PARTNER_WORDS]))
_RESPONSIBLE = re.compile(
    r"谁[来去]?(?:负责|抓|管|落实|承担|办|干|做|要)|由谁|归谁|谁的(?:事|任务|活|责任)|哪(?:几个|个|些|家|一个)?(?:部门|单位|局|机构|领导)"
    r"|什么(?:部门|单位)|负责(?:单位|部门)|责任(?:单位|部门|人)|归哪|哪[个些]?[\u4e00-\u9fff]{0,2}(?:管|负责|抓)|是谁|谁"
)
_DEADLINE = re.compile(
    r"什么时候|何时|多久|多快|多长时间|时限|期限|截止|几月|哪天|完成时间|时间节点|时间要求|前完成|要多快|几号|哪一年"
)
_SLOGAN = re.compile(
    r"指什么|指的是|什么意思|啥意思|是什么|是啥|说的是啥|含义|内涵|提法|哪几[个句条项种]|哪[一二三四五六七八九十两\d]+[个句条项种]"
    r"|什么(?:方针|原则|要求|机制|责任制|精神|理念|思路|目标|口号)|哪些要求|都有哪些|包括哪些|有哪几"
)
_PRONOUN = re.compile(r"他们|她们|他|她|它|该同志|这位同志|该单位|这个单位|该部门|这个部门|该局|这个局")
_ENUMERATION = re.compile(
    r"哪“?(?:几|(?P<count>[一二三四五六七八九十两\d]+))(?P<counter>个|种|项|条|句|大)?[“]?(?P<affix>[\u4e00-\u9fff]{1,4}?)[”]?[？?。]?$"
)
# 「要坚持的两句话是什么」「八个字」: a quoted phrase of so many clauses or characters.
_SHAPED = re.compile(
    r"(?P<count>[一二三四五六七八九十两\d]+)(?P<counter>句话?|个?字)(?:是什么|是啥|指什么|有哪些|都有啥|都是啥)?[？?。]?$"
)
# 「方案定的四条原则」: so many items of a generic kind, not a 提法 named “四条原则”. The pattern
# covers the count only (the kind is looked ahead at), so the scaffold below removes the count and
# keeps 原则 as a term.
_KINDS = "原则|要求|措施|任务|目标|方面|举措|重点|环节|机制|标准|理念|导向"
_COUNT_OF_A_KIND = rf"(?<![“\"哪])(?P<count>[一二三四五六七八九十两]+)(?:个|条|项|大|点)(?=(?P<noun>{_KINDS})(?![”\"]))"
_CLOZE = re.compile(r"(?P<left>[\u4e00-\u9fff“”]{1,8})(?:什么|啥)(?P<right>[\u4e00-\u9fff]{0,3})")
# How a question asks, not what it is about: removed before the question's terms are taken.
_SCAFFOLD = (
    re.compile(
        r"的(?:任务|事|事儿|活|工作|职责)(?=[？。]?$)"
        r"|哪“?(?:几|[一二三四五六七八九十两\d]+)(?:个?字|句话?|个|种|项|条|大)|[一二三四五六七八九十两\d]+(?:句话?|个字)"
        r"|具体指什么|指什么|指啥|什么意思|啥意思|是什么|是啥|说的是啥|怎么说的?|指的是|分别是|分别指"
        r"|(?:啥|什么)时候|多长时间|多久|几号|哪一?天|几月份?|最晚|最迟|多少|几[个家项条所座]|多大|多高|有没有|什么样"
        r"|这块儿?|这事儿?|这件事|这项工作|这个事|[这那]一?[条项]|([\u4e00-\u9fff])[不没]\1[\u4e00-\u9fff]?|听说[^，？]*|到底"
        r"|(?<![确规决制约认肯稳固])定(?:的是|的|了)"  # 「目标定的是多少」: set, as in "the target set"
        r"|为什么|为啥|什么原因|啥原因|原因是什么|怎么回事"
        r"|(?:会|要)?(?:怎么|如何|咋)(?:处理|办|样|处置)|会怎样|有什么后果|什么后果|后来|以后"
        r"|能不能|可不可以|能否|是否|(?:吗|么)(?=[？?]?$)|能(?=[\u4e00-\u9fff]{1,3}吗)"
        rf"|{_COUNT_OF_A_KIND}"
    ),
    re.compile(
        r"(?:是|由|归|在)?(?:谁|哪(?:个|些|家|位|一个)?(?:县领导|副县长|领导|部门|单位|局|机构|处室|科室|部|委|厅|处)?)"
        r"(?:来|去|在)?(?:牵头|挑头|挂帅|抓总|具体负责|负责|具体干|干|搞|管|抓|落实|承担|配合)?"
    ),
)
# Role words say how a question asks (「财政部参与吗」), not what it is about.
_ROLE_TERM = re.compile(alternation([*words_for(*ROLES), *PARTNER_WORDS]))
_ASKS_NUMBER = re.compile(r"多少|几[个家项条所座人万亿次倍]|增速|比例|百分之几|多大|多高|多长")
_YEAR = re.compile(r"20\d{2}(?=年)")
# Whether a question asks what was achieved or what is planned; "achieved" words win (「实际要完成」).
_ASKS_RESULT = re.compile(r"实际|最后|最终|结果|完成了|达到了|实现了|做到了|干成|已经|完成多少|完成得")
_ASKS_PLAN = re.compile(r"目标|计划|打算|预期|力争|定的|定了|要求?[^，？]{0,4}多少|要[新建改完达实增]")
_ASKS_MEANING = re.compile(
    r"指什么|指的是|指啥|什么意思|啥意思|是什么|是啥|说的是啥|含义|内涵|分别|哪几|哪些|包括|具体"
)
# 「李新负责什么？」「县公安部门有哪些任务？」: every task of one party.
_TASKS_OF = re.compile(
    r"^(?P<party>[\u4e00-\u9fff（）]{2,20}?)(?:还|都|主要|具体|一共)?"
    r"(?:负责|牵头|承担|要做|要抓|分管|管|有)(?:了)?(?:哪些|什么|啥)(?:任务|工作|事情?|活)?[？。]?$"
)


@dataclass(frozen=True)
class Enumeration:
    """A question for a list: 哪几个快 (affix 快), 哪“三个以” (count 3, affix 以), 四条原则 (count 4,
    noun 原则: a list of four that the text calls 原则)."""

    affix: str
    count: int | None
    counter: str | None
    noun: str | None = None


@dataclass(frozen=True)
class Question:
    """A question, analysed."""

    text: str
    kind: QuestionKind
    role: Role | None
    wants_unit: bool
    terms: tuple[str, ...]
    years: tuple[str, ...]  # 2024 in 「24年…」: which document or period, weighed apart from terms
    quoted: tuple[str, ...]
    enumeration: Enumeration | None
    cloze: tuple[str, str] | None
    tasks_of: str | None
    asks_meaning: bool
    asks_number: bool
    asks_result: bool | None  # True: what was achieved; False: what is planned; None: not said
    places: tuple[str, ...]  # 云州 in 「云州市…」: an answer must come from a document that names it
    posts: tuple[str, ...] = ()  # 召集人 in 「召集人是谁」: a who-question for the holder of a post

    @property
    def search_text(self) -> str:
        """What retrieval is given: the question plus the document-side words for its terms."""
        extra = [form for term in self.terms for form in equivalents(term)[1:]]
        return " ".join([self.text, *extra])


def analyse(question: str, previous_entity: str | None = None) -> Question:
    """Classify ``question`` and pull out what the answerer needs."""
    text = full_years(canonical_chars(question.strip()))
    if previous_entity:
        text = resolve_follow_up(text, previous_entity)
    quoted = tuple(term for _, _, term in quoted_terms(text)) or tuple(
        formula for formula in NUMBERED_FORMULA.findall(text) if not re.search(r"[字句话]$", formula)
    )
    role: Role | None = None
    who = _who_clause(text)
    if who is not None and (_LEAD.search(who) or _GUIDE.search(who)):
        role = "lead"
    elif who is not None and _COOPERATE.search(who):
        role = "cooperate"
    elif _RESPONSIBLE.search(text):
        role = "responsible"
    tasks = _TASKS_OF.match(text)
    party = tasks.group("party") if tasks else ""
    tasks_of = party if party and (is_party(party) or is_person(party)) else None
    if tasks_of:
        role = None
    kind: QuestionKind
    if role == "lead":
        kind = "lead"
    elif role in {"responsible", "cooperate"} or tasks_of:
        kind = "responsible"
    elif _DEADLINE.search(text):
        kind = "deadline"
    elif quoted or _SLOGAN.search(text):
        kind = "slogan"
    else:
        kind = "other"
    enumeration = _enumeration(text)
    cloze = _cloze(text)
    years = tuple(dict.fromkeys(_YEAR.findall(text)))
    scaffold_free = text
    for scaffold in _SCAFFOLD:
        scaffold_free = scaffold.sub(" ", scaffold_free)
    terms = tuple(
        term for term in dict.fromkeys(tokenize(scaffold_free)) if term not in years and not _ROLE_TERM.fullmatch(term)
    )
    return Question(
        text=text,
        kind=kind,
        role=role,
        wants_unit=bool(re.search(r"哪(?:几个|个|些|家|一个)?(?:部门|单位|局|机构)|什么(?:部门|单位)", text)),
        terms=terms,
        years=years,
        quoted=quoted,
        enumeration=enumeration,
        cloze=cloze,
        tasks_of=tasks_of,
        asks_meaning=bool(_ASKS_MEANING.search(text)),
        asks_number=bool(_ASKS_NUMBER.search(text)),
        asks_result=True if _ASKS_RESULT.search(text) else False if _ASKS_PLAN.search(text) else None,
        places=_places(text),
        posts=_posts(who) if role and who else (),
    )


def _who_clause(text: str) -> str | None:
    """The clause that asks who, where the role asked for is said: in 「动员民营企业参与消费扶贫，责任单位
    排第一的是谁？」 参与 is the task's, not the role asked for."""
    asks = _ASKS_WHO.search(text)
    if asks is None:
        return None
    return next(clause.group() for clause in CLAUSE.finditer(text) if clause.end() > asks.start())


def _posts(who: str) -> tuple[str, ...]:
    """The posts whose holders a who-clause asks for: 「谁是总责任人、第一责任人」 → both.

    >>> _posts("召集人是谁？"), _posts("哪个局负责办公室主任的工作？")
    (('召集人',), ())
    """
    return tuple(dict.fromkeys(_POST.findall(who))) if _ASKS_HOLDER.search(who) else ()


def _places(text: str) -> tuple[str, ...]:
    """Place names (jieba's ``ns``) without their 市/县/区 suffix: documents say 全市 as often as 临江市."""
    names = (re.sub(r"(?<=..)[省市县区镇乡]$", "", word) for word, flag in jieba.posseg.lcut(text) if flag == "ns")
    return tuple(dict.fromkeys(name for name in names if len(name) > 1))


def resolve_follow_up(text: str, entity: str) -> str:
    """「那他还负责什么？」 after an answer about 李新同志 → 「李新同志还负责什么？」."""
    if not _PRONOUN.search(text):
        return text
    return _PRONOUN.sub(entity, re.sub(r"^那么?[，]?", "", text), count=1)


def _enumeration(text: str) -> Enumeration | None:
    counted = re.search(_COUNT_OF_A_KIND, text)
    if counted:
        return Enumeration("", cn_number(counted.group("count")), None, counted.group("noun"))
    shaped = _SHAPED.search(text)
    if shaped:
        return Enumeration("", cn_number(shaped.group("count")), "字" if "字" in shaped.group("counter") else "句")
    match = _ENUMERATION.search(text)
    if not match:
        return None
    count_text = match.group("count")
    count = None
    if count_text:
        count = cn_number(count_text)
    affix = match.group("affix")
    counter = match.group("counter")
    if counter == "句" or affix in {"话", "句话", "句"}:
        return Enumeration("", count, "句")
    if affix == "字":
        return Enumeration("", count, "字")
    return Enumeration(affix, count, counter)


def _cloze(text: str) -> tuple[str, str] | None:
    match = _CLOZE.search(text)
    if not match:
        return None
    words = [word for word in jieba.lcut(match.group("left")) if word not in {"要", "是", "的", "都"}]
    return (words[-1], match.group("right")) if words else None
