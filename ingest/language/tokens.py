"""Chinese tokens for BM25 and for term matching: jieba's search mode minus stop words, and
character bigrams, which do not depend on where jieba cuts (先入区 is 先入/区 to jieba, 入区 in
the document's 境外入区)."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba
import jieba.posseg

jieba.setLogLevel(logging.WARNING)

# Function words and question words: they say how a question is asked, not what it is about.
STOPWORDS = frozenset(
    """的 了 和 与 及 或 是 在 有 也 都 要 把 被 对 为 以 从 向 于 就 而
    并 等 这 那 其 之 着 过 让 给 将 由 中 上 下 里 个 们 我 你 他 她
    它 我们 你们 他们 这个 那个 这些 那些 一个 一些 什么 哪个 哪些 哪里 哪儿
    谁 怎么 怎样 怎么办 如何 多少 几 多 吗 呢 吧 啊 呀 嘛 么 啥 哪 请问 问
    请 一下 是否 能否 可以 应该 需要 具体 主要 方面 情况 问题 内容 工作 相关
    有关 进行 开展 做好 抓好 做到 提出 指 讲 说 讲的 说的 意思 牵头 负责 挑头
    抓总 归口 落实 配合 协助 谁来 来 去 由谁 哪家 哪位 单位 部门 干 管 归 还
    跟 事 时候 啥时候 什么时候 多长 长时间 多长时间 这事 这块 儿 几号 最晚 最迟
    弄 弄完 搞 挂帅 到底 现在 听说 当时 后来 原定 定的 还有 有没有 没有 分别
    什么样 怎么说 原来 一下子 这份 那份 份 该 各 里面 当中 提到 针对 还是""".split()
)
# The words a cadre names the material by (「综保区文件里」「那份意见说」「讲话中提到」): when a
# question refers to the document with them, they say where to look, not what to find. The question
# scaffold removes them in those frames only; elsewhere (「制定实施方案」) they are content.
MATERIAL_NAMES = ("文件", "报告", "讲话", "意见", "方案", "通知", "要点", "材料", "发言", "纪要")
_WORD = re.compile(r"[\w\u3400-\u9fff]")
# A run of Chinese characters, or a run of letters and digits (GDP, 1+X's 1 and X, 3.5).
_RUN = re.compile(r"[\u3400-\u9fff]+|[^\W_\u3400-\u9fff]+(?:\.\d+)?")


@lru_cache(maxsize=1)
def _initialise() -> None:
    jieba.initialize()


def tokenize(text: str) -> list[str]:
    """Lower-cased jieba search-mode tokens without punctuation and stop words."""
    _initialise()
    return [
        token
        for token in (raw.strip().lower() for raw in jieba.cut_for_search(text))
        if token and token not in STOPWORDS and _WORD.search(token)
    ]


# jieba reads a run of characters outside its dictionary with an HMM, at about a millisecond a character
# (4 ms for some). Words run a few characters; a longer run read one character at a time is no text of
# words (「由由由…」), and is segmented with the dictionary alone (see :func:`pos_words`).
_MAX_UNKNOWN_RUN = 16


def pos_words(text: str) -> list[jieba.posseg.pair]:
    """jieba's words of ``text`` with their parts of speech (``jieba.posseg.lcut``); without the HMM
    when a run of more than :data:`_MAX_UNKNOWN_RUN` Chinese characters falls apart into single
    characters, so that no text costs more than its length times a constant.

    >>> [(w.word, w.flag) for w in pos_words("临江市教育局")]
    [('临江市', 'ns'), ('教育局', 'n')]
    >>> len(pos_words("由" * 10000 + "牵头"))
    10001
    """
    _initialise()
    return jieba.posseg.lcut(text, HMM=_longest_unknown_run(text) <= _MAX_UNKNOWN_RUN)


def _longest_unknown_run(text: str) -> int:
    """The longest run of Chinese characters that jieba's dictionary reads one at a time.

    >>> _longest_unknown_run("县财政局由由由牵头")
    3
    """
    longest = run = 0
    for word in jieba.cut(text, HMM=False):
        run = run + 1 if len(word) == 1 and "\u4e00" <= word <= "\u9fff" else 0
        longest = max(longest, run)
    return longest


# What a noun phrase does not open with: 「紧扣…」「积极…」「在…」「各县…」.
_LEADING_FLAGS = ("v", "d", "ad", "p", "r")
# A verb's object is kept only when it is this long: 「登记确认制」 does not end on 「确认制」.
_MIN_OBJECT_CHARS = 4


def object_of(text: str) -> str:
    """The noun phrase a clause ends with: after its last verb or preposition, without the words a
    noun phrase does not open with; ``text`` itself when nothing is left.

    >>> object_of("引导乡镇成立农业社会化服务中心"), object_of("加快建设城乡一体的供水管网")
    ('农业社会化服务中心', '城乡一体的供水管网')
    >>> object_of("完善市场主体登记确认制"), object_of("区域协调的示范样板")
    ('市场主体登记确认制', '区域协调的示范样板')
    >>> object_of("要更多通过行业协会认证机构"), object_of("通过工作项目化")
    ('行业协会认证机构', '工作项目化')
    """
    words = pos_words(text)
    ends = [sum(len(word.word) for word in words[: index + 1]) for index in range(len(words))]
    start = 0
    for index in range(len(words) - 1, -1, -1):
        modifier = index + 1 < len(words) and words[index + 1].word == "的"  # 「协调的示范样板」
        if words[index].flag in {"v", "p"} and not modifier and len(text) - ends[index] >= _MIN_OBJECT_CHARS:
            start = ends[index]
            following = index + 1  # 「加快建设…」: a verbal noun right after the verb is still the verb
            while words[index].flag == "v" and following < len(words) and words[following].flag == "vn":
                if len(text) - ends[following] < _MIN_OBJECT_CHARS:
                    break
                start, following = ends[following], following + 1
            break
    position = start
    for word, end in zip(words, ends, strict=True):
        if end <= start:
            continue
        if word.flag not in _LEADING_FLAGS or len(text) - end < 2:
            break
        position = end
    return text[position:]


def first_item(items: list[str]) -> str:
    """The first item of a list without the words that lead into it: no longer than the others (by
    two characters at most, in whole words), and a noun phrase unless another item opens with a verb.

    >>> first_item(["紧扣全省的创新高地", "全国的开放门户"]), first_item(["要加快推进智慧城市建设", "数字乡村建设"])
    ('全省的创新高地', '智慧城市建设')
    >>> first_item(["增品种", "提品质", "创品牌"])
    '增品种'
    """
    _initialise()
    first, others = items[0], items[1:]
    longest = max((len(item) for item in others), default=len(first)) + 2
    kept = 0
    for word in reversed(jieba.lcut(first)):
        if kept + len(word) > longest:
            break
        kept += len(word)
    head = first[len(first) - (kept or len(first)) :]
    if any(pos_words(item)[0].flag == "v" for item in others if item):
        return head
    return object_of(head)


def bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of each Chinese run (a lone character stands for itself), each
    run of letters or digits as one lower-cased token; bigrams that are stop words are dropped.

    >>> bigrams("综保区先入区、后检测。GDP增长5.5%，2个")
    ['综保', '保区', '区先', '先入', '入区', '后检', '检测', 'gdp', '增长', '5.5', '2']
    >>> bigrams("谁牵头？")
    ['谁牵']
    """
    grams = []
    for run in _RUN.findall(text):
        if not "\u3400" <= run[0] <= "\u9fff" or len(run) == 1:
            grams.append(run.lower())
        else:
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return [gram for gram in grams if gram not in STOPWORDS]
