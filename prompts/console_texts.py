"""The Chinese texts of the web console at ``/``.

The server fills the page's ``{{key}}`` placeholders from :data:`TEXTS` at startup and serves the dict as
``/console/texts.json`` for what the page's scripts show; no user-facing string lives in the JavaScript.
A ``{name}`` in a text is filled by the page (e.g. the file count of an upload).

>>> TEXTS["tab_ask"], TEXTS["upload_progress"].format(done=1, total=3)
('提问', '已上传 1/3 个文件')
"""

from __future__ import annotations

TEXTS: dict[str, str] = {
    # page and login
    "app_title": "落实 · 文件问答与督办台账",
    "app_name": "落实",
    "app_tagline": "讲话稿和政策文件的问答、督办台账",
    "login_heading": "请输入访问密钥",
    "login_label": "访问密钥",
    "login_hint": "访问密钥由系统管理员发放，仅保存在本浏览器标签页中，关闭标签页即失效。",
    "login_button": "登录",
    "login_checking": "正在验证…",
    "login_failed": "访问密钥无效，请核对后重试。",
    "login_expired": "访问密钥已失效，请重新登录。",
    "logout_button": "退出",
    "role_admin": "管理员",
    "role_reader": "查阅",
    "signed_in_as": "{name}（{role}）",
    "no_script": "本页面需要启用 JavaScript。",
    # tabs
    "tab_ask": "提问",
    "tab_ledger": "台账",
    "tab_files": "文件",
    # ask
    "ask_label": "您的问题",
    "ask_placeholder": "例如：谁牵头加强社会治安防控体系建设？",
    "ask_button": "提问",
    "ask_new": "新对话",
    "ask_waiting": "正在查找答案…",
    "ask_hint": "可以接着追问，例如「那他还负责什么？」；点「新对话」重新开始。",
    "ask_empty": "请先输入问题。",
    "answer_heading": "回答",
    "answer_not_found": "未找到依据",
    "sources_heading": "出处",
    "source_expand": "查看原文段落",
    "source_collapse": "收起原文",
    "source_loading": "正在读取原文…",
    "you_asked": "问：",
    # ledger
    "ledger_lead_label": "牵头单位",
    "ledger_lead_placeholder": "例如：县公安局",
    "ledger_doc_label": "文件",
    "ledger_doc_all": "全部文件",
    "ledger_deadline_label": "时限包含",
    "ledger_deadline_placeholder": "例如：2025 或 6月",
    "ledger_search": "查询",
    "ledger_download": "下载 Excel",
    "ledger_downloading": "正在生成 Excel…",
    "ledger_count": "共 {count} 项任务",
    "ledger_empty": "没有符合条件的任务。",
    "ledger_loading": "正在查询…",
    "col_number": "序号",
    "col_task": "任务",
    "col_lead": "牵头",
    "col_responsible": "负责",
    "col_cooperating": "配合",
    "col_deadline": "时限",
    "col_document": "文件",
    "col_section": "章节",
    "ledger_filename": "督办台账.xlsx",
    # files
    "files_heading": "已收录的文件",
    "files_count": "共 {count} 个文件",
    "files_empty": "还没有收录文件。",
    "files_refresh": "刷新",
    "col_title": "标题",
    "col_source": "文件名",
    "col_speaker": "讲话人",
    "col_date": "日期",
    "col_ingested": "收录时间",
    "col_marking": "标记",
    "col_actions": "操作",
    "flag_classified": "密级",
    "flag_internal": "内部",
    "marking_internal_word": "内部",  # a document's marking with this word (「内部资料 注意保存」) is flagged 内部
    "flag_classified_note": "涉密文件：在删除之前，本助手暂停问答服务。",
    "remove_button": "删除",
    "remove_confirm": "确定删除《{title}》吗？删除后不能恢复。",
    "removed": "已删除《{title}》。",
    "upload_heading": "上传文件",
    "upload_files_label": "选择文件（可多选）",
    "upload_folder_label": "选择整个文件夹",
    "upload_hint": "支持 .txt .md .docx .pdf .html；标有密级的文件会被拒收。",
    "upload_progress": "已上传 {done}/{total} 个文件",
    "upload_overall": "总进度",
    "upload_waiting": "等待上传",
    "upload_sending": "正在上传…",
    "upload_processing": "正在收录…",
    "upload_ok": "收录成功",
    "upload_ok_detail": "收录成功：《{title}》，{sections} 节，{directives} 项任务",
    "upload_failed": "上传失败",
    "upload_done": "上传完成：成功 {ok} 个，未收录 {failed} 个。",
    # errors
    "error_network": "无法连接服务器，请检查网络后重试。",
    "error_server": "服务器出错（{status}），请稍后再试。",
    "error_forbidden": "您没有此操作的权限。",
}
