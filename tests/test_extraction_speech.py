"""Ingest-time extraction of the example speech: every assignment and slogan against the list in
tests/data/example_assignments.json (written by reading the speech), named tasks and verbatim quotes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.reporting.extraction_eval import extract_file, load_expected, score
from ingest.extraction import Extraction
from ingest.normalize import canonical_chars, normalize
from tests.conftest import EXAMPLE_SPEECH, REPO, SEED_QA

EXPECTED_PATH = REPO / "tests" / "data" / "example_assignments.json"
EXPECTED = load_expected(EXPECTED_PATH)


@pytest.fixture(scope="module")
def speech() -> tuple[str, Extraction]:
    return extract_file(EXAMPLE_SPEECH)


# ------------------------------------------------------------------------- the example speech
def test_every_assignment_of_the_example_speech_with_the_right_parties(speech) -> None:
    text, extraction = speech
    result = score(text, extraction, EXPECTED)
    assert result.problems == []
    for role in ("lead", "responsible"):
        tally = result.roles[role]
        assert tally.false_positive == 0 and tally.false_negative == 0, role
    assert result.assignments.precision == 1.0 and result.assignments.recall == 1.0
    assert result.deadlines.precision == 1.0 and result.deadlines.recall == 1.0
    assert result.traps_hit == []
    assert len(extraction.directives) == len(EXPECTED["assignments"])


def test_the_expected_list_covers_every_lead_question_of_the_seed_set() -> None:
    speech = normalize(EXAMPLE_SPEECH.read_text(encoding="utf-8")).text
    items = [json.loads(line) for line in SEED_QA.read_text(encoding="utf-8").splitlines() if line.strip()]
    leads = [item for item in items if item["type"] == "lead"]
    assert len(leads) >= 10
    for item in leads:
        evidence = canonical_chars(item["evidence"])
        position = speech.find(evidence)
        assert position >= 0, item["id"]
        covering = [
            expected
            for expected in EXPECTED["assignments"]
            if abs(speech.find(expected["evidence"]) - position) < 60
            or evidence in expected["evidence"]
            or expected["evidence"] in evidence
        ]
        names = [name for expected in covering for role in ("lead", "responsible") for name in expected.get(role, ())]
        assert any(all(canonical_chars(n) in name for n in item["must_contain"]) for name in names), item["id"]


def test_named_assignments_of_the_speech(speech) -> None:
    text, extraction = speech

    def roles_at(evidence: str) -> dict[str, tuple[str, ...]]:
        position = text.find(evidence)
        for directive in extraction.directives:
            if directive.norm_start <= position < directive.norm_end:
                return {
                    role: tuple(p.name for p in directive.parties if p.role == role)
                    for role in ("lead", "responsible", "cooperate")
                }
        raise AssertionError(f"no directive at {evidence}")

    assert roles_at("由李新同志牵头") == {"lead": ("李新同志",), "responsible": ("县公安部门",), "cooperate": ()}
    assert roles_at("由县信访联席办牵头") == {
        "lead": ("县信访联席办",),
        "responsible": ("各乡镇（办事处）、各单位",),
        "cooperate": (),
    }
    assert roles_at("由各位副县长牵头")["lead"] == ("各位副县长",)
    assert roles_at("各位副县长要带头履行")["responsible"] == ("各位副县长",)
    assert roles_at("县督查局要真正拿起")["responsible"] == ("县督查局",)
    assert roles_at("各乡镇（街道）要抓住农民工返乡")["responsible"] == ("各乡镇（街道）",)


def test_tasks_read_as_tasks_and_quotes_are_verbatim(speech) -> None:
    _, extraction = speech
    original = EXAMPLE_SPEECH.read_text(encoding="utf-8")
    by_lead = {d.parties[0].name: d for d in extraction.directives}
    police = by_lead["李新同志"]
    assert police.task.startswith("加强社会治安防控体系建设，依法打击各类违法犯罪活动")
    assert police.quote.startswith("由李新同志牵头,县公安部门要加强社会治安防控体系建设")
    assert police.section[-1] == "三要全力以赴做好社会治安和信访稳定工作"
    for directive in extraction.directives:
        assert original[directive.start : directive.end] == directive.quote
        for party in directive.parties:
            assert canonical_chars(original[party.start : party.end]) == party.name
    transmit = next(d for d in extraction.directives if d.deadline == "第一时间；事不过夜")
    assert transmit.task.startswith("凡是上级印发的文件、召开的会议精神和领导安排的事项，第一时间运转")


def test_every_quoted_slogan_of_the_speech_and_the_definitions_it_gives(speech) -> None:
    _, extraction = speech
    terms = {slogan.term for slogan in extraction.slogans}
    assert terms == {item["term"] for item in EXPECTED["slogans"]}
    assert not terms & set(EXPECTED["not_slogans"])
    defined = {slogan.term: slogan.definition for slogan in extraction.slogans if slogan.definition}
    assert set(defined) == {"四个决不"}
    assert defined["四个决不"] == (
        "该办的事坚决办，决不拖；能办的事马上办，决不等；难办的事想法办，决不放；合力办的事配合主动办，决不推"
    )
    one_hand = [slogan for slogan in extraction.slogans if slogan.term == "一把手"]
    assert len(one_hand) == 3
    original = EXAMPLE_SPEECH.read_text(encoding="utf-8")
    for slogan in extraction.slogans:
        assert canonical_chars(original[slogan.term_start : slogan.term_end]) == f"“{slogan.term}”"
        assert slogan.start <= slogan.term_start < slogan.term_end <= slogan.end


def test_expected_list_paths() -> None:
    assert (REPO / EXPECTED["document"]).resolve() == Path(EXAMPLE_SPEECH).resolve()
