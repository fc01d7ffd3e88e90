"""What a cadre's question asks: its kind, the role it wants, and its shape (cloze, list, term)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import jieba
import jieba.posseg

from bot.answers import QuestionKind
from bot.question_input import MAX_QUESTION_CHARS
from bot.question_shapes import COUNT_OF_A_KIND, Enumeration, cloze_of, shaped_as_list
from ingest.language.boundaries import CLAUSE
from ingest.language.numerals import MAX_COUNT_CHARS
from ingest.language.parties import is_party, is_person
from ingest.language.roles import (
    CHARGE_TITLES,
    DEPUTY,
    LEADING_POSTS,
    MODALS,
    PARTNER_WORDS,
    REPORT_VERBS,
    ROLES,
    Role,
    alternation,
    words_for,
)
from ingest.language.signatures import DOCUMENT_WORDS, SURNAME_AND_POST
from ingest.language.terms import CODED_TERM, NUMBERED_FORMULA, quoted_terms
from ingest.language.times import full_years
from ingest.language.tokens import MATERIAL_NAMES, pos_words, tokenize
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
# 「成绩单最后报给谁」「向谁汇报」: who a result is sent to, not who does the work.
_ASKS_RECIPIENT = re.compile(
    rf"(?:{alternation(REPORT_VERBS)})(?:给|到|至)(?:谁|哪)|(?:报送|上报|呈报)(?:谁|哪)"
    rf"|向(?:谁|哪)[\u4e00-\u9fff]{{0,6}}?(?:{alternation(REPORT_VERBS)})"
)
_COOPERATE = re.compile(alternation([*words_for("cooperate"), *PARTNER_WORDS]))
_RESPONSIBLE = re.compile(
    r"谁[来去]?(?:负责|抓|管|落实|承担|办|干|做|要)|由谁|归谁|谁的(?:事|任务|活|责任)|哪(?:几个|个|些|家|一个)?(?:部门|单位|局|机构|领导)"
    r"|什么(?:部门|单位)|负责(?:单位|部门)|责任(?:单位|部门|人)|归哪|哪[个些]?[\u4e00-\u9fff]{0,2}(?:管|负责|抓)|是谁|谁"
)
_DEADLINE = re.compile(
    r"什么时候|何时|多久|多快|多长时间|时限|期限|截止|几月|哪天|完成时间|时间节点|时间要求|前完成|要多快|几号|哪一?年|啥时候|啥时间|什么时间"
)
_SLOGAN = re.compile(
    r"指什么|指的是|什么意思|啥意思|是什么|是啥|说的是啥|含义|内涵|提法|哪几[个句条项种]|哪[一二三四五六七八九十两\d]+[个句条项种]"
    r"|什么(?:方针|原则|要求|机制|责任制|精神|理念|思路|目标|口号)|哪些要求|都有哪些|包括哪些|有哪几"
)
# A count asked for, not named: 「哪两种」「几个」.
_ASKS_COUNT = ("哪", "几")
_PRONOUN = re.compile(r"他们|她们|他|她|它|该同志|这位同志|该单位|这个单位|该部门|这个部门|该局|这个局")
# 「1+N证书，1和N分别指什么」: a coded term named without quotes, up to the words that ask about it.
_CODED = re.compile(rf"{CODED_TERM}[\u4e00-\u9fff]*?(?=[，。？、]|是|指|的|分别|包括|有|怎么|具体|$)")
# Where a numbered formula named without quotes ends: 「三大短板指什么」.
_FORMULA_ASKING = re.compile(r"指|是|的|分别|包括|包含|有|都|具体|怎么|如何|里|说|讲|什么|啥|哪")
# 「要建什么样的教育领导体制」: the kind of thing asked for, which the text describes before 的.
_KIND_OF = re.compile(
    r"(?:什么样|怎么样|怎样|啥样|哪种|何种)的(?P<head>[\u4e00-\u9fff]{2,12}?)(?=[呢吗啊]?(?:[，。？?！\s]|$))"
)
# How a question asks, not what it is about: removed before the question's terms are taken (a
# match's ``keep`` group stays).
_MATERIAL = alternation(MATERIAL_NAMES)
_SCAFFOLD = (
    # Where to look: 「那个国办文件」「这份意见」「报告里」「讲话中」, a question opening 「文件鼓励…」.
    re.compile(
        rf"[这那该此][份个篇](?P<keep>[\u4e00-\u9fff]{{0,4}}?)(?:{_MATERIAL})(?:里面?|中|当中)?"
        rf"|(?:{_MATERIAL})(?:里面?|中|当中)|^(?:{_MATERIAL})(?=说|讲|提|鼓励|要求|强调|规定|明确|指出)"
    ),
    re.compile(
        r"的(?:任务|事|事儿|活|工作|职责)(?=[？。]?$)"
        r"|哪“?(?:几|[一二三四五六七八九十两\d]+)(?:个?字|句话?|个|种|项|条|大)"
        rf"|[一二三四五六七八九十两\d]{{1,{MAX_COUNT_CHARS}}}(?:句话?|个字)"
        r"|具体指什么|指什么|指啥|是?针对(?:的是)?(?:什么|啥)的?|什么意思|啥意思|是什么|是啥|说的是啥|怎么说的?|指的是(?:什么|啥)?|分别(?:是|指)(?:什么|啥)?"
        r"|(?:啥|什么)时候|多长时间|多久|几号|哪一?天|几月份?|最晚|最迟|多少|几[个家项条所座]|多大|多高|有没有|什么样"
        r"|这块儿?|这事儿?|这件事|这项工作|这个事|[这那]一?[条项]|([\u4e00-\u9fff])[不没]\1[\u4e00-\u9fff]?|听说[^，？]*|到底"
        r"|(?<![确规决制约认肯稳固])定(?:的是|的|了)"  # 「目标定的是多少」: set, as in "the target set"
        r"|为什么|为啥|什么原因|啥原因|原因是什么|怎么回事"
        r"|(?:会|要)?(?:怎么|如何|咋)(?:处理|办|样|处置)|会怎样|有什么后果|什么后果|后来|以后"
        r"|能不能|可不可以|能否|是否|(?:吗|(?<![什怎])么)(?=[？?]?$)|能(?=[\u4e00-\u9fff]{1,3}吗)"
        r"|哪一?[种类]|用(?=哪|什么|啥)|什么|啥"  # 「用哪两种方式」「是哪种做法」
        rf"|{COUNT_OF_A_KIND}"
    ),
    re.compile(
        r"(?:是|由|归|在)?(?:谁|哪(?:个|些|家|位|一个)?(?:县领导|副县长|领导|部门|单位|局|机构|处室|科室|部|委|厅|处)?)"
        r"(?:来|去|在)?(?:牵头|挑头|挂帅|抓总|具体负责|负责|具体干|干|搞|管|抓|落实|承担|配合)?"
    ),
)
# Who gave a document, where and when: 「这个报告是谁作的」「陈局长哪天讲的」「在什么会上讲的」「通知什么时候发的」.
_GIVEN = r"(?:作|做|讲|发表|印发|发布|下发|签发|发|写)的"
_DOCUMENT = f"(?:{alternation(DOCUMENT_WORDS)})"
_ASKS_BYLINE = {
    "speaker": re.compile(
        rf"谁{_GIVEN}|(?:作|做)[^，？]{{0,6}}?{_DOCUMENT}的?(?:人|领导)?是谁|谁的{_DOCUMENT}|{_DOCUMENT}人是谁|哪位领导{_GIVEN}"
    ),
    "date": re.compile(
        rf"(?:哪天|哪一天|什么时候|何时|啥时候|哪年|几月几[日号]|什么日子)(?:在[^，？]{{2,20}}上)?{_GIVEN}"
        rf"|{_DOCUMENT}的?(?:日期|落款时间|成文时间)"
    ),
    "meeting": re.compile(r"(?:在|是)?(?:什么|哪个|哪次|哪一次|啥)(?:会|会议|大会|场合)上(?:作|做|讲|发表|说|提)?的?"),
}
# A byline is asked about a document (「报告」「讲话」), a person (「陈局长」) or the one just cited (「这」).
_ABOUT_A_DOCUMENT = re.compile(rf"{_DOCUMENT}|^(?:这|那|该|它)")
# How a question points at a document: 「这份意见」「那个文件」「报告里」「讲话中说的」.
_DOCUMENT_REFERENCE = re.compile(
    rf"(?:这|那|该|本)一?[份个篇次]?{_DOCUMENT}(?:里|中|上)?(?:说|讲|提)?的?|{_DOCUMENT}(?:里|中)(?:说|讲|提)?的?"
    r"|[这那][份篇]"
)
# Where a question points at a document (「综保区那个意见」「陈局长讲的」「全体会上」「文件里」): the words
# before the first such word name the document the question means.
_REFERS = re.compile(rf"{_DOCUMENT}|会议?上|(?:里|中)?(?:说|讲|提)的|里")
# Role words say how a question asks (「财政部参与吗」), not what it is about.
_ROLE_TERM = re.compile(alternation([*words_for(*ROLES), *PARTNER_WORDS]))
_ASKS_NUMBER = re.compile(r"多少|几[个家项条所座人万亿次倍]|增速|比例|百分之几|多大|多高|多长")
_YEAR = re.compile(r"20\d{2}(?=年)")
# Whether a question asks what was achieved or what is planned; "achieved" words win (「实际要完成」).
_ASKS_RESULT = re.compile(r"实际|最后|最终|结果|完成了|达到了|实现了|做到了|干成|已经|完成多少|完成得")
_ASKS_PLAN = re.compile(r"目标|计划|打算|预期|力争|定的|定了|要求?[^，？]{0,4}多少|要[新建改完达实增]")
_ASKS_MEANING = re.compile(
    r"指什么|指的是|指啥|什么意思|啥意思|是什么|是啥|说的是啥|含义|内涵|分别|哪几|哪些|包括|具体|解读|理解|针对(?:的是)?(?:什么|啥)"
)
# 「李新负责什么？」「县公安部门有哪些任务？」: every task of one party.
_TASKS_OF = re.compile(
    r"^(?P<party>[\u4e00-\u9fff（）]{2,20}?)(?:还|都|主要|具体|一共)?"
    r"(?:负责|牵头|承担|要做|要抓|分管|管|有)(?:了)?(?:哪些|什么|啥)(?:任务|工作|事情?|活)?[？。]?$"
)


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
    asks_recipient: bool  # 「报给谁」: who a result is sent to
    kind_of: str | None  # 教育领导体制 in 「要建什么样的教育领导体制」: what a description is asked of
    tasks_of: str | None
    asks_meaning: bool
    asks_number: bool
    asks_result: bool | None  # a figure or date asked: True what was achieved, False what is planned
    places: tuple[str, ...]  # 云州 in 「云州市…」: an answer must come from a document that names it
    persons: tuple[tuple[str, str], ...] = ()  # (陈, 局长) in 「陈局长讲的…」: a speaker named by surname and post
    byline: tuple[str, ...] = ()  # what is asked of a document itself: "speaker", "meeting", "date"
    reference: str = ""  # 「综保区那个意见」 of 「综保区那个意见里谁牵头」: the words that point at a document
    posts: tuple[str, ...] = ()  # 召集人 in 「召集人是谁」: a who-question for the holder of a post


def analyse(question: str, previous_entity: str | None = None) -> Question:
    """Classify ``question`` (its first :data:`MAX_QUESTION_CHARS` characters) and pull out what the
    answerer needs.

    >>> analyse("谁牵头修订维稳预案？").role
    'lead'
    """
    text = full_years(canonical_chars(question.strip()[:MAX_QUESTION_CHARS]))
    if previous_entity:
        text = resolve_follow_up(text, previous_entity)
    persons = tuple(dict.fromkeys(match.group("surname", "post") for match in SURNAME_AND_POST.finditer(text)))
    years = tuple(dict.fromkeys(_YEAR.findall(text)))
    terms = _terms(text, years)
    byline = tuple(kind for kind, asks in _ASKS_BYLINE.items() if asks.search(text))
    if byline and not (persons or _ABOUT_A_DOCUMENT.search(text) or not terms):
        byline = ()  # 「补贴是谁发的」 asks about a task, not a document
    quoted = tuple(term for _, _, term in quoted_terms(text)) or _unquoted_formulas(text) or tuple(_CODED.findall(text))
    quoted = tuple(dict.fromkeys(quoted))  # each term once: strategies read the passages for each
    role: Role | None = None
    who = _who_clause(text)
    if who is not None and (_LEAD.search(who) or _GUIDE.search(who)):
        role = "lead"
    elif who is not None and _COOPERATE.search(who):
        role = "cooperate"
    elif _RESPONSIBLE.search(text):
        role = "responsible"
    asks_recipient = bool(_ASKS_RECIPIENT.search(text))
    if asks_recipient:
        role = None
    tasks = _TASKS_OF.match(text)
    party = tasks.group("party") if tasks else ""
    tasks_of = party if party and (is_party(party) or is_person(party)) else None
    if tasks_of or byline:
        role = None
    kind: QuestionKind
    if role == "lead":
        kind = "lead"
    elif role in {"responsible", "cooperate"} or tasks_of:
        kind = "responsible"
    elif byline:
        kind = "other"
    elif _DEADLINE.search(text):
        kind = "deadline"
    elif quoted or _SLOGAN.search(text):
        kind = "slogan"
    else:
        kind = "other"
    enumeration = shaped_as_list(text)
    cloze = cloze_of(text)
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
        asks_recipient=asks_recipient,
        kind_of=kind_of.group("head") if (kind_of := _KIND_OF.search(text)) else None,
        tasks_of=tasks_of,
        asks_meaning=bool(_ASKS_MEANING.search(text)),
        asks_number=bool(asks_number := _ASKS_NUMBER.search(text)),
        asks_result=_asks_result(text) if asks_number or kind == "deadline" else None,
        places=_places(text),
        persons=persons,
        byline=byline,
        reference=_reference(text),
        posts=_posts(who) if role and who else (),
    )


def _unquoted_formulas(text: str) -> tuple[str, ...]:
    """「三个确保包括哪些」 names the formula 三个确保 without quotes; 「哪两种方式」 asks a count and
    names none, and 「两句话」 is a shape, not a formula.

    >>> _unquoted_formulas("三个确保包括哪些？"), _unquoted_formulas("用哪两种方式买？")
    (('三个确保',), ())
    """
    formulas = []
    for match in NUMBERED_FORMULA.finditer(text):
        if text[match.start() - 1 : match.start()] in _ASKS_COUNT:
            continue
        formula = _formula_named(match.group())
        if formula[-1] not in "字句话" and NUMBERED_FORMULA.fullmatch(formula):
            formulas.append(formula)
    return tuple(formulas)


def _formula_named(formula: str) -> str:
    """A numbered formula as the question names it, without the words that ask about it.

    >>> _formula_named("三大短板指什"), _formula_named("四个有利于")
    ('三大短板', '四个有利于')
    """
    head = re.match(r".+?(?:个|种|项|条|大)", formula)
    start = (head.end() if head else 0) + 2  # the first two words of the head are the formula's
    asking = _FORMULA_ASKING.search(formula, start)
    return formula[: asking.start()] if asking else formula


def _terms(text: str, years: tuple[str, ...]) -> tuple[str, ...]:
    """What the question is about: its tokens without the words of how it asks (scaffold), years and
    role words."""
    scaffold_free = _DOCUMENT_REFERENCE.sub(" ", text)
    for asks in _ASKS_BYLINE.values():
        scaffold_free = asks.sub(" ", scaffold_free)
    for scaffold in _SCAFFOLD:
        scaffold_free = scaffold.sub(lambda match: f" {match.groupdict().get('keep') or ''} ", scaffold_free)
    scaffold_free = _persons_apart(scaffold_free)
    terms = (_without_modal(token) for token in tokenize(scaffold_free))
    return tuple(term for term in dict.fromkeys(terms) if term not in years and not _ROLE_TERM.fullmatch(term))


def _without_modal(token: str) -> str:
    """A token jieba's search mode fused from a modal and a verb (「要建」), as the verb: the document
    writes 「要建强」 or 「建立健全」, and the rare fused token would outweigh the question's nouns.
    Words of their own (要素, 应急, 需求) stay whole.

    >>> _without_modal("要建"), _without_modal("要素"), _without_modal("应急")
    ('建', '要素', '应急')
    """
    if len(token) != 2 or token[0] not in MODALS:
        return token
    words = jieba.posseg.lcut(token)
    return words[1].word if len(words) == 2 and words[1].flag == "v" else token


def _reference(text: str) -> str:
    """The words up to where the question points at a document, if it does: 「广东说的」 of
    「广东说的大湾区新定位是啥」."""
    refers = _REFERS.search(text)
    return text[: refers.end()] if refers else ""


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


def _asks_result(text: str) -> bool | None:
    """Whether a question for a figure or a date asks what was achieved (True) or what is planned
    (False). Elsewhere the words mean other things: 「最后报给谁」, 「“双高计划”是谁搞的」.

    >>> _asks_result("实际完成了多少？"), _asks_result("目标是多少？"), _asks_result("投了多少？")
    (True, False, None)
    """
    return True if _ASKS_RESULT.search(text) else False if _ASKS_PLAN.search(text) else None


def _persons_apart(text: str) -> str:
    """「大会上马书记」 → 「大会上 马书记」: a surname and post start a word, where jieba would read 上马."""
    return SURNAME_AND_POST.sub(lambda match: " " + match.group(), text)


def _places(text: str) -> tuple[str, ...]:
    """Place names (jieba's ``ns``) without their 市/县/区 suffix: documents say 全市 as often as 临江市.

    >>> _places("临江市教育大会上马书记讲了什么？")
    ('临江',)
    """
    words = pos_words(_persons_apart(text))
    names = (re.sub(r"(?<=..)[省市县区镇乡]$", "", word) for word, flag in words if flag == "ns")
    return tuple(dict.fromkeys(name for name in names if len(name) > 1))


def resolve_follow_up(text: str, entity: str) -> str:
    """「那他还负责什么？」 after an answer about 李新同志 → 「李新同志还负责什么？」."""
    if not _PRONOUN.search(text):
        return text
    return _PRONOUN.sub(entity, re.sub(r"^那么?[，]?", "", text), count=1)
