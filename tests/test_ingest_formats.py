"""Each input format, and the gzip form of each, read through the same file dispatcher."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from storyline.ingest.files import discover, read_file
from storyline.records import IngestError, RawItem

LIMIT = 20_000_000
BODY = ("Serbia will never impose sanctions on Russia, the minister said on a visit to Belgrade. "
        "The statement drew criticism from European officials who had urged Belgrade to align.")

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Balkan Wire</title><link>https://balkanwire.example.org/</link>
<item><title>First story</title><link>https://www.balkanwire.co.uk/news/first</link>
<pubDate>Sat, 09 Dec 2023 10:00:00 GMT</pubDate><description>Short summary.</description>
<content:encoded><![CDATA[<p>{BODY}</p><p>Second paragraph of the first story.</p>]]></content:encoded></item>
<item><title>Second story</title><link>https://balkanwire.example.org/2022/03/22/second</link>
<description>&lt;p&gt;Only a summary for the second story, long enough to be an article text.&lt;/p&gt;</description>
</item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title>
<entry><title>Atom entry</title><link href="https://atom.example.com/a"/>
<updated>2024-09-04T08:00:00Z</updated><author><name>Jane Doe</name></author>
<content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>"""

HTML = f"""<!DOCTYPE html><html><head><title>Page title | Site</title>
<meta property="og:title" content="Serbia refuses sanctions">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2023-12-09T10:00:00Z"></head>
<body><article><h1>Serbia refuses sanctions</h1><p>{BODY}</p>
<p>{BODY.replace("minister", "president")}</p><p>{BODY.replace("Serbia", "Belgrade")}</p></article></body></html>"""


def _items(path: Path) -> list[RawItem | IngestError]:
    return list(read_file(str(path), LIMIT))


def _only_items(path: Path) -> list[RawItem]:
    items = _items(path)
    assert all(isinstance(i, RawItem) for i in items), items
    return [i for i in items if isinstance(i, RawItem)]


def _warc_bytes(pages: list[tuple[str, str, str]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for url, content_type, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode()),
                                           http_headers=headers)
        writer.write_record(record)
    return buffer.getvalue()


def test_rss_feed_gives_one_item_per_entry_with_full_content(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_text(RSS, encoding="utf-8")
    first, second = _only_items(tmp_path / "feed.xml")
    assert first.path == f"{tmp_path / 'feed.xml'}#1"
    assert first.title == "First story"
    assert first.published == "2023-12-09"
    assert first.site_name == "Balkan Wire"
    assert "Second paragraph of the first story." in first.text  # content:encoded, not the summary
    assert "Short summary" not in first.text
    assert second.path.endswith("#2")
    assert "Only a summary" in second.text


def test_atom_feed_entry_with_author_and_date(tmp_path: Path) -> None:
    (tmp_path / "news.atom").write_text(ATOM, encoding="utf-8")
    (entry,) = _only_items(tmp_path / "news.atom")
    assert (entry.title, entry.author, entry.published, entry.url) == (
        "Atom entry", "Jane Doe", "2024-09-04", "https://atom.example.com/a")


def test_jsonl_lines_become_items_numbered_by_line(tmp_path: Path) -> None:
    lines = [json.dumps({"text": BODY, "title": "T1", "url": "https://a.example.com/x", "published": "2024-01-02",
                         "source": "A"}), "", json.dumps({"text": BODY + " Again."})]
    (tmp_path / "a.jsonl").write_text("\n".join(lines), encoding="utf-8")
    first, second = _only_items(tmp_path / "a.jsonl")
    assert (first.title, first.published, first.site_name) == ("T1", "2024-01-02", "A")
    assert first.path.endswith("#1") and second.path.endswith("#3")


def test_html_page(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8")
    (page,) = _only_items(tmp_path / "page.html")
    assert page.title == "Serbia refuses sanctions"
    assert page.published == "2023-12-09"
    assert "never impose sanctions" in page.text


def test_warc_html_responses_only(tmp_path: Path) -> None:
    data = _warc_bytes([("https://example.com/2024/09/04/story", "text/html; charset=utf-8", HTML),
                        ("https://example.com/robots.txt", "text/plain", "User-agent: *"),
                        ("https://example.com/other", "text/html", HTML.replace("Serbia", "Montenegro"))])
    (tmp_path / "crawl.warc").write_bytes(data)
    items = _only_items(tmp_path / "crawl.warc")
    assert [i.path.rsplit("#", 1)[1] for i in items] == ["1", "2"]
    assert items[0].url == "https://example.com/2024/09/04/story"


@pytest.mark.parametrize("name", ["feed.xml", "a.jsonl", "page.html", "crawl.warc", "story.txt"])
def test_gzip_form_of_each_format(tmp_path: Path, name: str) -> None:
    sources = {"feed.xml": RSS.encode(), "a.jsonl": json.dumps({"text": BODY}).encode(),
               "page.html": HTML.encode(), "story.txt": BODY.encode(),
               "crawl.warc": _warc_bytes([("https://example.com/s", "text/html", HTML)])}
    plain = tmp_path / name
    plain.write_bytes(sources[name])
    zipped = tmp_path / (name + ".gz")
    zipped.write_bytes(gzip.compress(sources[name]))
    expected = [i.text for i in _only_items(plain)]
    got = _only_items(zipped)
    assert [i.text for i in got] == expected
    assert got[0].path.startswith(str(zipped))


def test_content_wins_over_a_misleading_extension(tmp_path: Path) -> None:
    (tmp_path / "feed.txt").write_text(RSS, encoding="utf-8")
    assert len(_only_items(tmp_path / "feed.txt")) == 2


def test_file_without_extension_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "page").write_text(HTML, encoding="utf-8")
    (tmp_path / "note").write_text(BODY, encoding="utf-8")
    assert _only_items(tmp_path / "page")[0].title == "Serbia refuses sanctions"
    assert _only_items(tmp_path / "note")[0].text == BODY


def test_discover_expands_folders_recursively_and_globs_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text(BODY)
    (tmp_path / "a" / "b" / "two.txt").write_text(BODY)
    (tmp_path / "a" / ".hidden.txt").write_text(BODY)
    (tmp_path / "c.jsonl").write_text("{}")
    files, missing = discover([str(tmp_path / "a"), str(tmp_path / "*.jsonl"), str(tmp_path / "nope*")])
    assert [Path(f).name for f in files] == ["one.txt", "two.txt", "c.jsonl"]
    assert len(missing) == 1 and "no such file" in missing[0].reason


def test_a_path_given_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(BODY)
    files, _ = discover([str(tmp_path), str(tmp_path / "one.txt")])
    assert files == [str(tmp_path / "one.txt")]
