"""Column names of 任务分工表 (task-division tables) and 推广清单 (lists of measures to roll out), and the
field of the ledger each one fills.

>>> COLUMNS["牵头单位"], COLUMNS["完成时限"], COLUMNS["具体措施"], COLUMNS["推广范围"]
('lead', 'deadline', 'task', 'scope')
"""

from __future__ import annotations

import re
from typing import Literal

from ingest.language.roles import ROLES, alternation

Field = Literal["lead", "responsible", "cooperate", "deadline", "task", "number", "scope"]

COLUMNS: dict[str, Field] = {
    # 「牵头单位：县发改局」
    "牵头单位": "lead", "牵头部门": "lead", "牵头领导": "lead", "牵头": "lead", "牵头县领导": "lead",
    "主办单位": "lead", "牵头处室": "lead",
    # 「指导部门：科技部」「分管领导：王明」: who guides or oversees the task leads it (the column is kept as the
    # party's title, see TITLED_COLUMNS)
    "指导部门": "lead", "指导单位": "lead", "分管领导": "lead", "分管县领导": "lead", "分管市领导": "lead",
    "分管校领导": "lead", "分管校长": "lead",
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
    "主要内容": "task", "改革举措": "task", "项目名称": "task",
    # 「推广范围：全国」: where the task applies
    "推广范围": "scope", "适用范围": "scope", "实施范围": "scope", "试点范围": "scope", "覆盖范围": "scope",
    # 「序号：1」
    "序号": "number", "编号": "number",
}  # fmt: skip


# Columns whose name says more than the role they fill, kept as the title of the party they name:
# a 指导部门 guides, a 分管领导 oversees, a 负责人 answers in person for the unit's task.
TITLED_COLUMNS: frozenset[str] = frozenset(
    {"指导部门", "指导单位", "分管领导", "分管县领导", "分管市领导", "分管校领导", "分管校长", "负责人", "责任人"}
)


def column_name(header: str) -> str:
    """A header cell as the table above names it: 「负责处室/年段」 by its first name, 「主 要 内 容」 unspaced.

    >>> column_name("负责处室/年段"), column_name("主 要 内 容")
    ('负责处室', '主要内容')
    """
    return re.sub(r"\s+", "", header.split("/")[0])


def column_field(header: str) -> Field | None:
    """The field a header cell fills.

    >>> column_field("负责处室/年段"), column_field("指导部门"), column_field("备注")
    ('responsible', 'lead', None)
    """
    return COLUMNS.get(column_name(header))


def column_title(header: str) -> str | None:
    """The title a column gives the party it names, when its role alone does not say it.

    >>> column_title("分管领导"), column_title("牵头单位")
    ('分管领导', None)
    """
    name = column_name(header)
    return name if name in TITLED_COLUMNS else None


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
# 「推广范围：全国」: a row's scope cell.
TABLE_SCOPE = re.compile(f"(?:{alternation(columns_for('scope'))})：([^；。]+)")
