"""Search parameters from a query string, shared by the results page and /api/search."""
from __future__ import annotations

import datetime as dt

from werkzeug.datastructures import MultiDict

from kb.dates import EXPECTED, parse_iso
from kb.filters import FACETS, FILTERS
from kb.query import MAX_QUERY
from kb.search import SearchError

from .errors import PageError

# Characters of q the site accepts: the search forms' maxlength, the check below, and (percent-encoded)
# the request line the server reads (web/__main__.py). Above kb's MAX_QUERY, so a pasted paragraph is
# still searched (its beginning, and the user told); 600 Chinese characters still fit gunicorn's 8190-byte line.
MAX_Q = 600
FILTER_KEYS = tuple(f.key for f in FILTERS)
# facet name in kb.search's results → the filter parameter that selects it
FACET_PARAM = {f.facet: f.key for f in FACETS}


def _integer(args: MultiDict, name: str, default: int, label: str) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SearchError(f"{label}必须是整数，收到的是“{raw[:20]}”") from None


def as_of(args: MultiDict) -> dt.date | None:
    """The date whose measures in force are asked for (as_of=YYYY-MM-DD, what a date input sends)."""
    raw = args.get("as_of", "").strip()
    if not raw:
        return None
    day = parse_iso(raw)
    if day is None:
        raise SearchError(f"日期“{raw[:20]}”无法识别，请写成 {EXPECTED}")
    return day


def search_args(args: MultiDict, limit: int = 10) -> dict:
    """Keyword arguments for kb.search.search; bad values raise SearchError (a 400), a q over MAX_Q a 414."""
    q = args.get("q", "")
    if len(q) > MAX_Q:
        raise PageError(414, f"搜索词太长：最多 {MAX_Q} 个字，这次有 {len(q)} 个字。请删减后再搜索"
                             f"（只有前 {MAX_QUERY} 个字参与检索）。")
    return dict(
        q=q,
        filters={key: args.getlist(key) for key in FILTER_KEYS if args.getlist(key)},
        limit=_integer(args, "limit", limit, "每页条数"),
        page=_integer(args, "page", 1, "页码"),
        sort=args.get("sort", "relevance") or "relevance",
        as_of=as_of(args),
    )
