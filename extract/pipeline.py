"""Assemble claims from a document: mentions, context, metric, kind, year, region, category."""

from __future__ import annotations

import time
from bisect import bisect_left
from dataclasses import dataclass, replace

from extract import categories, indicators, limits, refyear, regions, script, years
from extract.claim import Claim
from extract.documents import Document, DocumentError, normalise_newlines
from extract.interpret import interpret
from extract.numbers import Mention, find_mentions
from extract.phrases import clause_bounds, list_items, list_subject, metric_for
from extract.sentences import Sentence, heading_before, headings, split_sentences
from extract.timescope import TimeScope, streak_of


class ExtractionTimeout(DocumentError):
    """A document took longer than its time limit; nothing of it is kept."""


class _Watchdog:
    """Refuses a document once its time limit has passed (checked between claims).

    The time is the thread's CPU time: a machine busy with other work slows a report
    down without making it pathological. (A thread cannot be killed, and every step
    between checks is linear and bounded by the sentence cap, so checking suffices.)
    """

    def __init__(self, doc: Document, seconds: float | None) -> None:
        self.doc = doc
        self.seconds = limits.time_limit(len(doc.text)) if seconds is None else seconds
        self.deadline = time.thread_time() + self.seconds

    def check(self) -> None:
        if time.thread_time() > self.deadline:
            raise ExtractionTimeout(
                self.doc.doc_id,
                f"extraction stopped after {self.seconds:.0f} s of CPU time, the limit for "
                f"{len(self.doc.text):,} characters: the text is pathological (or use "
                "--time-limit)",
            )


@dataclass(frozen=True)
class _Context:
    """What every claim of one document shares."""

    doc: Document
    province: str
    city: str
    time: TimeScope
    headings: list[tuple[int, str]]
    original: str  # the text as written: raw and sentence are cut from it


def extract_text(
    text: str,
    *,
    doc_id: str,
    title: str | None = None,
    published: str | None = None,
    province: str | None = None,
    city: str | None = None,
    report_year: int | None = None,
) -> list[Claim]:
    """The claims of a report's text; the keyword hints override inference."""
    doc = Document(
        doc_id=doc_id,
        text=normalise_newlines(text),
        title=title or "",
        published=published or "",
        province=province or "",
        city=city or "",
        report_year=report_year,
    )
    return extract_document(doc)


def extract_document(doc: Document, *, time_limit: float | None = None) -> list[Claim]:
    """The claims of a document read by `documents.read_document`.

    Past `time_limit` seconds (default: limits.time_limit of its length) it raises
    ExtractionTimeout instead of running on.
    """
    watchdog = _Watchdog(doc, time_limit)
    original, title = doc.text, doc.title
    # Traditional script is read as simplified; one character for one keeps the offsets.
    doc = replace(doc, text=script.simplify(doc.text), title=script.simplify(doc.title))
    province, city = regions.document_region(doc.title, doc.text, doc.province, doc.city)
    published = doc.published or years.published_date(doc.text)
    clock = refyear.clock_for(doc.report_year, published, doc.title, doc.text)
    ctx = _Context(
        doc, province, city, TimeScope(doc.text, doc.title, clock), headings(doc.text), original
    )
    mentions = find_mentions(doc.text)
    watchdog.check()
    claims: list[Claim] = []
    extra = {
        "title": title,
        "published": published,
        "source": doc.source,
        "publisher": doc.publisher,
        "url": doc.hints.get("url", ""),
    }
    starts = [m.start for m in mentions]
    for sentence in split_sentences(doc.text):
        lo, hi = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
        inside = mentions[lo:hi]
        watchdog.check()
        for mention, metric in zip(inside, _metrics(sentence, inside), strict=True):
            claims.append(_claim(ctx, sentence, mention, inside, metric, extra))
            watchdog.check()
    return claims


def _metrics(sentence: Sentence, inside: list[Mention]) -> list[str]:
    """The metric of each mention, distributing 分别 lists in order."""
    metrics = [metric_for(sentence.text, sentence.start, m, inside) for m in inside]
    groups: dict[tuple[int, str], list[int]] = {}  # (clause start, subject) -> its numbers
    for i, mention in enumerate(inside):
        subject = list_subject(sentence.text, sentence.start, mention)
        if subject is not None and mention.kind != "rank":
            clause = clause_bounds(sentence.text, mention.start - sentence.start)[0]
            groups.setdefault((clause, subject), []).append(i)
    for i in range(len(inside) - 2, -1, -1):
        # 推出13批105项服务措施: the batches count the same thing as the next number.
        gap = sentence.text[inside[i].end - sentence.start : inside[i + 1].start - sentence.start]
        if not metrics[i] and gap.strip("共计合、和及与 ") == "":
            metrics[i] = metrics[i + 1]
    for (_, subject), members in groups.items():
        items = list_items(subject, len(members))
        for i, item in zip(members, items or [], strict=False):
            metrics[i] = item
    return metrics


def _claim(
    ctx: _Context,
    sentence: Sentence,
    mention: Mention,
    inside: list[Mention],
    metric: str,
    extra: dict[str, str],
) -> Claim:
    reading = interpret(mention, sentence.text, sentence.start, inside, metric)
    at = mention.start - sentence.start
    clause_at, clause_end = clause_bounds(sentence.text, at)
    period = ctx.time.period(
        sentence,
        at,
        clause_at,
        change=reading.kind == "change",
        streak=streak_of(sentence.text, at, reading.value, reading.unit),
    )
    clause = sentence.text[clause_at:at]
    city = ctx.city or regions.city_in_clause(clause.lstrip("在"), ctx.province)
    heading = heading_before(ctx.headings, mention.start)
    category = categories.categorise(
        {
            "metric": metric,
            "clause": sentence.text[clause_at:clause_end],
            "heading": heading,
            "sentence": sentence.text,
        }
    )
    return Claim(
        doc_id=ctx.doc.doc_id,
        raw=ctx.original[mention.start : mention.end],
        value=reading.value,
        unit=reading.unit,
        kind=reading.kind,
        direction=reading.direction,
        approx=mention.approx,
        metric=metric,
        year=period.year,
        period_start=period.start,
        span=period.span,
        province=ctx.province,
        city=city,
        category=category,
        sentence=ctx.original[sentence.start : sentence.end],
        start=mention.start,
        end=mention.end,
        indicator=indicators.assign_indicator(
            metric, reading.unit, reading.kind, sentence.text, at
        ),
        extra=extra,
    )
