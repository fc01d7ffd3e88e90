"""The Chinese texts of answers. Imports nothing from the project."""

from __future__ import annotations

NOT_FOUND = "未在已收录的文件中找到与「{topic}」相关的明确答案。"
RELATED_SECTIONS = "可能相关的章节：{sections}"
NO_DOCUMENTS = "还没有收录任何文件。请管理员先收录讲话或文件（网页控制台上传、luoshi ingest 或发给 Telegram 机器人）。"
EMPTY_QUESTION = "请输入问题，例如：谁牵头社会治安工作？"

LEAD = "由{lead}牵头"
RESPONSIBLE = "{responsible}负责"
COOPERATE = "{cooperate}配合"
DEADLINE = "时限要求：{deadline}"
SENT_TO = "{verb}{party}"
# A party named with its post or its table column: 「分管领导：王明」「第一责任人：各部门主要负责人」.
TITLED = "{title}：{name}"
SCOPE = "范围：{scope}"
PARTS_JOINER = "，"
SENTENCE_END = "。"
SLOGAN_DEFINITION = "“{term}”：{definition}"
ENUMERATION_JOINER = "；"
TASKS_OF = "{party}承担的任务（共{count}项）："
TASK_LINE = "{number}. {task}"
ALSO_IN = "另见：{titles}"
EARLIER = "此前《{title}》（{date}）：{answer}"
MORE_TASKS = "另有{count}项未列出。"
DEADLINE_ANSWER = "时限要求：{deadline}（{task}）"
# A statement given as it stands, where no reading of it answers: the cadre reads the source.
SOURCE_TEXT = "原文：{text}"
# Who gave a document, where and when, as its head and tail lines say.
BYLINE = "《{title}》{facts}。"
BYLINE_JOINER = "，"
BYLINE_NAMES_JOINER = "、"
BYLINE_FACTS = {
    "speaker": "讲话（报告）人：{value}",
    "issuer": "发文机关：{value}",
    "meeting": "会议：{value}",
    "date": "日期：{value}",
}
