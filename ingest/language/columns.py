"""Column names of 任务分工表 (task-division tables) and the field each one fills.

>>> COLUMNS["牵头单位"], COLUMNS["完成时限"], COLUMNS["具体措施"]
('lead', 'deadline', 'task')
"""

from __future__ import annotations

import re
from typing import Literal

from ingest.language.roles import ROLES, alternation

Field = Literal["lead", "responsible", "cooperate", "deadline", "task", "number"]

COLUMNS: dict[str, Field] = {
    # 「牵头单位：县发改局」
    "牵头单位": "lead", "牵头部门": "lead", "牵头领导": "lead", "牵头": "lead", "牵头县领导": "lead",
    "主办单位": "lead", "牵头处室": "lead",
    # 「责任单位：县财政局」
    "责任单位": "responsible", "责任部门": "responsible", "负责单位": "responsible", "主体责任单位": "responsible",
    "承办单位": "responsible", "责任人": "responsible", "负责人": "responsible", "负责处室": "responsible",
    "责任处室": "responsible",
    # 「配合单位：县自然资源局」
    "配合单位": "cooperate", "协办单位": "cooperate", "配合部门": "cooperate", "参与单位": "cooperate",
    "协同单位": "cooperate", "配合责任单位": "cooperate", "配合处室": "cooperate",
    # 「完成时限：2025年6月底前」
    "完成时限": "deadline", "完成时间": "deadline", "完成期限": "deadline", "时间节点": "deadline",
    "时限要求": "deadline", "时间要求": "deadline",
    # 「重点任务：建立项目储备库」
    "重点任务": "task", "工作任务": "task", "主要任务": "task", "任务内容": "task", "工作内容": "task",
    "具体任务": "task", "工作措施": "task", "具体措施": "task", "目标任务": "task", "工作事项": "task",
    "任务名称": "task", "事项名称": "task", "任务": "task", "事项": "task", "工作": "task", "内容": "task",
    # 「序号：1」
    "序号": "number", "编号": "number",
}  # fmt: skip


def column_field(header: str) -> Field | None:
    """The field a header cell fills; 「负责处室/年段」 is read by its first name.

    >>> column_field("负责处室/年段"), column_field("备注")
    ('responsible', None)
    """
    return COLUMNS.get(header.split("/")[0].strip())


def columns_for(*fields: Field) -> tuple[str, ...]:
    """The column names that fill any of ``fields``, longest first (for regex alternations).

    >>> columns_for("deadline")[:2]
    ('完成时限', '完成时间')
    """
    return tuple(sorted((name for name, field in COLUMNS.items() if field in fields), key=len, reverse=True))


# The columns that name a party.
PARTY_COLUMNS: tuple[str, ...] = columns_for(*ROLES)
# 「牵头单位：X；完成时限：Y」: a party or time cell of a row as the readers render tables.
TABLE_FIELD = re.compile(f"({alternation([*PARTY_COLUMNS, *columns_for('deadline')])})：([^；。]+)")
# 「完成时限：2025年6月底前」: a row's time cell.
TABLE_DEADLINE = re.compile(f"(?:{alternation(columns_for('deadline'))})：([^；。]+)")
