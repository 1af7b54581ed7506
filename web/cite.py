"""The citation list: /cite (the page), /cite.md, /cite.docx and /api/cite, all over kb.cite.resolve.

The list lives in the URL (c=<doc id>/<clause path>, repeated). Without JavaScript the pages' “加入引用清单”
links go to /cite?add=…, which adds to the list last shown (kept in a cookie) and redirects to its URL;
with JavaScript, static/cite.js keeps the list in localStorage and writes the same cookie.
"""
from __future__ import annotations

import io
from urllib.parse import quote, unquote

from flask import Blueprint, current_app, jsonify, make_response, redirect, render_template, request, send_file

from kb import cite, citedoc
from kb.cite import MAX_ITEMS, REPLY_NOTE, CiteError, CiteList, list_url

from . import served
from .errors import PageError
from .render import to_html

bp = Blueprint("cite", __name__)

COOKIE = "cite"
COOKIE_SEPARATOR = "|"            # never left unescaped by quote() nor by JavaScript's encodeURIComponent
COOKIE_DAYS = 90
# browsers drop a cookie over 4096 bytes; a list that long is kept only in its URL (and localStorage)
COOKIE_MAX = 4000
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _refused(exc: CiteError) -> PageError:
    return PageError(400, str(exc))


def _resolve(values: list[str]) -> CiteList:
    try:
        return cite.resolve(served.snapshot(), values)
    except CiteError as exc:
        raise _refused(exc) from None


def _grouped() -> bool:
    return request.args.get("group") == "doc"


def _remembered() -> list[str]:
    raw = request.cookies.get(COOKIE, "")
    # the browser sends what it was given, but a cookie is the client's to change: never more than a list holds
    return [unquote(r) for r in raw.split(COOKIE_SEPARATOR) if r][:MAX_ITEMS]


def _remember(response, refs: list[str]) -> None:
    value = COOKIE_SEPARATOR.join(quote(r, safe="") for r in refs)
    if not value:
        response.delete_cookie(COOKIE, path="/")
    elif len(value) <= COOKIE_MAX:
        response.set_cookie(COOKIE, value, max_age=COOKIE_DAYS * 86400, path="/", samesite="Lax")


def _edits(refs: list[str], group: bool):
    """The URLs of the list with item i removed, or moved by one place."""
    def removed(i: int) -> str:
        return list_url(refs[:i] + refs[i + 1:], group)

    def moved(i: int, step: int) -> str:
        order = list(refs)
        order[i], order[i + step] = order[i + step], order[i]
        return list_url(order, group)
    return removed, moved


@bp.get("/cite")
def page():
    add = request.args.get("add", "").strip()
    if add:
        base = request.args.getlist("c") if "c" in request.args else _remembered()
        try:
            refs = cite.parse([*base, add])
        except CiteError as exc:
            raise _refused(exc) from None
        return redirect(list_url(refs, _grouped()), 303)
    if "c" not in request.args and _remembered():
        return redirect(list_url(_remembered(), _grouped()), 303)
    cl = _resolve(request.args.getlist("c"))
    group = _grouped()
    removed, moved = _edits(cl.refs, group)
    response = make_response(render_template(
        "cite.html", cl=cl, group=group, groups=cl.groups() if group else None, removed=removed, moved=moved,
        list_url=list_url, to_html=to_html, unquote=unquote, reply_note=REPLY_NOTE, max_items=MAX_ITEMS,
        query=list_url(cl.refs).partition("?")[2]))
    _remember(response, cl.refs)
    return response


def _download_list() -> CiteList:
    cl = _resolve(request.args.getlist("c"))
    if not cl.items:
        raise PageError(400, "没有可以引用的条款：" + ("；".join(cl.problems) if cl.problems else
                             "清单是空的。请用 c=<文件编号>/<条款路径> 列出要引用的条款，例如 c=rsbf-2020-11/一。"))
    return cl


def _file(data: bytes, mimetype: str, name: str):
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


@bp.get("/cite.md")
def markdown():
    cl = _download_list()
    text = citedoc.markdown(cl, current_app.config["BASE_URL"], list_url(cl.refs))
    return _file(text.encode("utf-8"), "text/markdown", "引用清单.md")


@bp.get("/cite.docx")
def docx():
    cl = _download_list()
    return _file(citedoc.docx(cl, current_app.config["BASE_URL"], list_url(cl.refs)), DOCX, "引用清单.docx")


@bp.get("/api/cite")
def api():
    return jsonify(_resolve(request.args.getlist("c")).to_json())
