"""The Chinese texts users see about an ingest refused for what a document is (not for how it is stored).

``{detail}`` is the reason's detail, e.g. the mark a document carries.
"""

from __future__ import annotations

CLASSIFIED_REFUSED = "文件标有密级「{detail}」。涉密文件不得通过本系统收录和传播，请按保密规定处理"
