"""Bylines read from a document's head and tail: who gave it, at which meeting, on which date, who
signed it. Table-driven over texts written for these tests in the genres' style; no model needed."""

from __future__ import annotations

import pytest

from ingest.bylines import find_bylines

SPEECH = "在全县农业农村工作会议上的讲话\n青山县副县长 林志远\n（2024年3月8日）\n同志们：\n今天召开会议。\n"
WRAPPED = "——2025年1月9日在临川市第七届\n人民代表大会第三次会议上"
REPORT = (
    "2025年临川市政府工作报告\n——2025年1月9日在临川市第七届\n人民代表大会第三次会议上\n临川市市长 苏文博\n"
    "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n"
)
NOTICE = (
    "青山县人民政府办公室关于加快推进农村生活污水治理的实施意见\n各乡镇人民政府，县政府各部门：\n"
    "为加快推进农村生活污水治理，现提出如下意见。\n县生态环境局要牵头制定治理方案，年底前完成。\n"
    "青山县人民政府办公室\n2024年5月6日\n（此件公开发布）\n"
)

# (text, the bylines read as (kind, value, post, quote))
CASES = [
    (
        SPEECH,
        [
            ("meeting", "全县农业农村工作会议", "", "在全县农业农村工作会议上的讲话"),
            ("speaker", "林志远", "青山县副县长", "青山县副县长 林志远"),
            ("date", "2024年3月8日", "", "（2024年3月8日）"),
        ],
    ),
    # A meeting line wrapped over two lines is read as one and quoted whole; its date is read too.
    (
        REPORT,
        [
            ("meeting", "临川市第七届人民代表大会第三次会议", "", WRAPPED),
            ("date", "2025年1月9日", "", WRAPPED),
            ("speaker", "苏文博", "临川市市长", "临川市市长 苏文博"),
        ],
    ),
    # A notice is signed at its end: the unit over a bare date.
    (
        NOTICE,
        [
            ("issuer", "青山县人民政府办公室", "", "青山县人民政府办公室"),
            ("date", "2024年5月6日", "青山县人民政府办公室", "2024年5月6日"),
        ],
    ),
    # A name spaced out under the title, the date first; a bracketed date is no signature's date.
    (
        "在全市招商引资推进会上的讲话\n（2023年6月2日）\n周 卫 平\n同志们：\n招商引资是经济工作的生命线。\n",
        [
            ("meeting", "全市招商引资推进会", "", "在全市招商引资推进会上的讲话"),
            ("date", "2023年6月2日", "", "（2023年6月2日）"),
            ("speaker", "周卫平", "", "周 卫 平"),
        ],
    ),
    # The name and post open the title.
    (
        "何建明局长在全县教育工作会议上的讲话\n同志们：\n",
        [
            ("meeting", "全县教育工作会议", "", "何建明局长在全县教育工作会议上的讲话"),
            ("speaker", "何建明", "局长", "何建明局长在全县教育工作会议上的讲话"),
        ],
    ),
    # A compilation heads each speech with its speaker; its 版记 signs and dates it on one line.
    (
        "关于学习全县春耕生产会议精神的通知\n各科室：\n现将有关讲话摘要印发给你们，请认真学习。\n"
        "林志远同志的讲话摘要\n一要抓好春耕备耕。\n苏文博同志在全县春耕生产会议上的讲话\n二要抓好农资供应。\n"
        "中共青山县委办公室 2024 年4 月2 日印发\n",
        [
            ("speaker", "林志远", "", "林志远同志的讲话摘要"),
            ("speaker", "苏文博", "", "苏文博同志在全县春耕生产会议上的讲话"),
            ("meeting", "全县春耕生产会议", "", "苏文博同志在全县春耕生产会议上的讲话"),
            ("issuer", "中共青山县委办公室", "", "中共青山县委办公室 2024 年4 月2 日印发"),
            ("date", "2024年4月2日", "中共青山县委办公室", "中共青山县委办公室 2024 年4 月2 日印发"),
        ],
    ),
    # Body text is not a head: a meeting named in a sentence, a short line over a date, a plain list.
    ("一、工作要求\n重大疑难问题由县政府常务会研究解决。\n附件\n2024年5月6日\n", []),
    ("关于公布2024年度工作要点的通知\n一、总体要求\n坚持稳中求进。\n", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[case[0][:12] for case in CASES])
def test_bylines_are_read_from_heads_and_tails(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    found = find_bylines(text)
    assert [(b.kind, b.value, b.post, b.quote) for b in found] == expected
    assert all(text[b.start : b.end] == b.quote for b in found)
