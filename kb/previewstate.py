"""The live preview's findings, where every process of the site reads them.

The state file `preview.json` in the index folder holds the problems of the preview's last build
attempt, `path:line: message` as the checker words them. It is replaced whole, so each server
process reads the old list or the new one. Kept apart from kb/preview.py, which loads the builder
and the file watcher, so that a server process loads neither.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

STATE = "preview.json"


def problems(root: str | Path) -> list[str]:
    try:
        return json.loads((Path(root) / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


def record(root: Path, found: list[str]) -> None:
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{STATE}.{os.getpid()}.tmp"
    try:
        tmp.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, root / STATE)
    except BaseException:
        # a full disk, or a stop of the preview in mid-write: nothing half-written is left behind
        tmp.unlink(missing_ok=True)
        raise


def forget(root: Path) -> None:
    (root / STATE).unlink(missing_ok=True)
