"""The 文号 rule of GB/T 9704-2012 (kb/docno.py): the year in full inside 〔〕, no 第 and no leading
zeros before the sequence number; orders and announcements keep their 第. Checked by `kb check`
with the fix named, and applied by the importer, which says what the source wrote."""
from __future__ import annotations

import docx
import pytest

from kb.check import check_paths
from kb.cli import main as kb
from kb.docformat import parse_file
from kb.docno import problems, standard
from kb.importer import import_sources

HEAD = ("---\nid: doc-a\ntitle: 测试文件\ntype: 通知\nlevel: 省\nstatus: 已失效\ncoverage: 官方全文\n"
        "sources: [http://example.org]\ndoc_no: {doc_no}\n---\n\n## 一、总则\n\n正文。\n")


@pytest.mark.parametrize("written, fixed, faults", [
    ("甘发[2020]05号", "甘发〔2020〕5号", ["年份用六角括号〔〕括入，不用“[]”", "序号不编虚位，不写作“05”"]),
    ("甘发（2020）第5号", "甘发〔2020〕5号", ["年份用六角括号〔〕括入，不用“（）”", "序号前不加“第”"]),
    ("甘发〔2020〕第005号", "甘发〔2020〕5号", ["序号前不加“第”", "序号不编虚位，不写作“005”"]),
    ("甘发 〔２０２０〕 5号", "甘发〔2020〕5号", ["数字用半角阿拉伯数字", "文号中间不留空格"]),
])
def test_a_wrongly_written_number_is_named_with_its_fix(written, fixed, faults):
    assert standard(written) == fixed
    assert problems(written) == [f"文号“{written}”不符合 GB/T 9704-2012：{'；'.join(faults)}，应写作“{fixed}”"]


def test_a_shortened_year_is_named_but_not_guessed():
    assert standard("甘发〔20〕5号") == "甘发〔20〕5号"
    assert problems("甘发〔20〕5号") == ["文号“甘发〔20〕5号”不符合 GB/T 9704-2012：年份写全四位，不简写为“20”，请按原文补全年份"]


@pytest.mark.parametrize("doc_no", ["甘发〔2020〕5号", "国办发〔2020〕6号", "人社部发〔2020〕11号", "国务院令第493号",
                                    "中华人民共和国国务院令第731号", "财政部 税务总局公告2020年第8号", "待填写"])
def test_standard_numbers_orders_and_announcements_pass(doc_no):
    assert problems(doc_no) == [] and standard(doc_no) == doc_no


def test_kb_check_names_the_line_and_the_fix(tmp_path, capsys):
    f = tmp_path / "a.md"
    f.write_text(HEAD.format(doc_no="甘发[2020]05号"), encoding="utf-8")
    [problem] = check_paths([f])[1]
    assert problem.line == 9 and problem.message.endswith("应写作“甘发〔2020〕5号”")
    assert kb(["check", str(f)]) == 1
    assert f"{f}:9: 文号“甘发[2020]05号”不符合 GB/T 9704-2012" in capsys.readouterr().err
    f.write_text(HEAD.format(doc_no="国务院令第493号"), encoding="utf-8")
    assert check_paths([f])[1] == []


def test_the_importer_writes_the_standard_number_and_says_what_the_source_wrote(tmp_path):
    document = docx.Document()
    for text in ("甘肃省人民政府关于示例措施的通知", "甘政发[2020]05号", "一、示例措施。对企业免收房租。",
                 "甘肃省人民政府", "2020年2月14日"):
        document.add_paragraph(text)
    document.save(tmp_path / "通知.docx")
    [o] = import_sources([str(tmp_path / "通知.docx")], tmp_path / "out")
    assert parse_file(o.path).fields["doc_no"] == "甘政发〔2020〕5号"
    line = next(l for l in o.path.read_text(encoding="utf-8").split("\n") if l.startswith("doc_no:"))
    assert line == "doc_no: 甘政发〔2020〕5号  # 原文写作“甘政发[2020]05号”，已按 GB/T 9704-2012 改写"
    assert not any("文号" in p.message for p in o.problems)
