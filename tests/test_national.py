"""The national dataset: every file valid, every report cited, none reserved or duplicated."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from store.curate import (
    dump_reports,
    gold_and_recorded,
    machine_claims,
    refresh_report,
)
from store.national import (
    NATIONAL_DIR,
    Report,
    claim_errors,
    duplicate_errors,
    is_reserved,
    national_frame,
    read_file,
    read_reports,
    report_errors,
    url_variants,
    validate,
)

TEXT = "全省刑事案件同比下降5.67%,破获电诈案件1.3万起。8日发布。"
SHA = hashlib.sha256(TEXT.encode()).hexdigest()
GOOD_CLAIM = {
    "raw": "5.67%",
    "start": 10,
    "value": -5.67,
    "unit": "%",
    "kind": "change",
    "direction": "down",
    "approx": "exact",
    "metric": "刑事案件",
    "year": 2023,
    "period_start": 2023,
    "span": "annual",
    "category": "crime",
    "indicator": "criminal_cases_change",
    "machine": "same",
}
GOOD_META = {
    "id": "hunan-2024-01-08-a",
    "url": "https://example.org/a",
    "title": "湖南公安",
    "publisher": "华声在线",
    "published": "2024-01-08",
    "city": "",
    "text_sha256": SHA,
    "text_chars": len(TEXT),
}


def _report(claims: list[dict], **meta: object) -> Report:
    return Report(
        "43-hunan.yaml", str(meta.pop("province", "湖南省")), {**GOOD_META, **meta}, claims
    )


def test_the_bundled_files_are_valid() -> None:
    assert validate() == []


def test_every_report_is_cited_and_no_url_is_reserved() -> None:
    for report in read_reports():
        assert report.meta["url"].startswith(("http://", "https://"))
        assert report.meta["title"] and report.meta["publisher"] and report.meta["published"]
        assert not is_reserved(report.meta["url"])


def test_the_frame_has_no_sentence_and_unique_claim_ids() -> None:
    frame = national_frame()
    if frame.empty:
        pytest.skip("no national data files yet")
    assert (frame["sentence"] == "").all()
    assert frame["claim_id"].is_unique
    assert (frame["url"] != "").all() and frame["reviewed"].all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({}, None),
        ({"kind": "heap"}, "kind"),
        ({"direction": ""}, "direction"),
        ({"value": 5.67}, "sign"),
        ({"category": "sports"}, "category"),
        ({"indicator": "no_such"}, "unknown indicator"),
        ({"indicator": "criminal_cases_filed"}, "not measured"),
        ({"year": 2031}, "outside"),
        ({"period_start": 2024}, "period_start"),
        ({"period_start": 2019}, "multi-year"),
        ({"period_start": 2019, "span": "multi-year"}, None),
        ({"span": "decade"}, "span"),
        ({"machine": "maybe"}, "machine"),
        ({"machine": {"metric": "刑事"}}, None),
        ({"colour": "red"}, "unknown key"),
        ({"metric": ""}, "missing"),
        ({"value": float("nan")}, "not a number"),
    ],
)
def test_claim_errors(change: dict, message: str | None) -> None:
    errors = claim_errors({**GOOD_CLAIM, **change}, 2024)
    if message is None:
        assert errors == []
    else:
        assert any(message in e for e in errors), errors


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({}, None),
        ({"province": "火星省"}, "GB/T 2260"),
        ({"city": "成都市"}, "not a city of"),
        ({"city": "长沙市"}, None),
        ({"published": "2024-99-99"}, "past date"),
        ({"published": "2999-01-01"}, "past date"),
        ({"url": "ftp://x"}, "http"),
        ({"publisher": ""}, "missing publisher"),
        ({"text_sha256": "abc"}, "sha256"),
    ],
)
def test_report_errors(meta: dict, message: str | None) -> None:
    errors = report_errors(_report([GOOD_CLAIM], **meta))
    if message is None:
        assert errors == []
    else:
        assert any(message in e for e in errors), errors


def test_a_claim_about_the_country_in_a_provincial_report() -> None:
    assert report_errors(_report([{**GOOD_CLAIM, "province": "全国"}])) == []
    assert report_errors(_report([{**GOOD_CLAIM, "province": "全国", "city": "长沙市"}]))


def test_syndicated_copies_and_reused_ids_are_refused() -> None:
    second = {
        **GOOD_CLAIM,
        "raw": "1.3万起",
        "start": 22,
        "value": 13000.0,
        "kind": "count",
        "unit": "起",
        "direction": "",
        "indicator": "",
    }
    one = _report([GOOD_CLAIM, second])
    copy = _report([GOOD_CLAIM, second], id="hunan-copy", url="https://mirror.example/a")
    assert any("same figures" in e for e in duplicate_errors([one, copy]))
    assert any("id used twice" in e for e in duplicate_errors([one, one]))


def test_reserved_urls_match_in_every_variant() -> None:
    url = "https://example.org/page/"
    hashes = frozenset({hashlib.sha256(b"http://example.org/page").hexdigest()})
    assert is_reserved(url, hashes)
    assert not is_reserved("https://example.org/other", hashes)
    assert "http://example.org/page" in url_variants(url)


def test_refresh_records_the_machine_and_finds_offsets(tmp_path: Path) -> None:
    added = {k: v for k, v in GOOD_CLAIM.items() if k not in ("start", "machine")}
    added.update(
        raw="1.3万起",
        value=13000.0,
        unit="起",
        kind="count",
        direction="",
        metric="电诈案件",
        indicator="telecom_fraud_solved",
    )
    wrong = {**GOOD_CLAIM, "metric": "刑事案件立案"}
    meta, problems = refresh_report(_report([wrong, added]), TEXT)
    assert problems == []
    assert [c["start"] for c in meta["claims"]] == [10, 22]
    assert all(c["machine"] != "missed" for c in meta["claims"])
    machine = {c["raw"] for c in machine_claims(TEXT, meta, "湖南省")}
    assert {r["raw"] for r in meta["rejected"]} == machine - {"5.67%", "1.3万起"}
    path = tmp_path / "43-hunan.yaml"
    path.write_text(dump_reports("湖南省", [meta]), encoding="utf-8")
    reread = read_file(path)
    assert report_errors(reread[0]) == []
    gold, recorded = gold_and_recorded(reread)
    assert len(gold) == 2 and len(recorded) == 2 + len(meta["rejected"])


def test_refresh_refuses_a_figure_inside_a_longer_number() -> None:
    inside = {
        **GOOD_CLAIM,
        "raw": "3万起",
        "start": 24,
        "value": 30000.0,
        "unit": "起",
        "kind": "count",
        "direction": "",
        "indicator": "",
    }
    _, problems = refresh_report(_report([inside]), TEXT)
    assert problems and "longer number" in problems[0]


def test_refresh_refuses_a_changed_text() -> None:
    _, problems = refresh_report(_report([GOOD_CLAIM]), TEXT + "。")
    assert problems and "text_sha256" in problems[0]


def test_the_data_folder_exists() -> None:
    assert NATIONAL_DIR.is_dir()
