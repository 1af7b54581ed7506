"""What `kb import` tells the writer: each file's fate, what to fill in, and the totals."""
from __future__ import annotations

from collections import Counter

from ..check import PLACEHOLDER
from . import Outcome

NAMES = {"written": "写入", "unchanged": "未变", "skipped": "跳过", "failed": "失败"}


def lines(outcomes: list[Outcome], verbose: bool = True) -> tuple[list[str], list[str]]:
    """(lines for stdout, lines for stderr)."""
    out, err = [], []
    for o in outcomes:
        if o.status == "failed":
            err.append(f"{o.source}: 无法导入：{o.reason}")
        elif o.status == "skipped":
            err.append(f"{o.source}: 跳过：{o.reason}")
        elif verbose:
            line = f"{NAMES[o.status]} {o.path}（{o.clauses} 个条款）"
            if o.unknown:
                line += f"；待填写：{'、'.join(o.unknown)}"
            out.append(line)
            out.extend(f"  {p}" for p in o.problems)
    return out, err


def summary(outcomes: list[Outcome], out_dir: str) -> str:
    counts = Counter(o.status for o in outcomes)
    text = (f"导入完成：写入 {counts['written']} 个，未变 {counts['unchanged']} 个，跳过 {counts['skipped']} 个，"
            f"失败 {counts['failed']} 个；共 {sum(o.clauses for o in outcomes if o.status in ('written', 'unchanged'))} 个条款。")
    if any(o.unknown or o.problems for o in outcomes):
        text += (f"\n下一步：补全标记为“{PLACEHOLDER}”的字段，运行 python -m kb check {out_dir} 直到没有问题，"
                 "再运行 python build_index.py。")
    return text
