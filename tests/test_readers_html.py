"""Readers, HTML: visible text only, headings, declared and detected charsets, data tables vs layout tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reader_files import heading_texts, read

HTML = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>县政府办公室关于做好安全生产工作的通知</title>
<style>p {{ color: red; }}</style><script>var tracker = "不应出现";</script></head>
<body>
<nav><a href="/">首页</a> | <a href="/news">新闻</a></nav>
<!-- 注释不应出现 -->
<h2>一、落实安全责任</h2>
<p>各乡镇要<b>压实</b>属地责任，
县应急局要加强督导。</p>
<div>请于<span>3月31日</span>前报送。<br>联系电话：1234567</div>
<table>
<tr><th>序号</th><th>重点任务</th><th>牵头单位</th></tr>
<tr><td>1</td><td>开展隐患排查</td><td>县应急局</td></tr>
<tr><td>2</td><td>加强宣传</td><td></td></tr>
</table>
<p style="display:none">隐藏内容</p>
<script>document.write("也不应出现");</script>
</body></html>
"""


@pytest.mark.parametrize(("charset", "encoding"), [("utf-8", "utf-8"), ("gb2312", "gb18030")])
def test_html_page(tmp_path: Path, charset: str, encoding: str) -> None:
    data = HTML.format(charset=charset).encode(encoding)
    extracted = read(tmp_path, "通知.html", data)
    assert extracted.text.split("\n") == [
        "一、落实安全责任",
        "各乡镇要压实属地责任，县应急局要加强督导。",
        "请于3月31日前报送。",
        "联系电话：1234567",
        "序号：1；重点任务：开展隐患排查；牵头单位：县应急局。",
        "序号：2；重点任务：加强宣传。",
    ]
    assert heading_texts(extracted) == [("一、落实安全责任", 2)]
    assert extracted.title == "县政府办公室关于做好安全生产工作的通知"
    assert extracted.encoding == encoding


def test_htm_without_declared_charset_is_detected(tmp_path: Path) -> None:
    data = "<html><body><h1>会议纪要</h1><p>正文 第一段。</p></body></html>".encode("gbk")
    extracted = read(tmp_path, "纪要.htm", data)
    assert extracted.text == "会议纪要\n正文 第一段。"
    assert heading_texts(extracted) == [("会议纪要", 1)]
    assert extracted.title is None
    assert extracted.encoding == "gb18030"


def test_html_rowspan_and_colspan(tmp_path: Path) -> None:
    data = """<table>
    <tr><th>任务</th><th>牵头单位</th><th>完成时限</th></tr>
    <tr><td>巡查河道</td><td rowspan="2">县水利局</td><td>5月底</td></tr>
    <tr><td>清理淤泥</td><td>6月底</td></tr>
    <tr><td colspan="2">汛期值守</td><td>全年</td></tr>
    </table>""".encode()
    extracted = read(tmp_path, "表.html", data)
    assert extracted.text.split("\n") == [
        "任务：巡查河道；牵头单位：县水利局；完成时限：5月底。",
        "任务：清理淤泥；牵头单位：县水利局；完成时限：6月底。",
        "任务：汛期值守；完成时限：全年。",
    ]


def test_html_layout_table_is_read_as_blocks(tmp_path: Path) -> None:
    data = """<table>
    <tr><td><a href="/">本站首页</a></td><td><h1>关于防汛的通知</h1><p>各乡镇：</p>
      <table><tr><th>任务</th><th>牵头单位</th></tr><tr><td>巡查河道</td><td>县水利局</td></tr></table>
    </td></tr>
    <tr><td>版权所有</td><td></td></tr>
    </table>""".encode()
    extracted = read(tmp_path, "页面.html", data)
    assert extracted.text.split("\n") == [
        "本站首页",
        "关于防汛的通知",
        "各乡镇：",
        "任务：巡查河道；牵头单位：县水利局。",
        "版权所有",
    ]
    assert heading_texts(extracted) == [("关于防汛的通知", 1)]
