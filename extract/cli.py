"""Command line: `python -m extract PATH... -o OUT`, and the evaluate, add and export commands."""

from __future__ import annotations

import argparse
import logging
import sys
import time
import warnings
from collections.abc import Sequence

from extract.batch import extract_files, progress_bar
from extract.documents import one_line
from extract.evaluate import load_claims, load_gold, report, score
from extract.metadata import validate_metadata
from extract.output import FORMATS, write_table


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not seconds > 0 or seconds == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return seconds


def flag_hints(parser: argparse.ArgumentParser, args: argparse.Namespace) -> dict[str, str]:
    """The metadata flags given; a bad value exits 2 with every problem on one line."""
    given = {k: v for k in ("province", "city", "published") if (v := getattr(args, k))}
    if errors := validate_metadata(given):
        parser.error(one_line("; ".join(errors)))
    return given


def metadata_flags(parser: argparse.ArgumentParser, what: str) -> None:
    """--province, --city, --published and --time-limit, shared by extraction and add."""
    parser.add_argument(
        "--province",
        help=f"province of every {what}: a GB/T 2260 name or 全国 (overrides inference)",
    )
    parser.add_argument("--city", help=f"prefecture-level city of every {what}")
    parser.add_argument(
        "--published", help=f"published date of every {what} (YYYY-MM-DD, YYYY-MM or YYYY)"
    )
    parser.add_argument(
        "--time-limit",
        type=_positive_seconds,
        default=None,
        metavar="SECONDS",
        help=f"CPU seconds one {what} may take (default 60 + 60 per million characters)",
    )


def _extract_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m extract",
        description="Extract quantitative claims from report files "
        "(.txt, .html, .docx, .pdf) into a table.",
        epilog="Other commands: `python -m extract evaluate GOLD PRED`, "
        "`python -m extract add FILE...` (into the store), `python -m extract export FOLDER`.",
    )
    parser.add_argument("paths", nargs="+", help="report files or folders")
    parser.add_argument(
        "-o", "--output", required=True, help=f"table to write ({', '.join(FORMATS)})"
    )
    metadata_flags(parser, "document")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: cores)")
    return parser


def run_extract(argv: Sequence[str]) -> int:
    """Extract claims from files into a table; one line per bad file, a summary at the end."""
    parser = _extract_parser()
    args = parser.parse_args(argv)
    if not args.output.endswith(FORMATS):
        print(f"error: {args.output}: output must end in {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    hints = flag_hints(parser, args)
    began = time.perf_counter()
    result = extract_files(
        args.paths,
        workers=args.workers,
        progress=progress_bar(),
        time_limit=args.time_limit,
        **hints,
    )
    for error in result.errors:
        print(f"error: {error}", file=sys.stderr)
    if result.documents:
        write_table(result.claims, args.output)
    seconds = time.perf_counter() - began
    print(
        f"{len(result.claims)} claims from {result.documents} documents "
        f"({len(result.errors)} failed) in {seconds:.1f}s -> "
        f"{args.output if result.documents else 'nothing written'}"
    )
    return 0 if result.documents and not result.errors else (1 if result.documents else 2)


def run_evaluate(argv: Sequence[str]) -> int:
    """Print precision, recall, F1 and field accuracies of PRED against GOLD."""
    parser = argparse.ArgumentParser(
        prog="python -m extract evaluate",
        description="Score predicted claims against gold (CLAIMS.md §4).",
    )
    parser.add_argument("gold", help="gold folder of <doc_id>.yaml files, or a table")
    parser.add_argument("predicted", help="predicted claims: .csv, .jsonl, .parquet or gold folder")
    parser.add_argument("--errors", action="store_true", help="also list every miss and mismatch")
    args = parser.parse_args(argv)
    try:
        gold, predicted = load_gold(args.gold), load_claims(args.predicted)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    result = score(gold, predicted)
    print(report(result))
    if args.errors:
        print("\n".join(result.errors))
    return 0


def run_add(argv: Sequence[str]) -> int:
    """`add`: reports into the store (the store package does the work)."""
    from store.add import run_add as add_reports

    return add_reports(argv)


def run_export(argv: Sequence[str]) -> int:
    """`export`: the store's dataset as files (the store package does the work)."""
    from store.add import run_export as export_store

    return export_store(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch to a subcommand; the default is extraction."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # Library chatter (pypdf on a damaged file, deprecations) is not for the user: the
    # one-line errors say what matters.
    logging.basicConfig(level=logging.ERROR)
    logging.captureWarnings(True)
    warnings.simplefilter("ignore")
    commands = {"evaluate": run_evaluate, "add": run_add, "export": run_export}
    if argv and argv[0] in commands:
        return commands[argv[0]](argv[1:])
    return run_extract(argv)
