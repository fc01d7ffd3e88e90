"""The ledger read by the names cadres type: a unit's or a person's tasks, a term's occurrences,
and the glossary of 提法. The storage (:mod:`vectorstore.ledger`) knows no language; the
matching rules are the language layer's (``party_matches``, ``term_matches``).
"""

from __future__ import annotations

from ingest.language.parties import party_matches
from ingest.language.roles import Role
from ingest.language.terms import term_key, term_matches
from vectorstore.ledger import DirectiveRecord, GlossaryEntry, Ledger, SloganRecord


def tasks(
    ledger: Ledger, party: str | None = None, *, doc_id: str | None = None, role: Role | None = None
) -> list[DirectiveRecord]:
    """The directives naming ``party`` as a cadre types it (every directive if None), in ``role`` if
    given, of ``doc_id`` if given, newest documents first.

    「李新」 finds 「李新同志」, 「公安部门」 finds 「县公安部门」, 「各单位」 finds 「各乡镇（办事处）、各单位」.
    """
    if party is None:
        return ledger.directives(doc_id=doc_id, role=role)
    return [
        record
        for record in ledger.directives(doc_id=doc_id)
        if any(party_matches(party, p.name) for p in record.parties if role is None or p.role == role)
    ]


def occurrences(ledger: Ledger, term: str | None = None) -> list[SloganRecord]:
    """The occurrences of ``term`` (every slogan if None); 「马上办」 also finds 「马上办、落实住」."""
    records = ledger.slogans()
    return records if term is None else [record for record in records if term_matches(term, record.term)]


def glossary(ledger: Ledger, term: str | None = None) -> list[GlossaryEntry]:
    """The slogans grouped by term, in order of first occurrence in the newest documents, each with
    the newest definition the documents give."""
    entries: dict[str, list[SloganRecord]] = {}
    for record in occurrences(ledger, term):
        entries.setdefault(term_key(record.term), []).append(record)
    return [
        GlossaryEntry(records[0].term, next((r for r in records if r.definition), None), tuple(records))
        for records in entries.values()
    ]
