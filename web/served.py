"""The served knowledge base as a request sees it."""
from __future__ import annotations

from flask import current_app

from kb.library import Snapshot, Library
from kb.limits import Limits
from kb.model import Clause, Document

from .errors import PageError


def library() -> Library:
    return current_app.extensions["kb_library"]


def limits() -> Limits:
    """The limits the library was opened with (the app's SEARCH_LIMITS), for every search a request makes."""
    return library().settings.limits


def snapshot() -> Snapshot:
    return library().current()


def document(b: Snapshot, doc_id: str) -> Document:
    doc = b.document(doc_id)
    if doc is None:
        raise PageError(404, f"知识库中没有编号为“{doc_id[:80]}”的文件。")
    return doc


def clause(doc: Document, path: str) -> Clause:
    found = doc.clause(path)
    if found is None:
        raise PageError(404, f"《{doc.title}》中没有条款“{path[:80]}”。")
    return found
