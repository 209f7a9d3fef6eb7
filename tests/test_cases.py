"""Golden cases as data: tests/cases/*.yaml, one parametrised test over them all."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from extract import extract_text

CASES_DIR = Path(__file__).parent / "cases"
META = ("title", "published", "province", "city")


def _cases() -> list[pytest.param]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for i, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]):
            params.append(pytest.param(case, id=f"{path.stem}-{i}-{case['input'][:12]}"))
    return params


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict) -> None:
    claims = extract_text(case["input"], doc_id="case", **{k: case.get(k) for k in META})
    expected = case["results"]
    assert [c.raw for c in claims] == [r["raw"] for r in expected]
    for claim, want in zip(claims, expected, strict=True):
        got = {field: getattr(claim, field) for field in want}
        assert got == pytest.approx(want) if _numeric(want) else got == want


def _numeric(want: dict) -> bool:
    return all(isinstance(v, int | float) for v in want.values())


def test_offsets_point_at_raw() -> None:
    for param in _cases():
        case = param.values[0]
        for claim in extract_text(case["input"], doc_id="case"):
            assert case["input"][claim.start : claim.end] == claim.raw
