"""Atom feeds (RFC 4287) of new and changed documents: /feed.atom for the library, /area/<slug>.atom
per support area. An entry is a document, dated by the last build that added or changed it (the
change record, kb/changes.py) or, before the record holds it, by the document's own date; the newest
first. Every link and id is written from BASE_URL, never from the request's Host header."""
from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, current_app

from kb import changes, periods
from kb.citation import cite, url
from kb.library import Snapshot
from kb.taxonomy import taxonomy

from . import served
from .errors import PageError

bp = Blueprint("feeds", __name__)

ATOM = "http://www.w3.org/2005/Atom"
MOST = 50                       # entries in a feed
CHINA = dt.timezone(dt.timedelta(hours=8))    # a document's date is a day in Beijing
SITE = "惠企政策知识库"
KINDS = {"added": "新增", "changed": "更新"}


def _stamp(day: str) -> str:
    """A document's date (YYYY-MM-DD) as an RFC 3339 time: its start in Beijing."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), CHINA).isoformat()


def _built(snapshot: Snapshot) -> str:
    """When the serving build was made, with its offset (the catalog writes local time)."""
    return dt.datetime.fromisoformat(snapshot.built).astimezone().isoformat(timespec="seconds")


def _el(parent, tag: str, text: str = "", **attrs) -> ET.Element:
    e = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text:
        e.text = text
    return e


def _entry(feed: ET.Element, snapshot: Snapshot, doc_id: str, when: str, kind: str, base: str) -> None:
    d = snapshot.docs[doc_id]
    link = base + url(doc_id)
    entry = _el(feed, "entry")
    _el(entry, "id", link)
    _el(entry, "title", cite(d["title"], d["doc_no"], d["status"]))
    _el(entry, "updated", when)
    if d["date"]:
        _el(entry, "published", _stamp(d["date"]))
    _el(entry, "link", rel="alternate", type="text/html", href=link)
    for area in d["areas"]:
        _el(entry, "category", term=area)
    doc = snapshot.document(doc_id)
    validity = periods.validity(snapshot, doc)
    facts = [f"{KINDS[kind]}于 {when[:10]}" if kind else "",
             f"文号：{d['doc_no']}" if d["doc_no"] else "",
             "效力状态：" + validity.status + (f"（{validity.reason}）" if validity.reason else ""),
             f"执行期限：{periods.document_period(snapshot, doc_id).text()}",
             f"收录范围：{d['coverage']}"]
    _el(entry, "summary", doc.summary or doc.coverage_note or d["title"], type="text")
    _el(entry, "content", "\n".join(f for f in facts if f), type="text")


def _feed(title: str, path: str, page: str, doc_ids: list[str]) -> Response:
    snapshot = served.snapshot()
    base = current_app.config["BASE_URL"]
    last = changes.last_change(changes.read(snapshot.path))
    dated = []
    for doc_id in doc_ids:
        d = snapshot.docs[doc_id]
        when, kind, step = last.get(doc_id) or ((_stamp(d["date"]) if d["date"] else _built(snapshot)), "", -1)
        dated.append((dt.datetime.fromisoformat(when), step, d["date"], doc_id, when, kind))
    # the newest change first; among documents one build brought, the newest document
    dated.sort(reverse=True)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _el(feed, "id", base + path)
    _el(feed, "title", title)
    _el(feed, "updated", dated[0][4] if dated else _built(snapshot))
    _el(_el(feed, "author"), "name", SITE)
    _el(feed, "link", rel="self", type="application/atom+xml", href=base + path)
    _el(feed, "link", rel="alternate", type="text/html", href=base + page)
    for *_, doc_id, when, kind in dated[:MOST]:
        _entry(feed, snapshot, doc_id, when, kind, base)
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body, mimetype="application/atom+xml")


@bp.get("/feed.atom")
def library_feed():
    return _feed(f"{SITE}：新增和更新的文件", "/feed.atom", "/", list(served.snapshot().docs))


@bp.get("/area/<slug>.atom")
def area_feed(slug: str):
    area = taxonomy().area_by_slug(slug)
    if area is None:
        raise PageError(404, f"没有标识为“{slug[:40]}”的支持领域，无法订阅。")
    snapshot = served.snapshot()
    return _feed(f"{SITE}：{area.name}的新增和更新文件", f"/area/{slug}.atom", f"/area/{slug}",
                 [doc_id for doc_id, d in snapshot.docs.items() if area.name in d["areas"]])
