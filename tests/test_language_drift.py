"""Concepts whose copies had drifted apart, now each defined once in ingest/language.

Each case changed an answer while the copies disagreed; these tests hold the one definition to it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot import lookup
from bot.engine import Engine
from ingest.language.parties import is_party, is_person
from ingest.language.roles import MODALS, role_of, words_for
from vectorstore.ledger import Ledger


@pytest.mark.parametrize("modal", MODALS)
def test_every_modal_before_a_lead_word_gives_a_lead(engine_with: Callable[..., Engine], modal: str) -> None:
    """「县应急管理局应当牵头抓好…」 was recorded as responsible and implied: 应当 was missing from one copy."""
    engine = engine_with(f"一、安全生产\n县应急管理局{modal}牵头抓好安全生产专项整治工作。")
    (record,) = Ledger(engine.store.catalog).directives()
    assert record.lead == ("县应急管理局",) and record.responsible == ()
    assert [(p.name, p.role, p.explicit) for p in record.parties] == [("县应急管理局", "lead", True)]


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("县长办公室", False),
        ("县长", True),
        ("张县长", True),
        ("李新同志", True),
        ("县委书记", True),
        ("县财政局", False),
    ],
)
def test_a_post_is_a_person_and_an_office_is_a_unit(name: str, person: bool) -> None:
    """「县长办公室」 counted as a person where one copy searched for 县长 anywhere in the name."""
    assert is_person(name) is person
    assert is_party(name)


def test_a_unit_question_follows_up_on_the_office_not_on_the_next_unit(engine_with: Callable[..., Engine]) -> None:
    engine = engine_with(
        "一、预算工作\n由县长办公室牵头，县财政局负责，做好年度预算编制工作。县长办公室要牵头做好政务公开工作。"
    )
    answer = engine.answer("哪个单位牵头年度预算编制工作？")
    assert answer.found and answer.entity == "县长办公室"
    follow_up = engine.answer("那这个单位还负责什么？", previous=answer)
    assert "政务公开" in follow_up.answer


def test_questions_know_both_registers_and_documents_only_theirs() -> None:
    """The question side knew 挑头/挂帅/领衔 and the document side did not; now one table says which is which."""
    assert role_of("挂帅") == role_of("牵头") == "lead"
    engine_words = {"挂帅", "挑头", "领衔"}
    assert engine_words <= set(words_for("lead"))
    assert not engine_words & set(words_for("lead", register="document"))


def test_party_lookups_match_as_the_language_layer_says(engine_with: Callable[..., Engine]) -> None:
    engine = engine_with("由李新同志牵头，县公安局负责，加强社会治安防控体系建设。")
    ledger = Ledger(engine.store.catalog)
    assert [r.lead for r in lookup.tasks(ledger, "李新")] == [("李新同志",)]
    assert lookup.tasks(ledger, "李新华") == []
    assert len(lookup.tasks(ledger, "公安部门", role="responsible")) == 1
