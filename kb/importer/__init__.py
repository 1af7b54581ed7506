"""Import official texts into the project's Markdown: python -m kb import SRC... --out DIR.

One module per kind of source (text, docx, lawrefbook) turns a file into a Draft; this module
walks the sources, writes each draft whole, and checks every written file the way `kb check`
will, including that its clauses are the source's clauses (count and labels).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..check import PLACEHOLDER
from ..docformat import ParsedFile
from ..model import Problem
from . import docx, lawrefbook, structure, text
from .structure import Unconvertible
from .writer import Draft, parse, write_atomic

KINDS = {".txt": "text", ".docx": "docx", ".md": "lawrefbook"}
UNSUPPORTED = {".doc": "旧版 Word（.doc）文件，请在 Word 或 WPS 中另存为 .docx 后再导入",
               ".wps": "WPS 文件，请另存为 .docx 后再导入",
               ".pdf": "PDF 文件暂不支持，请先另存为 .docx 或 .txt"}


@dataclass
class Outcome:
    source: str
    status: str                     # written | unchanged | skipped | failed
    reason: str = ""
    path: Path | None = None
    clauses: int = 0
    unknown: list[str] = field(default_factory=list)       # fields left as 待填写
    problems: list[Problem] = field(default_factory=list)  # what `kb check` will say besides


def _sources(paths: list[str]) -> list[tuple[str, bool]]:
    """(file, named by the user) for every importable file under the given files and folders."""
    out = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            out.extend((str(f), False) for f in sorted(p.rglob("*")) if f.is_file() and f.suffix.lower() in KINDS)
        else:
            out.append((given, True))
    return out


def convert(path: Path, source: str, versions: dict) -> Draft:
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise Unconvertible(UNSUPPORTED.get(path.suffix.lower(), f"不支持的文件类型“{path.suffix or '无扩展名'}”"
                                            "（支持 .txt、.docx 和 LawRefBook 格式的 .md）"))
    if not path.is_file():
        raise Unconvertible("文件不存在" if not path.exists() else "不是文件")
    if kind == "lawrefbook":
        return lawrefbook.convert(path, source, versions)
    return structure.draft((text if kind == "text" else docx).paragraphs(path), source)


def _judge(draft: Draft, target: Path, kind: str) -> tuple[str, Outcome, ParsedFile]:
    """Render and check a draft: its text, its outcome (written unless it must not be), its parse."""
    rendered, parsed, problems = parse(draft, str(target))
    gaps = lawrefbook.numbering_gaps(parsed.clauses) if kind == "lawrefbook" and problems else []
    if gaps:
        # the text is whole but some clause labels are missing from it: citable only in part
        draft.fields["coverage"] = "部分条款"
        draft.fields["coverage_note"] += f"原文本编号不连续（{'、'.join(gaps)}），缺少的条号无法单独引用。"
        rendered, parsed, problems = parse(draft, str(target))
    labels = [c.label for c in parsed.clauses]
    if labels != draft.labels:
        diff = next((i for i, (a, b) in enumerate(zip(labels, draft.labels)) if a != b), min(len(labels), len(draft.labels)))
        return rendered, Outcome("", "failed", f"条款与原文不一致：原文 {len(draft.labels)} 条，导入后 {len(labels)} 条，"
                                             f"自第 {diff + 1} 条起不同"), parsed
    others = [p for p in problems if PLACEHOLDER not in p.message and "尚未填写" not in p.message]
    if kind == "lawrefbook" and problems:
        return rendered, Outcome("", "failed", "导入结果未通过检查：" + "；".join(p.message for p in problems[:3])), parsed
    return rendered, Outcome("", "written", problems=others), parsed


def import_sources(paths: list[str], out: str | Path, source_url: str | None = None,
                   force: bool = False, progress=None) -> list[Outcome]:
    """Import every file under paths into out; one Outcome per file, in order."""
    out = Path(out)
    files = _sources(paths)
    versions = lawrefbook.version_dates([Path(f) for f, _ in files if f.endswith(".md")])
    outcomes: list[Outcome] = []
    written: dict[str, str] = {}                  # id → source, in this run
    texts: dict[tuple[str, str], str] = {}        # (title, body) → source: one law filed in two folders
    for source, named in (progress(files) if progress else files):
        path = Path(source)
        try:
            draft = convert(path, source_url or source, versions)
        except lawrefbook.NotADocument as exc:
            outcomes.append(Outcome(source, "failed" if named else "skipped", str(exc)))
            continue
        except Unconvertible as exc:
            outcomes.append(Outcome(source, "failed", str(exc)))
            continue
        target = out / f"{draft.id}.md"
        body = "\n".join(draft.body)
        same = texts.setdefault((draft.fields["title"], body), source)
        if same != source:
            outcomes.append(Outcome(source, "skipped", f"与 {same} 内容相同，未重复导入"))
            continue
        if draft.id in written:
            first = written[draft.id]
            outcomes.append(Outcome(source, "failed", f"生成的 id“{draft.id}”与 {first} 相同，请改名后导入"))
            continue
        rendered, outcome, parsed = _judge(draft, target, KINDS[path.suffix.lower()])
        outcome.source, outcome.path = source, target
        outcome.clauses, outcome.unknown = len(parsed.clauses), draft.unknown
        if outcome.status == "written":
            if target.exists():
                old = target.read_text(encoding="utf-8", errors="replace")
                if old == rendered:
                    outcome.status = "unchanged"
                elif not force:
                    outcome.status, outcome.reason = "failed", f"{target} 已存在且内容不同（可能已补全过），未覆盖；确需覆盖请加 --force"
            if outcome.status == "written":
                write_atomic(target, rendered)
            written[draft.id] = source
        outcomes.append(outcome)
    return outcomes
