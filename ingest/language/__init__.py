"""The language layer: how Chinese government documents are written and how cadres ask, defined once.

It imports nothing else of the project, so every layer may use it (vectorstore, ingest, bot).

- :mod:`.roles` — role words with their role and register, partner words, modals, prohibitions,
  denials (不再由…); posts (组长, 召集人, 第一责任人), duties (主体责任, 发挥牵头作用), 在…统筹下, 交由….
- :mod:`.parties` — unit suffixes, person titles, place levels, how an address opens (各…/全县…);
  ``is_party``, ``is_person``, ``party_matches``.
- :mod:`.columns` — 任务分工表 and 推广清单 column names, the field each fills, the columns kept as a
  party's title (指导部门, 分管领导).
- :mod:`.boundaries` — clause, sentence and bracket boundaries; lead-ins before a clause's subject.
- :mod:`.terms` — quoted terms, numbered formulas; ``term_matches``.
- :mod:`.numerals` — Chinese numerals.
- :mod:`.times` — deadline expressions and years.
- :mod:`.colloquial` — the words cadres use for the words documents use.
- :mod:`.tokens` — jieba tokens and stop words for BM25 and term coverage.
"""
