"""Editorial remarks (编者注) inside a unit's text: the library's words among the document's.

Two forms (policies/README.md, 二、正文与编号): a paragraph whose first line starts with 编者注：,
and a span 【编者注：……】 within a line. The text as written keeps them, so search finds their words and
a snippet shows them with their mark; what a citation copies is the text without them (official).
"""
from __future__ import annotations

import re

LABEL = "编者注"
OPEN = "【" + LABEL
# the span form: closed on its own line, nothing of 【】 inside
SPAN = re.compile(rf"【{LABEL}：([^【】\n]*)】")
PARAGRAPH = re.compile(rf"^[ \t\u3000]*{LABEL}：")
_PARAGRAPHS = re.compile(r"\n[ \t\u3000]*\n")
_SPACE = " \t\u3000"


def _paragraphs(text: str) -> list[str]:
    return [p for p in _PARAGRAPHS.split(text) if p.strip()]


def official(text: str) -> str:
    """The text without its remarks: what a citation quotes as the document's words."""
    kept = [SPAN.sub("", p) for p in _paragraphs(text) if not PARAGRAPH.match(p)]
    return "\n\n".join(p.strip() for p in kept if p.strip())


def remarks(text: str) -> list[str]:
    """The remarks of a text in the order written, without their label."""
    out: list[str] = []
    for p in _paragraphs(text):
        if PARAGRAPH.match(p):
            out.append(PARAGRAPH.sub("", p, count=1).strip())
        else:
            out.extend(m.group(1).strip() for m in SPAN.finditer(p))
    return out


def line_problems(line: str) -> list[str]:
    """What is wrong with the remarks one line of text writes ([] when none or all well formed)."""
    problems = []
    stripped = line.lstrip(_SPACE)
    if stripped.startswith(LABEL) and not stripped.startswith(LABEL + "："):
        problems.append(f"“{LABEL}”后须紧跟全角冒号“：”（写作 {LABEL}：……）")
    elif PARAGRAPH.match(line) and not PARAGRAPH.sub("", line, count=1).strip(_SPACE):
        problems.append(f"{LABEL}是空的：请在“{LABEL}：”之后接着写说明文字")
    start = line.find(OPEN)
    while start >= 0:
        span = SPAN.match(line, start)
        rest = line[start + len(OPEN):]
        if span and span.group(1).strip(_SPACE):
            start = line.find(OPEN, span.end())
            continue
        if span:
            problems.append(f"{OPEN}：】是空的：请在冒号后写说明文字，或删去这个括号")
        elif not rest.startswith("："):
            problems.append(f"“{OPEN}”后须紧跟全角冒号“：”（写作 {OPEN}：……】）")
        elif "】" not in rest:
            problems.append(f"{OPEN}：……没有结束：须在同一行内以“】”结束")
        else:
            problems.append(f"{OPEN}：……】里不能再有“【”或“】”（编者注不能套编者注）")
        break
    return problems
