"""jieba, loaded once with the police-domain user dictionary."""

from __future__ import annotations

import logging
from functools import cache, lru_cache

import jieba

from extract.lexicon import userdict_path


@cache
def tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer of its own, so the global one is left as the user had it."""
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    tk.load_userdict(str(userdict_path()))
    return tk


def words(text: str) -> list[str]:
    """The text cut into words (HMM on, for unknown names)."""
    return list(_cut(text))


@lru_cache(maxsize=65536)
def _cut(text: str) -> tuple[str, ...]:
    # The same short phrases come back clause after clause (全市公安机关共破获): cut each once.
    return tuple(tokenizer().lcut(text))
