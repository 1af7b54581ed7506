"""Writing the engine's files of a build: Whoosh's schema and segments, and the record arrays beside
them (kb/engine/records.py).

kb/index.py decides what goes into a build and when it is swapped in; this module is how records
become Whoosh segments, in the build's own process or in worker processes (kb/workers.py), each of
which writes one segment that the build then adds to the index in one commit.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from whoosh import fields, index as whoosh_index
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from . import records as record_arrays
from .codec import Codec, text_field

SEPARATE_FILES = 5000       # records from which a segment is written as separate files
WRITER_MB = 128             # Whoosh's in-memory posting buffer, shared by the writing processes


def schema() -> fields.Schema:
    """One record per clause and one per document. Only the document id is indexed besides the
    text (to delete a document's records); filters and facets come from the catalog and the record
    arrays (kb/engine/records.py), so the rest is stored, for display and for those arrays."""
    return fields.Schema(
        uid=fields.STORED(),
        doc_id=fields.ID(stored=True),
        kind=fields.STORED(),
        path=fields.STORED(),
        label=fields.STORED(),
        heading=fields.STORED(),
        text=fields.STORED(),
        ord=fields.STORED(),
        # no positions: the engine scores words, not their order; a quoted phrase is checked in the
        # stored text of the clauses that hold all its words (kb/search.py)
        title_t=text_field(),
        heading_t=text_field(),
        text_t=text_field(),
        areas=fields.STORED(),
        enterprise=fields.STORED(),
    )


class Writer:
    """The one writer of a build's index: deletions and records written here, segments written by
    worker processes (write_part) added at the commit."""

    def __init__(self, folder: Path, new: bool):
        """The writer of a new index in folder, or of the one there (hard links of the previous build's)."""
        self.folder = Path(folder)
        ix = whoosh_index.create_in(str(folder), schema()) if new else whoosh_index.open_dir(str(folder))
        self.writer = ix.writer(limitmb=WRITER_MB, codec=Codec())

    @property
    def closed(self) -> bool:
        return self.writer.is_closed

    def delete_document(self, doc_id: str) -> None:
        """Mark every record of a document deleted (its files keep them until a merge)."""
        self.writer.delete_by_term("doc_id", doc_id)

    def add(self, record: dict) -> None:
        self.writer.add_document(**record)

    def commit(self, parts: list | None = None) -> None:
        """Write what was added, add the parts' segments as they are (merging them would rewrite
        them), and save the record arrays of every segment that has none yet."""
        if parts is None:
            self.writer.commit()
        else:
            self.writer.commit(mergetype=lambda _, existing: existing + parts)
        record_arrays.write_missing(self.folder)

    def cancel(self) -> None:
        if not self.writer.is_closed:
            self.writer.cancel()


def write_part(folder: Path, records: Iterable[dict], size: int, workers: int):
    """In a worker process: the records (about `size` of them) as one new segment of the index in
    folder, with its record arrays. The segment is returned uncommitted, for Writer.commit."""
    ix = whoosh_index.open_dir(str(folder))
    # a large segment stays as separate files: a compound one is copied into memory when opened. A
    # small one is compound: its postings may all sit in the term entries, and Whoosh refuses an
    # empty postings file
    writer = SegmentWriter(ix, _lk=False, codec=Codec(), limitmb=WRITER_MB // workers,
                           compound=size < SEPARATE_FILES)
    try:
        for record in records:
            writer.add_document(**record)
        segment = writer._finalize_segment()      # as Whoosh's own multiprocessing writer does
    except BaseException:
        writer.cancel()
        raise
    writer.temp_storage().destroy()
    record_arrays.write_segment(folder, SegmentReader(ix.storage, ix.schema, segment))
    return segment
