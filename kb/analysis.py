"""The Whoosh analyzer for text already segmented by kb.segment.presegment.

Segmentation happens outside Whoosh (in worker processes during a full build), so the analyzer
only splits: positions by space, same-position alternatives by |.
"""
from __future__ import annotations

from whoosh.analysis import Token, Tokenizer

from . import whoosh_positions  # noqa: F401  (phrase positions read exactly; see there)
from .segment import ALT, POS


class PresegmentedTokenizer(Tokenizer):
    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for group in value.split(POS):
            if not group:
                continue
            for word in group.split(ALT):
                token.text = word
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = token.endchar = start_char
                yield token
            pos += 1


def analyzer() -> PresegmentedTokenizer:
    return PresegmentedTokenizer()
