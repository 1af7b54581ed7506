"""python -m web --watch: the site as a policy writer previews it, and the banner of the problems found.

The process forks: the child is the ordinary server (gunicorn and its workers, which follow the
index's `current` link) with the PREVIEW setting; the parent watches the policies folder and
rebuilds (kb/preview.py). The server's workers learn of problems through the state file in the
index folder (kb/previewstate.py), so their number does not matter. The watcher is kept out of
gunicorn's process, which reaps every child it sees, those of a build's process pool too.

A stop (Ctrl+C, SIGTERM) interrupts the rebuild under way and ends the server and its workers within
STOP_SECONDS: they form a process group of their own, killed outright if gunicorn's graceful stop has
not ended it by then.
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
STOPS = {signal.SIGINT, signal.SIGTERM}     # Ctrl+C (gunicorn stops at once), kill (gracefully)
STOP_SECONDS = 10           # gunicorn's graceful stop takes up to 5 s (web/__main__.py)


def register(app: Flask) -> None:
    """With the PREVIEW setting, every page lists the problems the watcher found. Without it none does:
    a state file left by a preview killed outright is not shown by the site served later."""
    if app.config["PREVIEW"]:
        root = app.extensions["kb_library"].root
        app.context_processor(lambda: {"preview_problems": previewstate.problems(root)})


def _own_group(pid: int) -> None:
    try:
        os.setpgid(pid, pid)
    except ProcessLookupError:      # it has ended already
        pass


def _serve_in_child(serve: Callable[[], None]) -> int:
    """Fork, with STOPS blocked; the child serves in a process group of its own and never returns.
    The parent gets the child's pid."""
    parent = os.getpid()
    pid = os.fork()
    if pid:
        # done on both sides: the group exists before either can use it (a kill, a gunicorn worker)
        _own_group(pid)
        return pid
    code = 1
    try:
        # until gunicorn sets its own, a stop ends the server outright; the watcher's are not for it
        for sig in STOPS:
            signal.signal(sig, signal.SIG_DFL)
        _own_group(0)
        # a watcher killed outright stops its server (gracefully) instead of leaving it on the port
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
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


class _Stop:
    """The watcher's side of a stop. The first stop signal is passed on to the server at once and
    interrupts whatever the watcher is doing, a rebuild too, as KeyboardInterrupt; end() then waits
    for the server, within STOP_SECONDS, and kills what is left of its process group."""

    def __init__(self, server: int):
        self.server = server
        self.watcher = os.getpid()
        self.sent: int | None = None
        self.interrupting = True    # until the first signal, or until the watching is over
        self.ending = False         # end() alone signals the server from then on

    def __call__(self, signum: int, frame) -> None:
        if os.getpid() != self.watcher:
            # a build's worker process, forked with this handler: the signal does what it would there
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if not self.ending and self.sent is None:
            self._send(signum)
        if self.interrupting:
            self.interrupting = False
            raise KeyboardInterrupt

    def _send(self, signum: int) -> None:
        self.sent = signum
        os.kill(self.server, signum)        # not reaped before end(): the pid is still the server's

    def end(self, ended: threading.Event) -> int:
        """Stop the server if no signal has, and reap it; its exit status, 0 if it ended as asked."""
        self.interrupting = False
        self.ending = True
        if self.sent is None:
            self._send(signal.SIGTERM)
        if not ended.wait(STOP_SECONDS):
            print(f"预览：网站进程 {STOP_SECONDS} 秒内没有停止，已强制结束。", file=sys.stderr, flush=True)
        try:
            # also the workers of a server that ended without stopping them; the group cannot be
            # another's: its leader is not reaped yet
            os.killpg(self.server, signal.SIGKILL)
        except ProcessLookupError:
            pass
        # reaped only once the waiting thread has seen it end: reaped before, the thread's own wait
        # would find no such child and fail
        ended.wait()
        code = os.waitstatus_to_exitcode(os.waitpid(self.server, 0)[1])
        if code == -self.sent:
            return 0
        return 128 - code if code < 0 else code


def run(policies: Path, root: Path, serve: Callable[[], None], handed_over: Callable[[], None]) -> int:
    """Serve (serve() runs the server) while rebuilding the index in root on every save under
    policies; returns the server's exit status. Ctrl+C or SIGTERM stops both. handed_over() is called
    in the watcher once the server is forked: what only the server needs (its listening socket) is
    let go of there, so that a connection is refused once the server stops, and the build's worker
    processes, forked from the watcher, never hold it."""
    from kb import preview      # the builder and the file watcher: not loaded by a site that only serves
    # the problems of an earlier preview are not this one's: none are shown until the first build says
    previewstate.forget(root)
    watch = preview.Watch(policies)
    ended = threading.Event()
    # a stop signal is held from the fork until its handler knows the server: none can end the
    # watcher and leave the server running, or come before the server has a group to kill
    signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    pid = _serve_in_child(serve)
    handed_over()
    stop = _Stop(pid)
    previous = {sig: signal.signal(sig, stop) for sig in STOPS}

    def wait_server():
        # WNOWAIT: end() reaps it, after the last signal sent to it
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        ended.set()
        watch.stop()

    threading.Thread(target=wait_server, daemon=True).start()
    try:
        try:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
            print(f"预览：监视 {policies} 中的政策文件，保存后自动检查并更新索引（约 {preview.QUIET:g} 秒后）", flush=True)
            with watch:
                # the first build after the watch starts: a save made while it runs is not missed
                preview.rebuild(policies, root)
                preview.follow(watch, lambda: preview.rebuild(policies, root))
        finally:
            # a signal from here on stops the server but interrupts nothing: the stop below is not cut short
            stop.interrupting = False
    except KeyboardInterrupt:
        pass
    finally:
        code = stop.end(ended)
        previewstate.forget(root)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code
