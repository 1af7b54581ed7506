"""Shared fixtures: the project's real documents built into a temporary index, the site over it, and the
corpus."""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kb.index import build
from kb.library import Library
from web import create_app

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
CORPUS = ROOT.parent / "shared" / "corpus" / "lawrefbook"


@pytest.fixture(scope="session")
def policies_index(tmp_path_factory) -> Path:
    """An index of policies/ as committed, built once per test session."""
    root = tmp_path_factory.mktemp("index")
    build(POLICIES, root, progress=False)
    return root


@pytest.fixture(scope="session")
def library(policies_index) -> Library:
    return Library(policies_index)


@pytest.fixture(scope="session")
def app_factory(policies_index) -> Callable[..., Flask]:
    """create_app with a test's settings (as flaskr's conftest configures its app): over the session's
    index of policies/ unless the test built its own."""
    def make(config: Mapping[str, Any] | None = None, *, index: Path | None = None) -> Flask:
        return create_app(policies_index if index is None else index, config)
    return make


@pytest.fixture(scope="module")
def client(app_factory) -> FlaskClient:
    """The site over policies/ with its default settings, one per test module: the client keeps cookies
    (the citation list), so a module's tests share them but never another module's."""
    return app_factory().test_client()


@pytest.fixture
def policies_copy(tmp_path) -> Path:
    """A private copy of policies/ that a test may change."""
    dest = tmp_path / "policies"
    shutil.copytree(POLICIES, dest)
    return dest


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("LawRefBook 语料不在 ../shared/corpus/lawrefbook（只在开发机和 CI 上提供），跳过")
    return CORPUS


# Ctrl+C pressed just as a program looks for a module to load: a finder installed before anything else
# is loaded (a sitecustomize) sends the process SIGINT then, once. Python's own handler is put back
# first: a suite started in the background (make test &) passes its children SIGINT ignored.
INTERRUPT_AT = """
import os, signal, sys

signal.signal(signal.SIGINT, signal.default_int_handler)


class InterruptAt:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)


sys.meta_path.insert(0, InterruptAt())
"""


@pytest.fixture
def interrupt_at(tmp_path) -> Callable[[str], dict[str, str]]:
    """The environment of a child process that is interrupted (SIGINT) as it first loads the module."""
    def env(module: str) -> dict[str, str]:
        (tmp_path / "sitecustomize.py").write_text(INTERRUPT_AT.format(module=module), encoding="utf-8")
        return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (str(tmp_path), os.environ.get("PYTHONPATH")))))
    return env
