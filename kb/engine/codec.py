"""The Whoosh codec: how Whoosh stores text already segmented by kb.segment.presegment.

Segmentation happens outside Whoosh (in worker processes during a full build). The engine scores
words by their counts (kb/engine/scoring.py), so a field needs each word's frequency and the field's length,
no positions: the format counts the words of the pre-segmented (space-separated) string in one
pass, instead of Whoosh building a token object per word through an analyzer.
"""
from __future__ import annotations

from collections import Counter

from whoosh import fields, formats
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.system import pack_uint


class PresegmentedFrequency(formats.Frequency):
    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        return ((w, n, n * boost, pack_uint(n)) for w, n in Counter(value.split()).items())


def text_field() -> fields.TEXT:
    """A searched text field of the schema: word frequencies and field lengths, nothing stored."""
    # the analyzer is never run (the format counts the words), but Whoosh keeps one with every text field
    field = fields.TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False)
    field.format = PresegmentedFrequency()
    return field


class Codec(W3Codec):
    """Whoosh's file format with two choices of ours: posting blocks of 1024 (the engine reads
    postings whole, kb/engine/postings.py, so fewer and longer blocks unpack faster), and no per-block
    length statistics: only Whoosh's own scorer uses them (to skip blocks), and gathering them looks
    up the field length of every posting while a segment is written."""
    length_stats = False

    def __init__(self, blocklimit=1024, compression=3, inlinelimit=1):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)
