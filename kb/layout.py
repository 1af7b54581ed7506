"""Where a built index lives and how a reader opens the build being served (the build itself is
kb/index.py; this side stays light, so that a search process does not load the builder).

Layout of an index folder (default index/):
  current            symlink to the build being served, swapped atomically
  builds/<name>/     one complete build: the engine's files (kb/engine/), catalog.json, manifest.json
  docs/<id>.<hash>.json  each document as parsed, shared by the builds naming it; <hash> is a sha1
                     prefix of the file's content, so a file torn by a crash shows itself
  .build.lock        held by the one writer at a time
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .oserrors import reason

SCHEMA_VERSION = 6
CURRENT, BUILDS, DOCS = "current", "builds", "docs"


class IndexUnavailable(Exception):
    """No index has been built at that place, or it cannot be read."""


def current_build(root: Path) -> Path | None:
    link = root / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    path = (root / target).resolve()
    return path if (path / "catalog.json").is_file() else None


def document_name(doc_id: str, data: bytes) -> str:
    return f"{doc_id}.{hashlib.sha1(data).hexdigest()[:12]}.json"


def document_intact(name: str, data: bytes) -> bool:
    """Whether data is what the document file of that name was written with."""
    return document_name(name.rsplit(".", 2)[0], data) == name


def read_document(root: Path, name: str) -> dict:
    """A document file of the index, refused with what to do when it is gone or torn (a power cut
    after an older version of the build wrote it without syncing, or a failing disk)."""
    path = Path(root) / DOCS / name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IndexUnavailable(f"索引中的文件 {path} 无法读取（{reason(exc)}），"
                               f"请重新构建索引：python build_index.py --index {root}") from exc
    if not document_intact(name, data):
        raise IndexUnavailable(f"索引中的文件 {path} 已损坏（多半是写入时断电或磁盘已满），"
                               f"请重新构建索引：python build_index.py --index {root}")
    return json.loads(data)


def read_json(path: Path, default):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def open_build(root: Path) -> tuple[Path, dict]:
    """The folder and catalog of the build being served."""
    build_dir = current_build(Path(root))
    if build_dir is None:
        raise IndexUnavailable(f"在 {root} 没有找到索引，请先运行 python build_index.py")
    catalog = read_json(build_dir / "catalog.json", {})
    if catalog.get("schema") != SCHEMA_VERSION:
        # an index of an older version of the program: its files mean something else now
        raise IndexUnavailable(f"{root} 的索引由旧版本程序构建，请运行 python build_index.py --index {root} 重新构建")
    return build_dir, catalog
