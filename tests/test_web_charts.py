"""Charts tell the truth: every source in the legend (largest first), undated articles counted beside
the chart, labels inside the drawing, a text alternative, and story timelines that label each event."""

from __future__ import annotations

import re
from typing import Any

from storyline.web.render import CHART_LEFT, stacked_bars, timeline
from tests.conftest import get_json

# An upper bound of the width of one character of svg text at 11px, in chart units.
CHAR_W = 6.5


def test_the_legend_lists_every_source_largest_first_and_labels_stay_inside() -> None:
    months = [f"20{y:02d}-{m:02d}" for y in range(20, 24) for m in range(1, 13)]
    series = [("small.example", [1] * len(months)), ("big.example", [3] * len(months)), ("mid.example", [2] * 48)]
    chart = stacked_bars(months, series)
    assert [name for _css, name, _n in chart.legend] == ["big.example", "mid.example", "small.example"]
    assert [n for _css, _name, n in chart.legend] == [144, 96, 48]
    assert len(chart.labels) <= 8
    for x, text, anchor in chart.labels:
        width = len(text) * CHAR_W
        left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
        assert left >= 0 and left + width <= chart.width, (x, text, anchor)
    assert all(bar.x >= CHART_LEFT for bar in chart.bars)  # the y axis label has its own margin
    assert chart.summary == "288 dated articles from 2020-01 to 2023-12; the busiest month is 2020-01 with 6."
    assert chart.rows[0] == ("2020-01", [3, 2, 1])


def test_one_month_is_labelled_inside_the_chart() -> None:
    chart = stacked_bars(["2022-03"], [("a", [2])], width=390)
    ((x, text, anchor),) = chart.labels
    width = len(text) * CHAR_W
    left = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    assert left >= 0 and left + width <= 390


def test_a_story_timeline_labels_each_event_with_its_date_and_title() -> None:
    events = [("2024-02-21", "Vulin meets Putin in Moscow", "#e2", 3),
              ("2022-03-22", "Serbia refuses sanctions", "#e1", 1), (None, "An undated report", "#e3", 1)]
    line = timeline(events)
    assert [d.label for d in line.dots] == ["2022-03-22 Serbia refuses sanctions",
                                            "2024-02-21 Vulin meets Putin in Moscow"]
    assert [d.y for d in line.dots] == sorted(d.y for d in line.dots)  # one row each, in date order
    assert line.undated == [("An undated report", "#e3")]
    for dot in line.dots:
        width = len(dot.label) * CHAR_W
        left = dot.label_x if dot.anchor == "start" else dot.label_x - width
        assert left >= 0 and left + width <= line.width, dot


def test_the_overview_counts_undated_articles_beside_the_chart(client: Any) -> None:
    record = get_json(client, "/api/overview")
    charted = sum(sum(s["articles"]) for s in record["timeline"]["series"])
    undated = record["counts"]["articles"] - charted
    html = client.get("/").text
    assert undated > 0  # the example has undated articles
    assert f"<b>{undated}</b> of {record['counts']['articles']} articles have no publication date" in html
    assert 'aria-labelledby="timeline-chart-summary"' in html and "The chart as a table" in html
    legend = re.findall(r'<span class="key s\d"></span><a href="[^"]*">([^<]*)</a>', html)
    assert set(legend) == {s["source"] for s in record["timeline"]["series"]}
