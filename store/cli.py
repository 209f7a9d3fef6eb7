"""`python -m store`: set up a store and move one into another."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from store.backends import ERRORS, default_url, redact
from store.bundled import bootstrap
from store.migrate import copy_store
from store.repository import StoreError, counts, opened, version

URL_HELP = "a file, sqlite:///PATH or postgresql://USER@HOST/DB"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m store", description="The claims store (SQLite or PostgreSQL)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="apply migrations and import the bundled data")
    init.add_argument("url", nargs="?", help=f"{URL_HELP} (default $POLICE_METRICS_DB)")
    migrate = commands.add_parser("migrate", help="copy a whole store into an empty one")
    migrate.add_argument("--from", dest="source", required=True, help=URL_HELP)
    migrate.add_argument("--to", dest="target", required=True, help=URL_HELP)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; 0 on success, 2 with one `error:` line otherwise."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "init":
            imported = bootstrap(args.url)
            with opened(args.url) as db:
                held = counts(db)
            state = "bundled data imported" if imported else "up to date"
            print(
                f"{redact(str(args.url or default_url()))}: {held['documents']} reports, "
                f"{held['claims']} claims ({state}; version {version(args.url)})"
            )
        else:
            copied = copy_store(args.source, args.target)
            print(
                f"copied {redact(args.source)} -> {redact(args.target)}: "
                + ", ".join(f"{n} {table}" for table, n in copied.items())
            )
    except (StoreError, *ERRORS) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0
