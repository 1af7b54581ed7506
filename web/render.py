"""Clause text (Markdown) to safe HTML: raw HTML in a document is shown as text, then sanitised.

The library's remarks (编者注, kb/remarks.py) are set apart: a 编者注： paragraph becomes
<p class="remark">, a 【编者注：…】 span <span class="remark">, each led by a visible 编者注 label.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from kb import remarks

TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote", "a",
        "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub", "span"}
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
CLASSES = {"p": {"remark"}, "span": {"remark", "remark-label", "visually-hidden"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _label(parent: etree.Element, text: str) -> None:
    """The visible 编者注 label first in `parent`, the remark's words after it. The colon is there for copied
    text and screen readers only: shown after the badge, it would wrap to the next line on its own."""
    label = etree.Element("span", {"class": "remark-label"})
    label.text = remarks.LABEL
    etree.SubElement(label, "span", {"class": "visually-hidden"}).text = "："
    label.tail = text
    parent.insert(0, label)


class _Span(InlineProcessor):
    def handleMatch(self, m, data):
        span = etree.Element("span", {"class": "remark"})
        _label(span, m.group(1).strip())
        return span, m.start(0), m.end(0)


class _Paragraph(Treeprocessor):
    def run(self, root):
        for p in root.iter("p"):
            if p.text and remarks.PARAGRAPH.match(p.text):
                p.set("class", "remark")
                _label(p, remarks.PARAGRAPH.sub("", p.text, count=1).lstrip())
                p.text = None


def _converter() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    # documents are text, not markup: without these, <script> would pass through as HTML
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.inlinePatterns.register(_Span(remarks.SPAN.pattern, md), "remark", 200)
    # after the inline patterns (priority 20), so a paragraph's leading text is what it says
    md.treeprocessors.register(_Paragraph(md), "remark", 5)
    return md


def to_html(text: str) -> str:
    html = _converter().convert(text or "")
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, allowed_classes=CLASSES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer nofollow")


def is_web_link(value: str) -> bool:
    """Whether a source may be shown as a link (anything else is shown as plain text)."""
    return value.lower().startswith(("http://", "https://"))
