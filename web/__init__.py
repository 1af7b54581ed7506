"""The web site: Flask pages and a JSON API over the same kb functions as the command line."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from kb.library import Library

from . import api, errors, match, pages, security

# where `python -m web` serves by default; it passes the address it was started on (or --base-url)
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def create_app(index_dir: str | Path = "index", config: Mapping[str, Any] | None = None) -> Flask:
    """The site over the index in `index_dir`. `config` overrides Flask settings and the site's own:
    BASE_URL, the address people reach the site at, from which permalinks are written."""
    app = Flask(__name__)
    app.config.from_mapping(BASE_URL=DEFAULT_BASE_URL)
    if config is not None:
        app.config.from_mapping(config)
    app.config["BASE_URL"] = app.config["BASE_URL"].rstrip("/")
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    # werkzeug answers a path with doubled slashes by redirecting to an address built from the Host
    # header, which any client can forge; no link of the site has one, so such a path is simply not found
    app.url_map.merge_slashes = False
    # one Library per app: it follows the index's `current` link, so rebuilds need no restart
    app.extensions["kb_library"] = Library(index_dir)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    app.register_blueprint(match.bp)
    errors.register(app)
    security.register(app)
    return app
