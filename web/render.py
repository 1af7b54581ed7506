"""Clause text (Markdown) to safe HTML: raw HTML in a document is shown as text, then sanitised."""
from __future__ import annotations

import markdown
import nh3

TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote", "a",
        "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _converter() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    # documents are text, not markup: without these, <script> would pass through as HTML
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def to_html(text: str) -> str:
    html = _converter().convert(text or "")
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow")


def is_web_link(value: str) -> bool:
    """Whether a source may be shown as a link (anything else is shown as plain text)."""
    return value.lower().startswith(("http://", "https://"))
