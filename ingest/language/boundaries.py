"""Where clauses, sentences and brackets end, in normalised text (full-width punctuation).

>>> [m.group() for m in CLAUSE.finditer("由县发改局牵头，县财政局配合。")]
['由县发改局牵头', '县财政局配合']
"""

from __future__ import annotations

import re

from ingest.language.numerals import ORDINALS
from ingest.language.roles import REQUEST_WORDS, alternation

# 「…，…；…。」: what ends a clause.
CLAUSE_ENDS = "，；：。！？"
# 「…。」: what ends a statement (a sentence); ； does not.
STATEMENT_ENDS = "。！？"
# 「…；」: what ends a sentence when chunks are cut finely.
SENTENCE_ENDS = STATEMENT_ENDS + "；"
# 「“…”」「（…）」: closing marks that belong to the sentence before them.
CLOSING_BRACKETS = "”’）】》"
# 「（市发展改革委牵头）」: brackets that hold a remark on the text before them.
OPEN_BRACKET, CLOSE_BRACKET = "（", "）"

# A clause without its end mark: 「由县发改局牵头」.
CLAUSE = re.compile(f"[^{CLAUSE_ENDS}]+")
# A clause with its end mark: 「由县发改局牵头，」.
CLAUSE_WITH_END = re.compile(f"[^{CLAUSE_ENDS}]+[{CLAUSE_ENDS}]?")
# A sentence for chunking: up to 。！？； or a line end, with closing marks.
SENTENCE = re.compile(f"[^{SENTENCE_ENDS}\\n]*(?:[{SENTENCE_ENDS}]+[{CLOSING_BRACKETS}]*|\\n|$)")
# A statement for extraction: up to 。！？ or a line end, with closing marks.
STATEMENT = re.compile(f"[^{STATEMENT_ENDS}\\n]*(?:[{STATEMENT_ENDS}]+[{CLOSING_BRACKETS}]*|\\n|$)")
# Where a statement stops: 。！？ or a line end.
STATEMENT_END = re.compile(f"[{STATEMENT_ENDS}\\n]")
# 「此外，县财政局要…」「要求各乡镇在…前…」: words that open a clause before its subject.
LEAD_INS = re.compile(
    f"^(?:此外|同时|另外|会后|其中|对此|为此|特别是|尤其是|首先|其次|再次|最后|[{ORDINALS}]是|并|{alternation(REQUEST_WORDS)})[，：]?"
)
