"""Read one HTML page into a RawItem: the article text with trafilatura, metadata from the page.

Only explicit page metadata is used for the date (meta tags, JSON-LD, ``itemprop`` microdata):
dates in the URL and dates found by searching the page text are the normaliser's later
fallbacks, which is why the decoded page is kept in ``RawItem.html``.

Why not ``htmldate.find_date(tree, extensive_search=False, original_date=True, url=None)``:
read in htmldate 1.11, it is not metadata-only. With ``url=None`` it takes the URL from
``<link rel=canonical>`` and returns a date found in it first; its meta-tag scan falls back to
``og:url`` URL dates, ``dateModified``/``last-modified`` and a ``copyrightYear`` (as Jan 1);
then it reads ``<abbr>`` and ``<time>`` elements, date-like classes and ids in the body,
``<title>``/``<h1>`` text, timestamps and "published on ..." phrases in the HTML, the
``og:image`` URL, and finally a loose date pattern in the page text.
Only its ``examine_header`` + ``json_search`` steps are metadata, and they are internal API, so
this module reads the same sources itself (see ``_published``).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
import unicodedata
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any

from lxml.html import HtmlElement

from storyline.errors import InputError
from storyline.records import RawItem


@dataclass(frozen=True, slots=True)
class ExtractionOptions:
    """The trafilatura options that change which text is kept as the article body."""

    favor_precision: bool = False
    favor_recall: bool = False
    fast: bool = False  # trafilatura's ``fast`` (formerly ``no_fallback``): skip readability/jusText
    include_tables: bool = True
    # A body shorter than this many characters (or none) is extracted again with favor_recall, and
    # then by trafilatura's baseline (every paragraph-like block); a fallback's text is taken when it
    # reaches this length itself, so a page with a body never yields an empty article and a page of
    # navigation links stays refused. 0: no fallback.
    fallback_chars: int = 0


# Chosen on the scrapinghub article-extraction-benchmark pages (181 news/blog pages with gold
# article bodies), scored with that benchmark's shingle F1 by `python -m benchmarks.extraction`
# (every configuration tried is in the `extraction` section of BENCHMARKS.md). favor_precision
# measured best: F1 0.964 against 0.960 for trafilatura's defaults (precision 0.958 vs 0.942,
# recall 0.971 vs 0.978); the gain is within the paired-bootstrap noise (± 0.006), so the choice
# is "not worse, and cleaner text", which suits reuse detection. Combining it with fast or
# include_tables=False scored lower (0.946, 0.957).
# The fallback for short bodies (``fallback_chars``): under 250 characters it changed nothing on the
# scrapinghub pages (F1 0.964) and recovered the page favor_precision + fast loses (0.946 -> 0.960, no
# failed page); under 1000 it cost 0.011 F1 (favor_recall's longer text replaced short, right bodies).
EXTRACTION_OPTIONS = ExtractionOptions(favor_precision=True, fallback_chars=250)

# Reader comments are not part of the article: trafilatura keeps them unless told otherwise.
INCLUDE_COMMENTS = False

# trafilatura always runs htmldate for its own metadata; its date is not used here (see
# _published), so the cheap non-extensive search is enough. Not tuned: only saves time.
TRAFILATURA_DATE_PARAMS: dict[str, Any] = {"extensive_search": False, "original_date": True}

# Bytes scanned for a <meta charset> / XML encoding declaration. The WHATWG "prescan" reads
# 1024 bytes; 4096 also covers pages with long comments or scripts before the meta tag. Not
# tuned on data: a declaration is only used when the page is not valid UTF-8 anyway.
CHARSET_PRESCAN_BYTES = 4096

# Earliest publication date accepted from metadata: placeholders such as 1970-01-01 or
# 0001-01-01 are common in CMS templates. Same floor as htmldate's default, so this reader
# and the normaliser's htmldate fallback agree; not tuned on data.
EARLIEST_PUBLISHED = dt.date(1995, 1, 1)

# A date is "in the future" only if it is later than today's date anywhere on Earth: local
# time runs up to 14 hours ahead of UTC (Kiribati), and pages write their local date.
LATEST_UTC_OFFSET = dt.timedelta(hours=14)

# Meta tag keys (name / property / itemprop, lower-cased) that state the publication date.
# Modified/updated dates are deliberately absent: they are not when the article appeared.
PUBLISHED_META_KEYS: tuple[str, ...] = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "published_time",
    "publish-date",
    "publish_date",
    "publishdate",
    "publication_date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "originalpublicationdate",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
)

# Separators between a headline and a site or section name in <title> / og:title.
TITLE_SEPARATORS: tuple[str, ...] = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " « ", " / ")

_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:\-]+)""", re.I)
# WHATWG: these labels mean windows-1252 in a web page (its C1 range holds printable characters).
_WINDOWS_1252_LABELS = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"})
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MONTH_ABBRS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_RE = rf"(?P<mon>{'|'.join(_MONTH_ABBRS)})[a-z]*\.?"
# 2019-11-19, 2019/11/19, 2019.11.19 (any suffix: time, zone) or compact 20191119[T...]
_ISO_DATE_RE = re.compile(r"^(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})|(?P<m2>\d{2})(?P<d2>\d{2})(?:T|$))")
_TEXT_DATE_RES = (
    re.compile(_MONTH_RE + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})", re.I),
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?\s+" + _MONTH_RE + r",?\s+(?P<y>\d{4})", re.I),
)
_JSON_DATE_RE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"})


def read_html(
    data: str | bytes, path: str, url: str | None = None, *, options: ExtractionOptions = EXTRACTION_OPTIONS
) -> RawItem:
    """Read one HTML page into a RawItem; raise InputError if it holds no readable article."""
    page = decode_html(data) if isinstance(data, bytes) else data.lstrip("\ufeff")
    if not page.strip():
        raise InputError("the HTML page is empty")
    tree = _parse(page)
    document, text = _extracted(tree, page, url, options)
    if not text:
        raise InputError("no article text found in the HTML page")
    site_name = _site_name(document.sitename, url or document.url)
    return RawItem(
        path=path,
        text=text,
        title=_clean_title(document.title, site_name, _headlines(tree)),
        url=url or _page_url(tree),
        published=_published(tree),
        author=document.author or None,
        site_name=site_name,
        html=page,
    )


def decode_html(data: bytes) -> str:
    """Decode a page's bytes: BOM, then UTF-8, then the declared charset, then a guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    # Valid multi-byte UTF-8 almost never happens by chance in a legacy encoding, while pages
    # served as UTF-8 under a stale "iso-8859-1" declaration are common: UTF-8 goes first.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_encoding(data[:CHARSET_PRESCAN_BYTES])
    if declared is not None:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    from trafilatura.utils import decode_file  # charset-normalizer guess, else lossy UTF-8

    return decode_file(data)


def _declared_encoding(head: bytes) -> str | None:
    """The codec named by a <meta charset> or XML declaration, if Python knows it."""
    match = _XML_ENCODING_RE.search(head) or _CHARSET_RE.search(head)
    if match is None:
        return None
    label = match.group(1).decode("ascii", errors="ignore").lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page that was really UTF-16/32 would have a BOM; UTF-8 was already tried and failed.
    return None if name.startswith("utf") else name


def _parse(page: str) -> HtmlElement:
    """The page's lxml tree, as trafilatura parses it."""
    from trafilatura.utils import load_html

    try:
        tree = load_html(page)
    except Exception as err:  # lxml raises assorted errors on malformed input
        raise InputError(f"the HTML page could not be parsed ({type(err).__name__})") from err
    if tree is None:
        raise InputError("the HTML page could not be parsed")
    return tree


def _extracted(tree: HtmlElement, page: str, url: str | None, options: ExtractionOptions) -> tuple[Any, str]:
    """trafilatura's Document for the page and its body text, with the fallbacks of
    ``options.fallback_chars`` when the body is short or missing (the first Document keeps the metadata)."""
    try:
        document = _extract(tree, url, options)
    except InputError:
        if not options.fallback_chars:
            raise
        document = None
    text = _body_text(document) if document is not None else ""
    if len(text) >= options.fallback_chars:
        return document, text
    recall = replace(options, favor_precision=False, favor_recall=True, fallback_chars=0)
    try:
        second = _extract(_parse(page), url, recall)
    except InputError:
        second = None
    # a fallback's text counts only when it is body-sized itself (a page of navigation links is no article)
    if second is not None and len(more := _body_text(second)) >= options.fallback_chars:
        document, text = document or second, more
    if len(text) < options.fallback_chars:
        from trafilatura import baseline

        _body, plain, _length = baseline(page)
        plain = "\n\n".join(line.strip() for line in (plain or "").splitlines() if line.strip())
        if len(plain) >= options.fallback_chars:
            text = plain
    if document is None:
        if not text:
            raise InputError("no article text found in the HTML page")
        document = SimpleNamespace(sitename=None, title=None, author=None, url=None)  # no metadata found
    return document, text


def _extract(tree: HtmlElement, url: str | None, options: ExtractionOptions) -> Any:
    """trafilatura's Document for the page (main text and metadata)."""
    from trafilatura import bare_extraction

    try:
        document = bare_extraction(
            tree,
            url=url,
            fast=options.fast,
            favor_precision=options.favor_precision,
            favor_recall=options.favor_recall,
            include_tables=options.include_tables,
            include_comments=INCLUDE_COMMENTS,
            with_metadata=True,
            date_extraction_params=dict(TRAFILATURA_DATE_PARAMS),
        )
    except Exception as err:  # trafilatura and lxml raise assorted errors on odd pages
        raise InputError(f"article extraction failed ({type(err).__name__})") from err
    if document is None:
        raise InputError("no article text found in the HTML page")
    return document


def _body_text(document: Any) -> str:
    """The article text, one block (paragraph, heading, list, table) per paragraph."""
    from trafilatura.xml import xmltotxt

    body = document.body
    blocks = [xmltotxt(child, False) for child in body] if body is not None and len(body) else [document.text]
    paragraphs = []
    for block in blocks:
        lines = [line.strip() for line in (block or "").splitlines()]
        if paragraph := "\n".join(line for line in lines if line):
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _site_name(site_name: str | None, url: str | None) -> str | None:
    """The site name from page metadata; None when trafilatura only derived it from the URL."""
    if not site_name:
        return None
    host = re.match(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)", url or "")
    return None if host is not None and site_name == host.group(1) else site_name


def _fold(text: str) -> str:
    """Text folded for comparison: NFKC, case, typographic quotes and dashes, whitespace."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().split())


def _headlines(tree: HtmlElement) -> list[str]:
    """The folded text of the page's <h1> elements."""
    return [f for h1 in tree.iter("h1") if (f := _fold(h1.text_content()))]


def _clean_title(title: str | None, site_name: str | None, headlines: list[str]) -> str | None:
    """The title without a " | Site" part: cut when the rest is the site name or an <h1> headline."""
    if not title:
        return None
    title = " ".join(title.split())
    if site_name and (without_site := _strip_site_name(title, site_name)):
        return without_site
    for sep in TITLE_SEPARATORS:
        head, found, tail = title.rpartition(sep)
        if found and _is_headline(head, tail, headlines):
            return head.strip()
        head, found, tail = title.partition(sep)
        if found and _is_headline(tail, head, headlines):
            return tail.strip()
    return title


def _strip_site_name(title: str, site_name: str) -> str | None:
    """``title`` without a leading or trailing site name and its separator, or None."""
    site = " ".join(site_name.split())
    for sep in (*TITLE_SEPARATORS, ": "):
        n = len(sep) + len(site)
        if len(title) <= n:
            continue
        if sep != ": " and _fold(title[-n:]) == _fold(sep + site):
            return title[:-n].strip() or None
        if _fold(title[:n]) == _fold(site + sep):
            return title[n:].strip() or None
    return None


def _is_headline(kept: str, dropped: str, headlines: list[str]) -> bool:
    """Whether ``kept`` is one of the page's <h1> headlines and the longer part of the title."""
    return bool(kept.strip()) and _fold(kept) in headlines and len(kept) >= len(dropped)


def _page_url(tree: HtmlElement) -> str | None:
    """The page's own absolute URL: <link rel=canonical>, else og:url."""
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    candidates = canonical + tree.xpath('//meta[@property="og:url"]/@content')
    for candidate in candidates:
        candidate = str(candidate).strip()
        if candidate.startswith(("http://", "https://")):
            return candidate
    return None


def _published(tree: HtmlElement) -> str | None:
    """The publication date stated in the page's metadata, as YYYY-MM-DD, or None.

    Sources in order: meta tags (``PUBLISHED_META_KEYS``), JSON-LD ``datePublished``, then
    ``itemprop="datePublished"`` microdata. The date is the calendar date as written (the
    publisher's local date, no time-zone conversion); implausible or future dates are skipped.
    """
    latest = (dt.datetime.now(dt.UTC) + LATEST_UTC_OFFSET).date()
    for value in _date_candidates(tree):
        day = _parse_date(value)
        if day is not None and EARLIEST_PUBLISHED <= day <= latest:
            return day.isoformat()
    return None


def _date_candidates(tree: HtmlElement) -> Iterator[str]:
    """Publication-date strings from explicit metadata, most trusted first."""
    keyed: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if key in PUBLISHED_META_KEYS and content:
            keyed.setdefault(key, []).append(content)
    for key in PUBLISHED_META_KEYS:
        yield from keyed.get(key, [])
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        yield from _json_ld_dates(script.text or "")
    for elem in tree.xpath('//*[@itemprop="datePublished"]'):
        value = elem.get("datetime") or elem.get("content") or elem.text_content()
        if value:
            yield value


def _json_ld_dates(source: str) -> Iterator[str]:
    """``datePublished`` values in a JSON-LD block, outermost objects first."""
    try:
        data = json.loads(source, strict=False)
    except ValueError:  # broken JSON-LD is common: fall back to the bare key/value pattern
        yield from _JSON_DATE_RE.findall(source)
        return
    queue: deque[Any] = deque([data])
    while queue:
        node = queue.popleft()
        if isinstance(node, dict):
            value = node.get("datePublished")
            if isinstance(value, str):
                yield value
            queue.extend(node.values())
        elif isinstance(node, list):
            queue.extend(node)


def _parse_date(value: str) -> dt.date | None:
    """The calendar date at the start of an ISO-like value or in an English written date."""
    value = value.strip()
    match = _ISO_DATE_RE.match(value)
    if match is not None:
        year, month, day = match["y"], match["m"] or match["m2"], match["d"] or match["d2"]
    else:
        found = next((m for regex in _TEXT_DATE_RES if (m := regex.search(value))), None)
        if found is None:
            return None
        year, month, day = found["y"], str(_MONTH_ABBRS.index(found["mon"][:3].lower()) + 1), found["d"]
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
