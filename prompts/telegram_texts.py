"""The Chinese texts users see in Telegram. Plain text templates: callers HTML-escape the values.

Kept in one place, apart from the bot's logic, so that the wording can be reviewed and changed alone.
"""

from __future__ import annotations

from prompts.channel_texts import QUESTION_TOO_LONG, RATE_LIMITED, SERVICE_WITHHELD

__all__ = ["QUESTION_TOO_LONG", "RATE_LIMITED", "SERVICE_WITHHELD"]  # shared with the other channels

# Commands registered with set_my_commands: (command, description shown in Telegram's menu).
USER_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "开始使用"),
    ("help", "使用说明和示例问题"),
    ("ask", "提问（群聊中使用：/ask 问题）"),
    ("docs", "查看已收录的文件（最新在前）"),
    ("source", "查看上一回答第 N 条出处的原文：/source N"),
    ("tasks", "督办台账：/tasks 单位；加「导出」得 Excel 表"),
    ("slogans", "提法词汇表：/slogans 或 /slogans 提法"),
)
ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("stats", "统计信息（管理员）"),
    ("remove", "删除已收录的文件：/remove 编号（管理员）"),
)

EXAMPLE_QUESTIONS: tuple[str, ...] = (
    "谁牵头加强社会治安防控体系建设？",
    "信访稳定工作具体谁负责落实？",
    "“四个决不”具体指什么？",
    "上级文件和会议精神要多快传达交办？",
)

WELCOME = (
    "您好！我是「落实」助手。\n"
    "请直接用中文提问讲话稿和政策文件里的工作部署，比如谁牵头、谁负责、什么时限、某个提法指什么。"
    "每个回答都会注明出处（文件、章节）并引用原文。\n"
    "发送 /help 查看示例问题。"
)

HELP_HEADER = "「落实」助手使用说明"
HELP_PRIVATE = "私聊：直接发送问题即可。"
HELP_GROUP = "群聊：@我、回复我的消息，或发送 /ask 问题。"
HELP_FOLLOW_UP = "可以接着追问，例如先问「谁牵头加强社会治安防控体系建设？」，再问「那他还负责什么？」。"
HELP_SOURCES = "回答下方的「原文 1」「原文 2」按钮可查看出处所在的原文段落；也可发送 /source 1。"
HELP_COMMANDS = (
    "/docs 查看已收录的文件\n"
    "/tasks 单位 查看该单位的任务分工（督办台账），/tasks 单位 导出 得到 Excel 表\n"
    "/slogans 查看提法及其含义"
)
HELP_EXAMPLES = "示例问题："
HELP_ADMIN_HEADER = "管理员"
HELP_ADMIN = (
    "私聊发送文件即可收录（支持 .txt .md .docx .pdf .html）。\n"
    "可在文件说明（caption）中注明标题、讲话人、日期、会议，例如：\n"
    "标题：全县经济工作会议讲话 讲话人：王县长 日期：2024-12-20 会议：全县经济工作会议\n"
    "也可写成：title=… speaker=… date=2024-12-20 meeting=…\n"
    "只写一行文字时视为标题。同一文件重复发送不会重复收录；同名文件内容变化时替换旧版本。\n"
    "/remove 编号 删除文件（编号见 /docs）\n"
    "/stats 查看统计"
)

REFUSE_USER = "抱歉，本助手仅向已开通的用户提供服务。\n您的 Telegram 用户 ID 是 {user_id}，如需开通请联系管理员。"
REFUSE_CHAT = "抱歉，本群尚未开通「落实」助手（群 ID：{chat_id}）。如需开通请联系管理员。"
REFUSE_ADMIN_ONLY = "抱歉，该操作仅限管理员。"
REFUSE_UPLOAD = "抱歉，只有管理员可以上传文件收录。"
ASK_USAGE = "请在 /ask 后面写上问题，例如：/ask 谁牵头加强社会治安防控体系建设？"
QUESTION_EMPTY = "请发送一个问题，例如：谁牵头加强社会治安防控体系建设？"

ANSWER_LABEL = "答："
SOURCES_LABEL = "出处"
RELATED_LABEL = "相关章节："
SOURCE_BUTTON = "原文 {n}"
BACK_BUTTON = "返回回答"
SOURCE_HEADER = "原文 {n}"
SOURCE_NO_CONTEXT = "请先提一个问题，再用 /source N 查看该回答第 N 条出处的原文。"
SOURCE_USAGE = "用法：/source N（N 为出处编号，例如 /source 1）"
SOURCE_OUT_OF_RANGE = "上一个回答只有 {count} 条出处，请用 /source 1 到 /source {count}。"
SOURCE_NONE = "上一个回答没有出处可查看。"
SOURCE_EXPIRED = "这个回答已过期，请重新提问。"
SOURCE_UNAVAILABLE = "原文暂时无法读取（文件可能已被删除）。"

DOCS_EMPTY = "还没有收录任何文件。"
DOCS_HEADER = "已收录文件（共 {count} 篇，最新在前）"
DOCS_MORE = "……另有 {count} 篇未列出。"
DOCS_ID = "编号"
DOCS_INGESTED = "收录于"
DOCS_CHUNKS = "文段 {count}"
DOCS_MARKING = "⚠ 标注「{marking}」：内部文件，请勿外传"
DOCS_CLASSIFIED = "⛔ 涉密文件（{marking}）：本助手在它被删除前暂停服务"

STATS_HEADER = "统计"
STATS_LABELS: dict[str, str] = {
    "documents": "文件",
    "chunks": "文段",
    "sections": "章节",
    "directives": "任务分工",
    "slogans": "提法",
}
STATS_ACTIVE_CHATS = "近期活跃会话"
REMOVE_USAGE = "用法：/remove 编号（编号见 /docs）"
REMOVE_DONE = "已删除文件 {doc_id}。"
REMOVE_NOT_FOUND = "没有找到编号为 {doc_id} 的文件。"

UPLOAD_RECEIVED = "已收到《{name}》（{size}），正在下载……"
UPLOAD_PROCESSING = "正在解析《{name}》并建立索引，请稍候……"
UPLOAD_UNSUPPORTED = "《{name}》无法收录：不支持的文件类型（支持 {suffixes}）"
UPLOAD_TOO_LARGE = "《{name}》无法收录：文件 {size} 超过上限 {limit}。"
UPLOAD_TOO_LARGE_TELEGRAM = (
    "《{name}》无法收录：Telegram 官方接口只允许机器人下载 20 MB 以内的文件。"
    "可以拆分文件，或由运维配置自建 Bot API 服务器（LUOSHI_TELEGRAM_BASE_URL）。"
)
UPLOAD_TOO_LARGE_DOWNLOAD = "《{name}》无法收录：文件超过上限 {limit}，已停止下载。"
UPLOAD_DOWNLOAD_FAILED = "《{name}》下载失败，请稍后重新发送。"
UPLOAD_BAD_CAPTION = "文件说明无法识别：{reason}"
UPLOAD_BAD_DATE = "日期「{value}」无法识别，请写成 2024-12-20"
UPLOAD_FAILED = "《{name}》收录失败：内部错误，已记录日志，请联系运维。"

INGEST_STATUS: dict[str, str] = {
    "added": "已收录",
    "replaced": "已更新（替换了旧版本）",
    "unchanged": "内容与已收录版本相同，未做改动",
    "duplicate": "与已收录的文件内容相同，未重复收录",
}
INGEST_ID = "编号"
INGEST_COUNTS = "章节 {sections} 个 · 文段 {chunks} 个 · 任务分工 {directives} 条"

ERROR_GENERIC = "抱歉，处理时出了点问题，请稍后再试。"

TASKS_EMPTY = "已收录的文件中没有找到任务分工。"
TASKS_EMPTY_FOR = "已收录的文件中没有找到「{party}」承担的任务。"
TASKS_HEADER = "督办台账（共 {count} 项任务，最新文件在前）"
TASKS_HEADER_FOR = "「{party}」承担的任务（共 {count} 项，最新文件在前）"
TASKS_MORE = "……另有 {count} 项未列出，请点「导出 Excel」或发送 /tasks {argument}导出 获取完整台账。"
TASK_LEAD = "牵头"
TASK_RESPONSIBLE = "负责"
TASK_COOPERATE = "配合"
TASK_DEADLINE = "时限"
TASKS_EXPORT_BUTTON = "导出 Excel"
TASKS_EXPORT_CAPTION = "督办台账：{scope}，共 {count} 项任务。"
TASKS_EXPORT_ALL = "全部任务"
TASKS_EXPORT_FILE = "督办台账"
TASKS_EXPORT_WORDS = ("导出", "xlsx", "excel", "表格", "台账")
TASKS_EXPORTING = "正在生成台账……"

SLOGANS_EMPTY = "已收录的文件中没有找到提法。"
SLOGANS_EMPTY_FOR = "已收录的文件中没有找到提法「{term}」。"
SLOGANS_HEADER = "提法（共 {count} 个）"
SLOGANS_NO_DEFINITION = "文中未给出具体含义"
SLOGANS_OCCURRENCES = "出现 {count} 次"
SLOGANS_MORE = "……另有 {count} 个未列出，可发送 /slogans 提法 查看某一个。"
