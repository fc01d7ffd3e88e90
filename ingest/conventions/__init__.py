"""Document conventions: the ways official writing assigns work, one registered reader each.

「由县发改局牵头，县财政局具体负责，…」, 「县自然资源局要会同县公安局…」, 「牵头单位：…；责任单位：…」 are
conventions; :mod:`.registry` holds them in the order statements are read with them, and
:mod:`.assignments` cuts statements into tasks and reads each with the registry.

- :mod:`.trailers` — 「…。（X、Y按职责分工负责）」 closing a measure (read first; its parties are the only ones).
- :mod:`.table_rows` — 「牵头单位：X；责任单位：Y」 (its parties are the only ones).
- :mod:`.named_after` — a unit after the word giving its role: 由X牵头, 会同Y, 办公室设在X, 在X统筹下,
  交由X管理, 压实X主体责任.
- :mod:`.posts` — a party given a post: 组长由X担任, X担任召集人, X是第一责任人 (the post kept as its title).
- :mod:`.subjects` — a unit as its clause's subject: X牵头, X要…, 要求X在…前…, X要发挥牵头作用, X会同Y…,
  各…，一定要….
- :mod:`.partners` — the partner after 会同/协同/联合 (read last).

Importing the package registers every convention: the families below are imported in reading order.
"""

# isort: off
from ingest.conventions import trailers, table_rows, named_after, posts, subjects, partners  # noqa: F401
# isort: on
