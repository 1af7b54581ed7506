"""The search engine: Whoosh, behind one interface. Every Whoosh import of the product is in here.

  index.py     one build's index opened (Index): match, record, the words the search asks about
  writing.py   writing a build's files: schema, segments, the commit (kb/index.py drives it)
  scoring.py   BM25F over whole posting lists with numpy, filters and facets as masks
  postings.py  a word's postings read from Whoosh's files as arrays
  records.py   what scoring knows of every record, as arrays saved beside each segment
  codec.py     the Whoosh codec: how segmented text is stored

Above it, records are opaque ids and values are plain: kb/search.py asks `Index.match` and reads
what it returns; bench/README.md says how another engine (OpenSearch) would take this place.
"""
import sys

from . import codec
from .index import Index, Matches, Selection, Spans
from .scoring import SUBWORD_COVER

# Whoosh pickles the schema's formats and each segment's codec into an index's table of contents, by
# module name: the indexes built before the engine became this package name the codec kb.analysis
sys.modules.setdefault("kb.analysis", codec)

__all__ = ["Index", "Matches", "SUBWORD_COVER", "Selection", "Spans"]
