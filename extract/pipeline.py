"""Assemble claims from a document: mentions, context, metric, kind, year, region, category."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from extract import categories, indicators, regions, years
from extract.claim import Claim
from extract.documents import Document, normalise_newlines
from extract.interpret import interpret
from extract.numbers import Mention, find_mentions
from extract.phrases import clause_bounds, list_items, list_subject, metric_for
from extract.sentences import Sentence, heading_before, headings, split_sentences


@dataclass(frozen=True)
class _Context:
    """What every claim of one document shares."""

    doc: Document
    province: str
    city: str
    ref_year: int | None
    headings: list[tuple[int, str]]


def extract_text(text: str, *, doc_id: str, title: str | None = None,
                 published: str | None = None, province: str | None = None,
                 city: str | None = None, report_year: int | None = None) -> list[Claim]:
    """The claims of a report's text; the keyword hints override inference."""
    doc = Document(doc_id=doc_id, text=normalise_newlines(text), title=title or "",
                   published=published or "", province=province or "", city=city or "",
                   report_year=report_year)
    return extract_document(doc)


def extract_document(doc: Document) -> list[Claim]:
    """The claims of a document read by `documents.read_document`."""
    province, city = regions.document_region(doc.title, doc.text, doc.province, doc.city)
    published = doc.published or years.published_date(doc.text)
    ref = years.reference_year(doc.report_year, published, doc.title, doc.text)
    ctx = _Context(doc, province, city, ref, headings(doc.text))
    mentions = find_mentions(doc.text)
    claims: list[Claim] = []
    extra = {"title": doc.title, "published": published, "source": doc.source,
             "publisher": doc.publisher, "url": doc.hints.get("url", "")}
    starts = [m.start for m in mentions]
    for sentence in split_sentences(doc.text):
        lo, hi = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
        inside = mentions[lo:hi]
        for mention, metric in zip(inside, _metrics(sentence, inside), strict=True):
            claims.append(_claim(ctx, sentence, mention, inside, metric, extra))
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
        gap = sentence.text[inside[i].end - sentence.start:inside[i + 1].start - sentence.start]
        if not metrics[i] and gap.strip("共计合、和及与 ") == "":
            metrics[i] = metrics[i + 1]
    for (_, subject), members in groups.items():
        items = list_items(subject, len(members))
        for i, item in zip(members, items or [], strict=False):
            metrics[i] = item
    return metrics


def _claim(ctx: _Context, sentence: Sentence, mention: Mention, inside: list[Mention],
           metric: str, extra: dict[str, str]) -> Claim:
    reading = interpret(mention, sentence.text, sentence.start, inside, metric)
    at = mention.start - sentence.start
    clause_at, clause_end = clause_bounds(sentence.text, at)
    paragraph = ctx.doc.text.rfind("\n", 0, sentence.start) + 1
    opening = ctx.doc.text[paragraph:paragraph + 16]
    base = years.paragraph_year(opening, ctx.ref_year) if paragraph < sentence.start else None
    year, period_start = years.year_of_claim(sentence.text, at, ctx.ref_year, clause_at, base)
    clause = sentence.text[clause_at:at]
    city = ctx.city or regions.city_in_clause(clause.lstrip("在"), ctx.province)
    heading = heading_before(ctx.headings, mention.start)
    category = categories.categorise({
        "metric": metric, "clause": sentence.text[clause_at:clause_end], "heading": heading,
        "sentence": sentence.text,
    })
    return Claim(
        doc_id=ctx.doc.doc_id, raw=mention.raw, value=reading.value, unit=reading.unit,
        kind=reading.kind, direction=reading.direction, approx=mention.approx, metric=metric,
        year=year, period_start=period_start, province=ctx.province, city=city,
        category=category, sentence=sentence.text, start=mention.start, end=mention.end,
        indicator=indicators.assign_indicator(metric, reading.unit, reading.kind,
                                              sentence.text, at),
        extra=extra,
    )
