"""Live preview for policy writers: rebuild the index after each burst of saves under the
policies folder, and record the problems found for the site (kb/previewstate.py).

A rebuild is kb.index.build, incremental and under its lock: one writer at a time, a preview or
build_index.py.
"""
from __future__ import annotations

import queue
import sys
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (EVENT_TYPE_CREATED, EVENT_TYPE_DELETED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED,
                             FileSystemEvent, FileSystemEventHandler)
from watchdog.observers import Observer

from .index import BuildError, build
from .oserrors import reason
from .previewstate import record

# A burst ends after this long without a change: an editor's temporary file and its rename, or a
# `git checkout`, come within milliseconds of each other; a writer's next save comes seconds later.
QUIET = 0.2
# A change that keeps coming (a script writing a file over and over) is built at least this often.
LONGEST = 1.0
# Reading a file makes events too (opened, closed): only these change what a build would read.
CHANGES = {EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED, EVENT_TYPE_DELETED}


def rebuild(policies: Path, root: Path, out=sys.stdout) -> list[str]:
    """Check and build incrementally, record the problems found (none when the build succeeded), tell
    the writer, and return them. A failed build leaves the previous one serving."""
    try:
        summary = build(policies, root, progress=False, out=out)
    except BuildError as exc:
        found = [str(p) for p in exc.problems]
    except OSError as exc:
        found = [f"{exc.filename or root}:0: 构建失败：{reason(exc)}"]
    else:
        found = []
    record(root, found)
    stamp = time.strftime("%H:%M:%S")
    if found:
        print("\n".join(found), file=out)
        print(f"{stamp} 发现 {len(found)} 个问题，网站继续显示上一次成功构建的内容；改正并保存后自动重建。", file=out, flush=True)
    else:
        print(f"{stamp} {summary.text()}", file=out, flush=True)
    return found


def follow(changes: Callable[[float | None], bool | None], rebuild: Callable[[], object],
           clock: Callable[[], float] = time.monotonic, quiet: float = QUIET, longest: float = LONGEST) -> None:
    """Rebuild once after each burst of changes, until changes says watching is over.

    changes(timeout) waits at most timeout seconds (None: as long as it takes) and returns True when
    something changed, False when nothing did, None when watching is over. Changes made while a
    rebuild runs are returned by the calls after it, so they lead to exactly one more rebuild, of
    the state they left."""
    first = last = None
    while True:
        due = None if last is None else min(last + quiet, first + longest)
        seen = changes(None if due is None else max(0.0, due - clock()))
        if seen is None:
            return
        if seen:
            last = clock()
            first = last if first is None else first
        elif due is not None and clock() >= due:
            first = last = None
            rebuild()


class _Notices(FileSystemEventHandler):
    def __init__(self, put: Callable[[bool], None]):
        self.put = put

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGES:
            return
        # a folder's own "modified" is any file created in it (an editor's swap file); a folder
        # created, moved or deleted can bring or take documents
        if event.is_directory:
            relevant = event.event_type != EVENT_TYPE_MODIFIED
        else:
            relevant = any(str(p).endswith(".md") for p in (event.src_path, event.dest_path) if p)
        if relevant:
            self.put(True)


class Watch:
    """Changes to the Markdown files under a folder, as watchdog sees them; a `changes` for follow()."""

    def __init__(self, folder: Path):
        self._queue: queue.SimpleQueue[bool | None] = queue.SimpleQueue()
        self._observer = Observer()
        self._observer.schedule(_Notices(self._queue.put), str(folder), recursive=True)

    def __enter__(self) -> Watch:
        self._observer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._observer.stop()
        self._observer.join()

    def stop(self) -> None:
        """Safe from any thread: follow() returns once the rebuild under way, if any, is done."""
        self._queue.put(None)

    def __call__(self, timeout: float | None) -> bool | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return False
