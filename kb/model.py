"""The document model: what a policy document and its citable units are."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import remarks
from .schema import FRONT_MATTER


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source file, reported as path:line: message."""
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Clause:
    """A citable unit: 一、/（一）/1./（1） in policy documents, 第X条 in laws, 附件一 after either."""
    path: str                 # 三/（一）/2 or 第八十二条
    label: str                # as written: 三, （一）, 2, 第八十二条之一
    system: str               # policy | law | point (要点) | annex
    level: int
    number: int
    sub: int
    heading: str
    text: str                 # as written, the library's remarks (编者注, kb/remarks.py) in place
    line: int
    context: list[str] = field(default_factory=list)   # headings above it: 章/节, parent units
    meta: dict = field(default_factory=dict)           # as written in its meta block
    areas: list[str] = field(default_factory=list)     # own or inherited
    parent: str = ""

    @property
    def display_heading(self) -> str:
        return self.heading or (self.context[-1] if self.context else "")

    @property
    def official_text(self) -> str:
        """The text without the library's remarks (编者注): what a citation quotes."""
        return remarks.official(self.text)

    @property
    def remarks(self) -> list[str]:
        """The library's remarks in the text (编者注：…, 【编者注：…】), in order."""
        return remarks.remarks(self.text)


@dataclass(kw_only=True)
@FRONT_MATTER.add_fields
class Document:
    """A document: one attribute per front-matter field of kb/schema.py, then what its body holds."""
    preamble: str = ""
    clauses: list[Clause] = field(default_factory=list)
    source_path: str = ""

    @property
    def expired(self) -> bool:
        return self.status == "已失效"

    @property
    def has_remarks(self) -> bool:
        """Whether the library's remarks (编者注) stand anywhere in its text, preamble included."""
        return bool(remarks.remarks(self.preamble)) or any(c.remarks for c in self.clauses)

    def clause(self, path: str) -> Clause | None:
        return next((c for c in self.clauses if c.path == path), None)

    def to_json(self) -> dict:
        # shallow (dataclasses.asdict deep-copies every clause: a tenth of a large build's time);
        # the result is only serialised, never changed
        data = dict(vars(self), clauses=[dict(vars(c)) for c in self.clauses])
        for f in FRONT_MATTER:
            data[f.key] = f.to_json(data[f.key])
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Document":
        data = dict(data)
        for f in FRONT_MATTER:
            if f.key in data:
                data[f.key] = f.from_json(data[f.key])
        data["clauses"] = [Clause(**c) for c in data.get("clauses", [])]
        return cls(**data)
