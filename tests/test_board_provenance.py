"""Provenance: report text lookup, context around a claim, highlighting."""

import pytest

from board import provenance
from board.data import SEEDS_DIR
from board.provenance import Excerpt

TEXT = (
    "第一段。\n深化户籍制度改革。2019年至2023年,全省共有610.24万余名农业转移人口落户城镇。"
    "\n第三段。"
)
RAW = "610.24万余名"
START = TEXT.index(RAW)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("---\ntitle: x\n---\nbody\n", "body\n"),
        ("\ufeff---\r\ntitle: x\r\n---\r\nbody\r\nmore", "body\nmore"),
        ("no front matter", "no front matter"),
    ],
)
def test_document_body(source, expected):
    assert provenance.document_body(source) == expected


@pytest.mark.parametrize(
    ("doc_id", "found"),
    [
        ("000_d2ab64f43d8cd3ad", True),
        ("missing_doc", False),
        ("../seeds/000_d2ab64f43d8cd3ad", False),  # no paths out of the seeds folder
        ("", False),
    ],
)
def test_document_text(doc_id, found):
    assert (provenance.document_text(doc_id, SEEDS_DIR) is not None) is found


def test_seed_offsets_index_the_body():
    text = provenance.document_text("000_d2ab64f43d8cd3ad", SEEDS_DIR)
    assert text[345:354] == RAW  # the first gold claim of that report


@pytest.mark.parametrize(
    ("start", "end", "width", "expected"),
    [
        (
            START,
            START + len(RAW),
            200,
            Excerpt("深化户籍制度改革。2019年至2023年,全省共有", RAW, "农业转移人口落户城镇。"),
        ),
        (
            START,
            START + len(RAW),
            5,
            Excerpt(",全省共有", RAW, "农业转移人"),
        ),  # no break within reach
        (START + 1, START + 1 + len(RAW), 200, None),  # offsets that do not match raw
        (None, None, 200, None),
    ],
)
def test_excerpt(start, end, width, expected):
    assert provenance.excerpt(TEXT, start, end, RAW, width) == expected


@pytest.mark.parametrize(
    ("row", "text", "expected", "in_report"),
    [
        ({"raw": RAW, "start": START, "end": START + len(RAW), "sentence": "s"}, TEXT, RAW, True),
        ({"raw": RAW, "start": 0, "end": 3, "sentence": f"共有{RAW}人口"}, TEXT, RAW, False),
        (
            {"raw": RAW, "start": START, "end": START + 9, "sentence": f"共有{RAW}人口"},
            None,
            RAW,
            False,
        ),
        ({"raw": "99", "start": None, "end": None, "sentence": "没有这个数"}, None, "", False),
    ],
)
def test_claim_excerpt_falls_back_to_the_sentence(row, text, expected, in_report):
    part, found = provenance.claim_excerpt(row, text)
    assert (part.raw, found) == (expected, in_report)


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        (Excerpt("共有", RAW, "人口"), "共有<mark>610&#46;24万余名</mark>人口"),
        (Excerpt("<b>", "1&2", "</b>\n下"), "&#60;b&#62;<mark>1&#38;2</mark>&#60;/b&#62;<br>下"),
        (Excerpt("整句", "", ""), "整句"),
    ],
)
def test_highlight_html(part, expected):
    assert provenance.highlight_html(part) == expected
