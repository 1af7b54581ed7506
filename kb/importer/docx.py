"""Word documents (.docx) through python-docx: body paragraphs, with the numbers Word's automatic
lists show (kb/importer/wordlists.py), and tables as Markdown tables, in order."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from .structure import Unconvertible
from .wordlists import Numbering


def _cell(cell) -> str:
    # a Markdown table cell is one line: its paragraphs joined, its bars escaped
    return " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()).replace("|", "\\|")


def markdown_table(table: Table) -> str:
    """A table as Markdown, its first row the header. A merged cell is written once, in its first
    row and column, and left empty where it spans."""
    rows: list[list[str]] = []
    above: list = []
    for row in table.rows:
        cells, previous = [], None
        tcs = [cell._tc for cell in row.cells]
        for col, (cell, tc) in enumerate(zip(row.cells, tcs)):
            spanned = tc is previous or (col < len(above) and tc is above[col])
            cells.append("" if spanned else _cell(cell))
            previous = tc
        rows.append(cells)
        above = tcs
    if not any(any(r) for r in rows):
        return ""
    width = max(len(r) for r in rows)
    lines = ["| " + " | ".join(r + [""] * (width - len(r))) + " |" for r in rows]
    return "\n".join([lines[0], "|" + "---|" * width] + lines[1:])


def paragraphs(path: Path) -> list[str]:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Unconvertible(f"不是可读的 Word（.docx）文件：{exc}") from exc
    except OSError as exc:
        raise Unconvertible(f"无法读取文件：{exc.strerror or exc}") from exc
    numbering = Numbering(document)
    out: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            label, text = numbering.label(block), block.text     # an empty numbered paragraph still counts
            out.append(label + text if text.strip() else text)
        elif isinstance(block, Table):
            out.append(markdown_table(block))
    if not any(p.strip() for p in out):
        raise Unconvertible("Word 文件中没有文字（可能只有图片或扫描件，需要先识别文字）")
    return out
