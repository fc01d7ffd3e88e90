"""What a cadre's question asks: its kind, the role it wants, and its shape (cloze, list, term)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import jieba

from bot.answers import QuestionKind
from ingest.directives import Role
from ingest.normalize import canonical_chars
from ingest.slogans import NUMBERED_FORMULA
from vectorstore.tokenizer import tokenize

_LEAD = re.compile(r"牵头|挑头|抓总|领衔|主抓|统筹|带头抓")
_COOPERATE = re.compile(r"配合|协助|协同|协办")
_RESPONSIBLE = re.compile(
    r"谁[来去]?(?:负责|抓|管|落实|承担|办|干|做|要)|由谁|归谁|谁的(?:事|任务|活|责任)|哪(?:个|些|家|一个)?(?:部门|单位|局|机构|领导)"
    r"|什么(?:部门|单位)|负责(?:单位|部门)|责任(?:单位|部门|人)|归哪|哪[个些]?[\u4e00-\u9fff]{0,2}(?:管|负责|抓)|是谁|谁"
)
_DEADLINE = re.compile(r"什么时候|何时|多久|多快|多长时间|时限|期限|截止|几月|哪天|完成时间|时间节点|时间要求|前完成|要多快|几号|哪一年")
_SLOGAN = re.compile(
    r"指什么|指的是|什么意思|啥意思|是什么|是啥|说的是啥|含义|内涵|提法|哪几[个句条项种]|哪[一二三四五六七八九十两\d]+[个句条项种]"
    r"|什么(?:方针|原则|要求|机制|责任制|精神|理念|思路|目标|口号)|哪些要求|都有哪些|包括哪些|有哪几"
)
_PRONOUN = re.compile(r"他们|她们|他|她|它|该同志|这位同志|该单位|这个单位|该部门|这个部门|该局|这个局")
_ENUMERATION = re.compile(
    r"哪“?(?:几|(?P<count>[一二三四五六七八九十两\d]+))(?P<counter>个|种|项|条|句|大)?[“]?(?P<affix>[\u4e00-\u9fff]{1,4}?)[”]?[？?。]?$"
)
_CLOZE = re.compile(r"(?P<left>[\u4e00-\u9fff“”]{1,8})(?:什么|啥)(?P<right>[\u4e00-\u9fff]{0,3})")
_SCAFFOLD = re.compile(r"的(?:任务|事|事儿|活|工作|职责)(?=[？。]?$)|哪“?(?:几|[一二三四五六七八九十两\d]+)(?:个|种|项|条|句话?|大)|具体指什么|指什么|什么意思|啥意思|是什么|是啥")
_CN_NUMBERS = {c: i + 1 for i, c in enumerate("一二三四五六七八九十")} | {"两": 2}
_TASKS_OF = re.compile(r"^(?P<party>[\u4e00-\u9fff（）]{2,20}?)(?:还|都|主要|具体)?(?:负责|牵头|承担|要做|要抓|分管|管)(?:了)?(?:哪些|什么|啥)")


@dataclass(frozen=True)
class Enumeration:
    """A question for a list: 哪几个快 (affix 快), 哪“三个以” (count 3, affix 以)."""

    affix: str
    count: int | None
    counter: str | None


@dataclass(frozen=True)
class Question:
    """A question, analysed."""

    text: str
    kind: QuestionKind
    role: Role | None
    wants_unit: bool
    terms: tuple[str, ...]
    quoted: tuple[str, ...]
    enumeration: Enumeration | None
    cloze: tuple[str, str] | None
    tasks_of: str | None


def analyse(question: str, previous_entity: str | None = None) -> Question:
    """Classify ``question`` and pull out what the answerer needs."""
    text = canonical_chars(question.strip())
    if previous_entity:
        text = resolve_follow_up(text, previous_entity)
    quoted = tuple(re.findall(r"“([^“”]{1,30})”", text)) or tuple(NUMBERED_FORMULA.findall(text))
    role: Role | None = None
    if _LEAD.search(text):
        role = "lead"
    elif _COOPERATE.search(text):
        role = "cooperate"
    elif _RESPONSIBLE.search(text):
        role = "responsible"
    tasks = _TASKS_OF.match(text)
    tasks_of = tasks.group("party") if tasks and not re.search(r"谁|哪", tasks.group("party")) else None
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
    scaffold_free = _SCAFFOLD.sub(" ", text)
    terms = tuple(dict.fromkeys(tokenize(scaffold_free)))
    return Question(
        text=text,
        kind=kind,
        role=role,
        wants_unit=bool(re.search(r"哪(?:个|些|家|一个)?(?:部门|单位|局|机构)|什么(?:部门|单位)", text)),
        terms=terms,
        quoted=quoted,
        enumeration=enumeration,
        cloze=cloze,
        tasks_of=tasks_of,
    )


def resolve_follow_up(text: str, entity: str) -> str:
    """「那他还负责什么？」 after an answer about 李新同志 → 「李新同志还负责什么？」."""
    if not _PRONOUN.search(text):
        return text
    return _PRONOUN.sub(entity, re.sub(r"^那么?[，]?", "", text), count=1)


def _enumeration(text: str) -> Enumeration | None:
    match = _ENUMERATION.search(text)
    if not match:
        return None
    count_text = match.group("count")
    count = None
    if count_text:
        count = int(count_text) if count_text.isdigit() else _CN_NUMBERS.get(count_text)
    affix = match.group("affix")
    counter = match.group("counter")
    if counter == "句" or affix in {"话", "句话"}:
        return Enumeration("", count, "句")
    return Enumeration(affix, count, counter)


def _cloze(text: str) -> tuple[str, str] | None:
    match = _CLOZE.search(text)
    if not match:
        return None
    words = [word for word in jieba.lcut(match.group("left")) if word not in {"要", "是", "的", "都"}]
    return (words[-1], match.group("right")) if words else None

