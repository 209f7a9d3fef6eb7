"""The gazetteer: province-level units, prefecture-level cities, and what a text is about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extract import lexicon


@dataclass(frozen=True)
class Place:
    """A province-level unit or a prefecture-level city."""

    name: str
    province: str
    is_city: bool
    code: str = ""


@cache
def places() -> dict[str, Place]:
    """Every name and short name of two or more characters, to its place."""
    table: dict[str, Place] = {}
    for prov in lexicon.load("regions.yaml")["provinces"]:
        entry = Place(prov["name"], prov["name"], False, prov["code"])
        for word in [prov["name"], *prov["short"]]:
            if len(word) >= 2:
                table[word] = entry
        for city in prov["cities"]:
            place = Place(city["name"], prov["name"], True)
            for word in [city["name"], *city["short"]]:
                if len(word) >= 2:
                    table.setdefault(word, place)
    return table


@cache
def _pattern() -> re.Pattern[str]:
    names = sorted(places(), key=len, reverse=True)  # 马鞍山 before 鞍山
    return re.compile("|".join(map(re.escape, names)))


def find_places(text: str) -> list[tuple[int, Place]]:
    """Places named in the text, with their offsets, longest name first at each point."""
    return [(m.start(), places()[m.group()]) for m in _pattern().finditer(text)]


def normalise(name: str, *, city: bool) -> str:
    """A full official name for a hint such as 四川 or 攀枝花; '' if unknown."""
    name = (name or "").strip()
    place = places().get(name)
    if place is None or place.is_city != city:
        return name if not place else ""
    return place.name


_CITY_SELF = re.compile(r"我市|本市|全市|市公安局|市委|市政府|市人大")
_PROVINCE_SELF = re.compile(r"我省|本省|全省|省公安厅|省委|省政府|我区|全区|自治区")


def document_region(title: str, text: str, province: str = "", city: str = "") -> tuple[str, str]:
    """Province and city of a document: hints first, then the names it uses most."""
    city = normalise(city, city=True)
    province = normalise(province, city=False)
    if not city and _is_city_document(text):
        city = _most_named(title, text, cities=True, within=province)
    if not province:
        province = places()[city].province if city else _most_named(title, text, cities=False)
        if not province:
            named_city = _most_named(title, text, cities=True, within="")
            province = places()[named_city].province if named_city else ""
    return province, city


def _is_city_document(text: str) -> bool:
    city = len(_CITY_SELF.findall(text)) + 2 * text.count("我市")
    prov = len(_PROVINCE_SELF.findall(text)) + 2 * text.count("我省")
    return city > prov


def _most_named(title: str, text: str, *, cities: bool, within: str = "") -> str:
    scores: dict[str, int] = {}
    for weight, part in ((5, title), (1, text)):
        for _, place in find_places(part):
            if place.is_city == cities and (not within or place.province == within):
                scores[place.name] = scores.get(place.name, 0) + weight
    return max(scores, key=lambda k: scores[k]) if scores else ""


def city_in_clause(clause: str, province: str) -> str:
    """A city of the province that the clause opens with (在成都，…), else ''."""
    for at, place in find_places(clause):
        if place.is_city and place.province == province and at <= 1:
            return place.name
    return ""
