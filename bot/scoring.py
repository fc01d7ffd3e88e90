"""The scorer: every bonus and penalty a candidate can earn, and the choice of the best candidate.

A candidate's score is its coverage (the idf-weighted share of the question its supporting text
covers), plus a small bonus for a passage retrieval ranked high, plus the bonus of each feature
its strategy found, added in the order found. The gate (:mod:`bot.gate`) compares the score
with its threshold.

>>> round(score(Candidate("…", (), coverage=0.5, rank=0, features=(Feature.DEADLINE,))), 2)  # 0.5 + 0.03 + 0.05
0.58
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.candidates import Candidate, Feature
from vectorstore.catalog import DocumentRecord

# Retrieval's own order breaks near-ties: the top passage earns this, the n-th passage this / n.
RANK_BONUS = 0.03
# The role asked for is stated (「由X牵头」), not implied by a sentence's subject.
EXPLICIT_ROLE_BONUS = 0.05
# A definition answers "what does the term mean" better than any sentence that uses the term.
DEFINITION_BONUS = 0.3
# The question names one item of a listing term (「马上办」 of 「马上办、落实住」): the list answers.
WHOLE_LIST_BONUS = 0.2
# A list of the shape asked for (so many items, a shared affix, of the kind asked) is the answer.
LIST_FOUND_BONUS = 0.1
# Parallel short sentences of one section make a list, less surely than a written-out one.
PARALLEL_SENTENCES_BONUS = 0.05
# The question's words on both sides of the gap (以“…”为根本) confirm the quoted term in it.
CLOZE_CONFIRMED_BONUS = 0.15
# Only the words before the gap are there: the quoted term in it is likely, not confirmed.
CLOZE_UNCONFIRMED_BONUS = 0.05
# The words on both sides are there but nothing is quoted in the gap: the clause between answers.
CLOZE_CLAUSE_BONUS = 0.05
# 「什么样的X」 and a clause that describes X before 的: that clause answers.
KIND_DESCRIBED_BONUS = 0.05
# A slogan question answered with another quoted term of the passage is a guess: below its sentence.
OTHER_TERM_PENALTY = -0.05
# A deadline question is answered by a statement that names a time limit (passages and ledger alike).
DEADLINE_BONUS = 0.05
# The question's year is one of its terms: a statement of that year covers it.
YEAR_STATED_BONUS = 0.1
# Only the document's date says the statement is of the year asked.
YEAR_DATED_BONUS = 0.05

# A statement that no convention reads answers a who-question only if it covers the question well: it
# may name the topic without assigning it (「部署开展…活动」 for 「…由哪个部门牵头」). Chosen on the
# tuning half of the real development set (0.05–0.2 tried; 0.05 answered most, refused the same).
UNREAD_ROLE_PENALTY = -0.05
BONUSES: dict[Feature, float] = {
    Feature.EXPLICIT_ROLE: EXPLICIT_ROLE_BONUS,
    Feature.DEFINITION: DEFINITION_BONUS,
    Feature.WHOLE_LIST: WHOLE_LIST_BONUS,
    Feature.LIST_FOUND: LIST_FOUND_BONUS,
    Feature.PARALLEL_SENTENCES: PARALLEL_SENTENCES_BONUS,
    Feature.CLOZE_CONFIRMED: CLOZE_CONFIRMED_BONUS,
    Feature.CLOZE_UNCONFIRMED: CLOZE_UNCONFIRMED_BONUS,
    Feature.CLOZE_CLAUSE: CLOZE_CLAUSE_BONUS,
    Feature.KIND_DESCRIBED: KIND_DESCRIBED_BONUS,
    Feature.OTHER_TERM: OTHER_TERM_PENALTY,
    Feature.DEADLINE: DEADLINE_BONUS,
    Feature.YEAR_STATED: YEAR_STATED_BONUS,
    Feature.YEAR_DATED: YEAR_DATED_BONUS,
    Feature.UNREAD_ROLE: UNREAD_ROLE_PENALTY,
}

# Every task of the party a question names (「李新负责什么？」): the list is the whole answer.
FULL_COVERAGE = 1.0
# Candidates this close to the best count as equally good; the newest document wins among them.
RECENCY_MARGIN = 0.05
# Ledger records of two documents that score this close may be the same task, assigned again.
SAME_TASK_MARGIN = 0.2
# Among windows of clauses that cover a question alike, the shorter wins: this much per character.
WINDOW_CHAR_PENALTY = 0.001


def score(candidate: Candidate) -> float:
    """The candidate's score: coverage, then the rank bonus, then each feature's bonus in order."""
    total = candidate.coverage
    if candidate.rank is not None:
        total += RANK_BONUS / (1 + candidate.rank)
    for feature in candidate.features:
        total += BONUSES[feature]
    return total


def window_score(covered: float, length: int) -> float:
    """A window of clauses: what it covers of the question, less a little for each character."""
    return covered - WINDOW_CHAR_PENALTY * length


def best(candidates: Iterable[Candidate]) -> Candidate | None:
    """The highest-scoring candidate (the first of equals)."""
    top: Candidate | None = None
    top_score = 0.0
    for candidate in candidates:
        candidate_score = score(candidate)
        if top is None or candidate_score > top_score:
            top, top_score = candidate, candidate_score
    return top


def newest_of_best(candidates: list[Candidate], records: dict[str, DocumentRecord]) -> Candidate | None:
    """The best candidate; among near-equals from several documents, the newest document's
    (document date, else ingest time): a later speech supersedes an earlier one."""
    top = best(candidates)
    if top is None:
        return None
    recency = {doc_id: (record.date or "", record.ingested_at) for doc_id, record in records.items()}
    floor = score(top) - RECENCY_MARGIN
    close = [c for c in candidates if c.citations and score(c) >= floor]
    return max(close, key=lambda c: (recency.get(c.citations[0].doc_id, ("", "")), score(c)), default=top)
