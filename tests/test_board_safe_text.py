"""Report text renders inert: no markdown, HTML, directive or remote resource of it."""

import re

import pytest

from board.safe_text import WORD_JOINER, inert, web_link

HOSTILE = "![x](http://evil/x.png) <img src=x> [link](http://x)"


@pytest.mark.parametrize(
    "text",
    [
        HOSTILE,
        "**bold** _it_ `code` # head",
        ":red[警告] :material/warning: $x^2$",
        "<script>alert(1)</script>",
        "www.example.com http://example.com/a.png",
        "a | b\n---|---",
        "&lt;already escaped&gt; &amp;",
    ],
)
def test_inert_text_has_no_syntax_left(text):
    out = inert(text)
    # Nothing markdown, HTML or Streamlit could parse survives: only entities and plain text.
    assert not re.search(r"[<>\[\]()!*_`#:$|\\]", out.replace("&#", ""))
    # ...and decoding the entities gives the text back, character for character (less the
    # invisible word joiners that keep addresses from becoming links).
    decoded = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), out)
    assert decoded.replace(WORD_JOINER, "") == text
    assert not re.search(r"(https?://|www\.)\w", decoded)  # no address GFM would link


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.gov.cn/a.html", "https://www.gov.cn/a.html"),
        ("http://gat.sc.gov.cn/x", "http://gat.sc.gov.cn/x"),
        ("javascript:alert(1)", ""),
        ("data:text/html,x", ""),
        ("//evil.example/x", ""),
        ("https:///nohost", ""),
        ("https://a b", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_web_link(url, expected):
    assert web_link(url) == expected
