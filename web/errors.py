"""Errors as a Chinese page, or as JSON under /api/: never a traceback."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from kb.layout import IndexUnavailable
from kb.search import SearchError

TITLES = {
    400: "请求有误",
    404: "没有找到这个页面",
    405: "不支持这种请求方式",
    414: "请求的地址太长",
    431: "请求头太大",
    500: "服务器出错了",
    503: "知识库暂时不可用",
}
DEFAULT_MESSAGES = {
    400: "请求的参数不正确。",
    404: "地址可能有误，或者这份文件、这个条款不在知识库中。",
    405: "本站只提供查阅（GET、HEAD 请求）。",
    431: "浏览器发来的请求头（如 Cookie）太大，本站无法处理。请清除本站的 Cookie 后再试。",
    500: "处理请求时发生了意外错误，已记录在服务器日志中。请稍后再试，或回到首页重新搜索。",
    503: "索引尚未建立或正在重建，请稍后刷新。",
}


class PageError(HTTPException):
    """An error whose message (Chinese, for the user) is known where it happens."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def respond(code: int, message: str = ""):
    message = message or DEFAULT_MESSAGES.get(code, "")
    if request.path.startswith("/api/"):
        return jsonify(error=message, status=code), code
    return render_template("error.html", code=code, title=TITLES.get(code, "出错了"), message=message), code


def _http(exc: HTTPException):
    return respond(exc.code or 500, getattr(exc, "message", ""))


def _search_error(exc: SearchError):
    return respond(400, str(exc))


def _unavailable(exc: IndexUnavailable):
    # kb words it in Chinese with what to do (build the index, rebuild a torn one): more use than the generic text
    current_app.logger.warning("index unavailable: %s", exc)
    return respond(503, str(exc))


def _unexpected(exc: Exception):
    current_app.logger.exception("unhandled error on %s", request.path)
    return respond(500)


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(SearchError, _search_error)
    app.register_error_handler(IndexUnavailable, _unavailable)
    app.register_error_handler(Exception, _unexpected)
