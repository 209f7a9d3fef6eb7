"""CPU seconds to extract pathological one-line inputs, each in a subprocess with a timeout.

Not a test: `PYTHONPATH=. .venv/bin/python bench/bench_hostile.py [--timeout 120] [CASE...]`.
CPU time (not wall time) so that a busy machine does not blur the figures; time should
grow linearly with size, at about the per-character speed of prose. jieba's first load
(~1 CPU s) happens before the clock starts.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

CASES = {
    "prose 1 MB": "'全市刑事案件立案数同比下降14.5%，破案率提升3.2个百分点。' * 35000",
    "20,000 digits": "'1' * 20000",
    "200,000 digits": "'1' * 200000",
    "200,000 letters": "'a' * 200000",
    "1 MB of commas": "',' * 1000000",
    "1 MB of 1+1+": "'1+' * 500000",
    "1 MB of 1x1x": "'1x' * 500000",
    "1 MB of a1a1": "'a1' * 500000",
    "1 MB of 1.1.": "'1.' * 500000",
    "100 k of 1,1,": "'1,' * 50000",
    "100 k of 1 1 ": "'1 ' * 50000",
    "1 MB of 1年1": "'1年' * 500000",
    "1 MB of 第1第": "'第1' * 500000",
    "5 MB line, no punctuation": "'全市刑事案件立案数同比下降' * 400000",
    "1 MB of 2020-": "'2020-' * 200000",
    "100 k of 1至1": "'1至' * 50000",
}

RUN = """
import time, sys
from extract.pipeline import extract_document, extract_text
from extract.documents import Document
extract_text("全市刑事案件立案数同比下降14.5%。", doc_id="warm-up")
text = {expr}
began = time.process_time()
try:
    claims = len(extract_document(Document(doc_id="x", text=text), time_limit=1e9))
except TypeError:  # the code before the watchdog
    claims = len(extract_text(text, doc_id="x"))
print(f"{{time.process_time() - began:.2f}} {{len(text)}} {{claims}}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    args = parser.parse_args()
    for name, expr in CASES.items():
        if args.cases and name not in args.cases:
            continue
        began = time.perf_counter()
        try:
            out = subprocess.run(
                [sys.executable, "-c", RUN.format(expr=expr)],
                text=True,
                capture_output=True,
                timeout=args.timeout,
                check=False,
            )
            fields = out.stdout.split()
            shown = (
                f"{float(fields[0]):8.2f} s  {int(fields[1]) / float(fields[0]) / 1e3:8.0f}"
                f" k chars/s  {fields[2]} claims"
                if len(fields) == 3
                else f"failed: {out.stderr.strip().splitlines()[-1:]}"
            )
        except subprocess.TimeoutExpired:
            shown = f"> {time.perf_counter() - began:.0f} s wall (killed)"
        print(f"{name:<28}{shown}", flush=True)


if __name__ == "__main__":
    main()
