"""What kind of source a document's source is, told from its address: 官方, 新闻报道 or 转载.

A government site (gov.cn and its subdomains) publishes the official text; a news organisation's
site reports on it; any other site reposts it, and a reader must check its wording against the
official text. A source that is not a web address is the original file an import read (原文件).
"""
from __future__ import annotations

from urllib.parse import urlsplit

OFFICIAL = "官方"
NEWS = "新闻报道"
REPOST = "转载"
FILE = "原文件"

# a host is of a kind when it is one of these domains or a subdomain of one (big5.www.gov.cn is gov.cn)
RULES = (
    (OFFICIAL, ("gov.cn", "12371.cn")),
    (NEWS, ("news.cn", "xinhuanet.com", "people.com.cn", "cctv.com", "cctv.cn", "cnr.cn", "chinanews.com",
            "chinanews.com.cn", "chinadaily.com.cn", "china.com.cn", "gmw.cn", "ce.cn", "cet.com.cn",
            "thepaper.cn", "bjnews.com.cn", "caixin.com", "yicai.com", "21jingji.com", "cs.com.cn", "stcn.com",
            "cnstock.com", "gscn.com.cn", "gansudaily.com.cn", "sdnews.com.cn", "finet.hk")),
)
# the order a page lists sources in: the official text first
ORDER = (OFFICIAL, NEWS, REPOST, FILE)


def _host(source: str) -> str:
    parts = urlsplit(source.strip())
    return (parts.hostname or "") if parts.scheme in ("http", "https") else ""


def kind(source: str) -> str:
    host = _host(source)
    if not host:
        return FILE
    for name, domains in RULES:
        if any(host == d or host.endswith("." + d) for d in domains):
            return name
    return REPOST


def ordered(sources: list[str]) -> list[tuple[str, str]]:
    """(source, kind) pairs, official ones first, each kind in the order written."""
    return sorted(((s, kind(s)) for s in sources), key=lambda pair: ORDER.index(pair[1]))


def has_official(sources: list[str]) -> bool:
    return any(kind(s) == OFFICIAL for s in sources)
