"""What the query engine knows of every Whoosh record, as arrays indexed by Whoosh's document number:
its document, its kind, the length of each searched field, its support areas and enterprise types.

Whoosh numbers records within a segment, and a segment never changes once written, so each segment's
arrays are worked out once, after the commit that wrote it, and saved beside its files under a name
Whoosh removes together with the segment (and hard-links into later builds with it). Only deletions
change from build to build; they are read from Whoosh when a build is opened.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from ..query import FIELDS

SEARCHED = tuple(field for field, _ in FIELDS)
SUFFIX = ".kbrec"
NAMES = {"areas": "area_names", "enterprise": "enterprise_names"}     # bit-set field → its value names


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def _bits(rows: list[list[str]], names: list[str]) -> np.ndarray:
    bit = {n: i for i, n in enumerate(names)}
    out = np.zeros(len(rows), dtype=np.uint64)
    for i, values in enumerate(rows):
        for v in values:
            out[i] |= np.uint64(1 << bit[v])
    return out


def _segment_file(folder: Path, reader) -> Path:
    return Path(folder) / (reader.segment().segment_id() + SUFFIX)


def _arrays(leaf) -> dict[str, np.ndarray]:
    count = leaf.doc_count_all()
    stored = [leaf.stored_fields(n) for n in range(count)]
    doc_ids = sorted({f["doc_id"] for f in stored})
    where = {d: i for i, d in enumerate(doc_ids)}
    areas = [_split(f.get("areas")) for f in stored]
    enterprise = [_split(f.get("enterprise")) for f in stored]
    area_names = sorted({a for row in areas for a in row})
    enterprise_names = sorted({e for row in enterprise for e in row})
    if len(area_names) > 64 or len(enterprise_names) > 64:
        raise ValueError("more than 64 support areas or enterprise types in one segment")
    return dict(
        doc_ids=np.array(doc_ids, dtype=str),
        doc=np.array([where[f["doc_id"]] for f in stored], dtype=np.int32),
        clause=np.array([f["kind"] == "clause" for f in stored], dtype=bool),
        area_names=np.array(area_names, dtype=str), areas=_bits(areas, area_names),
        enterprise_names=np.array(enterprise_names, dtype=str), enterprise=_bits(enterprise, enterprise_names),
        **{f"len_{field}": np.array([leaf.doc_field_length(n, field) or 0 for n in range(count)], dtype=np.float32)
           for field in SEARCHED})


def write_segment(folder: Path, leaf) -> None:
    """Save the arrays of one segment (read through its SegmentReader) beside its files."""
    with open(_segment_file(folder, leaf), "wb") as f:
        np.savez(f, **_arrays(leaf))


def write_missing(folder: Path) -> None:
    """Save the arrays of every segment of the index in folder that has none yet (those an
    incremental build or Whoosh's merging wrote; a large build's workers save their own)."""
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        for leaf, _ in reader.leaf_readers():
            if not _segment_file(folder, leaf).exists():
                write_segment(folder, leaf)


@dataclass
class Records:
    """The arrays of one opened build, over Whoosh's global document numbers."""
    doc: np.ndarray            # index into doc_ids (the build catalog's order)
    clause: np.ndarray         # bool: a clause record, not a whole-document record
    live: np.ndarray           # bool: not deleted
    lengths: dict[str, np.ndarray]
    areas: np.ndarray          # uint64 bit set over area_names
    area_names: list[str]
    enterprise: np.ndarray
    enterprise_names: list[str]

    def __len__(self) -> int:
        return len(self.doc)

    def bit_mask(self, which: str, values: list[str]) -> np.ndarray:
        """Records holding any of the values of a bit-set field (areas or enterprise)."""
        names = getattr(self, NAMES[which])
        bits = np.uint64(sum(1 << names.index(v) for v in values if v in names))
        return (getattr(self, which) & bits) != 0

    def bit_counts(self, which: str, records: np.ndarray) -> dict[str, int]:
        """How many of the records (a mask over all, or their ids) carry each tag of the column."""
        column = getattr(self, which)[records]
        counts = {n: int(np.count_nonzero(column & np.uint64(1 << i))) for i, n in enumerate(getattr(self, NAMES[which]))}
        return {n: c for n, c in counts.items() if c}


def load(reader, folder: Path, doc_ids: list[str]) -> Records:
    """The arrays of every segment the reader (of the index in folder) spans, in its document
    numbering; doc_ids is the catalog's order, which the per-record document index refers to."""
    where = {d: i for i, d in enumerate(doc_ids)}
    parts = []
    for leaf, _ in reader.leaf_readers():
        with np.load(_segment_file(folder, leaf)) as z:
            parts.append({k: z[k] for k in z.files})
        deleted = np.fromiter(leaf.segment().deleted_docs(), dtype=np.int64)
        live = np.ones(leaf.doc_count_all(), dtype=bool)
        live[deleted] = False
        parts[-1]["live"] = live
    area_names = sorted({str(n) for p in parts for n in p["area_names"]})
    enterprise_names = sorted({str(n) for p in parts for n in p["enterprise_names"]})

    def remap(p, which, names):
        out = np.zeros(len(p["doc"]), dtype=np.uint64)
        for i, n in enumerate(p[NAMES[which]]):
            out[(p[which] & np.uint64(1 << i)) != 0] |= np.uint64(1 << names.index(str(n)))
        return out

    def doc_index(p):
        # a record of a document no longer in the catalog is deleted; -1 marks it
        table = np.array([where.get(str(d), -1) for d in p["doc_ids"]], dtype=np.int32)
        return table[p["doc"]] if len(table) else np.zeros(0, dtype=np.int32)

    def joined(values, dtype):
        return np.concatenate(values) if values else np.zeros(0, dtype=dtype)

    doc = joined([doc_index(p) for p in parts], np.int32)
    return Records(
        doc=np.maximum(doc, 0), clause=joined([p["clause"] for p in parts], bool),
        live=joined([p["live"] for p in parts], bool) & (doc >= 0),
        lengths={f: joined([p[f"len_{f}"] for p in parts], np.float32) for f in SEARCHED},
        areas=joined([remap(p, "areas", area_names) for p in parts], np.uint64), area_names=area_names,
        enterprise=joined([remap(p, "enterprise", enterprise_names) for p in parts], np.uint64),
        enterprise_names=enterprise_names)
