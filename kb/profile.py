"""An enterprise as it describes itself for matching: the profile, read from JSON or a query string.

Every key is optional; a key left out is "not stated", which makes the conditions that depend on it
open rather than failed. Errors are ProfileError (a ValueError) with a message for the user.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .dates import EXPECTED, parse_iso
from .taxonomy import taxonomy

# Where an enterprise can be, and what contains each place. Measures name 湖北 (national measures
# treat it apart), 甘肃 and 嘉峪关; a profile that is in none of them says 其他省份.
REGIONS: dict[str, tuple[str, ...]] = {
    "嘉峪关": ("甘肃",),
    "甘肃": (),
    "武汉": ("湖北",),
    "湖北": (),
}
OTHER_REGION = "其他省份"
_REGION_SUFFIX = re.compile(r"(省|市|自治区|地区)$")

FIELDS = ("size", "small_scale_taxpayer", "sector", "region", "key_supply_enterprise", "hardship",
          "insured_staff", "layoff_rate", "date")
LABELS = {"size": "企业规模", "small_scale_taxpayer": "是否小规模纳税人", "sector": "行业",
          "region": "所在地区", "key_supply_enterprise": "是否疫情防控重点保障企业",
          "hardship": "是否受疫情影响生产经营困难", "insured_staff": "参保职工人数",
          "layoff_rate": "裁员率", "date": "日期"}
_TRUE = {"true", "1", "yes", "on", "是", "y"}
_FALSE = {"false", "0", "no", "off", "否", "n"}
_UNSTATED = {"", "不确定", "不清楚", "unknown", "none", "null"}


class ProfileError(ValueError):
    """A profile that cannot be read as given; the message is for the user, `field` the key it is
    about (None when no one field is wrong, as for an unknown key), so a form can mark that field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _read(key: str, value):
    """A field's value through its reader, an error naming the field it is about."""
    try:
        return _READERS[key](value)
    except ProfileError as exc:
        raise ProfileError(str(exc), key) from None


@dataclass(frozen=True)
class Profile:
    size: str | None = None
    small_scale_taxpayer: bool | None = None
    sector: tuple[str, ...] = ()
    region: str | None = None
    key_supply_enterprise: bool | None = None
    hardship: bool | None = None
    insured_staff: int | None = None
    layoff_rate: float | None = None
    date: dt.date | None = None

    def to_json(self) -> dict:
        return {
            "size": self.size, "small_scale_taxpayer": self.small_scale_taxpayer,
            "sector": list(self.sector), "region": self.region,
            "key_supply_enterprise": self.key_supply_enterprise, "hardship": self.hardship,
            "insured_staff": self.insured_staff, "layoff_rate": self.layoff_rate,
            "date": self.date.isoformat() if self.date else None,
        }

    @classmethod
    def from_json(cls, data) -> "Profile":
        """A JSON object as written in a profile file: unknown keys are errors (a typo must not be ignored)."""
        if not isinstance(data, Mapping):
            raise ProfileError("企业情况应为一个 JSON 对象，例如 {\"size\": \"小型\", \"region\": \"嘉峪关\"}")
        unknown = [k for k in data if k not in FIELDS]
        if unknown:
            raise ProfileError(f"未知的字段“{unknown[0]}”，可用字段：{'、'.join(FIELDS)}")
        return cls(**{key: _read(key, data[key]) for key in FIELDS if key in data})

    @classmethod
    def from_query(cls, params: Mapping) -> "Profile":
        """Query-string values (str, or lists of str as from a form): "" means not stated; keys that are
        not profile fields are left to the caller (a page has its own parameters)."""
        values = {}
        for key in FIELDS:
            if key not in params:
                continue
            raw = params[key]
            items = [str(v).strip() for v in (raw if isinstance(raw, (list, tuple)) else [raw])]
            if key == "sector":
                items = [part for v in items for part in re.split(r"[,，、]", v)]
            items = [v for v in items if v.lower() not in _UNSTATED]
            if not items:
                continue
            if key != "sector" and len(items) > 1:
                raise ProfileError(f"{LABELS[key]}只能填一个值", key)
            values[key] = _read(key, items if key == "sector" else items[0])
        return cls(**values)


def region_names() -> tuple[str, ...]:
    """What a profile may give as its region."""
    return (*REGIONS, OTHER_REGION)


def normalise_region(value: str) -> str:
    """湖北省 → 湖北, 嘉峪关市 → 嘉峪关."""
    value = value.strip()
    stripped = _REGION_SUFFIX.sub("", value)
    return stripped if stripped in REGIONS else value


def within(region: str) -> set[str]:
    """The region and every region containing it."""
    return {region, *REGIONS.get(region, ())}


def _unstated(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in _UNSTATED)


def _optional(reader):
    def read(value):
        return None if _unstated(value) else reader(value)
    return read


def _choice(key: str, allowed: tuple[str, ...]):
    def read(value) -> str:
        if not isinstance(value, str) or value.strip() not in allowed:
            raise ProfileError(f"未知的{LABELS[key]}“{value}”，可选：{'、'.join(allowed)}")
        return value.strip()
    return read


def _bool(key: str):
    def read(value) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise ProfileError(f"{LABELS[key]}应填“是”或“否”（true / false），而不是“{value}”")
    return read


def _size(value) -> str:
    return _choice("size", taxonomy().enterprise_types)(value)


def _sector(value) -> tuple[str, ...]:
    items = value if isinstance(value, (list, tuple)) else [value]
    read = _choice("sector", taxonomy().sectors)
    return tuple(dict.fromkeys(read(v) for v in items if not _unstated(v)))


def _region(value) -> str:
    if not isinstance(value, str):
        raise ProfileError(f"所在地区应为文字，可选：{'、'.join(region_names())}")
    return _choice("region", region_names())(normalise_region(value))


def _insured_staff(value) -> int:
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ProfileError(f"参保职工人数应为不小于 0 的整数，而不是“{value}”")
    return value


def _layoff_rate(value) -> float:
    percent = isinstance(value, str) and value.strip().endswith("%")
    if isinstance(value, str):
        try:
            value = float(value.strip().rstrip("%"))
        except ValueError:
            raise ProfileError(f"裁员率应为 0 到 1 之间的小数（如 0.05）或百分数（如 5%），而不是“{value}”") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ProfileError(f"裁员率应为 0 到 1 之间的小数（如 0.05）或百分数（如 5%），而不是“{value}”")
    rate = value / 100 if percent else float(value)
    if not 0 <= rate <= 1:
        raise ProfileError(f"裁员率应在 0 到 1 之间（或 0% 到 100%），而不是“{value}{'%' if percent else ''}”")
    return rate


def parse_date(value) -> dt.date | None:
    """A profile's date as the form's date input and the JSON API send it, YYYY-MM-DD (None otherwise)."""
    return parse_iso(value)


def _date(value) -> dt.date:
    date = parse_date(value)
    if date is None:
        raise ProfileError(f"日期“{value}”无法识别，请写成 {EXPECTED}")
    return date


_READERS = {
    "size": _optional(_size),
    "small_scale_taxpayer": _optional(_bool("small_scale_taxpayer")),
    "sector": lambda v: () if _unstated(v) else _sector(v),
    "region": _optional(_region),
    "key_supply_enterprise": _optional(_bool("key_supply_enterprise")),
    "hardship": _optional(_bool("hardship")),
    "insured_staff": _optional(_insured_staff),
    "layoff_rate": _optional(_layoff_rate),
    "date": _optional(_date),
}
