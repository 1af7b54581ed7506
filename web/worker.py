"""The gunicorn worker: a request that gunicorn refuses by its limits gets the site's Chinese error page.

gunicorn reads the request line and headers before the site sees them, and answers one over its limits
itself, with an English page. Those answers are written here from the site's own error template. The
request is not known then (not even its path), so the answer is the HTML page, also for /api/.
A malformed request, which no browser sends, keeps gunicorn's own answer.
"""
from __future__ import annotations

from flask import Flask
from gunicorn import util
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

from .errors import respond
from .params import MAX_Q

REFUSALS = (
    (LimitRequestLine, 414, f"请求的地址太长，本站无法处理。搜索词最多 {MAX_Q} 个字，请删减后再搜索。"),
    (LimitRequestHeaders, 431, ""),
)


def page(app: Flask, code: int, message: str) -> bytes:
    """The error page as a whole HTTP/1.1 response, with the headers of every page; gunicorn closes
    the connection after it."""
    with app.test_request_context("/"):
        response = app.process_response(app.make_response(respond(code, message)))
    head = [f"HTTP/1.1 {response.status}", *(f"{k}: {v}" for k, v in response.headers.items()), "Connection: close"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + response.get_data()


class Worker(ThreadWorker):
    def handle_error(self, req, client, addr, exc):
        refusal = next(((code, message) for kind, code, message in REFUSALS if isinstance(exc, kind)), None)
        if refusal is None:
            super().handle_error(req, client, addr, exc)
            return
        # the line gunicorn itself logs for a refused request
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, page(self.wsgi, *refusal))
        except OSError:
            self.log.debug("Failed to send error message.")
