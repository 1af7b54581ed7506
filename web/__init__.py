"""The web site: Flask pages and a JSON API over the same kb functions as the command line."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from kb.library import Library

from . import api, errors, match, pages, security


def create_app(index_dir: str | Path = "index") -> Flask:
    app = Flask(__name__)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    # one Library per app: it follows the index's `current` link, so rebuilds need no restart
    app.extensions["kb_library"] = Library(index_dir)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    app.register_blueprint(match.bp)
    errors.register(app)
    security.register(app)
    return app
