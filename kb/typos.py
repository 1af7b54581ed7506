"""Typing slips: a word typed with a character of the same sound (社宝 for 社保, 补尝 for 补偿).

People type Chinese by pinyin, so a slip is most often a character that sounds like the right one.
A typed word that is neither a dictionary word nor a word of the index is tried with each of its
characters replaced by a homophone (tones aside: an input method does not ask for them); a
replacement that is a dictionary word the index holds stands in for it, the one most records hold
first. A dictionary word is never corrected (鱿鱼 is a word, not a slip for 由于), nor a word of the
synonym map (账期 is 付款期限, not a slip for 长期), nor a run holding a character that is a word by itself
(不给 of 不给上社保 is how people talk), nor one whose characters the documents write together (竞业 of
竞业限制, which the dictionary lacks: not a slip for 敬业).
"""
from __future__ import annotations

import importlib.util
import json
import unicodedata
from collections import defaultdict
from dataclasses import replace
from functools import cache
from pathlib import Path

import rjieba

from . import query, segment, wordfreq

MIN_CHARS, MAX_CHARS = 2, 4     # a lone character has too many homophones; a long run is no one word
WRITTEN = 3                     # records holding a run's characters together: the documents write it so


def _toneless(sound: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", sound) if not unicodedata.combining(ch))


@cache
def _sounds() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Each common character's sounds (tones aside), and each sound's characters: read (about
    0.1 s) only when a typed word first looks like a slip, so that a process whose questions have
    none (a `kb search`) never pays for it; the time limit counts from the understood query."""
    # pypinyin's table of every character's readings, read as data: importing the package loads its
    # phrase dictionary too (0.4 s), which only its own conversions use
    table = Path(importlib.util.find_spec("pypinyin").origin).with_name("pinyin_dict.json")
    sounds_of: dict[str, tuple[str, ...]] = {}
    by_sound: dict[str, list[str]] = defaultdict(list)
    for code, sounds in json.loads(table.read_text(encoding="utf-8")).items():
        ch = chr(int(code))
        if "\u4e00" <= ch <= "\u9fff":
            sounds_of[ch] = tuple(dict.fromkeys(_toneless(s) for s in sounds.split(",")))
            for s in sounds_of[ch]:
                by_sound[s].append(ch)
    return sounds_of, {s: "".join(chars) for s, chars in by_sound.items()}


def corrected(concept: query.Concept, engine) -> query.Concept | None:
    """The concept with the word it was probably meant as (and that word's synonyms) searched as
    well, or None when the typed word is no slip. The engine (kb/engine) tells how many records
    hold a word as one word (token_frequency: a run such as 注侧 is held only as its characters) and
    how many hold some words all together (together)."""
    word = concept.word
    if concept.alternatives or concept.phrase or concept.tags or not MIN_CHARS <= len(word) <= MAX_CHARS \
            or not all("\u4e00" <= ch <= "\u9fff" for ch in word) or rjieba.has_word(word) \
            or engine.token_frequency(word) or any(map(wordfreq.word_alone, word)) \
            or engine.together(list(word)) >= WRITTEN:
        return None
    sounds_of, by_sound = _sounds()
    found: dict[str, int] = {}
    for i, ch in enumerate(word):
        for other in (o for s in sounds_of.get(ch, ()) for o in by_sound[s] if o != ch):
            candidate = word[:i] + other + word[i + 1:]
            if candidate not in found and rjieba.has_word(candidate) and (n := engine.token_frequency(candidate)):
                found[candidate] = n
    if not found:
        return None
    fix = max(found, key=lambda w: (found[w], w))
    synonyms, _ = query.vocabulary()
    return replace(concept, alternatives=[fix, *synonyms.get(segment.normalise(fix), ())])
