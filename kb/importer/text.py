"""Plain text (.txt): UTF-8 or GB18030/GBK, told apart by charset-normalizer."""
from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from .structure import Unconvertible

# Encodings an official Chinese text arrives in; anything else charset-normalizer proposes for
# such bytes is a misreading.
CHINESE_ENCODINGS = {"utf_8", "gb18030", "gbk", "gb2312", "big5", "hz", "utf_16", "utf_16_le", "utf_16_be"}


def decode(data: bytes) -> str:
    if not data.strip():
        raise Unconvertible("文件是空的")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data, cp_isolation=sorted(CHINESE_ENCODINGS)).best()
        if best is None:
            raise Unconvertible("无法识别文字编码（不是 UTF-8 或 GB18030 文本，可能是二进制文件）") from None
        text = str(best)
    if "\x00" in text or sum(not (c.isprintable() or c.isspace()) for c in text) > len(text) // 100:
        raise Unconvertible("含有大量不可显示的字符，像是二进制文件而不是文本")
    if not any("\u4e00" <= c <= "\u9fff" for c in text):
        raise Unconvertible("没有中文文字，不像是一份官方文件")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def paragraphs(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Unconvertible(f"无法读取文件：{exc.strerror}") from exc
    return decode(data).split("\n")
