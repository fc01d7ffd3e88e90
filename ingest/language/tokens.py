"""Chinese tokens for BM25 and for term matching: jieba's search mode minus stop words, and
character bigrams, which do not depend on where jieba cuts (先入区 is 先入/区 to jieba, 入区 in
the document's 境外入区)."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba

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
