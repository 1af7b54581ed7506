"""Shared fixtures: the project's real documents built into a temporary index, and the corpus."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.index import build
from kb.library import Library

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
