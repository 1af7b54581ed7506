"""Worker processes for the build: a process pool whose workers die with the process that made it.

A build holds its lock (kb/index.py) in an open file that forked workers inherit, so a worker left
running after kill -9 of the build would make every later build wait for ever.
"""
from __future__ import annotations

import ctypes
import os
import signal
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1        # prctl(2): the signal a process gets when its parent dies
MIN_ITEMS = 64              # files or documents; below this, starting workers costs more than it saves


def _die_with_parent(parent: int) -> None:
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:            # the parent died before the line above ran
        os._exit(1)


def pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_die_with_parent, initargs=(os.getpid(),))


def count(items: int) -> int:
    """Worker processes worth starting for so many files or documents: one per core this process
    may run on, or none (1: do the work here) for a few."""
    return len(os.sched_getaffinity(0)) if items >= MIN_ITEMS else 1
