"""The controlled vocabulary (taxonomy.yaml), loaded once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.yaml")
# libyaml when PyYAML has it: these files are read by every process that searches
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Area:
    name: str
    slug: str
    description: str
    words: tuple[str, ...] = ()     # what people call the area in a search box (援企稳岗, 稳岗)


@dataclass(frozen=True)
class Taxonomy:
    areas: tuple[Area, ...]
    enterprise_types: tuple[str, ...]
    enterprise_words: dict[str, tuple[str, ...]]     # 小微企业 → (小型, 微型)
    sectors: tuple[str, ...]
    levels: tuple[str, ...]
    doc_types: tuple[str, ...]
    law_types: tuple[str, ...]
    statuses: tuple[str, ...]
    coverages: dict[str, str]

    @property
    def area_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.areas)

    def area_by_slug(self, slug: str) -> Area | None:
        return next((a for a in self.areas if a.slug == slug), None)

    def area_by_name_or_slug(self, value: str) -> Area | None:
        return next((a for a in self.areas if value in (a.name, a.slug)), None)


@cache
def taxonomy() -> Taxonomy:
    data = yaml.load(TAXONOMY_FILE.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    return Taxonomy(
        areas=tuple(Area(**{**a, "words": tuple(a.get("words") or ())}) for a in data["areas"]),
        enterprise_types=tuple(data["enterprise_types"]),
        enterprise_words={w: tuple(v) for w, v in (data.get("enterprise_words") or {}).items()},
        sectors=tuple(data["sectors"]),
        levels=tuple(data["levels"]),
        doc_types=tuple(data["doc_types"]),
        law_types=tuple(data["law_types"]),
        statuses=tuple(data["statuses"]),
        coverages={c["name"]: c["description"] for c in data["coverages"]},
    )
