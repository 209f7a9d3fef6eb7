"""Curating the national dataset: draft a report's claims, record the machine, score it.

    python -m store.curate draft TEXT --id hunan-2024-01-08 --url … --title … \
        --publisher … --published 2024-01-08 --province 湖南省 [--city …] [--report-year N]
    python -m store.curate refresh data/national/43-hunan.yaml --texts DIR
    python -m store.curate score [--texts DIR]

`draft` prints a report block whose claims are the extractor's, to be checked by hand
against the text. `refresh` fills missing offsets, checks every raw figure against the
text (by its sha256) and records, per claim, what the extractor said (`machine`) and
which of its claims were rejected. `score` scores the extractor on these reports: as
recorded in the files, or re-run on the texts when they are at hand (they stay outside
the repository: the pages are not ours to keep).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from extract import extract_text
from extract.evaluate import report as score_table
from extract.evaluate import score, values_agree
from store.national import (
    CHECKED_FIELDS,
    NATIONAL_DIR,
    REPORT_FIELDS,
    Report,
    claim_row,
    read_file,
    read_reports,
)

CLAIM_ORDER = ("raw", "start", *CHECKED_FIELDS, "machine")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def machine_claims(
    text: str, meta: dict[str, Any], province: str, *, hints: bool = True
) -> list[dict[str, Any]]:
    """The extractor's claims of a report's text, as checked-claim dicts.

    With `hints`, the report's province, city and reference year are given to the
    extractor (drafting); without, only title and publication date, as an unseen
    report would come (scoring).
    """
    region = {"province": province, "city": meta.get("city") or None} if hints else {}
    claims = extract_text(
        text,
        doc_id=str(meta["id"]),
        title=meta["title"],
        published=str(meta["published"]),
        report_year=meta.get("report_year") if hints else None,
        **region,
    )
    out = []
    for c in claims:
        row = c.to_row()
        found = {k: row.get(k, "") for k in ("raw", "start", *CHECKED_FIELDS) if k in row}
        if "span" not in row:  # an extractor without spans: derive it from the period
            found["span"] = "multi-year" if (c.period_start or 0) < (c.year or 0) else "annual"
        out.append(found)
    return out


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def _flow(mapping: dict[str, Any], order: tuple[str, ...]) -> str:
    keys = [k for k in order if k in mapping] + [k for k in mapping if k not in order]
    parts = []
    for key in keys:
        value = mapping[key]
        text = _flow(value, CHECKED_FIELDS) if isinstance(value, dict) else _scalar(value)
        parts.append(f"{key}: {text}")
    return "{" + ", ".join(parts) + "}"


def dump_reports(province: str, reports: list[dict[str, Any]], header: str = "") -> str:
    """A data file: the report citations as blocks, one claim per line (reviewable diffs)."""
    lines = [header.rstrip()] if header else []
    lines += [f"province: {province}", "reports:"]
    for meta in reports:
        keys = [k for k in REPORT_FIELDS if k in meta]
        for i, key in enumerate(keys):
            lines.append(f"{'- ' if i == 0 else '  '}{key}: {_scalar(meta[key])}")
        lines.append("  claims:")
        lines += [f"  - {_flow(c, CLAIM_ORDER)}" for c in meta.get("claims") or []]
        if meta.get("rejected"):
            lines.append("  rejected:")
            lines += [f"  - {_flow(c, ('raw', 'start', 'value'))}" for c in meta["rejected"]]
    return "\n".join(lines) + "\n"


def draft(args: argparse.Namespace) -> int:
    text = Path(args.text).read_text(encoding="utf-8")
    meta: dict[str, Any] = {
        "id": args.id,
        "url": args.url,
        "title": args.title,
        "publisher": args.publisher,
        "published": args.published,
        "city": args.city or "",
        "text_sha256": text_sha256(text),
        "text_chars": len(text),
    }
    if args.report_year:
        meta["report_year"] = args.report_year
    claims = machine_claims(text, meta, args.province)
    for claim in claims:
        claim.pop("province") if claim.get("province") == args.province else None
        claim.pop("city") if claim.get("city") == meta["city"] else None
        claim["machine"] = "same"
    meta["claims"] = claims
    block = dump_reports(args.province, [meta]).split("reports:\n", 1)[1]
    sys.stdout.write(block)
    return 0


def _locate(text: str, raw: str, taken: set[int]) -> int | None:
    at = text.find(raw)
    while at >= 0 and at in taken:
        at = text.find(raw, at + 1)
    return at if at >= 0 else None


def _inside_a_number(text: str, at: int, raw: str) -> bool:
    """True when the figure at `at` continues a number (4万 inside 74万, 5 inside 2.5)."""
    before = text[at - 1] if at else ""
    return raw[:1].isdigit() and (
        before.isdigit() or (before == "." and text[at - 2 : at - 1].isdigit())
    )


def _match(checked: dict[str, Any], machine: list[dict[str, Any]], used: set[int]) -> int | None:
    start, end = checked["start"], checked["start"] + len(str(checked["raw"]))
    for i, m in enumerate(machine):
        overlaps = m["start"] < end and start < m["start"] + len(str(m["raw"]))
        if i not in used and overlaps and values_agree(float(m["value"]), float(checked["value"])):
            return i
    return None


def _differences(checked: dict[str, Any], found: dict[str, Any], report: Report) -> dict:
    full = claim_row(report, checked)
    diff = {}
    for key in CHECKED_FIELDS:
        mine = full.get(key, "")
        theirs = found.get(key, "")
        if key == "span":
            mine = checked.get("span") or "annual"
        if key == "value":
            if not values_agree(float(theirs), float(mine)):
                diff[key] = theirs
        elif str(mine if mine is not None else "") != str(theirs if theirs is not None else ""):
            diff[key] = theirs
    return diff


def refresh_report(report: Report, text: str) -> tuple[dict[str, Any], list[str]]:
    """The report with offsets filled and checked, `machine` and `rejected` recomputed."""
    meta, problems = dict(report.meta), []
    if text_sha256(text) != meta["text_sha256"]:
        return meta, [f"{meta['id']}: text differs from text_sha256"]
    taken: set[int] = {c["start"] for c in report.claims if isinstance(c.get("start"), int)}
    for claim in report.claims:
        if not isinstance(claim.get("start"), int):
            claim["start"] = _locate(text, str(claim["raw"]), taken)
            taken.add(claim["start"]) if claim["start"] is not None else None
        at, raw = claim["start"], str(claim["raw"])
        if at is None or text[at : at + len(raw)] != raw:
            problems.append(f"{meta['id']}: {claim['raw']!r} is not at {at} in the text")
        elif _inside_a_number(text, at, raw):
            problems.append(f"{meta['id']}: {raw!r} at {at} is part of a longer number")
    if problems:
        return meta, problems
    machine = machine_claims(text, meta, report.province)
    used: set[int] = set()
    for claim in sorted(report.claims, key=lambda c: c["start"]):
        index = _match(claim, machine, used)
        if index is None:
            claim["machine"] = "missed"
            continue
        used.add(index)
        diff = _differences(claim, machine[index], report)
        claim["machine"] = diff or "same"
    meta["claims"] = sorted(report.claims, key=lambda c: c["start"])
    meta["text_chars"] = len(text)
    meta["rejected"] = [
        {"raw": m["raw"], "start": m["start"], "value": m["value"]}
        for i, m in enumerate(machine)
        if i not in used
    ]
    return meta, []


def refresh(args: argparse.Namespace) -> int:
    path, texts = Path(args.file), Path(args.texts)
    reports = read_file(path)
    header = "".join(
        ln + "\n" for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("#")
    )
    out, problems = [], []
    for report in reports:
        text_file = texts / f"{report.meta['id']}.txt"
        if not text_file.exists():
            problems.append(f"{report.meta['id']}: no text at {text_file}")
            out.append(report.meta)
            continue
        meta, found = refresh_report(report, text_file.read_text(encoding="utf-8"))
        problems += found
        out.append(meta)
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    if problems:  # nothing half-written: fix the file and run again
        return 1
    province = reports[0].province if reports else ""
    path.write_text(dump_reports(province, out, header), encoding="utf-8")
    return 0


def gold_and_recorded(reports: list[Report]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The checked claims, and the extractor's claims as recorded beside them."""
    gold, recorded = [], []
    for report in reports:
        for claim in report.claims:
            row = claim_row(report, claim)
            gold.append(row)
            machine = claim.get("machine", "missed")
            if machine != "missed":
                recorded.append({**row, **(machine if isinstance(machine, dict) else {})})
        for rejected in report.meta.get("rejected") or []:
            start = int(rejected["start"])
            recorded.append(
                {
                    "doc_id": report.doc_id,
                    "raw": rejected["raw"],
                    "start": start,
                    "end": start + len(str(rejected["raw"])),
                    "value": rejected["value"],
                }
            )
    return pd.DataFrame(gold), pd.DataFrame(recorded)


def rerun(reports: list[Report], texts: Path) -> pd.DataFrame:
    """The current extractor's claims on the texts at hand (reports without text skipped)."""
    rows = []
    for report in reports:
        text_file = texts / f"{report.meta['id']}.txt"
        text = text_file.read_text(encoding="utf-8") if text_file.exists() else ""
        if text_sha256(text) != report.meta["text_sha256"]:
            continue
        for claim in machine_claims(text, report.meta, report.province, hints=False):
            row = claim_row(report, claim)
            row.update(province=claim["province"], city=claim["city"])
            rows.append(row)
    return pd.DataFrame(rows)


def score_command(args: argparse.Namespace) -> int:
    reports = read_reports(Path(args.root))
    gold, recorded = gold_and_recorded(reports)
    print(f"{len(reports)} reports, {len(gold)} checked claims")
    if args.texts:
        predicted = rerun(reports, Path(args.texts))
        kept = set(predicted["doc_id"]) if len(predicted) else set()
        gold = gold[gold["doc_id"].isin(kept)]
        print(f"current extractor on the {len(kept)} texts at hand (title and date only):")
    else:
        predicted = recorded
        print("extractor as recorded when the reports were checked:")
    result = score(gold, predicted)
    print(score_table(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m store.curate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draft", help="the extractor's claims of a text, as a report block")
    d.add_argument("text")
    for name in ("id", "url", "title", "publisher", "published", "province"):
        d.add_argument(f"--{name}", required=True)
    d.add_argument("--city", default="")
    d.add_argument("--report-year", type=int)
    r = sub.add_parser("refresh", help="fill offsets, record the machine's output")
    r.add_argument("file")
    r.add_argument("--texts", required=True)
    s = sub.add_parser("score", help="score the extractor on the national reports")
    s.add_argument("--root", default=str(NATIONAL_DIR))
    s.add_argument("--texts")
    args = parser.parse_args(argv)
    handler = {"draft": draft, "refresh": refresh, "score": score_command}[args.command]
    return handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
