"""Deterministic ASCII ids for imported documents (Chinese titles have no ASCII form of their own).

An id is a kind prefix, the document's date and a short hash of its title, so the versions of one
law share a recognisable suffix and differ by date: law-20121228-4f1c9a.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from ..refs import find_doc_numbers

PREFIXES = {"法律": "law", "行政法规": "reg", "部门规章": "rule", "地方性法规": "local",
            "司法解释": "jud", "案例": "case"}


def short_hash(*parts: str, length: int = 6) -> str:
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:length]


def document_id(doc_type: str, title: str, date: dt.date | None = None, doc_no: str = "") -> str:
    """From the 文号 when there is one (year and number stay readable), else from title and date."""
    prefix = PREFIXES.get(doc_type, "doc")
    numbers = find_doc_numbers(doc_no) if doc_no else []
    if numbers:
        n = numbers[0]
        return f"{prefix}-{n.year}-{n.number}-{short_hash(n.prefix)}"
    day = f"-{date:%Y%m%d}" if date else ""
    return f"{prefix}{day}-{short_hash(title)}"
