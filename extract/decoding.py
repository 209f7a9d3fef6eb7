"""Bytes to text: recognise the encoding, or refuse rather than store garbage.

UTF-8 first (it validates itself), then byte-order marks, then the HTML's declared
charset, then every legacy candidate (UTF-32 and UTF-16 without a mark, GB18030,
Big5) scored by how much of a sample reads as text: Big5 bytes decode without error
as GB18030 too, but into rare characters and kana, so the score tells them apart.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache

SAMPLE_BYTES = 64 * 1024
MIN_TEXT_SHARE = 0.85  # share of a legacy decoding that must read as text
MAX_BAD_SHARE = 0.02  # control, private-use and replacement characters in any text
_BOMS = (  # UTF-32 before UTF-16: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_CHARSET = re.compile(rb"""<meta[^>]{0,500}?charset\s*=\s*["']?([A-Za-z0-9_-]{1,40})""", re.I)
NAMES = "UTF-8, UTF-16, UTF-32, GB18030/GBK or Big5"


def decode(data: bytes, *, html: bool = False) -> str:
    """The text of the bytes; UnicodeError with the reason when they are not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(data, encoding, f"{encoding.upper()} with a byte-order mark")
    sample = data[:SAMPLE_BYTES]
    if (text := _strict(data, "utf-8")) is not None and _reads_as_text(text):
        return text
    declared = _declared(sample) if html else None
    if declared and (text := _strict(data, declared)) is not None and _reads_as_text(text):
        return text
    scored = sorted(
        ((text_share(_sample(sample, enc)), enc) for enc in _legacy(sample)), reverse=True
    )
    for share, encoding in scored:
        if share < MIN_TEXT_SHARE:
            break
        if (text := _strict(data, encoding)) is not None and _reads_as_text(text):
            return text
    if b"\x00" in sample or bad_share(sample.decode("latin-1")) > MAX_BAD_SHARE:
        raise UnicodeError("binary content, not text")
    raise UnicodeError(f"not {NAMES} text")


def _checked(data: bytes, encoding: str, label: str) -> str:
    text = _strict(data, encoding)
    if text is None:
        raise UnicodeError(f"not valid {label}")
    if not _reads_as_text(text):
        raise UnicodeError(f"{label}, but the text is garbled (control or unassigned characters)")
    return text


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _sample(sample: bytes, encoding: str) -> str:
    # The sample may cut a character in two: one replacement character at its end is fine.
    return sample.decode(encoding, errors="replace")


def _declared(sample: bytes) -> str | None:
    match = _HTML_CHARSET.search(sample[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def _legacy(sample: bytes) -> list[str]:
    """Encodings worth scoring: UTF-32/16 only when the length and zero bytes allow it."""
    found = ["gb18030", "big5"]
    if len(sample) % 2 == 0:
        found += ["utf-16-le", "utf-16-be"]
    if len(sample) % 4 == 0:
        found += ["utf-32-le", "utf-32-be"]
    return found


def _reads_as_text(text: str) -> bool:
    return bad_share(text[:SAMPLE_BYTES]) <= MAX_BAD_SHARE


def bad_share(text: str) -> float:
    """Share of characters no report holds: controls, private use, unassigned, U+FFFD."""
    if not text:
        return 0.0
    bad = sum(1 for c in text if _is_bad(c))
    return bad / len(text)


def _is_bad(char: str) -> bool:
    if char in "\t\n\r\f":
        return False
    return char == "\ufffd" or unicodedata.category(char) in ("Cc", "Co", "Cn", "Cs")


def text_share(text: str) -> float:
    """Share of characters that read as Chinese or Latin text (common CJK, ASCII, punctuation)."""
    if not text:
        return 0.0
    common = common_chinese()
    good = sum(1 for c in text if c in common or _plain(c))
    return good / len(text)


def _plain(char: str) -> bool:
    code = ord(char)
    return (
        0x20 <= code < 0x7F
        or char in "\t\n\r\f\xa0"
        or 0x3000 <= code <= 0x303F
        or 0xFF01 <= code <= 0xFF5E
        or 0x2010 <= code <= 0x2027
    )


@cache
def common_chinese() -> frozenset[str]:
    """The commonest characters: GB2312 level 1 (simplified) and Big5 level 1 (traditional)."""
    chars: set[str] = set()
    for lead, trails, encoding in (
        (range(0xB0, 0xD8), range(0xA1, 0xFF), "gb2312"),
        (range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)], "big5"),
    ):
        for high in lead:
            for low in trails:
                try:
                    chars.add(bytes((high, low)).decode(encoding))
                except UnicodeDecodeError:
                    continue
    return frozenset(chars)
