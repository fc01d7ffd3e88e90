"""Tables in plain text: TABs between cells survive normalisation, a row is one statement, and rows
are never joined as hard-wrapped lines."""

from __future__ import annotations

from ingest.chunking import sentence_spans
from ingest.normalize import normalize

TABLE = (
    "\t附件：重点工作清单\n"
    "序号\t子项目\t任务落实及措施\t完成时间\t负责处室/年段\t配合处室\t负责人\n"
    "10—3\t运行机制\t制定学苑章程。建立专家委员会等运行制度。\t1月底前\t党政办\t\t刘 明\n"
)


def test_cell_tabs_are_kept_and_layout_tabs_are_not() -> None:
    text = normalize(TABLE).text
    assert text.startswith("附件：重点工作清单\n")  # a TAB before a line's text is layout
    assert (
        "10—3\t运行机制\t制定学苑章程。建立专家委员会等运行制度。\t1月底前\t党政办\t\t刘明\n" in text
    )  # empty cell kept


def test_a_row_is_one_statement_whatever_its_cells_say() -> None:
    text = normalize(TABLE).text
    rows = [text[start:end] for start, end in sentence_spans(text, fine=False) if text[start:end].startswith("10—3")]
    assert rows == ["10—3\t运行机制\t制定学苑章程。建立专家委员会等运行制度。\t1月底前\t党政办\t\t刘明"]


def test_long_rows_are_not_joined_as_hard_wrapped_lines() -> None:
    cell = "推进学校治理现代化建设并完善制度体系"
    rows = "".join(f"{n}\t{cell * 2}\t{cell * 2}\t党政办\n" for n in range(1, 8))
    text = normalize("序号\t任务\t措施\t负责处室\n" + rows).text
    assert text.count("\n") == 8
