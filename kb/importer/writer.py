"""The project's Markdown written from an import: front matter, title, body; checked, then saved.

A draft is rendered to text and parsed back with kb.docformat before anything is written, so an
import can be judged (clauses identical to the source's) and a file is never left half-written.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..check import validate
from ..docformat import ParsedFile, parse_text
from ..schema import FRONT_MATTER, PLACEHOLDER, TextList


@dataclass
class Draft:
    """A document as an importer understood it, before it is written."""
    fields: dict
    body: list[str]                                      # Markdown lines after the title
    labels: list[str] = field(default_factory=list)     # clause labels as the source numbers them
    comments: dict[str, str] = field(default_factory=dict)   # field → why it is marked 待填写

    @property
    def id(self) -> str:
        return self.fields["id"]

    @property
    def unknown(self) -> list[str]:
        return [k for k, v in self.fields.items() if PLACEHOLDER in str(v)]


def _value(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return yaml.safe_dump(list(value), allow_unicode=True, default_flow_style=True, width=10**6).strip()
    return yaml.safe_dump(value, allow_unicode=True, default_style=None, width=10**6).strip().removesuffix("\n...").strip()


def render(draft: Draft) -> str:
    lines = ["---"]
    for f in FRONT_MATTER:         # in the schema's order, the order a writer reads them
        value = draft.fields.get(f.key)
        if value in (None, "", []):
            continue
        if isinstance(f, TextList) and f.one_per_line:
            lines.append(f"{f.key}:")
            lines.extend(f"  - {_value(v)}" for v in value)
            continue
        comment = draft.comments.get(f.key)
        lines.append(f"{f.key}: {_value(value)}" + (f"  # {comment}" if comment else ""))
    lines += ["---", "", f"# {draft.fields['title']}", ""]
    body = list(draft.body)
    while body and not body[-1].strip():
        body.pop()
    return "\n".join(lines + body) + "\n"


def parse(draft: Draft, path: str) -> tuple[str, ParsedFile, list]:
    """The rendered text, its parse, and the checker's problems with it."""
    text = render(draft)
    parsed = parse_text(path, text)
    return text, parsed, validate(parsed)


def write_atomic(path: Path, text: str) -> None:
    """Write whole or not at all: a temporary file in the same folder, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
