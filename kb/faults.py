"""Stopping a build at a named phase: for tests of what a crash or a second build meets there.

Nothing here is for use in production. Two environment variables, read once when this module is
imported, arm the phases (unset, reaching a phase is two comparisons with None):

  KB_BUILD_KILL_AT=<phase>          the build dies of SIGKILL on reaching the phase, as on kill -9:
                                    no cleanup runs, and its worker processes die with it
                                    (kb/workers.py). A worker reaching it kills the build too.
  KB_BUILD_HOLD_AT=<phase>:<file>   each process reaching the phase appends its pid to <file>.reached
                                    and waits until <file> no longer exists (the test creates <file>
                                    first and removes it to let the build go on).

The build process is the one that imported this module: its workers are forked from it and inherit
BUILD_PID. held() is the test's side of a hold.
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

PARTIAL_MADE = "partial-made"               # the new build's folder exists; nothing written into it yet
MID_SEGMENT = "mid-segment"                 # half the documents added to the build's own writer
MID_WORKER_SEGMENT = "mid-worker-segment"   # the same inside a worker process of a parallel build
CATALOG_WRITTEN = "catalog-written"         # catalog and manifest written and synced, folder not yet renamed
SWAPPED = "swapped"                         # `current` names the new build; old builds not yet pruned
PHASES = (PARTIAL_MADE, MID_SEGMENT, MID_WORKER_SEGMENT, CATALOG_WRITTEN, SWAPPED)

BUILD_PID = os.getpid()


def _armed(variable: str) -> tuple[str | None, str]:
    value = os.environ.get(variable)
    if value is None:
        return None, ""
    phase, _, path = value.partition(":")
    if phase not in PHASES:
        raise ValueError(f"{variable}={value}: the phase must be one of {', '.join(PHASES)}")
    return phase, path


_KILL_AT, _ = _armed("KB_BUILD_KILL_AT")
_HOLD_AT, _HOLD_FILE = _armed("KB_BUILD_HOLD_AT")
if _HOLD_AT and not _HOLD_FILE:
    raise ValueError("KB_BUILD_HOLD_AT needs <phase>:<file>")


def reach(phase: str) -> None:
    """The build calls this at each phase; it does nothing unless a test armed that phase."""
    if phase == _KILL_AT:
        os.kill(BUILD_PID, signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)    # a worker: in case the build's death has not reached it yet
    if phase == _HOLD_AT:
        hold = Path(_HOLD_FILE)
        with open(hold.with_name(hold.name + ".reached"), "a") as reached:
            reached.write(f"{os.getpid()}\n")
        while hold.exists():
            time.sleep(0.01)


def held(hold: Path, build, timeout: float = 120) -> list[int]:
    """The pids of the processes of build (a Popen started with KB_BUILD_HOLD_AT=<phase>:<hold>)
    waiting at that phase, once one has reached it."""
    reached = hold.with_name(hold.name + ".reached")
    deadline = time.monotonic() + timeout
    while not (reached.is_file() and reached.read_text().endswith("\n")):
        if build.poll() is not None:
            raise RuntimeError(f"the build ended (exit {build.returncode}) before reaching the phase")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the build did not reach the phase in {timeout} s")
        time.sleep(0.02)
    return [int(line) for line in reached.read_text().split()]
