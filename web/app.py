"""The application factory: the Flask app over one index, its settings checked, its parts registered."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from flask import Flask

from kb.library import Library
from kb.limits import DEFAULT, Limits, Settings

from . import api, cite, errors, feeds, match, pages, preview, security

# where `python -m web` serves by default; it passes the address it was started on (or --base-url)
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def create_app(index_dir: str | Path = "index", config: Mapping[str, Any] | None = None) -> Flask:
    """The site over the index in `index_dir`. `config` overrides Flask settings and the site's own:
    BASE_URL, the address people reach the site at, from which permalinks are written; SEARCH_LIMITS,
    some of kb.limits.Limits' names with their values (the rest keep their defaults); PREVIEW, true when
    served by python -m web --watch: every page lists the problems found in the policy files. A bad setting
    raises ValueError with a Chinese message here, before any request is served."""
    app = Flask(__name__)
    app.config.from_mapping(BASE_URL=DEFAULT_BASE_URL, SEARCH_LIMITS={}, PREVIEW=False)
    if config is not None:
        app.config.from_mapping(config)
    app.config["BASE_URL"] = app.config["BASE_URL"].rstrip("/")
    limits = search_limits(app.config["SEARCH_LIMITS"])
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    # werkzeug answers a path with doubled slashes by redirecting to an address built from the Host
    # header, which any client can forge; no link of the site has one, so such a path is simply not found
    app.url_map.merge_slashes = False
    # one Library per app: it follows the index's `current` link, so rebuilds need no restart
    app.extensions["kb_library"] = Library(index_dir, Settings(limits=limits))
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    app.register_blueprint(match.bp)
    app.register_blueprint(cite.bp)
    app.register_blueprint(feeds.bp)
    errors.register(app)
    security.register(app)
    preview.register(app)
    return app


def search_limits(settings: Any) -> Limits:
    """SEARCH_LIMITS as Limits. The values' types are checked here because Limits checks only their
    sign: a float where a count belongs (max_results=20.5) would fail each search, not the start."""
    if not isinstance(settings, Mapping):
        raise ValueError(f"网站设置 SEARCH_LIMITS 应为“限制名: 数值”的映射，现为 {settings!r}")
    kinds = {f.name: type(getattr(DEFAULT, f.name)) for f in fields(Limits)}
    for name, value in settings.items():
        kind = kinds.get(name)
        if kind and (isinstance(value, bool) or not isinstance(value, (int, kind))):
            wanted = "整数" if kind is int else "秒数"
            raise ValueError(f"网站设置 SEARCH_LIMITS 有误：{name} 应为{wanted}，现为 {value!r}")
    try:
        return Limits.of(settings)
    except ValueError as exc:
        raise ValueError(f"网站设置 SEARCH_LIMITS 有误：{exc}") from None
