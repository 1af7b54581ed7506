"""The everyday questions recorded for clauses (asked.yaml): how people ask for what a clause answers.

A question's words often name the situation, not the clause's terms (试用期能随便开人吗 for the clause on
dismissing during probation); a clause whose recorded questions share them is the likelier answer
(kb/rank.py). Questions are kept by document title and clause (its label or path), so every version of
a law shares them, and the LawRefBook laws, which are not in policies/, have them as well.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from .segment import normalise
from .taxonomy import SAFE_LOADER

ASKED_FILE = Path(__file__).with_name("asked.yaml")


@cache
def _table() -> dict[tuple[str, str], str]:
    entries = yaml.load(ASKED_FILE.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or []
    return {(e["title"], e["clause"]): normalise(" ".join(e["asked"])) for e in entries}


def of(title: str, label: str, path: str) -> str:
    """The questions recorded for a clause, normalised and joined ("" when none)."""
    table = _table()
    return table.get((title, label)) or table.get((title, path), "")
