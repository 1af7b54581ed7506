"""python -m web --watch: the site as a policy writer previews it, and the banner of the problems found.

The process forks: the child is the ordinary server (gunicorn and its workers, which follow the
index's `current` link) with the PREVIEW setting; the parent watches the policies folder and
rebuilds (kb/preview.py). The server's workers learn of problems through the state file in the
index folder (kb/previewstate.py), so their number does not matter. The watcher is kept out of
gunicorn's process, which reaps every child it sees, those of a build's process pool too.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from kb import previewstate

PR_SET_PDEATHSIG = 1        # prctl(2): the signal a process gets when its parent dies
STOP_SECONDS = 10           # gunicorn's graceful stop takes up to 5 s (web/__main__.py)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:      # it has stopped already
        pass


def register(app: Flask) -> None:
    """With the PREVIEW setting, every page lists the problems the watcher found. Without it none does:
    a state file left by a preview killed outright is not shown by the site served later."""
    if app.config["PREVIEW"]:
        root = app.extensions["kb_library"].root
        app.context_processor(lambda: {"preview_problems": previewstate.problems(root)})


def _serve_in_child(serve: Callable[[], None]) -> int:
    """Fork; the child serves and never returns. The parent gets the child's pid."""
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        # a watcher killed outright stops its server (gracefully) instead of leaving it on the port
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() == parent:
            serve()
            code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run(policies: Path, root: Path, serve: Callable[[], None]) -> int:
    """Serve (serve() runs the server) while rebuilding the index in root on every save under
    policies; returns the server's exit status. Ctrl+C or SIGTERM stops both."""
    from kb import preview      # the builder and the file watcher: not loaded by a site that only serves
    # the problems of an earlier preview are not this one's: none are shown until the first build says
    previewstate.forget(root)
    pid = _serve_in_child(serve)
    status: list[int] = []
    watch = preview.Watch(policies)

    def wait_server():
        status.append(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
        watch.stop()

    waiter = threading.Thread(target=wait_server, daemon=True)
    waiter.start()
    previous = signal.signal(signal.SIGTERM, lambda *_: _signal(pid, signal.SIGTERM))
    print(f"预览：监视 {policies} 中的政策文件，保存后自动检查并更新索引（约 {preview.QUIET:g} 秒后）", flush=True)
    try:
        with watch:
            # the first build after the watch starts: a save made while it runs is not missed
            preview.rebuild(policies, root)
            preview.follow(watch, lambda: preview.rebuild(policies, root))
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if not status:
            _signal(pid, signal.SIGTERM)
            waiter.join(STOP_SECONDS)
        if not status:
            _signal(pid, signal.SIGKILL)
            waiter.join()
        previewstate.forget(root)
    code = status[0]
    return 128 - code if code < 0 else code
