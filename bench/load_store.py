"""Load test of the store (not a timed test): writers and readers at once, on each backend.

    PYTHONPATH=. .venv/bin/python bench/load_store.py --seconds 20 --writers 4 --readers 4

Writers are processes that save new reports (10 claims each, one transaction per report),
race each other to save the same shared report, and review their own reports. Readers are
processes that behave like dashboard sessions: check store.version() and, when it moved,
read the whole reviewed dataset. PostgreSQL runs on a throwaway server on a unix socket
(tests/pg_server.py, fsync on); SQLite on a file in a temporary folder. At the end every
saved report, every shared report and every review is checked against the store: nothing
lost, nothing stored twice.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import random
import statistics
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

import store
from store.review import Review
from tests import pg_server

CLAIMS_PER_REPORT = 10
SHARED_EVERY = 5  # every 5th save of a writer is the shared report of that round
REVIEW_EVERY = 3


def _report(name: str, doc_id: str = "") -> tuple[dict[str, object], list[dict[str, object]]]:
    """A report whose text depends on `name` only (shared reports: same text, own doc_id)."""
    doc_id = doc_id or name
    sentences = [f"{name}:全省新建警务室{k + 1}个。" for k in range(CLAIMS_PER_REPORT)]
    text = "".join(sentences)
    claims, at = [], 0
    for k, sentence in enumerate(sentences):
        raw = f"{k + 1}个"
        start = at + sentence.index(raw)
        claims.append(
            {
                "doc_id": doc_id,
                "claim_id": f"{doc_id}:{start}-{start + len(raw)}",
                "raw": raw,
                "value": float(k + 1),
                "unit": "个",
                "kind": "count",
                "approx": "exact",
                "metric": "警务室",
                "year": 2024,
                "period_start": 2024,
                "province": "海南省",
                "category": "policing",
                "sentence": sentence,
                "start": start,
                "end": start + len(raw),
            }
        )
        at += len(sentence)
    sha = hashlib.sha256(text.encode()).hexdigest()
    return {"doc_id": doc_id, "text": text, "sha256": sha, "origin": "cli"}, claims


def writer(url: str, number: int, until: float, results: mp.Queue) -> None:
    """Save reports until `until`; report what was stored and reviewed."""
    saved, shared, reviews, seconds = [], [], {}, []
    with store.opened(url) as db:
        i = 0
        while time.time() < until:
            i += 1
            is_shared = i % SHARED_EVERY == 0  # every writer saves shared-5, shared-10, ...
            name = f"shared-{i}" if is_shared else f"w{number}-{i}"
            document, claims = _report(name, f"{name}-by-w{number}" if is_shared else name)
            began = time.perf_counter()
            try:
                store.add_report(db, document, claims)
                (shared if is_shared else saved).append(name)
            except store.DuplicateReport:
                pass
            seconds.append(time.perf_counter() - began)
            if i % REVIEW_EVERY == 0 and saved:
                doc = random.choice(saved)
                claim_id = _report(doc)[1][0]["claim_id"]
                value = float(number * 1_000_000 + i)
                store.apply_review(db, doc, Review(corrections={claim_id: {"value": value}}))
                reviews[claim_id] = value
    results.put(("writer", saved, shared, reviews, seconds))


def reader(url: str, until: float, results: mp.Queue) -> None:
    """Read like a dashboard session: version check, full read when it moved."""
    reads, checks, seen = [], [], None
    with store.opened(url) as db:
        while time.time() < until:
            began = time.perf_counter()
            now = store.version(url)
            checks.append(time.perf_counter() - began)
            if now != seen:
                began = time.perf_counter()
                store.effective_claims(db)
                reads.append(time.perf_counter() - began)
                seen = now
            time.sleep(0.01)  # a user's next interaction
    results.put(("reader", reads, checks))


def _percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    cuts = statistics.quantiles(values, n=100)
    return " / ".join(f"{cuts[p - 1] * 1000:.1f}" for p in (50, 95, 99))


def run(url: str, seconds: float, writers: int, readers: int) -> dict[str, object]:
    """One load run against one store; the figures and the end-of-run checks."""
    store.bootstrap(url)
    with store.opened(url) as db:
        base = store.counts(db)["documents"]
    results: mp.Queue = mp.Queue()
    until = time.time() + seconds
    procs = [mp.Process(target=writer, args=(url, n, until, results)) for n in range(writers)]
    procs += [mp.Process(target=reader, args=(url, until, results)) for _ in range(readers)]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=seconds + 120) for _ in procs]
    for proc in procs:
        proc.join()
    saved = [n for o in outcomes if o[0] == "writer" for n in o[1]]
    shared = [n for o in outcomes if o[0] == "writer" for n in o[2]]
    reviews = {k: v for o in outcomes if o[0] == "writer" for k, v in o[3].items()}
    saves = [s for o in outcomes if o[0] == "writer" for s in o[4]]
    reads = [s for o in outcomes if o[0] == "reader" for s in o[1]]
    checks = [s for o in outcomes if o[0] == "reader" for s in o[2]]
    return {
        "saves": len(saved) + len(shared),
        "seconds": seconds,
        "save_ms": saves,
        "reads": reads,
        "checks": checks,
        "problems": verify(url, base, saved, shared, reviews),
        "reviews": len(reviews),
    }


def verify(
    url: str, base: int, saved: list[str], shared: list[str], reviews: dict[str, float]
) -> list[str]:
    """What the store lost or doubled; empty when it kept exactly what was saved."""
    problems = []
    with store.opened(url) as db:
        docs = dict(db.rows("SELECT doc_id, sha256 FROM documents"))
        claims = store.effective_claims(db)
        total = store.counts(db)["documents"]
    if total != base + len(saved) + len(shared):
        problems.append(f"{total} reports stored, {base + len(saved) + len(shared)} expected")
    if len(set(docs.values()) - {None}) != len([v for v in docs.values() if v]):
        problems.append("a content hash is stored twice")
    for name in saved:
        if name not in docs:
            problems.append(f"lost report {name}")
    for name in set(shared):
        if shared.count(name) != 1:
            problems.append(f"shared report {name} stored {shared.count(name)} times")
    per_doc = claims.groupby("doc_id").size()
    short = [d for d in saved if per_doc.get(d, 0) != CLAIMS_PER_REPORT]
    if short:
        problems.append(f"{len(short)} reports without their {CLAIMS_PER_REPORT} claims")
    values = claims.set_index("claim_id")["value"]
    lost = [c for c, v in reviews.items() if values.get(c) != v]
    if lost:
        problems.append(f"{len(lost)} of {len(reviews)} reviews lost")
    if not claims["claim_id"].is_unique:
        problems.append("a claim is stored twice")
    return problems


def main() -> None:
    """Run the load test on each backend and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--url", help="an existing PostgreSQL database instead of a throwaway one")
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    print(f"{args.writers} writers, {args.readers} readers, {args.seconds:.0f} s per backend")
    print(
        "| backend | saves/s | save ms p50/p95/p99 | full read ms p50/p95/p99 | reads | "
        "version() ms p50/p95/p99 | reviews | lost or doubled |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for backend in backends:
        server = (
            nullcontext(args.url)
            if args.url or backend == "sqlite"
            else pg_server.throwaway_server(durable=True)
        )
        with tempfile.TemporaryDirectory() as tmp, server as server_url:
            url = (
                str(Path(tmp) / "load.sqlite")
                if backend == "sqlite"
                else args.url or pg_server.fresh_database(server_url)
            )
            figures = run(url, args.seconds, args.writers, args.readers)
        problems = figures["problems"] or ["none"]
        print(
            f"| {backend} | {figures['saves'] / args.seconds:.1f} | "
            f"{_percentiles(figures['save_ms'])} | {_percentiles(figures['reads'])} | "
            f"{len(figures['reads'])} | {_percentiles(figures['checks'])} | "
            f"{figures['reviews']} | {'; '.join(problems)} |"
        )


if __name__ == "__main__":
    main()
