"""Display helpers for the pages: highlighted article text built from offsets, and SVG chart geometry.

Article text is untrusted: :func:`highlight` escapes every segment itself and only adds markup
it builds (spans, links to this site's own paths), so the result is safe to insert as Markup.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from urllib.parse import quote as urlquote

from markupsafe import Markup, escape


@dataclass(frozen=True, slots=True)
class Mark:
    """A range of characters to highlight: ``kind`` becomes a CSS class; ``href`` makes it a link;
    ``anchor`` is an element id placed where the range starts; ``title`` a tooltip."""

    start: int
    end: int
    kind: str
    href: str | None = None
    anchor: str | None = None
    title: str | None = None


@dataclass(slots=True)
class _Segment:
    start: int
    end: int
    marks: list[Mark] = field(default_factory=list)


def highlight(text: str, marks: list[Mark]) -> Markup:
    """``text`` with each mark's characters wrapped (flat, never nested: overlapping marks split the text
    into segments that carry every covering mark's class). Out-of-range marks are dropped."""
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    segments = [_Segment(a, b) for a, b in itertools.pairwise(cuts)]
    starts = {s.start: n for n, s in enumerate(segments)}
    for mark in marks:
        n = starts[mark.start]
        while n < len(segments) and segments[n].end <= mark.end:
            segments[n].marks.append(mark)
            n += 1
    anchors: dict[int, list[str]] = {}
    for mark in marks:
        if mark.anchor:
            anchors.setdefault(mark.start, []).append(mark.anchor)
    out: list[str] = []
    for seg in segments:
        out.extend(f'<span class="anchor" id="{escape(a)}"></span>' for a in anchors.pop(seg.start, []))
        chunk = escape(text[seg.start : seg.end])
        if not seg.marks:
            out.append(str(chunk))
            continue
        classes = " ".join(sorted({m.kind for m in seg.marks}))
        titles = "; ".join(dict.fromkeys(m.title for m in seg.marks if m.title))
        title = f' title="{escape(titles)}"' if titles else ""
        href = next((m.href for m in seg.marks if m.href), None)
        if href:
            out.append(f'<a class="{escape(classes)}" href="{escape(href)}"{title}>{chunk}</a>')
        else:
            out.append(f'<span class="{escape(classes)}"{title}>{chunk}</span>')
    return Markup("".join(out))


def span_link(article: str, start: int, end: int) -> str:
    """The link to characters ``start:end`` of an article, highlighted on its page."""
    return f"/articles/{urlquote(article, safe='')}?start={start}&end={end}#hl"


def path_of(kind: str, ref: str) -> str:
    """This site's path of one record (``/entities/serbia``), the reference escaped."""
    return f"/{kind}/{urlquote(ref, safe='')}"


def safe_url(url: str | None) -> str | None:
    """An article's own URL if it is http(s), else None (a ``javascript:`` URL must never become a link)."""
    if url and url.strip().lower().startswith(("http://", "https://")) and not any(c in url for c in "\"'<> "):
        return url.strip()
    return None


@dataclass(frozen=True, slots=True)
class Bar:
    """One rectangle of a chart, with its tooltip."""

    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG bar chart's geometry: bars, axis labels (x, text) and the legend (css, name)."""

    width: int
    height: int
    bars: list[Bar]
    labels: list[tuple[float, str]]
    legend: list[tuple[str, str]]
    top: int


def stacked_bars(months: list[str], series: list[tuple[str, list[int]]], width: int = 760,
                 height: int = 220) -> Chart:
    """A stacked bar chart of counts per month, one colour (CSS class ``s0``..``s8``) per series."""
    top = max((sum(counts[i] for _n, counts in series) for i in range(len(months))), default=0) or 1
    plot_h = height - 30
    step = width / max(len(months), 1)
    bars: list[Bar] = []
    for i, month in enumerate(months):
        y = float(plot_h)
        for n, (name, counts) in enumerate(series):
            if counts[i]:
                h = counts[i] / top * (plot_h - 10)
                y -= h
                bars.append(Bar(round(i * step + 1, 1), round(y, 1), round(max(step - 2, 1), 1), round(h, 1),
                                f"s{min(n, 8)}", f"{month} {name}: {counts[i]}"))
    every = max(1, len(months) // 8)
    labels = [(round(i * step + step / 2, 1), m) for i, m in enumerate(months) if i % every == 0]
    legend = [(f"s{min(n, 8)}", name) for n, (name, _c) in enumerate(series)]
    return Chart(width, height, bars, labels, legend, top)


@dataclass(frozen=True, slots=True)
class Dot:
    """One event on a timeline: position, radius (by article count), tooltip and link."""

    x: float
    y: float
    r: float
    title: str
    href: str


@dataclass(frozen=True, slots=True)
class Timeline:
    """An SVG timeline's geometry: event dots, date ticks (x, text), and the undated events."""

    width: int
    height: int
    dots: list[Dot]
    ticks: list[tuple[float, str]]
    undated: list[tuple[str, str]]


def timeline(events: list[tuple[str | None, str, str, int]], width: int = 760, height: int = 120) -> Timeline:
    """Events (date or None, title, link, article count) placed on a date axis; undated ones listed apart."""
    import datetime as dt

    dated = [(dt.date.fromisoformat(d), t, h, n) for d, t, h, n in events if d]
    undated = [(t, h) for d, t, h, _n in events if not d]
    if not dated:
        return Timeline(width, height, [], [], undated)
    first, last = min(d for d, *_ in dated), max(d for d, *_ in dated)
    span = max((last - first).days, 1)
    pad = 60
    dots = []
    for n, (day, title, href, count) in enumerate(sorted(dated, key=lambda e: e[0])):
        x = pad + (day - first).days / span * (width - 2 * pad) if last != first else width / 2
        y = 30 + (n % 3) * 25
        dots.append(Dot(round(x, 1), y, round(min(6 + 2 * count, 18), 1), f"{day.isoformat()}: {title}", href))
    ticks: list[tuple[float, str]] = [(float(pad), first.isoformat())]
    if last != first:
        ticks.append((float(width - pad), last.isoformat()))
    return Timeline(width, height, dots, ticks, undated)
