"""Word documents (.docx) through python-docx: body paragraphs and table cells, in order."""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from .structure import Unconvertible


def paragraphs(path: Path) -> list[str]:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Unconvertible(f"不是可读的 Word（.docx）文件：{exc}") from exc
    except OSError as exc:
        raise Unconvertible(f"无法读取文件：{exc.strerror or exc}") from exc
    out: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            # a table row becomes one line of text, cells separated by spaces
            for row in block.rows:
                out.append(" ".join(cell.text.strip() for cell in row.cells if cell.text.strip()))
    if not any(p.strip() for p in out):
        raise Unconvertible("Word 文件中没有文字（可能只有图片或扫描件，需要先识别文字）")
    return out
