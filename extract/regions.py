"""The gazetteer: province-level units, prefecture-level cities, and what a text is about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

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
    by_name = {place.name: place for place in table.values() if place.is_city}
    for town, prefecture in lexicon.load("regions.yaml")["county_cities"].items():
        table.setdefault(town, by_name[prefecture])  # 库尔勒 stands for 巴音郭楞
    return table


@cache
def _pattern() -> re.Pattern[str]:
    names = sorted(places(), key=len, reverse=True)  # 马鞍山 before 鞍山
    return re.compile("|".join(map(re.escape, names)))


def find_places(text: str) -> list[tuple[int, Place]]:
    """Places named in the text, with their offsets, longest name first at each point."""
    return list(_found(text))


@lru_cache(maxsize=16)
def _found(text: str) -> tuple[tuple[int, Place], ...]:
    # A document's text is searched several times (cities, provinces, national): once is enough.
    return tuple((m.start(), places()[m.group()]) for m in _pattern().finditer(text))


def normalise(name: str, *, city: bool) -> str:
    """A full official name for a hint such as 四川 or 攀枝花; '' if unknown."""
    name = (name or "").strip()
    place = places().get(name)
    if place is None or place.is_city != city:
        return name if not place else ""
    return place.name


# A prefecture speaks of itself as 市, 州 (autonomous prefecture), 盟 or 地区.
_CITY_SELF = re.compile(
    r"我市|本市|全市|市公安局|市委|市政府|市人大"
    r"|我州|本州|全州|州公安局|州局|州委|州政府|州人大|我盟|全盟|盟公安局|全地区|地区公安处"
)
_PROVINCE_SELF = re.compile(r"我省|本省|全省|省公安厅|省委|省政府|我区|全区|自治区")
# A county or district report (成县公安局, 安宁分局) belongs to the prefecture it names.
_COUNTY_SELF = re.compile(r"县公安局|区公安分局|公安分局|全县|我县|本县|县委|县政府")
_NATIONAL_SELF = re.compile(r"全国公安机关|全国各级公安机关|公安部|国家反诈中心|全国共")
NATIONAL = "全国"


def document_region(title: str, text: str, province: str = "", city: str = "") -> tuple[str, str]:
    """Province and city of a document: hints first, then its title, then the names it uses most."""
    city = normalise(city, city=True)
    province = normalise(province, city=False)
    if not city and not province and _is_national_document(title, text):
        return NATIONAL, ""
    if not city and not _is_provincial_title(title, text):
        city = _title_city(title, province)
    if not city and _is_city_document(text):
        city = _most_named(title, text, cities=True, within=province)
    if not province:
        province = places()[city].province if city else _most_named(title, text, cities=False)
        if not province:
            named_city = _most_named(title, text, cities=True, within="")
            province = places()[named_city].province if named_city else ""
    return province, city


def _title_city(title: str, province: str) -> str:
    """The one city a title names (汉中市公安局…, 涼山公開禁毒情況), else ''."""
    named = {
        place.name
        for _, place in find_places(title)
        if place.is_city and (not province or place.province == province)
    }
    return named.pop() if len(named) == 1 else ""


def _is_national_document(title: str, text: str) -> bool:
    """A report of national figures: it names no place in its title and speaks for the country."""
    if find_places(title):
        return False
    national = len(_NATIONAL_SELF.findall(text))
    local = len(_PROVINCE_SELF.findall(text)) + len(_CITY_SELF.findall(text))
    return national >= 2 and national > local


def _is_provincial_title(title: str, text: str) -> bool:
    """四川公安：成都大运会安保…: a province in the title and a text that speaks as one."""
    provincial = any(not place.is_city for _, place in find_places(title))
    return provincial and not _is_city_document(text) and bool(_PROVINCE_SELF.search(text))


def _is_city_document(text: str) -> bool:
    city = len(_CITY_SELF.findall(text)) + 2 * text.count("我市")
    prov = len(_PROVINCE_SELF.findall(text)) + 2 * text.count("我省")
    return max(city, len(_COUNTY_SELF.findall(text))) > prov


def _most_named(title: str, text: str, *, cities: bool, within: str = "") -> str:
    scores: dict[str, int] = {}
    for weight, part in ((5, title), (1, text)):
        for _, place in find_places(part):
            if place.is_city == cities and (not within or place.province == within):
                scores[place.name] = scores.get(place.name, 0) + weight
    return max(scores, key=lambda k: scores[k]) if scores else ""


def city_in_clause(clause: str, province: str) -> str:
    """A city of the province that the clause opens with (在成都，…), else ''."""
    # Only a name at the clause's first or second character counts: try there, not all along.
    match = _pattern().match(clause) or _pattern().match(clause, 1)
    place = places()[match.group()] if match else None
    return place.name if place and place.is_city and place.province == province else ""
