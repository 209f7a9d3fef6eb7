"""Traditional script to simplified, one character for one, so offsets hold."""

from __future__ import annotations

import re
from functools import cache

from extract.lexicon import LEXICON_DIR


@cache
def _table() -> dict[int, int]:
    table: dict[int, int] = {}
    for line in (LEXICON_DIR / "traditional.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            traditional, simplified = line  # exactly two characters: the test checks it
            table[ord(traditional)] = ord(simplified)
    return table


@cache
def _any_traditional() -> re.Pattern[str]:
    return re.compile("[" + "".join(map(chr, _table())) + "]")


def simplify(text: str) -> str:
    """The text with every traditional character of the table replaced by its simplified form."""
    if not _any_traditional().search(text):
        return text  # most reports: one fast scan instead of a character-by-character rewrite
    return text.translate(_table())
