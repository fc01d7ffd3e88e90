"""The strategy table runs as declared: its order, and when a strategy's turn ends the search.

A real engine over a temporary folder (real Chroma store, packaged embedding model) reads each
question; ``search`` returns the turns taken, which strategies ran and which one ended the search.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.answers import Citation
from bot.candidates import Candidate, Feature
from bot.engine import Engine
from bot.excerpts import clip
from bot.questions import analyse
from bot.scoring import DEFINITION_BONUS, RANK_BONUS, best, score
from bot.settings import Settings
from bot.strategies.table import search
from tests.conftest import ingest_texts
from vectorstore.embeddings import EmbeddingModel

SPEECH = """在全县重点工作推进会上的讲话
（2025年3月10日）
一、抓项目建设
一要强化项目谋划储备。由县发改局牵头，县财政局、县自然资源局配合，加快建立全县重大项目储备库，6月底前完成首批储备项目入库工作。
二要优化营商环境。坚持马上办的工作作风，群众反映的问题要及时回应。
三要坚持“四个决不”，即该办的事坚决办，决不拖；能办的事马上办，决不推。
二、抓工作落实
推进工作要坚持以下四项原则：统筹兼顾、突出重点、分类施策、务求实效。
三、抓作风建设
各级干部要以“群众满意”为根本标准，改进工作作风。
安全生产实行党政同责、一岗双责、齐抓共管、失职追责。
四、抓督查考核
各乡镇形成年度督查台账，并报县委督查室作为年终考核的重要依据。
要加快构建政府主导、企业主体、社会参与的养老服务体系。
"""

# question → the strategies that take a turn, in order (the last one ends the search when `stops`),
# whether the engine answers, and a text the answer must contain.
CASES = [
    # A ledger hit for a who-question ends the search before any passage is read.
    ("谁牵头建立全县重大项目储备库？", ["ledger roles"], True, True, "由县发改局牵头"),
    # Nothing in the ledger or the passages fits, and no statement covers the question: refused.
    ("谁牵头航天发射场建设？", ["ledger roles", "passage roles", "role source text"], True, False, ""),
    # No convention reads a role, but a statement covers the question: it answers as the source text.
    (
        "安全生产谁负责？",
        ["ledger roles", "passage roles", "role source text"],
        True,
        True,
        "原文：安全生产实行党政同责",
    ),
    # Every task of a party, from the ledger: no passage is read.
    ("县发改局负责什么？", ["ledger tasks"], True, True, "加快建立全县重大项目储备库"),
    # A quoted term no document quotes (马上办 is only written unquoted) is refused, not guessed at.
    ("“马上办”的工作作风是什么？", ["quoted-term guard"], True, False, ""),
    # The same question unquoted is answered by the sentence.
    ("马上办的工作作风是什么？", ["cloze", "other quoted terms", "source sentence"], False, True, "马上办的工作作风"),
    # A meaning asked for is given by a definition or not at all: the search ends after definitions.
    (
        "“四个决不”是什么意思？",
        ["quoted-term guard", "ledger definitions", "passage definitions"],
        True,
        True,
        "该办的事坚决办",
    ),
    # A meaning asked for and not written: the statement that uses the term answers, as the source text.
    (
        "“群众满意”指什么？",
        ["quoted-term guard", "ledger definitions", "passage definitions", "term source text"],
        True,
        True,
        "原文：各级干部要以“群众满意”为根本标准",
    ),
    # The same fall-through refuses when the statement does not cover the question.
    (
        "招商引资中的“群众满意”指什么？",
        ["quoted-term guard", "ledger definitions", "passage definitions", "term source text"],
        True,
        False,
        "",
    ),
    # Items of a kind (四项原则): only the list answers, and the search ends with it.
    (
        "推进工作的四项原则是什么？",
        ["quoted-term guard", "ledger definitions", "passage definitions", "enumeration"],
        True,
        True,
        "统筹兼顾、突出重点、分类施策、务求实效",
    ),
    # A deadline the ledger records ends the search before passages are read for one.
    ("重大项目储备库什么时候完成首批入库？", ["cloze", "ledger deadlines"], True, True, "6月底前"),
    # A cloze's quoted term confirmed by the words after the gap; the sentence is still a candidate.
    ("干部要以什么为根本标准？", ["cloze", "source sentence"], False, True, "群众满意"),
    # Who a result is sent to: the party after the verb that sends it.
    ("督查台账最后报给谁？", ["recipients"], True, True, "报县委督查室"),
    # 「什么样的X」: the clause that describes X before 的.
    (
        "要构建什么样的养老服务体系？",
        ["cloze", "kind described", "source sentence"],
        False,
        True,
        "政府主导、企业主体、社会参与的养老服务体系",
    ),
    # A question about the document itself is answered from its bylines (the only document here)…
    ("这个讲话是哪天讲的？", ["bylines"], True, True, "2025年3月10日"),
    # …or not at all: the speech names no speaker, and its body is not read for one.
    ("这个讲话是谁作的？", ["bylines"], True, False, ""),
]


@pytest.fixture(scope="module")
def engine(embedding_model: EmbeddingModel, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    folder = tmp_path_factory.mktemp("strategies")
    engine = ingest_texts(Engine.open(Settings(data_dir=folder / "data"), embedding_model), folder, SPEECH)
    yield engine
    engine.close()


@pytest.mark.parametrize(("question", "turns", "stops", "found", "needle"), CASES, ids=[c[0] for c in CASES])
def test_strategies_take_turns_as_declared(
    engine: Engine, question: str, turns: list[str], stops: bool, found: bool, needle: str
) -> None:
    taken = search(engine.read(analyse(question)))
    assert [turn.strategy.name for turn in taken] == turns
    assert [turn.stopped for turn in taken] == [False] * (len(turns) - 1) + [stops]
    answer = engine.answer(question)
    assert answer.found is found, answer.answer
    assert needle in answer.answer


@pytest.mark.parametrize(
    ("text", "limit", "clipped"),
    [
        ("加强社会治安防控体系建设", 6, "加强社会治…"),
        ("抓项目", 6, "抓项目"),
        ("抓项目建设", 5, "抓项目建设"),  # exactly the limit: not cut
        ("抓项目建设", 4, "抓项目…"),
    ],
)
def test_clip_cuts_to_the_limit_with_an_ellipsis(text: str, limit: int, clipped: str) -> None:
    assert clip(text, limit) == clipped
    assert len(clip(text, limit)) <= limit


def test_score_adds_rank_bonus_then_features_in_order() -> None:
    citation = Citation("d", "t", "", "q", 0, 1)
    defined = Candidate("a", (citation,), coverage=0.5, rank=1, features=(Feature.DEFINITION,))
    assert score(defined) == 0.5 + RANK_BONUS / 2 + DEFINITION_BONUS
    plain = Candidate("b", (citation,), coverage=0.5, rank=0)
    first_of_equals = Candidate("c", (citation,), coverage=0.5, rank=0)
    assert best([plain, first_of_equals]) is plain
    assert best([plain, defined]) is defined
