"""The language layer: how Chinese government documents are written and how cadres ask, defined once.

It imports nothing else of the project, so every layer may use it (vectorstore, ingest, bot).

- :mod:`.roles` — role words with their role and register, partner words, modals, prohibitions,
  denials (不再由…); posts (组长, 召集人, 第一责任人), duties (主体责任, 发挥牵头作用), 在…统筹下, 交由….
- :mod:`.parties` — unit suffixes, person titles, place levels, how an address opens (各…/全县…);
  ``is_party``, ``is_person``, ``party_matches``.
- :mod:`.columns` — 任务分工表 and 推广清单 column names, the field each fills, the columns kept as a
  party's title (指导部门, 分管领导).
- :mod:`.boundaries` — clause, sentence and bracket boundaries; lead-ins before a clause's subject.
- :mod:`.terms` — quoted terms, numbered formulas, aliases (简称/统称/以下称), 「X是指」; ``term_matches``.
- :mod:`.notes` — notes sections (名词解释), note marks in the body (【3】①[2]注1) and how notes are numbered.
- :mod:`.numerals` — Chinese numerals.
- :mod:`.times` — deadline expressions and years.
- :mod:`.colloquial` — the words cadres use for the words documents use; ``abbreviated_in``.
- :mod:`.abbreviations` — short forms (综保区, 民企) and the names documents spell out.
- :mod:`.signatures` — how a document's head and tail say who gave it, where and when; how cadres
  name a speaker (王县长) and a document (报告, 意见, 讲话…).
- :mod:`.marks` — the head's marks: 份号, 密级 and 保密期限 (机密★1年), 内部资料, 紧急程度, 发文机关标志,
  发文字号, 签发人; ``compact`` reads a head line as they are matched.
- :mod:`.tokens` — jieba tokens, character bigrams and stop words for BM25 and term coverage; the
  words a cadre names the material by (文件, 讲话).
"""
