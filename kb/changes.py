"""The builds' change record: which documents each build added, changed and removed, and when.

Each build folder holds `changes.json`, the record up to and including that build (the serving
build's, with this build's entry appended), so it is written with the build, atomically, and swapped
in with it: a failed build leaves no entry, and the record a reader sees always matches the catalog
it reads. Changes are found by content (each file's sha1 in the manifests), so a full rebuild records
only what really changed. The Atom feeds (web/feeds.py) read it.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .layout import read_json

CHANGES = "changes.json"
KEPT = 200          # builds remembered; a document changed before them is dated by its own date


def entry(before: dict, after: dict, built: dt.datetime) -> dict | None:
    """What one build changed, from the manifests (source file → sha1, doc_id) before and after it;
    None when it changed nothing."""
    sha_before = {e["doc_id"]: e["sha1"] for e in before.values()}
    sha_after = {e["doc_id"]: e["sha1"] for e in after.values()}
    added = [d for d in sha_after if d not in sha_before]
    changed = [d for d in sha_after if d in sha_before and sha_before[d] != sha_after[d]]
    removed = [d for d in sha_before if d not in sha_after]
    if not (added or changed or removed):
        return None
    return {"built": built.isoformat(timespec="seconds"), "added": sorted(added), "changed": sorted(changed),
            "removed": sorted(removed)}


def recorded(before: list[dict], step: dict | None) -> list[dict]:
    """The record with one more build's entry, the oldest forgotten past KEPT."""
    return (before + ([step] if step else []))[-KEPT:]


def read(build_folder: Path) -> list[dict]:
    """The record of the build in a folder, oldest first ([] for a build made before it was kept)."""
    return read_json(Path(build_folder) / CHANGES, [])


def last_change(record: list[dict]) -> dict[str, tuple[str, str, int]]:
    """doc id → (when its last recorded build added or changed it, "added" | "changed", that build's
    place in the record: builds within one second keep their order)."""
    out: dict[str, tuple[str, str, int]] = {}
    for n, step in enumerate(record):
        for kind in ("added", "changed"):
            for doc_id in step[kind]:
                out[doc_id] = (step["built"], kind, n)
        for doc_id in step["removed"]:
            out.pop(doc_id, None)
    return out
