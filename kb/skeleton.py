"""The skeleton `python -m kb new` writes: every front-matter field, each explained, ready to fill.

Allowed values come from taxonomy.yaml so the explanations never drift from what the checker
accepts; what the writer must fill is check.PLACEHOLDER, which the checker names until it is gone.
"""
from __future__ import annotations

import datetime as dt

from .check import PLACEHOLDER
from .taxonomy import taxonomy


def skeleton(law: bool = False) -> str:
    tax = taxonomy()
    today = dt.date.today().isoformat()
    body = (["## 第一章 总则", "", f"第一条 {PLACEHOLDER}", "", f"第二条 {PLACEHOLDER}"] if law else
            [f"## 一、{PLACEHOLDER}", "", PLACEHOLDER, "", f"### （一）{PLACEHOLDER}", "", PLACEHOLDER])
    return "\n".join([
        "---",
        "# 必填字段写着“待填写”，python -m kb check 会逐个指出，直到全部填好。以 # 开头的行是说明，可以删去。",
        f"id: {PLACEHOLDER}          # 稳定标识，用于网址和引用：小写字母、数字、连字符，如 gan-fa-2020-5；发布后不要再改",
        f"title: {PLACEHOLDER}       # 文件全称，照原文，不带书名号",
        "# short_title: 13条        # 简称（可选），搜索“13条第五条”靠它找到文件",
        "# aliases: [若干措施]      # 其他常用名称（可选），列表",
        f"type: {PLACEHOLDER}        # 文档类型：{'、'.join(tax.doc_types)}",
        f"level: {PLACEHOLDER}       # 发文层级：{'、'.join(tax.levels)}",
        "# issuers: [嘉峪关市人民政府办公室]   # 发文机关（可选），列表；不能确认时不写",
        "# doc_no: 嘉政办发〔2020〕12号        # 文号（可选），照原文；没有文号时不写",
        f"# date: {today}           # 成文或发布日期（可选），YYYY-MM-DD",
        f"# effective_from: {today} # 生效日期（可选）；“自印发之日起施行”即成文日期",
        f"# effective_until: {today}  # 失效日期（可选）；“有效期至……”",
        f"status: {PLACEHOLDER}      # 效力状态：{'、'.join(tax.statuses)}",
        f"coverage: {PLACEHOLDER}    # 收录范围：" + "；".join(f"{k}＝{v}" for k, v in tax.coverages.items()),
        "# coverage_note: ……       # 说明缺了什么、从哪里来（可选），网站会显示给读者",
        f"# areas: [{tax.area_names[0]}]     # 支持领域（可选）：{'、'.join(tax.area_names)}",
        "sources: []                # 必填：来源网址或原文件路径，列表，如 [http://www.jyg.gov.cn/…]",
        "# summary: ……             # 用自己的话写的一两句概述（可选）",
        "---",
        "",
        f"# {PLACEHOLDER}",
        "",
        *body,
        "",
    ])
