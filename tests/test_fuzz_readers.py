"""Issue 18, requirement 8: the readers never raise on what a file holds.

Hypothesis feeds each reader random bytes and broken versions of well-formed files (cut, spliced
with junk, gzip-compressed and cut again) under every name a format is recognised by; each file
must come back as RawItems and IngestErrors only, and each RawItem must normalise or be refused
with an InputError. Bounded (``max_examples`` per test, no deadline), so it runs with the suite.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import tempfile
from collections.abc import Iterator

# Hypothesis keeps caches under .hypothesis/ in the working folder; not in the checkout.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "storyline-hypothesis"))

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import StorylineError
from storyline.ingest.files import read_file
from storyline.ingest.normalise import normalise
from storyline.records import IngestError, RawItem

# bounded and reproducible: no example database left in the checkout, the same examples in every run
FUZZ = settings(max_examples=200, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
LIMIT = 64_000  # --max-bytes for the fuzzed files (small: the limit itself is part of what is fuzzed)
NAMES = ["a.txt", "a.md", "a", "a.html", "a.htm", "a.xml", "a.rss", "a.atom", "a.jsonl", "a.warc",
         "a.txt.gz", "a.html.gz", "a.xml.gz", "a.jsonl.gz", "a.warc.gz", "a.bin", "a.json"]

PARAGRAPH = ("Serbia will never impose sanctions on Russia, the minister said on Tuesday in Belgrade, "
             "adding that the country would not join NATO either.")
TEXT = f" date 2023-12-09 https://example.org/2023/12/09/story\nA headline\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n"
HTML = (f"<!doctype html><html><head><title>A headline</title><meta property='og:site_name' content='Ex'>"
        f"<meta name='date' content='2023-12-09'></head><body><article><h1>A headline</h1><p>{PARAGRAPH}</p>"
        f"<p>{PARAGRAPH}</p></article></body></html>")
RSS = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Ex</title><item><title>One</title>"
       f"<link>https://example.org/1</link><pubDate>Sat, 09 Dec 2023 10:00:00 GMT</pubDate>"
       f"<description>{PARAGRAPH}</description></item><item><title>Two</title>"
       f"<description><![CDATA[<p>{PARAGRAPH}</p>]]></description></item></channel></rss>")
ATOM = (f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Ex</title>"
        f"<entry><title>One</title><link href='https://example.org/1'/><updated>2023-12-09T10:00:00Z</updated>"
        f"<content type='html'>&lt;p&gt;{PARAGRAPH}&lt;/p&gt;</content></entry></feed>")
JSONL = "\n".join(json.dumps({"text": PARAGRAPH, "title": "One", "url": f"https://example.org/{n}",
                              "published": "2023-12-09", "source": "ex"}) for n in range(3))


def _warc() -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for n in range(2):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(f"https://example.org/{n}", "response",
                                           payload=io.BytesIO(HTML.encode()), http_headers=headers)
        writer.write_record(record)
    return out.getvalue()


SAMPLES: dict[str, bytes] = {"a.txt": TEXT.encode(), "a.html": HTML.encode(), "a.xml": RSS.encode(),
                             "a.atom": ATOM.encode(), "a.jsonl": JSONL.encode(), "a.warc": _warc()}


def _read(name: str, data: bytes, limit: int = LIMIT) -> list[RawItem | IngestError]:
    """What ingest makes of a file ``name`` holding ``data``: every item a RawItem or an IngestError,
    every RawItem normalised or refused with a StorylineError; anything else fails the test."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            f.write(data)
        items = list(read_file(path, limit))
    for item in items:
        assert isinstance(item, RawItem | IngestError), item
        if isinstance(item, IngestError):
            assert item.reason and "\n" not in item.reason.strip(), item
        else:
            with contextlib.suppress(StorylineError):  # refused with a reason: allowed
                normalise(item)
    return items


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    """A well-formed sample cut, spliced with junk, or overwritten in places, under a name of its format."""
    base = draw(st.sampled_from(sorted(SAMPLES)))
    data = bytearray(SAMPLES[base])
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "insert", "overwrite", "delete"]))
        junk = draw(st.binary(min_size=1, max_size=40) | st.sampled_from(
            [b"\x00", b"<", b"]]>", b"&lol;", b"\xff\xfe", b"\r\n\r\n", b"{", b'"', b"WARC/1.0\r\n", b"\x1f\x8b"]))
        if action == "cut":
            del data[at:]
        elif action == "insert":
            data[at:at] = junk
        elif action == "overwrite":
            data[at:at + len(junk)] = junk
        else:
            del data[at:at + draw(st.integers(1, 200))]
    name = draw(st.sampled_from([base, base + ".gz", "a", "a.txt"]))
    blob = bytes(data)
    if name.endswith(".gz"):
        blob = gzip.compress(blob)
        if draw(st.booleans()):
            blob = blob[: draw(st.integers(0, len(blob)))]
    return name, blob


@FUZZ
@given(st.sampled_from(NAMES), st.binary(max_size=4000))
def test_random_bytes_under_any_name_give_items_or_errors(name: str, data: bytes) -> None:
    _read(name, data)


@FUZZ
@given(damaged())
def test_damaged_files_of_every_format_give_items_or_errors(case: tuple[str, bytes]) -> None:
    name, data = case
    _read(name, data)


def _json_values() -> st.SearchStrategy[object]:
    leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=300)
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["text", "title", "url", "published", "source", "author", "x"]), inner, max_size=6),
        max_leaves=12)


@FUZZ
@given(st.lists(_json_values() | st.text(max_size=80), min_size=1, max_size=6))
def test_json_lines_of_any_shape_give_items_or_errors(lines: list[object]) -> None:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    _read("a.jsonl", text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.lists(st.text(max_size=200), min_size=1, max_size=4), st.sampled_from(["rss", "atom"]))
def test_feeds_with_any_entry_text_give_items_or_errors(texts: list[str], kind: str) -> None:
    from xml.sax.saxutils import escape

    if kind == "rss":
        items = "".join(f"<item><title>{escape(t[:20])}</title><description>{escape(t)}</description></item>"
                        for t in texts)
        doc = f"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title>{items}</channel></rss>"
    else:
        items = "".join(f"<entry><title>x</title><content type='html'>{escape(t)}</content></entry>" for t in texts)
        doc = f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>{items}</feed>"
    _read(f"a.{kind}", doc.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.integers(1, 6000), st.sampled_from(sorted(SAMPLES)))
def test_every_size_limit_is_kept_or_reported(limit: int, name: str) -> None:
    items = _read(name, SAMPLES[name], limit)
    if len(SAMPLES[name]) > limit:
        assert len(items) == 1 and isinstance(items[0], IngestError), items


def test_the_samples_themselves_are_read() -> None:
    """The damaged cases start from files that are whole articles (so damage is what is tested)."""
    for name, data in SAMPLES.items():
        items = _read(name, data)
        assert any(isinstance(i, RawItem) for i in items), (name, items)


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def test_a_warc_cut_anywhere_gives_items_or_errors() -> None:
    """Exhaustively: the sample WARC cut at every 7th byte (the cut records are the risky ones)."""
    data = SAMPLES["a.warc"]
    for end in range(0, len(data), 7):
        _read("a.warc", data[:end] or b" ")
