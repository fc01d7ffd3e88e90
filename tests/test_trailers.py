"""Responsibility trailers over whole documents: which measure a trailer covers, and the note that
makes the first unit listed the lead from where the document says so."""

from __future__ import annotations

from collections.abc import Callable

from bot.engine import Engine
from ingest.chunking import sentence_spans
from ingest.conventions.assignments import find_assignments
from vectorstore.ledger import Ledger

OPINION = (
    "一、完善体系\n"
    "（一）推进农机创新。加强基础研究，建设创新中心。（科技部、工业和信息化部负责）\n"
    "（二）补齐短板。加快推广先进适用农机。（农业农村部、发展改革委、财政部等负责。列第一位者为牵头单位，下同）\n"
    "（三）鼓励创新创业。推进商事制度改革，营造良好准入环境。（市场监管总局负责）"
    "鼓励退役运动员投身赛事产业。（体育总局、教育部负责）\n"
)


def roles_by_sentence(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    found = []
    for start, end in sentence_spans(text, fine=False):
        for assignment in find_assignments(text, start, end):
            found.append((text[assignment.start : assignment.end], [(p.name, p.role) for p in assignment.parties]))
    return found


def test_the_first_listed_lead_note_holds_from_where_it_is_said() -> None:
    found = dict(roles_by_sentence(OPINION))
    assert found["加强基础研究，建设创新中心。（科技部、工业和信息化部负责）"] == [
        ("科技部、工业和信息化部", "responsible")
    ]
    assert found["加快推广先进适用农机。（农业农村部、发展改革委、财政部等负责。列第一位者为牵头单位，下同）"] == [
        ("农业农村部", "lead"),
        ("发展改革委、财政部等", "responsible"),
    ]
    assert found["鼓励退役运动员投身赛事产业。（体育总局、教育部负责）"] == [
        ("体育总局", "lead"),
        ("教育部", "responsible"),
    ]


def test_a_trailer_covers_its_measure_not_the_one_before(engine_with: Callable[..., Engine]) -> None:
    engine = engine_with(OPINION)
    tasks = {record.task: record.lead + record.responsible for record in Ledger(engine.store.catalog).directives()}
    assert tasks["鼓励退役运动员投身赛事产业"] == ("体育总局", "教育部")
    assert tasks["（三）鼓励创新创业。推进商事制度改革，营造良好准入环境"] == ("市场监管总局",)
    answer = engine.answer("鼓励退役运动员投身赛事产业，谁牵头？")
    assert answer.found and answer.answer.startswith("由体育总局牵头")
    assert answer.citations[0].quote == "鼓励退役运动员投身赛事产业。（体育总局、教育部负责）"
    answer = engine.answer("补齐短板那条谁牵头，财政部参与吗？")
    assert "农业农村部牵头" in answer.answer and "财政部" in answer.answer
