"""Search parameters from a query string, shared by the results page and /api/search."""
from __future__ import annotations

from werkzeug.datastructures import MultiDict

from kb.search import SearchError

FILTER_KEYS = ("area", "level", "issuer", "enterprise", "status")
# facet field in kb.search's results → the filter parameter that selects it
FACET_PARAM = {"areas": "area", "level": "level", "issuer": "issuer", "enterprise": "enterprise", "status": "status"}


def _integer(args: MultiDict, name: str, default: int, label: str) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SearchError(f"{label}必须是整数，收到的是“{raw[:20]}”") from None


def search_args(args: MultiDict, limit: int = 10) -> dict:
    """Keyword arguments for kb.search.search; bad values raise SearchError (a 400)."""
    return dict(
        q=args.get("q", ""),
        filters={key: args.getlist(key) for key in FILTER_KEYS if args.getlist(key)},
        limit=_integer(args, "limit", limit, "每页条数"),
        page=_integer(args, "page", 1, "页码"),
        sort=args.get("sort", "relevance") or "relevance",
    )
