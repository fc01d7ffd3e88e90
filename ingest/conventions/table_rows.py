"""Task-division table rows as the readers render them: 「牵头单位：县发改局；责任单位：县财政局；完成时限：年底前。」

A row's cells name its parties by column; when they do, nothing else of the row is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import cast

from ingest.conventions.registry import Party, Statement, convention
from ingest.conventions.spans import party
from ingest.language.columns import COLUMNS, PARTY_COLUMNS, columns_for
from ingest.language.roles import Role, alternation

# 「牵头单位：X；完成时限：Y」: a party or time cell of a table row.
TABLE_FIELD = re.compile(f"({alternation([*PARTY_COLUMNS, *columns_for('deadline')])})：([^；。]+)")
# 「完成时限：2025年6月底前」: a row's time cell.
TABLE_DEADLINE = re.compile(f"(?:{alternation(columns_for('deadline'))})：([^；。]+)")


@convention(
    reads="lead, responsible, cooperate",
    example="重点任务：建立项目储备库；牵头单位：县发改局；责任单位：各乡镇；配合单位：县财政局；完成时限：6月底前。",
    exclusive=True,
)
def table_row(statement: Statement) -> Iterator[Party]:
    """「牵头单位：X；责任单位：Y；配合单位：Z」: each party cell names its party in its column's role."""
    for match in TABLE_FIELD.finditer(statement.segment):
        role = COLUMNS[match.group(1)]
        if role != "deadline":
            value_start = statement.start + match.start(2)
            yield party(match.group(2), cast(Role, role), value_start, explicit=True)
