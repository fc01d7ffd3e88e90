"""Questions about a document itself (who gave it, where, when) and questions that name a document
loosely (「电商那个意见里」「林副县长讲话里」). A real engine over a temporary store with the packaged
model; the documents are written for these tests in the genres' style."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.engine import Engine
from bot.passages import Coverage
from bot.questions import analyse
from bot.strategies.bylines import from_subjects
from bot.strategies.sources import Subject
from tests.test_bylines import NOTICE, REPORT, WRAPPED
from vectorstore.bylines import Byline

SPEECH = """在全县农业农村工作会议上的讲话
青山县副县长 林志远
（2024年3月8日）
同志们：
今天召开全县农业农村工作会议，主要任务是部署今年农业农村重点工作。
一、抓好粮食生产
县农业农村局要牵头落实粮食播种面积，确保全年粮食总产稳定。
二、抓好农村人居环境整治
各乡镇要持续开展村庄清洁行动，做到垃圾日产日清。
"""
# Two plans alike but for their subject: a question tells them apart by naming one loosely.
COMMERCE = """青山县关于加快发展农村电子商务的实施意见
各乡镇人民政府，县政府各部门：
一、建设服务体系
县商务局要牵头建设县级公共服务中心，年底前投入运营。
二、培育市场主体
支持合作社开设网店，培育一批本土品牌。
"""
LOGISTICS = """青山县关于加快发展农村物流配送的实施意见
各乡镇人民政府，县政府各部门：
一、建设服务体系
县交通运输局要牵头建设县级公共服务中心，年底前投入运营。
二、完善网络节点
推进乡镇物流站点与村级服务点共建共享。
"""


@pytest.fixture
def engine(engine_with: Callable[..., Engine]) -> Engine:
    return engine_with(SPEECH, REPORT, NOTICE, COMMERCE, LOGISTICS)


# (question, what the answer says, the line it quotes)
BYLINE_QUESTIONS = [
    ("林副县长哪天讲的？", "2024年3月8日", "（2024年3月8日）"),
    ("林副县长是在什么会上讲的？", "全县农业农村工作会议", "在全县农业农村工作会议上的讲话"),
    ("临川那份报告是谁作的？", "临川市市长苏文博", "临川市市长 苏文博"),
    ("临川的报告是在哪次会上作的？", "人民代表大会第三次会议", WRAPPED),
    ("污水治理那个意见是什么时候发的？", "2024年5月6日", "2024年5月6日"),
    ("污水治理那个意见是谁发的？", "青山县人民政府办公室", "青山县人民政府办公室"),
]


@pytest.mark.parametrize(("question", "needle", "quote"), BYLINE_QUESTIONS, ids=[q[0] for q in BYLINE_QUESTIONS])
def test_who_where_and_when_are_answered_from_the_lines_that_say_so(
    engine: Engine, question: str, needle: str, quote: str
) -> None:
    answer = engine.answer(question)
    assert answer.found, answer.answer
    assert needle in answer.answer
    assert quote in [citation.quote for citation in answer.citations]
    for citation in answer.citations:  # verbatim: the quote is the original text at its offsets
        original = engine.store.document_text(citation.doc_id).original
        assert original[citation.start : citation.end] == citation.quote


def test_a_document_not_named_is_the_one_the_chat_last_cited(engine: Engine) -> None:
    assert not engine.answer("这份文件是什么时候发的？").found  # five documents: which one?
    first = engine.answer("污水治理方案谁牵头制定？")
    assert first.found and "县生态环境局" in first.answer
    follow_up = engine.answer("这份文件是什么时候发的？", previous=first)
    assert follow_up.found and "2024年5月6日" in follow_up.answer


def test_a_speaker_no_document_has_is_refused(engine: Engine) -> None:
    assert not engine.answer("王书记哪天讲的？").found
    assert not engine.answer("电商那个意见里是谁作的报告？").found  # a notice has no speaker… nor a signature here


def test_a_document_named_loosely_is_the_one_answered_from(engine: Engine) -> None:
    answer = engine.answer("农村电商那个意见里，公共服务中心谁牵头建？")
    assert answer.found and "县商务局" in answer.answer and "交通运输局" not in answer.answer
    assert {citation.title for citation in answer.citations} == {"青山县关于加快发展农村电子商务的实施意见"}
    answer = engine.answer("林副县长讲话里，村庄清洁行动要做到什么？")
    assert answer.found and "垃圾日产日清" in answer.answer


def test_naming_a_document_does_not_answer_what_it_does_not_say(engine: Engine) -> None:
    assert not engine.answer("电商那个意见里，冷链仓储设施谁负责建？").found
    assert not engine.answer("林副县长讲话里，高标准农田建设的目标是多少？").found


def test_bylines_go_with_their_document(engine: Engine) -> None:
    bylines = engine.ledger.bylines()
    notice = next(record.doc_id for record in bylines if record.byline.kind == "issuer")
    assert engine.remove(notice)
    assert notice not in {record.doc_id for record in engine.ledger.bylines()}
    assert not engine.answer("污水治理那个意见是什么时候发的？").found


def test_a_persons_date_is_when_they_spoke_not_when_a_notice_was_signed() -> None:
    head = Byline("speaker", "林志远", "", "林志远同志的讲话摘要", 30, 40)
    signed = Byline("date", "2024年4月2日", "中共青山县委办公室", "中共青山县委办公室 2024 年4 月2 日印发", 90, 112)
    subject = Subject("d", "关于学习全县春耕生产会议精神的通知", 1.0, (head, signed))
    nothing = Coverage((), {})
    assert list(from_subjects(analyse("林副县长哪天讲的？"), [subject], nothing)) == []
    (notice,) = from_subjects(analyse("这份通知什么时候发的？"), [subject], nothing)
    assert "2024年4月2日" in notice.answer and notice.citations[0].quote == signed.quote
