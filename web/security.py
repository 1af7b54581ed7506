"""Response headers that keep document text inert, and the read-only method policy."""
from __future__ import annotations

from flask import Flask, Response, abort, request

ALLOWED_METHODS = frozenset({"GET", "HEAD"})
# scripts and styles only from this site (no inline code), never framed, forms only to this site
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _read_only():
    if request.method not in ALLOWED_METHODS:
        abort(405, valid_methods=sorted(ALLOWED_METHODS))


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if response.status_code == 405:
        response.headers["Allow"] = ", ".join(sorted(ALLOWED_METHODS))
    return response


def register(app: Flask) -> None:
    app.before_request(_read_only)
    app.after_request(_headers)
