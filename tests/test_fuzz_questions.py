"""Fuzz: any text a user may type into analyse() and into a real engine's answer() gives a Question and
an Answer, and an answer found quotes its document verbatim (issue 11, "beyond the defects").

Examples are bounded so that the module stays within a minute: analyse() is fast, answer() embeds.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.answers import Answer
from bot.engine import Engine
from bot.question_input import MAX_QUESTION_CHARS
from bot.questions import Question, analyse
from bot.settings import Settings
from tests.conftest import ingest_texts
from vectorstore.embeddings import EmbeddingModel

DOCUMENT = (
    "关于维稳预案的通知\n"
    "一、由县政法委牵头，县公安局、县司法局配合，负责突发事件维稳处置预案修订，6月底前完成。\n"
    "二、坚持“三个一批”，即谋划一批、储备一批、实施一批。县发改局要会同县财政局抓好项目储备。\n"
    "三、各乡镇（街道）要在12月20日前上报“1+N”方案（以下简称“方案”）。\n"
)
# Words and marks of the questions cadres ask, mixed with any text: the fuzz reaches the readers' shapes.
_VOCABULARY = [
    *"由谁哪几什么时候牵头负责配合会同的、，。？！“”‘’（）《》：；\n\t 0123456789+",
    "县政法委",
    "县发改局",
    "三个一批",
    "1+N",
    "24年",
    "什么意思",
    "哪两种",
    "四条原则",
    "八个字",
    "他还负责什么",
    "这份通知里",
    "陈局长哪天讲的",
    "在什么会上",
    "要建什么样的",
    "报给谁",
]
_TEXT = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(_VOCABULARY), max_size=40).map("".join),
    st.tuples(st.sampled_from(_VOCABULARY), st.integers(1, 2 * MAX_QUESTION_CHARS)).map(lambda pair: pair[0] * pair[1]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, st.one_of(st.none(), st.sampled_from(["县政法委", "李新同志", ""])))
@example("由" * 15000 + "牵头", None)
@example("\ufeff\u200b\x00\ud7ff\U0010ffff", "他")
@example("那他还负责什么？", "县政法委")
def test_analyse_reads_any_text(text: str, previous_entity: str | None) -> None:
    question = analyse(text, previous_entity)
    assert isinstance(question, Question)
    assert len(question.text) <= MAX_QUESTION_CHARS + len(previous_entity or "") + 2 * text.count("年")
    assert all(isinstance(term, str) and term for term in question.terms)


@pytest.fixture(scope="module")
def engine(embedding_model: EmbeddingModel, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A real engine over one small notice (shared by this module's examples; they only read)."""
    folder = tmp_path_factory.mktemp("fuzz")
    opened = Engine.open(Settings(data_dir=folder / "data"), embedding_model)
    yield ingest_texts(opened, folder, DOCUMENT)
    opened.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT, follow_up=st.booleans())
@example(text="由" * 15000 + "牵头", follow_up=False)
@example(text="谁牵头负责突发事件维稳处置预案修订？", follow_up=True)
@example(text="", follow_up=False)
def test_answer_gives_an_answer_for_any_text(engine: Engine, text: str, follow_up: bool) -> None:
    previous = engine.answer("谁牵头修订维稳处置预案？") if follow_up else None
    answer = engine.answer(text, previous)
    assert isinstance(answer, Answer)
    assert isinstance(answer.answer, str) and answer.answer
    assert not answer.found or answer.citations
    for citation in answer.citations:
        original = engine.store.document_text(citation.doc_id).original
        assert original[citation.start : citation.end] == citation.quote


def test_a_found_answer_quotes_the_notice(engine: Engine) -> None:
    """The fixture answers: the fuzz above reads a store that can find things."""
    answer = engine.answer("谁牵头负责突发事件维稳处置预案修订？")
    assert answer.found and "县政法委" in answer.answer
