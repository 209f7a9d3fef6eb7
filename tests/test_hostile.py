"""Hostile and careless input: a clear refusal or a bounded outcome, never a hang or garbage.

One row per input. The time and memory bounds are checked in a subprocess under
RLIMIT_AS with a wall-clock timeout: generous bounds that only a quadratic or unbounded
step exceeds (20,000 digits took 28 s before the patterns were made linear).
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import resource
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract import decoding, frontmatter, limits
from extract.cli import main
from extract.documents import Document, DocumentError, read_document_bytes
from extract.metadata import validate_metadata
from extract.pipeline import ExtractionTimeout, extract_document
from tests.report_files import REPORT, pdf_bytes, store_snapshot

ROOT = Path(__file__).parent.parent
MEMORY = 1536 * limits.MB  # address space of the subprocess: 1.5 GB
SIMPLIFIED = "本省公安机关共办理出入境证件11.5万人次，全市刑事案件立案数同比下降14.5%。"
TRADITIONAL = "本省公安機關共辦理出入境證件11.5萬人次，全市刑事案件立案數同比下降14.5%。"
TODAY = date(2026, 12, 1)


def docx_bomb(unpacked: int) -> bytes:
    """An honest zip bomb: one member inflating to `unpacked` bytes of zeros, ~1 MB packed.

    Built from one deflated 16 MB block repeated (a full flush makes blocks independent),
    so the test does not spend seconds compressing a gigabyte.
    """
    chunk = bytes(16 * limits.MB)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    count = unpacked // len(chunk)
    body = block * count + packer.flush()
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    name = b"word/document.xml"
    sizes = struct.pack("<III", crc, len(body), count * len(chunk))
    local = b"PK\x03\x04" + struct.pack("<HHHHH", 20, 0, 8, 0, 0) + sizes
    local += struct.pack("<HH", len(name), 0) + name
    central = b"PK\x01\x02" + struct.pack("<HHHHHH", 20, 20, 0, 8, 0, 0) + sizes
    central += struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, 0) + name
    end = b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, 1, 1, len(central), len(local) + len(body), 0
    )
    return local + body + central + end


ALIAS_BOMB = (
    "---\n"
    + textwrap.dedent("""\
    a: &a ["x","x","x","x","x","x","x","x","x"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    title: [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    """)
    + "---\n"
    + SIMPLIFIED
)


def _paragraphs(count: int) -> bytes:
    return (
        "<html><body>" + "<p>全市刑事案件立案数同比下降14.5%。</p>" * count + "</body></html>"
    ).encode()


# (name, file content, at most CPU seconds, expected error or None for claims extracted).
# CPU time, because 8 processes sharing 2 cores stretch wall time; the wall-clock timeout
# of the whole run (the sum of the bounds) still catches a hang.
BOUNDED = [
    ("digits.txt", b"1" * 20_000, 20, None),
    ("letters.txt", b"a" * 200_000, 20, None),
    ("commas.txt", b"," * 1_000_000, 60, None),
    ("plus.txt", b"1+" * 500_000, 60, None),
    ("no_punctuation.txt", "全市刑事案件立案数同比下降".encode() * 30_000, 60, None),
    ("tags.html", b"<html>" + b"<a" * 500_000, 20, "no text in the document"),
    ("paragraphs.html", _paragraphs(300_000), 30, "HTML refused: more than 200,000 HTML elements"),
    ("bomb.docx", docx_bomb(1024 * limits.MB), 20, "too large unpacked (1,024 MB"),
    ("alias.txt", ALIAS_BOMB.encode(), 10, "bad front matter: anchors (&) are not allowed"),
    ("prose.txt", (REPORT * 200).encode(), 60, None),
]

_DRIVER = """
import json, sys, time
from extract.documents import DocumentError, read_document
from extract.pipeline import extract_document
for path in sys.argv[1:]:
    began = time.process_time()
    try:
        outcome = {"claims": len(extract_document(read_document(path)))}
    except DocumentError as err:
        outcome = {"error": err.reason}
    except MemoryError:
        outcome = {"error": "MemoryError"}
    outcome.update(name=path.rsplit("/", 1)[-1], seconds=time.process_time() - began)
    print(json.dumps(outcome), flush=True)
"""


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _env(**extra: str) -> dict[str, str]:
    # One BLAS thread: each thread reserves address space that RLIMIT_AS counts.
    return {
        **os.environ,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


@pytest.fixture(scope="module")
def bounded_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = []
    for name, data, _, _ in BOUNDED:
        (folder / name).write_bytes(data)
        paths.append(str(folder / name))
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, *paths],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=sum(row[2] for row in BOUNDED),
        preexec_fn=_limited,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    print(done.stdout)  # the figures, with `pytest -s`
    return {row["name"]: row for row in map(json.loads, done.stdout.splitlines())}


@pytest.mark.parametrize(
    ("name", "data", "seconds", "error"), BOUNDED, ids=[row[0] for row in BOUNDED]
)
def test_hostile_file_is_bounded_in_time_and_memory(
    bounded_run: dict[str, dict[str, object]],
    name: str,
    data: bytes,
    seconds: int,
    error: str | None,
) -> None:
    row = bounded_run[name]
    assert row["seconds"] <= seconds, row
    if error is None:
        assert "error" not in row, row
    else:
        assert str(row.get("error", "")).startswith(error), row


# (name, bytes, expected text or the start of the refusal)
ENCODINGS = [
    ("utf32_bom.txt", SIMPLIFIED.encode("utf-32"), SIMPLIFIED),
    ("utf32_be_bom.txt", codecs.BOM_UTF32_BE + SIMPLIFIED.encode("utf-32-be"), SIMPLIFIED),
    ("utf32_le.txt", SIMPLIFIED.encode("utf-32-le"), SIMPLIFIED),
    ("utf32_be.txt", SIMPLIFIED.encode("utf-32-be"), SIMPLIFIED),
    ("utf16_le.txt", SIMPLIFIED.encode("utf-16-le"), SIMPLIFIED),
    ("utf16_be.txt", SIMPLIFIED.encode("utf-16-be"), SIMPLIFIED),
    (
        "utf16_ascii.txt",
        "Police report 2024: 1,234 cases.".encode("utf-16-le"),
        "Police report 2024: 1,234 cases.",
    ),
    ("big5.txt", TRADITIONAL.encode("big5"), TRADITIONAL),
    ("gb18030.txt", SIMPLIFIED.encode("gb18030"), SIMPLIFIED),
    ("traditional_gb.txt", TRADITIONAL.encode("gb18030"), TRADITIONAL),
    (
        "big5.html",
        f'<html><meta charset="big5"><p>{TRADITIONAL}</p></html>'.encode("big5"),
        TRADITIONAL,
    ),
    ("random.txt", bytes((i * 7919 + 13) % 251 for i in range(4000)), "cannot decode"),
    (
        "utf16_garbage.txt",
        ("\ue000" * 300).encode("utf-16"),
        "cannot decode: UTF-16 with a byte-order mark, but the text is garbled",
    ),
    (
        "utf32_invalid.txt",
        codecs.BOM_UTF32_LE + b"\xff\xff\xff\xff" * 4,
        "cannot decode: not valid UTF-32",
    ),
    ("private_use.txt", ("\ue000" * 200 + SIMPLIFIED).encode(), "cannot decode"),
]


@pytest.mark.parametrize(("name", "data", "expected"), ENCODINGS, ids=[row[0] for row in ENCODINGS])
def test_encodings_are_recognised_or_refused(name: str, data: bytes, expected: str) -> None:
    if expected.startswith("cannot decode"):
        with pytest.raises(DocumentError) as err:
            read_document_bytes(data, name)
        assert err.value.reason.startswith(expected)
    else:
        assert read_document_bytes(data, name).text == expected


# (front matter block, the start of the refusal)
FRONT_MATTER = [
    ("x: &a 1\ntitle: *a\n", "anchors (&) are not allowed"),
    ("title: *a\n", "aliases (*) are not allowed"),
    ("title: !!python/object:os.system echo\n", "tags (!) are not allowed"),
    ("title: !custom 报告\n", "tags (!) are not allowed"),
    ("province: [四川省, 吉林省]\n", "province must be a single value"),
    ("title: {a: 1}\n", "title must be a single value"),
    ("title: 一\ntitle: 二\n", "title given twice"),
    ("colour: red\n", "unknown front matter keys ['colour']"),
    ("- a\n- b\n", "not a mapping"),
    ("title: 'unclosed\n", "found unexpected end of stream"),
    ("title: " + "长" * 20_000 + "\n", "20,008 characters long (limit 10,000)"),
]


@pytest.mark.parametrize(("block", "reason"), FRONT_MATTER)
def test_front_matter_refused(block: str, reason: str) -> None:
    with pytest.raises(DocumentError) as err:
        read_document_bytes(f"---\n{block}---\n{SIMPLIFIED}".encode(), "r.txt")
    assert err.value.reason.startswith(f"bad front matter: {reason}"), err.value.reason


def test_front_matter_plain_values_stay_strings() -> None:
    block = "title: yes\npublished: 2024-02-29\ncity: null\nreport_year: 2023\nsource: ~\n"
    assert frontmatter.parse_block(block) == {
        "title": "yes",
        "published": "2024-02-29",
        "city": "",
        "report_year": "2023",
        "source": "",
    }


# (metadata, the start of each expected error; [] when valid)
METADATA = [
    ({"province": "四川省", "city": "成都市", "published": "2024-02-29"}, []),
    ({"province": "四川", "city": "成都", "report_year": "2024"}, []),
    ({"province": "全国", "published": "2024-05", "report_year": 2026}, []),
    ({"province": "", "city": "", "published": None}, []),
    ({"province": "火星省"}, ["province '火星省' is not a province-level name"]),
    ({"province": "成都市"}, ["province '成都市' is not a province-level name"]),
    ({"province": ["四川省"]}, ["province must be a single value, not a list"]),
    ({"city": "莆田市", "province": "四川省"}, ["city 莆田市 is in 福建省, not in 四川省"]),
    ({"city": "朝阳区"}, ["city '朝阳区' is not a prefecture-level city"]),
    ({"published": "yesterday"}, ["published 'yesterday' is not a date"]),
    ({"published": "2024-99-99"}, ["published '2024-99-99' is not a real date"]),
    ({"published": "2023-02-29"}, ["published '2023-02-29' is not a real date"]),
    ({"published": "2027-01-01"}, ["published '2027-01-01' is in the future"]),
    ({"published": "1900"}, ["published '1900' is before 1949"]),
    ({"report_year": "99999"}, ["report_year '99999' is not a year from 1949 to 2026"]),
    ({"report_year": True}, ["report_year must be a single value, not a bool"]),
    ({"title": "题" * 501}, ["title is 501 characters long (limit 500)"]),
    ({"title": "第一行\n第二行"}, ["title holds a control character"]),
    ({"url": "javascript:alert(1)"}, ["url 'javascript:alert(1)' must be an http"]),
    (
        {"province": "火星省", "published": "昨天"},
        ["province '火星省'", "published '昨天' is not a date"],
    ),
]


@pytest.mark.parametrize(("meta", "errors"), METADATA)
def test_metadata_validator(meta: dict[str, object], errors: list[str]) -> None:
    found = validate_metadata(meta, today=TODAY)
    assert len(found) == len(errors), found
    for message, start in zip(found, errors, strict=True):
        assert message.startswith(start), message


# (flags, the start of the error line); the process exits 2 before reading any file
FLAGS = [
    (["--province", "火星省"], "province '火星省' is not a province-level name"),
    (["--published", "yesterday"], "published 'yesterday' is not a date"),
    (["--published", "2024-99-99"], "published '2024-99-99' is not a real date"),
    (["--city", "莆田市", "--province", "四川省"], "city 莆田市 is in 福建省"),
    (["--time-limit", "-1"], "argument --time-limit: '-1' is not a number of seconds"),
]


@pytest.mark.parametrize("command", [["add"], ["-o", "out.csv"]], ids=["add", "extract"])
@pytest.mark.parametrize(("flags", "error"), FLAGS)
def test_bad_flags_exit_2(capsys, command: list[str], flags: list[str], error: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*command, "absent.txt", *flags])
    assert exit_.value.code == 2
    assert f"error: {error}" in capsys.readouterr().err


def test_watchdog_refuses_a_document_past_its_time_limit() -> None:
    doc = Document(doc_id="dense", text="1，" * 20_000)
    stopped = r"extraction stopped after 1 s of CPU time, the limit for 40,000 characters"
    with pytest.raises(ExtractionTimeout, match=stopped):
        extract_document(doc, time_limit=1)


def test_time_limit_grows_with_size_or_is_set(monkeypatch) -> None:
    monkeypatch.delenv(limits.TIME_LIMIT_ENV, raising=False)
    assert limits.time_limit(0) == 60 and limits.time_limit(2_000_000) == 180
    monkeypatch.setenv(limits.TIME_LIMIT_ENV, "5")
    assert limits.time_limit(0) == limits.time_limit(2_000_000) == 5
    for setting in ("soon", "nan", "-1", "inf"):
        monkeypatch.setenv(limits.TIME_LIMIT_ENV, setting)
        assert limits.time_limit(0) == 60


def _damaged_pdf() -> bytes:
    data = pdf_bytes(["Report"])
    return data.replace(b"startxref", b"startxref\n999999\n%")  # pypdf warns, then recovers


# (file name, content, the start of its one error line after the name)
REFUSED_ADDS = [
    ("bomb.docx", docx_bomb(256 * limits.MB), "too large unpacked (256 MB"),
    ("alias.txt", ALIAS_BOMB.encode(), "bad front matter: anchors (&)"),
    (
        "mars.txt",
        f"---\nprovince: 火星省\n---\n{SIMPLIFIED}".encode(),
        "bad metadata: province '火星省'",
    ),
    ("garbage.txt", bytes((i * 7919 + 13) % 251 for i in range(4000)), "cannot decode"),
    ("line\nbreak.txt", b"\x00\x01" * 100, "cannot decode: binary content"),
    ("damaged.pdf", _damaged_pdf(), "no claims found in the report; nothing stored"),
]


def test_refused_adds_leave_the_store_untouched(tmp_path: Path) -> None:
    db = tmp_path / "claims.sqlite"
    (tmp_path / "good.txt").write_text(REPORT, encoding="utf-8")
    assert main(["add", str(tmp_path / "good.txt"), "--db", str(db)]) == 0
    before = store_snapshot(db)
    env = _env(POLICE_METRICS_DB=str(db))
    command = [sys.executable, "-m", "extract", "add"]
    bad = tmp_path / "bad"
    bad.mkdir()
    for name, data, _ in REFUSED_ADDS:
        (bad / name).write_bytes(data)
    done = subprocess.run(
        [*command, *sorted(str(p) for p in bad.iterdir())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.splitlines()  # nothing else on stderr: no warning, no traceback
    expected = [
        (str(bad / name).replace("\n", "\\n"), reason) for name, _, reason in sorted(REFUSED_ADDS)
    ]
    assert len(lines) == len(expected), done.stderr
    for line, (path, reason) in zip(lines, expected, strict=True):
        assert line.startswith(f"error: {path}: {reason}"), line
    assert store_snapshot(db) == before


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(min_size=1, max_size=3000), st.sampled_from(["a.txt", "a.html", "a.docx"]))
def test_fuzz_reader_refuses_or_reads_text(data: bytes, name: str) -> None:
    try:
        doc = read_document_bytes(data, name)
    except DocumentError as err:
        assert err.reason and "\n" not in str(err)
    else:
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", doc.text)
        if name == "a.txt":  # markup stripped from a page may leave a denser remainder
            assert decoding.bad_share(doc.text) <= decoding.MAX_BAD_SHARE
        assert not validate_metadata({"title": doc.title, "province": doc.province})


_FM_TEXT = st.text(alphabet=st.sampled_from(list("ab:-&*![]{}'\"#|>\n 题省2024")), max_size=200)


@FUZZ
@given(_FM_TEXT)
def test_fuzz_front_matter_gives_flat_strings_or_a_clear_error(block: str) -> None:
    try:
        meta = frontmatter.parse_block(block)
    except frontmatter.FrontMatterError as err:
        assert str(err)
    else:
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items())


_VALUES = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(),
    st.booleans(),
    st.lists(st.text(max_size=5), max_size=3),
    st.floats(),
)


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(
            ["title", "published", "province", "city", "report_year", "url", "doc_id", "other"]
        ),
        _VALUES,
    )
)
def test_fuzz_metadata_validator_returns_messages(meta: dict[str, object]) -> None:
    errors = validate_metadata(meta, today=TODAY)
    assert all(isinstance(e, str) and e for e in errors)


def test_docx_bomb_helper_is_an_honest_zip() -> None:
    archive = zipfile.ZipFile(io.BytesIO(docx_bomb(32 * limits.MB)))
    member = archive.infolist()[0]
    assert member.file_size == 32 * limits.MB
    with archive.open(member) as stream:
        assert stream.read(1000) == bytes(1000)
