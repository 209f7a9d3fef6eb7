"""Report text made inert for Streamlit markdown and our own HTML: no markup, links,
images or directives from a report ever render (issue: a title fetching a remote image)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

# Every ASCII character markdown, Streamlit's directives (:red[..], :material/..:) or LaTeX
# ($..$) could read as syntax becomes a numeric entity: shown as itself, parsed as nothing.
# HTML's own &<>"' are encoded the same way, in the same single pass.
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-.!|~$:=^"}


# GFM turns bare addresses into links after entities are decoded: a word joiner (U+2060,
# invisible) after the scheme, 'www' and '@' keeps them text.
_AUTOLINK = re.compile(r"(?<=://)|(?<=www)(?=\.)|(?<=@)", re.I)
WORD_JOINER = "\u2060"


def inert(text: object) -> str:
    """Text safe to put in st.markdown (with or without unsafe_allow_html)."""
    text = _AUTOLINK.sub(WORD_JOINER, str(text if text is not None else ""))
    return text.translate(_ENTITIES)


def inert_lines(text: object) -> str:
    """inert() with line breaks kept as <br>."""
    return inert(text).replace("\n", "<br>")


def web_link(url: object) -> str:
    """The URL when it is an http(s) link to a host, else '' (never javascript:, data:...)."""
    text = str(url or "").strip()
    parsed = urlparse(text)
    ok = parsed.scheme in ("http", "https") and bool(parsed.netloc) and not re.search(r"\s", text)
    return text if ok else ""
