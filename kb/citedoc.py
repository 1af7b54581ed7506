"""A citation list written out for a reply file: Markdown and Word (.docx, python-docx).

Both hold the same things in the same order: the reply draft, then each cited clause (heading,
citation, validity, coverage, text), then a table of the documents' sources.
"""
from __future__ import annotations

import io

from .cite import REPLY_NOTE, CiteList, reply_lines

TITLE = "引用清单"
SOURCE_COLUMNS = ("文件", "效力状态", "收录范围", "来源", "条目")


def _source_rows(cl: CiteList) -> list[tuple[str, ...]]:
    numbers = {item.ref: n for n, item in enumerate(cl.items, 1)}
    return [(doc.title + (f"（{doc.doc_no}）" if doc.doc_no else ""), doc.status, doc.coverage,
             "\n".join(doc.sources) or "未记录来源",
             "、".join(str(numbers[i.ref]) for i in items))
            for doc, items in cl.groups()]


def _intro(cl: CiteList, base_url: str, list_url: str) -> str:
    text = f"共 {len(cl.items)} 条。"
    return text + (f"清单地址：{base_url}{list_url}" if list_url else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def markdown(cl: CiteList, base_url: str = "", list_url: str = "") -> str:
    out = [f"# {TITLE}", "", _intro(cl, base_url, list_url), ""]
    if cl.problems:
        out += ["## 未能引用", "", *(f"- {p}" for p in cl.problems), ""]
    out += ["## 答复用语（草稿）", ""]
    for line in reply_lines(cl.items):
        out += [line, ""]
    out += [f"*{REPLY_NOTE}*", "", "## 引用条款", ""]
    for n, item in enumerate(cl.items, 1):
        out += [f"### {n}. {item.heading}", "", f"**{item.citation}**", ""]
        out += [*(f"> {line}  " for line in item.remarks), ""]
        for part in item.parts:
            if part.heading:
                out += [f"**{part.heading}**", ""]
            out += [part.text, ""]
        out += [f"本库链接：{base_url}{item.url}", ""]
    out += ["## 来源", "", "| " + " | ".join(SOURCE_COLUMNS) + " |", "|" + "---|" * len(SOURCE_COLUMNS)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in _source_rows(cl)]
    return "\n".join(out) + "\n"


def _east_asian_font(document, font: str = "宋体") -> None:
    """Chinese text in a Chinese face: python-docx's template names none for East Asian script."""
    from docx.oxml.ns import qn

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        fonts = document.styles[name].element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), font)


def docx(cl: CiteList, base_url: str = "", list_url: str = "") -> bytes:
    # imported here: python-docx and lxml would slow the start of every process that only searches
    from docx import Document

    document = Document()
    _east_asian_font(document)
    document.core_properties.title = TITLE
    document.add_heading(TITLE, 0)
    document.add_paragraph(_intro(cl, base_url, list_url))
    if cl.problems:
        document.add_heading("未能引用", 1)
        for problem in cl.problems:
            document.add_paragraph(problem, style="List Bullet")
    document.add_heading("答复用语（草稿）", 1)
    for line in reply_lines(cl.items):
        document.add_paragraph(line)
    document.add_paragraph().add_run(REPLY_NOTE).italic = True
    document.add_heading("引用条款", 1)
    for n, item in enumerate(cl.items, 1):
        document.add_heading(f"{n}. {item.heading}", 2)
        document.add_paragraph().add_run(item.citation).bold = True
        for line in item.remarks:
            document.add_paragraph(line, style="Intense Quote")
        for part in item.parts:
            if part.heading:
                document.add_heading(part.heading, 3)
            for paragraph in part.text.split("\n"):
                if paragraph.strip():
                    document.add_paragraph(paragraph.strip())
        document.add_paragraph(f"本库链接：{base_url}{item.url}")
    document.add_heading("来源", 1)
    rows = _source_rows(cl)
    table = document.add_table(rows=1 + len(rows), cols=len(SOURCE_COLUMNS))
    table.style = "Table Grid"
    for row, values in zip(table.rows, [SOURCE_COLUMNS, *rows]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
