"""What a writer reads about the front matter, written from its declaration (kb/schema.py): the
skeleton `python -m kb new` writes, and the field table of policies/README.md.

Both list the fields, their meaning and allowed values (from taxonomy.yaml) as the checker knows
them, so neither drifts from what it accepts. What a writer must fill in the skeleton is
PLACEHOLDER, which the checker names until it is gone.

`python -m kb.skeleton [README]` rewrites the table in policies/README.md (tests/test_schema.py
fails while the committed one is not current).
"""
from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from pathlib import Path

from . import dates, oserrors
from .schema import FRONT_MATTER, PLACEHOLDER, Date, Field, Schema, TextList

README = Path(__file__).resolve().parent.parent / "policies" / "README.md"
TABLE_START = "<!-- 字段表由 kb/schema.py 生成：改字段请改那里，再运行 python -m kb.skeleton；不要手改 -->"
TABLE_END = "<!-- 字段表结束 -->"


def _explanation(f: Field, described: bool = True) -> str:
    """Its help and allowed values; `described` adds what each value means where the taxonomy says
    (the README explains 收录范围 at length below the table, `kb new` has only this line)."""
    allowed = f.vocabulary_text() if described else "、".join(f.choices())
    return f.help + (f"；取值：{allowed}" if allowed else "")


def _flow(value) -> str:
    return f"[{', '.join(value)}]" if isinstance(value, list) else str(value)


def _width(text: str) -> int:
    """Columns on a terminal or in an editor: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _example(f: Field, today: str):
    if isinstance(f, Date):
        return today
    if f.example is not None:
        return f.example
    first = f.choices()[:1] or ("……",)
    return list(first) if isinstance(f, TextList) else first[0]


def _skeleton_line(f: Field, today: str) -> str:
    if f.required:
        # an empty list is named as missing; a list holding 待填写 would pass as a value
        entry = f"{f.key}: {'[]' if isinstance(f, TextList) else PLACEHOLDER}"
    else:
        entry = f"# {f.key}: {_flow(_example(f, today))}"
    return f"{entry}{' ' * max(2, 30 - _width(entry))}# {f.label}{'' if f.required else '（可选）'}：{_explanation(f)}"


def skeleton(law: bool = False, schema: Schema = FRONT_MATTER) -> str:
    today = dt.date.today().isoformat()
    body = (["## 第一章 总则", "", f"第一条 {PLACEHOLDER}", "", f"第二条 {PLACEHOLDER}"] if law else
            [f"## 一、{PLACEHOLDER}", "", PLACEHOLDER, "", f"### （一）{PLACEHOLDER}", "", PLACEHOLDER])
    return "\n".join([
        "---",
        f"# 必填字段写着“{PLACEHOLDER}”，python -m kb check 会逐个指出，直到全部填好。以 # 开头的行是说明，可以删去。",
        *(_skeleton_line(f, today) for f in schema),
        "---",
        "",
        f"# {PLACEHOLDER}",
        "",
        *body,
        "",
    ])


def _kind(f: Field) -> str:
    return f"{f.kind}（词表）" if f.vocabulary else f.kind


def field_table(schema: Schema = FRONT_MATTER) -> str:
    """The README's table of fields, and how lists and dates are written."""
    rows = [f"| `{f.key}` | {f.label} | {'是' if f.required else '否'} | {_kind(f)} | {_explanation(f, described=False)} |"
            for f in schema]
    ends = "、".join(f.label for f in schema if isinstance(f, Date) and f.end_of_term)
    return "\n".join([
        "| 字段 | 名称 | 必填 | 类型 | 说明 |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "- 列表写作 `[值1, 值2]`，只有一项时也可以只写这一项。",
        "- 类型注明“词表”的字段只能取说明中列出的值（来自 `kb/taxonomy.yaml`）。",
        f"- 日期写作 `2020-03-15`；照原文写的 `2020年3月15日`、`二〇二〇年三月十五日`、`2020.3.15`、`2020/3/15` 也可，"
        f"不带分隔的 `20200315` 不行。日期不能早于 {dates.EARLIEST}，也不能晚于一年后的今天"
        + (f"（{ends}可以更晚）。" if ends else "。"),
    ])


def readme_with_table(text: str, schema: Schema = FRONT_MATTER) -> str:
    """The README text with the table between its markers replaced by the current one."""
    if TABLE_START not in text or TABLE_END not in text:
        raise ValueError(f"缺少字段表的标记：{TABLE_START} 与 {TABLE_END}")
    head, rest = text.split(TABLE_START, 1)
    _, tail = rest.split(TABLE_END, 1)
    return f"{head}{TABLE_START}\n\n{field_table(schema)}\n\n{TABLE_END}{tail}"


def main(argv: list[str] | None = None) -> int:
    """Rewrite the field table of policies/README.md (or of the README named)."""
    args = sys.argv[1:] if argv is None else argv
    readme = Path(args[0]) if args else README
    try:
        text = readme.read_text(encoding="utf-8")
        updated = readme_with_table(text)
        if updated == text:
            print(f"{readme} 的字段表已是最新")
            return 0
        readme.write_text(updated, encoding="utf-8")
    except OSError as exc:
        print(f"错误：{readme}：{oserrors.reason(exc)}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"错误：{readme}：{exc}", file=sys.stderr)
        return 1
    print(f"已更新 {readme} 的字段表")
    return 0


if __name__ == "__main__":
    sys.exit(main())
