"""Shared fixtures: the project's real documents built into a temporary index, the site over it, and the
corpus."""
from __future__ import annotations

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
