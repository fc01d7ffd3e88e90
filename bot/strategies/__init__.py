"""Answer strategies: each reads the retrieved passages or the ledger and proposes candidates.

:mod:`.table` declares the strategies in the order they are tried and when each ends the search;
the other modules generate candidates by what they answer (roles, tasks of a party, terms, lists,
cloze gaps, sentences and deadlines).
"""
