"""Own words (issue 17): no file in policies/ follows the wording of the news report the knowledge
base starts from (中国甘肃网, 2020-03-19, 嘉峪关：为企业复工复产保驾护航).

../shared/sources/seed-shingles.json holds the report's runs of 16 characters — Han characters and
digits only, text inside 《》 removed — as the first 16 hex digits of their SHA-1; a file sharing
more than 8 of them follows the report too closely (the rule stated in that file).
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHINGLES = ROOT.parent / "shared" / "sources" / "seed-shingles.json"
LIMIT = 8
TITLE = re.compile(r"《[^》]*》")
KEPT = re.compile(r"[\u4e00-\u9fff0-9]")
# the report's six areas as it words them (quoted in the 2026-12 content audit): what a copy looks like
REPORT_SENTENCE = ("加大财税金融支持力度；加大援企稳岗支持力度；加大要素成本支持力度；加大政务服务支持力度；"
                   "建立市级领导包抓在嘉重点企业工作机制；建立全力做好企业疫情防控保障工作机制")


@pytest.fixture(scope="module")
def report():
    if not SHINGLES.is_file():
        pytest.skip("新闻报道的指纹不在 ../shared/sources/seed-shingles.json（只在开发机和 CI 上提供），跳过")
    data = json.loads(SHINGLES.read_text(encoding="utf-8"))
    return data["k"], set(data["hashes"])


def shared_runs(text: str, k: int, hashes: set[str]) -> set[str]:
    """The file's runs of k characters that the report also has."""
    kept = "".join(KEPT.findall(TITLE.sub("", text)))
    runs = {kept[i:i + k] for i in range(len(kept) - k + 1)}
    return {r for r in runs if hashlib.sha1(r.encode("utf-8")).hexdigest()[:16] in hashes}


def test_the_fingerprints_recognise_the_reports_own_sentence(report):
    k, hashes = report
    assert k == 16
    assert len(shared_runs(REPORT_SENTENCE, k, hashes)) > LIMIT
    # a title is left out, as the report's runs were made without them
    assert shared_runs(f"《{REPORT_SENTENCE}》", k, hashes) == set()


# the policy files, and the everyday questions recorded for clauses (kb/asked.yaml)
@pytest.mark.parametrize("path", [*sorted((ROOT / "policies").glob("*.md")), ROOT / "kb" / "asked.yaml"], ids=lambda p: p.name)
def test_no_policy_file_follows_the_reports_wording(report, path):
    k, hashes = report
    shared = shared_runs(path.read_text(encoding="utf-8"), k, hashes)
    assert len(shared) <= LIMIT, f"{path.name} 与新闻报道有 {len(shared)} 段16字相同（上限 {LIMIT}），请用自己的话改写：{sorted(shared)}"
