"""Province metadata (GB/T 2260 codes, region groups, tile-map cells) from regions.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

REGIONS_PATH = Path(__file__).resolve().parent.parent / "extract" / "lexicon" / "regions.yaml"
# libyaml's safe loader reads the place names 8x faster than PyYAML's (a third of a second
# of every server start); a test holds both to the same provinces.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
GROUP_ORDER = ("东部", "中部", "西部", "东北", "港澳台")


@dataclass(frozen=True)
class City:
    """A prefecture-level city of a province."""

    name: str
    short: tuple[str, ...] = ()
    en: str = ""


@dataclass(frozen=True)
class Province:
    """A province-level region as regions.yaml describes it."""

    code: str
    name: str
    short: tuple[str, ...] = ()
    en: str = ""
    group: str = ""
    tile: tuple[int, int] | None = None
    cities: tuple[City, ...] = ()
    tile_en: str = ""  # the English name on a tile map, '-' where it breaks


def _as_tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    return (str(value),) if isinstance(value, str) else tuple(str(v) for v in value)


def _city(entry: dict) -> City:
    return City(str(entry["name"]), _as_tuple(entry.get("short")), str(entry.get("en") or ""))


def _province(entry: dict) -> Province:
    tile = entry.get("tile")
    return Province(
        code=str(entry.get("code") or ""),
        name=str(entry["name"]),
        short=_as_tuple(entry.get("short")),
        en=str(entry.get("en") or ""),
        tile_en=str(entry.get("tile_en") or ""),
        group=str(entry.get("group") or ""),
        tile=(int(tile[0]), int(tile[1])) if tile and len(tile) == 2 else None,
        cities=tuple(_city(c) for c in entry.get("cities") or () if c and c.get("name")),
    )


def parse_regions(doc: dict | None) -> tuple[Province, ...]:
    """Provinces of a parsed regions.yaml document, ordered by GB/T 2260 code."""
    entries = (doc or {}).get("provinces") or []
    provinces = [_province(e) for e in entries if e and e.get("name")]
    return tuple(sorted(provinces, key=lambda p: (p.code or "999999", p.name)))


@lru_cache(maxsize=4)
def load_regions(path: Path | None = None) -> tuple[Province, ...]:
    """Provinces from regions.yaml; empty when the file is missing or unreadable."""
    path = Path(path) if path else REGIONS_PATH
    try:
        with open(path, encoding="utf-8") as fh:
            return parse_regions(yaml.load(fh, Loader=FAST_LOADER))
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError):
        return ()


def province_rank(provinces: tuple[Province, ...]) -> dict[str, int]:
    """Sort key of each province name: its position in GB/T 2260 code order."""
    return {p.name: i for i, p in enumerate(provinces)}


def order_provinces(names: list[str], provinces: tuple[Province, ...]) -> list[str]:
    """Names ordered by GB/T 2260 code; names unknown to regions.yaml go last, by name."""
    rank = province_rank(provinces)
    return sorted(set(names), key=lambda n: (rank.get(n, len(rank)), n))


def province_label(name: str, provinces: tuple[Province, ...], lang: str) -> str:
    """A province as shown: its Chinese name, or its English name in English."""
    if lang == "zh":
        return name
    match = next((p for p in provinces if p.name == name), None)
    return match.en if match and match.en else name


def city_label(name: str, provinces: tuple[Province, ...], lang: str) -> str:
    """A city as shown: its Chinese name, or its English name in English."""
    if lang == "zh":
        return name
    match = next((c for p in provinces for c in p.cities if c.name == name), None)
    return match.en if match and match.en else name


def groups_of(provinces: tuple[Province, ...]) -> dict[str, str]:
    """Province name -> region group (东部, 中部, 西部, 东北, 港澳台)."""
    return {p.name: p.group for p in provinces if p.group}
