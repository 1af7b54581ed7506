"""How much work one search may cost and how much memory a served index may keep: the library's
settings, declared once.

Datasette is the model (max_returned_rows, sql_time_limit_ms): past a limit the answer says so
instead of doing unbounded work. A Library is opened with one Settings (`Library(path, settings)`):
the CLI (`kb search --max-results/--time-limit`) and the web app (`create_app(index, config)`, key
SEARCH_LIMITS) make theirs; everything else takes the defaults.
"""
from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    max_limit: int = 100            # results on one page
    max_results: int = 1000         # results reachable by paging (page × limit)
    rerank_depth: int = 30          # best matches re-ranked by where their words stand; deeper ones keep the engine's order
    max_concepts: int = 12          # words searched of a long question: the most distinctive ones
    max_phrase_checks: int = 1000   # records read to check quoted phrases' word order, all of a query's together
    time_limit: float = 1.0         # seconds; past it a query answers with the best found so far, and says so

    def __post_init__(self):
        for f in fields(self):
            if not getattr(self, f.name) > 0:
                raise ValueError(f"检索限制 {f.name} 应为正数，现为 {getattr(self, f.name)!r}")

    @classmethod
    def of(cls, settings: dict | None) -> "Limits":
        """Limits from a mapping of some of its names (a web app's config), the rest by default."""
        settings = dict(settings or {})
        unknown = set(settings) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"未知的检索限制：{'、'.join(sorted(unknown))}")
        return cls(**settings)


DEFAULT = Limits()


@dataclass(frozen=True)
class Settings:
    """What a Library is opened with: the search limits and the caches of each opened build (per
    server process; their memory: bench/limits.py --memory)."""
    limits: Limits = DEFAULT
    postings_cache: int = 2_000_000     # postings kept decoded (8 bytes each)
    record_cache: int = 4_000           # records' stored fields and normalised text

    def __post_init__(self):
        for name in ("postings_cache", "record_cache"):
            if not getattr(self, name) > 0:
                raise ValueError(f"缓存大小 {name} 应为正数，现为 {getattr(self, name)!r}")
