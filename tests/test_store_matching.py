"""Re-extraction matches old and new claims by content: a reviewed claim is never counted
twice nor brought back after it was dropped, however the report's text moved (issue 11.4)."""

from __future__ import annotations

import pytest

import store
from extract.documents import document_from_text
from extract.report import extracted_claims
from store.matching import match_claims
from store.review import Review

MOVED = "海南省公安厅工作总结(修订稿)\n"  # a line added above: every span shifts
CASES_TEXT = (
    "2023年,全省公安机关共破获刑事案件1234起,同比上升12.5%。\n"
    "全省新建智慧安防小区56个,投入资金3.2亿元。\n"
)
TWINS = "2023年,全省新建派出所56个。\n2023年,全省新建警务室56个。\n"
SUSPECTS = "2023年,全省抓获嫌疑人88名。\n"


def _claim(
    claim_id: str, raw: str, value: float, unit: str, metric: str, sentence: str, start: int
) -> dict[str, object]:
    return {
        "claim_id": claim_id,
        "raw": raw,
        "value": value,
        "unit": unit,
        "metric": metric,
        "sentence": sentence,
        "start": start,
        "year": 2023,
        "province": "海南省",
        "city": "",
    }


S1 = "2023年,全省破获刑事案件1234起。"
S2 = "2023年,全省新建派出所56个。"


@pytest.mark.parametrize(
    ("old", "new", "pairs"),
    [
        # Same span, same number as written: the same claim even when the metric changed.
        (
            [_claim("r:10-15", "1234起", 1234, "起", "刑事案件", S1, 10)],
            [_claim("r:10-15", "1234起", 1234, "起", "破获刑事案件", S1, 10)],
            {"r:10-15": "r:10-15"},
        ),
        # The span moved: matched by value, unit, metric and the words around it.
        (
            [_claim("r:10-15", "1234起", 1234, "起", "刑事案件", S1, 10)],
            [_claim("r:40-45", "1234起", 1234, "起", "刑事案件", S1, 40)],
            {"r:10-15": "r:40-45"},
        ),
        # Another value is another figure, whatever the span.
        (
            [_claim("r:10-15", "1234起", 1234, "起", "刑事案件", S1, 10)],
            [_claim("r:10-15", "4321起", 4321, "起", "刑事案件", S1, 10)],
            {},
        ),
        # Another unit too.
        (
            [_claim("r:10-13", "56个", 56, "个", "派出所", S2, 10)],
            [_claim("r:20-23", "56人", 56, "人", "派出所", S2, 20)],
            {},
        ),
        # Equal figures in two sentences: each follows its own metric and context.
        (
            [
                _claim("r:13-16", "56个", 56, "个", "派出所", S2, 13),
                _claim("r:31-34", "56个", 56, "个", "警务室", "2023年,全省新建警务室56个。", 31),
            ],
            [
                _claim("r:40-43", "56个", 56, "个", "警务室", "2023年,全省新建警务室56个。", 40),
                _claim("r:22-25", "56个", 56, "个", "派出所", S2, 22),
            ],
            {"r:13-16": "r:22-25", "r:31-34": "r:40-43"},
        ),
        # Same value and unit but nothing else alike: not the same figure.
        (
            [_claim("r:10-13", "56个", 56, "个", "派出所", S2, 10)],
            [_claim("r:90-93", "56个", 56, "个", "无人机", "另购置无人机56个用于巡逻。", 90)],
            {},
        ),
        # Claims checked by hand without a sentence: place and year stand for the context.
        (
            [{**_claim("n:1", "3.2亿元", 3.2e8, "元", "资金投入", "", None), "start": None}],
            [{**_claim("n:2", "3.2亿元", 3.2e8, "元", "资金投入", "", None), "start": None}],
            {"n:1": "n:2"},
        ),
        # One old claim, two candidates: the nearer one wins, the other stays new.
        (
            [_claim("r:10-15", "1234起", 1234, "起", "刑事案件", S1, 10)],
            [
                _claim("r:12-17", "1234起", 1234, "起", "刑事案件", S1, 12),
                _claim("r:90-95", "1234起", 1234, "起", "刑事案件", S1, 90),
            ],
            {"r:10-15": "r:12-17"},
        ),
    ],
    ids=[
        "same-span",
        "moved",
        "other-value",
        "other-unit",
        "twins",
        "unrelated",
        "no-sentence",
        "nearest",
    ],
)
def test_match_claims(old: list[dict], new: list[dict], pairs: dict[str, str]) -> None:
    assert match_claims(old, new) == pairs


def _extract(text: str) -> list[dict[str, object]]:
    doc = document_from_text(text, doc_id="r", province="海南省")
    return extracted_claims(doc).to_dict("records")


def _review(claims: list[dict[str, object]], steps: list[tuple]) -> Review:
    """('fix', raw or (raw, metric), fields) / ('drop', raw) / ('add', row) as a Review."""

    def claim_id(which: str | tuple[str, str]) -> str:
        raw, metric = which if isinstance(which, tuple) else (which, None)
        return next(
            str(c["claim_id"]) for c in claims if c["raw"] == raw and metric in (None, c["metric"])
        )

    review = Review()
    for step in steps:
        if step[0] == "fix":
            review.corrections[claim_id(step[1])] = step[2]
        elif step[0] == "drop":
            review.dropped.append(claim_id(step[1]))
        else:
            review.added.append(step[1])
    return review


MANUAL_88 = {
    "raw": "88名",
    "value": 88.0,
    "unit": "人",
    "kind": "count",
    "approx": "exact",
    "direction": "",
    "metric": "抓获嫌疑人",
    "category": "crime",
    "year": 2023,
    "period_start": 2023,
    "province": "海南省",
    "city": "",
}


@pytest.mark.parametrize(
    ("old_text", "hide", "steps", "new_text", "expected"),
    [
        # A corrected claim whose span shifted: corrected once, not kept beside its new copy.
        (
            CASES_TEXT,
            [],
            [("fix", "1234起", {"value": 1300.0})],
            MOVED + CASES_TEXT,
            [
                ("1234起", 1300.0, True),
                ("12.5%", 12.5, False),
                ("56个", 56.0, False),
                ("3.2亿元", 3.2e8, False),
            ],
        ),
        # A dropped claim whose span shifted stays dropped.
        (
            CASES_TEXT,
            [],
            [("drop", "56个")],
            MOVED + CASES_TEXT,
            [("1234起", 1234.0, False), ("12.5%", 12.5, False), ("3.2亿元", 3.2e8, False)],
        ),
        # Nothing moved: the same ids, the review as it was.
        (
            CASES_TEXT,
            [],
            [("fix", "12.5%", {"value": 13.5}), ("drop", "3.2亿元")],
            CASES_TEXT,
            [("1234起", 1234.0, False), ("12.5%", 13.5, True), ("56个", 56.0, False)],
        ),
        # A corrected figure the new text no longer has: the reviewer vouched for it, it stays.
        (
            CASES_TEXT,
            [],
            [("fix", "56个", {"metric": "智慧安防小区建成"})],
            MOVED + CASES_TEXT.replace("全省新建智慧安防小区56个,", ""),
            [
                ("1234起", 1234.0, False),
                ("12.5%", 12.5, False),
                ("56个", 56.0, True),
                ("3.2亿元", 3.2e8, False),
            ],
        ),
        # Two equal figures: the correction follows the one it was made on.
        (
            TWINS,
            [],
            [("fix", ("56个", "警务室"), {"value": 57.0})],
            MOVED + TWINS,
            [("56个", 56.0, False), ("56个", 57.0, True)],
        ),
        # A figure first added by hand, now found by the extractor at a new span: once.
        (SUSPECTS, ["88名"], [("add", MANUAL_88)], MOVED + SUSPECTS, [("88名", 88.0, True)]),
        # A new figure takes the exact span of a corrected one that is gone: both count,
        # each with its own values.
        (
            CASES_TEXT,
            [],
            [("fix", "1234起", {"value": 1300.0})],
            CASES_TEXT.replace("1234起", "4321起"),
            [
                ("1234起", 1300.0, True),
                ("4321起", 4321.0, False),
                ("12.5%", 12.5, False),
                ("56个", 56.0, False),
                ("3.2亿元", 3.2e8, False),
            ],
        ),
    ],
    ids=[
        "fixed-moved",
        "dropped-moved",
        "unchanged",
        "fixed-gone",
        "twins",
        "by-hand-found",
        "span-taken",
    ],
)
def test_re_extraction_neither_duplicates_nor_resurrects(
    store_url: str,
    old_text: str,
    hide: list[str],
    steps: list[tuple],
    new_text: str,
    expected: list[tuple[str, float, bool]],
) -> None:
    claims = [c for c in _extract(old_text) if c["raw"] not in hide]
    with store.opened(store_url) as db:
        store.add_report(db, {"doc_id": "r", "text": old_text, "origin": "cli"}, claims)
        store.apply_review(db, "r", _review(claims, steps))
        store.replace_extraction(db, "r", _extract(new_text))
        again = store.effective_claims(db, "r")
        # A second re-extraction of the same text changes nothing.
        store.replace_extraction(db, "r", _extract(new_text))
        after = store.effective_claims(db, "r")
    shown = sorted(zip(after["raw"], after["value"], after["reviewed"], strict=True))
    assert shown == sorted(expected)
    assert after.equals(again)
    assert after["claim_id"].is_unique
