"""Query understanding: from what a person types to the concepts searched for.

Quoted text is a phrase; everyday words expand to the documents' terms (synonyms.yaml);
question words and filler are dropped; each remaining word is one concept that a result must
contain (in its title, heading or text), matched as the word itself or as the dictionary words
that tile it (银行贷款 → 银行 + 贷款).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from whoosh import query as Q

from . import segment

SYNONYM_FILE = Path(__file__).with_name("synonyms.yaml")
MAX_QUERY = 200          # characters searched; longer input is cut (and the user told)
FIELDS = (("title_t", 1.5), ("heading_t", 2.0), ("text_t", 1.0))
QUOTES = re.compile(r"[\"“”「」『』]")


@cache
def vocabulary() -> tuple[dict[str, list[str]], frozenset[str]]:
    data = yaml.safe_load(SYNONYM_FILE.read_text(encoding="utf-8")) or {}
    synonyms = {segment.normalise(k): [segment.normalise(v) for v in vs] for k, vs in (data.get("synonyms") or {}).items()}
    return synonyms, frozenset(segment.normalise(w) for w in data.get("filler") or [])


@dataclass
class Concept:
    word: str
    alternatives: list[str] = field(default_factory=list)   # synonyms searched as well
    phrase: bool = False

    @property
    def words(self) -> list[str]:
        return [self.word, *self.alternatives]


@dataclass
class ParsedQuery:
    raw: str
    text: str
    concepts: list[Concept]
    dropped: list[str]
    truncated: bool

    @property
    def expansions(self) -> list[str]:
        return [a for c in self.concepts for a in c.alternatives]

    def highlight_words(self) -> list[str]:
        words = []
        for c in self.concepts:
            for w in c.words:
                words.append(w)
                words.extend(p for p in segment.pieces(w) if len(p) > 1)
        return words


def parse(raw: str) -> ParsedQuery:
    raw = raw or ""
    text = " ".join(raw.split())
    truncated = len(text) > MAX_QUERY
    text = segment.normalise(text[:MAX_QUERY])
    synonyms, filler = vocabulary()
    concepts: list[Concept] = []
    dropped: list[str] = []
    parts = QUOTES.split(text)
    for i, part in enumerate(parts):
        quoted = i % 2 == 1 and i < len(parts) - 1        # an unbalanced last quote is plain text
        if quoted:
            words = [w for p in segment.positions(part) for w in p[:1]]
            if words:
                concepts.append(Concept(" ".join(words), phrase=True))
            continue
        for key in sorted((k for k in synonyms if k in part), key=len, reverse=True):
            if key in part:
                concepts.append(Concept(key, list(synonyms[key])))
                part = part.replace(key, " ")
        for word in segment.cut(part):
            if not word.strip() or not any(ch.isalnum() for ch in word):
                continue
            if word in filler or word in segment.STOP_WORDS:
                dropped.append(word)
                continue
            if all(c.word != word for c in concepts):
                concepts.append(Concept(word, list(synonyms.get(word, []))))
    return ParsedQuery(raw, text, concepts, dropped, truncated)


def _term_group(word: str) -> Q.Query:
    """One word in any field; a long word also as the words that tile it."""
    exact = Q.Or([Q.Term(f, word, boost=b) for f, b in FIELDS])
    tiles = segment.pieces(word)
    if len(tiles) == 1:
        return exact
    tiled = Q.Or([Q.Phrase(f, list(tiles), boost=b * 0.8) for f, b in FIELDS])
    return Q.Or([exact, tiled])


def _words_query(text: str) -> Q.Query | None:
    tokens = [p[0] for p in segment.positions(text)]
    if not tokens:
        return None
    if len(tokens) == 1:
        return _term_group(tokens[0])
    return Q.Or([Q.Phrase(f, tokens, boost=b) for f, b in FIELDS])


def concept_query(concept: Concept) -> Q.Query | None:
    if concept.phrase:
        tokens = concept.word.split(" ")
        return Q.Or([Q.Phrase(f, tokens, boost=b) for f, b in FIELDS]) if len(tokens) > 1 else _term_group(tokens[0])
    options = [q for q in map(_words_query, concept.words) if q is not None]
    if not options:
        return None
    return options[0] if len(options) == 1 else Q.Or(options)


def to_whoosh(parsed: ParsedQuery, require_all: bool = True) -> Q.Query | None:
    parts = [q for q in map(concept_query, parsed.concepts) if q is not None]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return Q.And(parts) if require_all else Q.Or(parts)
