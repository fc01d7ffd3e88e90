"""Glossary notes (名词解释) of 政府工作报告: a numbered term on its line, its definition on the next."""

from __future__ import annotations

from collections.abc import Callable

from bot.engine import Engine
from ingest.slogans import find_slogans

NOTES = (
    "2026年政府工作报告\n"
    "一、工作安排\n"
    "深入推进“四好农村路”建设，加快轨道交通“四网融合”。\n"
    "名词解释\n"
    "1.“四好农村路”：\n"
    "指建好、管好、护好、运营好农村公路。\n"
    "2.轨道交通“四网融合”：\n"
    "指干线铁路、城际铁路、市域（郊）铁路和城市轨道交通的融合。\n"
)


def test_a_note_defines_its_term_on_the_next_line() -> None:
    defined = {m.term: m.definition for m in find_slogans(NOTES) if m.definition}
    assert defined == {
        "四好农村路": "指建好、管好、护好、运营好农村公路",
        "四网融合": "指干线铁路、城际铁路、市域（郊）铁路和城市轨道交通的融合",
    }


def test_a_question_about_the_term_is_answered_from_the_note(engine_with: Callable[..., Engine]) -> None:
    answer = engine_with(NOTES).answer("“四好农村路”是哪四好？")
    assert answer.found and "建好、管好、护好、运营好" in answer.answer
    assert "指建好、管好、护好、运营好农村公路" in answer.citations[0].quote
