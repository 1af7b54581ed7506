"""Snippets: the best window of a clause's text, HTML-escaped, query words in <mark>.

Made from the stored text and the query's words directly (not from the engine's highlighter, which
mis-handles same-position tokens and costs more than the search itself).
"""
from __future__ import annotations

import re
from html import escape

from .segment import accounts, forms, normalise

WIDTH = 110


def _normalised_with_map(text: str) -> tuple[str, list[int] | range]:
    """Normalised text and, for each of its characters, the index of the original character."""
    norm = normalise(text)
    if len(norm) == len(text):
        # almost always: full-width forms and capitals map one character to one
        return norm, range(len(text))
    out, where = [], []
    for i, ch in enumerate(text):
        n = forms(ch) if not ch.isascii() or ch.isupper() else ch
        out.append(n)
        where.extend([i] * len(n))
    return accounts("".join(out)), where


def spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of the words in text, longest words first."""
    if not words:
        return []
    norm, where = _normalised_with_map(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w))
    found = []
    for m in pattern.finditer(norm):
        found.append((where[m.start()], where[m.end() - 1] + 1))
    return found


def make(text: str, words: list[str], width: int = WIDTH) -> str:
    text = " ".join(text.split())
    found = spans(text, words)
    if len(text) <= width:
        start, end = 0, len(text)
    elif not found:
        start, end = 0, width
    else:
        # the window starting at a match that holds the most distinct words, then the most matches;
        # matches do not overlap, so those within a window starting at match i are i..j-1
        best, best_score, j = found[0][0], -1, 0
        for i, (s, _) in enumerate(found):
            j = max(j, i)
            while j < len(found) and found[j][1] <= s + width:
                j += 1
            inside = found[i:j]
            score = len({text[a:b] for a, b in inside}) * 10 + len(inside)
            if score > best_score:
                best, best_score = s, score
        start = max(0, min(best - 20, len(text) - width))
        end = start + width
    out, pos = [], start
    for s, e in found:
        if s < start or e > end:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")
