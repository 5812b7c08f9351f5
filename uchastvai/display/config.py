"""Display settings, read once from Pelican's settings and checked.

Editors of ``pelicanconf.py`` set the order of the slide groups, how long each kind
stays on screen (12–30 s: shorter cannot be read from 3–5 m, longer bores passers-by)
and how often the kiosk page looks for a new version.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

SLIDE_KINDS = ("consultation", "hearing", "project", "news", "ideas", "default")
GROUPS = ("consultations", "hearings", "projects", "news", "ideas")
MIN_SECONDS, MAX_SECONDS = 12, 30
DEFAULT_DURATIONS = {"consultation": 20, "hearing": 15, "project": 20, "news": 15, "ideas": 12, "default": 30}
# Bounds of the groups without a count setting of their own (DISPLAY_GROUP_LIMITS).
DEFAULT_LIMITS = {"consultations": 12, "hearings": 3, "projects": 12, "news": 3, "ideas": 1}
ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


@dataclass(frozen=True)
class DisplayConfig:
    order: tuple[str, ...] = GROUPS
    durations: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_DURATIONS))
    poll_seconds: int = 300
    news_count: int = 3
    hearings_count: int = 3
    news_days: int = 30  # a news item leaves the displays this many days after its date
    group_limits: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    render_images: bool = True
    chromium: str = "/usr/bin/chromium"
    cache_dir: Path | None = None

    def duration(self, kind: str) -> int:
        return self.durations[kind]

    def limit(self, group: str) -> int:
        """At most this many slides of ``group`` rotate, so a large archive stays a short rotation."""
        if group == "news":
            return self.news_count
        if group == "hearings":
            return self.hearings_count
        return self.group_limits.get(group, DEFAULT_LIMITS[group])


def _clamped(kind: str, seconds: Any) -> int:
    value = int(seconds)
    if not MIN_SECONDS <= value <= MAX_SECONDS:
        bounded = max(MIN_SECONDS, min(MAX_SECONDS, value))
        logger.warning("DISPLAY_DURATIONS[%r] = %s s is outside 12–30 s; %s s is used.", kind, value, bounded)
        return bounded
    return value


def read_config(settings: dict[str, Any]) -> DisplayConfig:
    """The display settings with defaults; unknown groups are an error, odd timings are clamped."""
    order = tuple(settings.get("DISPLAY_SLIDE_ORDER", GROUPS))
    unknown = [group for group in order if group not in GROUPS]
    if unknown:
        raise ValueError(f"DISPLAY_SLIDE_ORDER: unknown slide groups {unknown}; known: {list(GROUPS)}")
    durations = dict(DEFAULT_DURATIONS)
    durations.update(settings.get("DISPLAY_DURATIONS", {}))
    limits = dict(DEFAULT_LIMITS)
    limits.update({group: int(count) for group, count in settings.get("DISPLAY_GROUP_LIMITS", {}).items()})
    unknown = [group for group in limits if group not in GROUPS]
    if unknown:
        raise ValueError(f"DISPLAY_GROUP_LIMITS: unknown slide groups {unknown}; known: {list(GROUPS)}")
    cache = settings.get("CACHE_PATH")
    return DisplayConfig(
        order=order,
        durations={kind: _clamped(kind, seconds) for kind, seconds in durations.items() if kind in SLIDE_KINDS},
        poll_seconds=max(1, int(settings.get("DISPLAY_POLL_SECONDS", 300))),
        news_count=int(settings.get("DISPLAY_NEWS_COUNT", limits["news"])),
        hearings_count=int(settings.get("DISPLAY_HEARINGS_COUNT", limits["hearings"])),
        news_days=max(1, int(settings.get("DISPLAY_NEWS_DAYS", 30))),
        group_limits=limits,
        render_images=bool(settings.get("DISPLAY_RENDER_IMAGES", True)),
        chromium=str(settings.get("DISPLAY_CHROMIUM", "/usr/bin/chromium")),
        cache_dir=Path(cache) / "display" if cache else None,
    )
