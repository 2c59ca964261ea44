"""Display helpers for the pages: highlighted article text built from offsets, and SVG chart geometry.

Article text is untrusted: :func:`highlight` escapes every segment itself and only adds markup
it builds (spans, links to this site's own paths), so the result is safe to insert as Markup.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote as urlquote

from markupsafe import Markup, escape

from storyline.read.claims import date_range


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
    """An SVG bar chart's geometry: bars, axis labels (x, text, anchor), the legend (css, name, count),
    the y axis (its top count, where the plot starts and ends), and a text alternative (``rows``:
    month and count per series, for a table; ``summary``: one sentence)."""

    width: int
    height: int
    bars: list[Bar]
    labels: list[tuple[float, str, str]]
    legend: list[tuple[str, str, int]]
    top: int
    left: int
    plot_bottom: int
    rows: list[tuple[str, list[int]]]
    summary: str


# Room for the y axis label on the left and for the last month label on the right.
CHART_LEFT, CHART_RIGHT = 44, 24


def stacked_bars(months: list[str], series: list[tuple[str, list[int]]], width: int = 760,
                 height: int = 220) -> Chart:
    """A stacked bar chart of counts per month, one colour (CSS class ``s0``..``s8``) per series.

    The legend lists every series with its count, the largest first; month labels are thinned to fit
    and anchored so none runs off the chart; the y axis is labelled in its own margin."""
    order = sorted(range(len(series)), key=lambda n: (-sum(series[n][1]), series[n][0]))
    ranked = [series[n] for n in order]
    totals = [sum(counts[i] for _n, counts in ranked) for i in range(len(months))]
    top = max(totals, default=0) or 1
    plot_bottom = height - 30
    plot_w = width - CHART_LEFT - CHART_RIGHT
    step = plot_w / max(len(months), 1)
    bars: list[Bar] = []
    for i, month in enumerate(months):
        y = float(plot_bottom)
        for n, (name, counts) in enumerate(ranked):
            if counts[i]:
                h = counts[i] / top * (plot_bottom - 16)
                y -= h
                bars.append(Bar(round(CHART_LEFT + i * step + 1, 1), round(y, 1), round(max(step - 2, 1), 1),
                                round(h, 1), f"s{min(n, 8)}", f"{month} {name}: {counts[i]}"))
    every = max(1, -(-len(months) // 8))  # at most 8 labels, each about 60 units wide
    labels = []
    for i, month in enumerate(months):
        if i % every == 0:
            x = CHART_LEFT + i * step + step / 2
            anchor = "start" if x - 30 < 0 else "end" if x + 30 > width else "middle"
            labels.append((round(max(x, 0.0), 1), month, anchor))
    legend = [(f"s{min(n, 8)}", name, sum(counts)) for n, (name, counts) in enumerate(ranked)]
    busiest = max(range(len(months)), key=lambda i: totals[i]) if months else None
    summary = (f"{sum(totals)} dated articles from {months[0]} to {months[-1]}; the busiest month is "
               f"{months[busiest]} with {totals[busiest]}." if busiest is not None else "No dated articles.")
    return Chart(width, height, bars, labels, legend, top, CHART_LEFT, plot_bottom,
                 [(m, [counts[i] for _n, counts in ranked]) for i, m in enumerate(months)], summary)


@dataclass(frozen=True, slots=True)
class Dot:
    """One event on a timeline: position, radius (by article count), its label (title and date) and
    where the label sits (x, anchor), tooltip and link."""

    x: float
    y: float
    r: float
    title: str
    href: str
    label: str = ""
    label_x: float = 0.0
    anchor: str = "start"


@dataclass(frozen=True, slots=True)
class Timeline:
    """An SVG timeline's geometry: one row per dated event in date order (a dot at its date, labelled
    with its date and title), date ticks along the axis (x, text), and the undated events."""

    width: int
    height: int
    dots: list[Dot]
    ticks: list[tuple[float, str]]
    undated: list[tuple[str, str]]
    axis_y: int = 0


TIMELINE_ROW, TIMELINE_PAD = 24, 70
# Characters of an event title on its timeline row (the full title is in the tooltip and below).
TIMELINE_TITLE_CHARS = 50


def timeline(events: list[tuple[str | None, str, str, int]], width: int = 760) -> Timeline:
    """Events (date or None, title, link, article count) on a date axis, one row each in date order,
    each labelled with its date and title; undated ones listed apart."""
    import datetime as dt

    dated = sorted(((dt.date.fromisoformat(d), t, h, n) for d, t, h, n in events if d), key=lambda e: (e[0], e[1]))
    undated = [(t, h) for d, t, h, _n in events if not d]
    if not dated:
        return Timeline(width, 0, [], [], undated)
    first, last = dated[0][0], dated[-1][0]
    span = max((last - first).days, 1)
    axis_y = 20 + len(dated) * TIMELINE_ROW
    dots = []
    for n, (day, title, href, count) in enumerate(dated):
        x = TIMELINE_PAD + (day - first).days / span * (width - 2 * TIMELINE_PAD) if last != first else width / 2
        y = 20 + n * TIMELINE_ROW
        r = round(min(4 + count, 10), 1)
        short = title if len(title) <= TIMELINE_TITLE_CHARS else title[: TIMELINE_TITLE_CHARS - 1] + "…"
        right = x > width / 2  # labels of late events read leftwards, so none leaves the chart
        articles = f"{count} article" + ("" if count == 1 else "s")
        dots.append(Dot(round(x, 1), y, r, f"{day.isoformat()}: {title} ({articles})", href,
                        f"{day.isoformat()} {short}", round(x - r - 4 if right else x + r + 4, 1),
                        "end" if right else "start"))
    ticks: list[tuple[float, str]] = [(float(TIMELINE_PAD), first.isoformat())]
    if last != first:
        ticks.append((float(width - TIMELINE_PAD), last.isoformat()))
    return Timeline(width, axis_y + 28, dots, ticks, undated, axis_y)


# A statement's stance is drawn with its own colour (CSS class ``st-STANCE``) and shape.
STANCE_SHAPES = {"affirms": "circle", "denies": "square", "conditional": "diamond", "reports": "triangle"}
DATE_BASES = {"published": "publication date", "text": "from the text", "before_published": "before publication"}


@dataclass(frozen=True, slots=True)
class StanceMark:
    """One statement on a claim chart: centre, stance, shape (``points`` of its polygon, empty for a
    circle), the period a month or year date covers (``x1``..``x2``, equal for a day), tooltip and link;
    ``bound`` when its date is only an upper bound (drawn hollow)."""

    x: float
    y: float
    stance: str
    points: str
    x1: float
    x2: float
    title: str
    href: str
    bound: bool = False  # dated by its article's publication, as an upper bound ("had said")


@dataclass(frozen=True, slots=True)
class ClaimChart:
    """A claim's statements by date (x) and speaker (one row each); undated ones in a column of their own.

    ``rows`` are (y, speaker, link or None); ``ticks`` (x, date); ``undated_x`` is where the undated
    column starts (None when every statement is dated); ``legend`` is (stance, points or "" for a
    circle, x) drawn along the top."""

    width: int
    height: int
    left: int
    axis_y: int
    rows: list[tuple[float, str, str | None]]
    marks: list[StanceMark]
    ticks: list[tuple[float, str]]
    undated_x: float | None
    undated: int
    legend: list[tuple[str, str, float]]


def _shape(stance: str, x: float, y: float, r: float = 6.0) -> str:
    """The polygon points of a stance's mark at (x, y) ("" for a circle)."""
    shape = STANCE_SHAPES.get(stance, "circle")
    if shape == "square":
        pts = [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
    elif shape == "diamond":
        pts = [(x, y - r - 1.5), (x + r + 1.5, y), (x, y + r + 1.5), (x - r - 1.5, y)]
    elif shape == "triangle":
        pts = [(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)]
    else:
        return ""
    return " ".join(f"{round(a, 1)},{round(b, 1)}" for a, b in pts)


def claim_chart(entries: list[dict[str, Any]], width: int = 900, row_height: int = 30) -> ClaimChart:
    """The chart of a claim's timeline entries (the ``timeline`` of its record): x is the statement's date
    (a month or a year spans its days), one row per speaker in order of first statement, each mark shaped
    and coloured by stance and linked to its characters. Undated statements are never put on the date
    axis: they go in a separate column labelled "undated"."""
    left, top, right = 190, 34, 16
    speakers: dict[str, tuple[str, str | None]] = {}
    for e in entries:
        key = str(e["speaker"] or e["speaker_name"] or "")
        if key not in speakers:
            entity = e.get("speaker_entity")
            name = str(entity or e["speaker_name"] or "unattributed")
            speakers[key] = (name if len(name) <= 28 else name[:27] + "…",
                             path_of("entities", str(e["speaker"])) if entity else None)
    row_of = {key: n for n, key in enumerate(speakers)}
    height = top + row_height * max(len(speakers), 1) + 34
    axis_y = height - 28
    rows = [(top + row_height * n + row_height / 2, name, href) for n, (name, href) in enumerate(speakers.values())]

    periods = [date_range(str(e["date"]) if e["date"] else None) for e in entries]
    undated = sum(1 for p in periods if p is None)
    column = 150 if undated else 0
    undated_x = float(width - right - column) if undated else None
    plot_l, plot_r = left + 24, width - right - column - (30 if undated else 10)
    dated = [p for p in periods if p is not None]
    first = min((p[0] for p in dated), default=None)
    last = max((p[1] for p in dated), default=None)
    span = max((last - first).days, 1) if first and last else 1

    def x_of(day: datetime.date) -> float:
        if first is None or last is None or first == last:
            return (plot_l + plot_r) / 2
        return plot_l + (day - first).days / span * (plot_r - plot_l)

    placed: dict[tuple[int, float], int] = {}
    pending: list[tuple[dict[str, Any], int, float, float, float]] = []
    undated_rows: dict[int, list[dict[str, Any]]] = {}
    for e, period in zip(entries, periods, strict=True):
        row = row_of[str(e["speaker"] or e["speaker_name"] or "")]
        if period is None:
            undated_rows.setdefault(row, []).append(e)
            continue
        x1, x2 = x_of(period[0]), x_of(period[1])
        x = round((x1 + x2) / 2, 1)
        placed[(row, x)] = placed.get((row, x), 0) + 1
        pending.append((e, row, x, x1, x2))
    marks: list[StanceMark] = []
    seen: dict[tuple[int, float], int] = {}
    for e, row, x, x1, x2 in pending:
        n, k = placed[(row, x)], seen.get((row, x), 0)
        seen[(row, x)] = k + 1
        cx = x + (k - (n - 1) / 2) * 13
        marks.append(_stance_mark(e, cx, rows[row][0], x1, x2))
    if undated_x is not None:
        for row, found in undated_rows.items():
            step = min(14.0, (column - 30) / max(len(found), 1))
            middle = undated_x + column / 2
            for k, e in enumerate(found):
                cx = middle + (k - (len(found) - 1) / 2) * step
                marks.append(_stance_mark(e, cx, rows[row][0], cx, cx))

    ticks: list[tuple[float, str]] = []
    if first is not None and last is not None:
        ticks.append((round(x_of(first), 1), first.isoformat()))
        for year in range(first.year + 1, last.year + 1):
            x = x_of(datetime.date(year, 1, 1))
            if x - ticks[-1][0] > 70 and x_of(last) - x > 70:
                ticks.append((round(x, 1), str(year)))
        if last != first:
            ticks.append((round(x_of(last), 1), last.isoformat()))
    legend = [(stance, _shape(stance, left + 10.0 + n * 110, 14), left + 10.0 + n * 110)
              for n, stance in enumerate(STANCE_SHAPES)]
    return ClaimChart(width, height, left, axis_y, rows, marks, ticks, undated_x, undated, legend)


def _stance_mark(e: dict[str, Any], x: float, y: float, x1: float, x2: float) -> StanceMark:
    stance = str(e["stance"])
    when = str(e["date"] or "undated")
    if e["date_basis"] == "before_published":
        when = f"on or before {when}"
    elif e["date_basis"] == "text":
        when += " (from the text)"
    who = str(e.get("speaker_entity") or e["speaker_name"] or "unattributed")
    if e["role"]:
        who += f", {e['role']}"
    text = str(e["text"])
    text = text if len(text) <= 160 else text[:159] + "…"
    return StanceMark(round(x, 1), round(y, 1), stance, _shape(stance, x, y), round(x1, 1), round(x2, 1),
                      f"{when} · {who} · {stance}: {text}",
                      span_link(e["article"], e["start"], e["end"]), e["date_basis"] == "before_published")
